"""One way for screens to follow changes: reload when a change touches what they show — at once if
the screen is on view, otherwise the next time it is shown (hidden screens do no work)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ppo_desktop.services import Changes
from ppo_desktop.services.workspace import as_topics
from ui.context import AppContext

EVERYTHING = frozenset({"*"})


class RefreshWhenShown:
    """Mixin for a QWidget screen that has ``reload()``; call ``watch`` once in ``__init__``."""

    _watched: frozenset[str]  # topics, or EVERYTHING
    _stale: bool

    def watch(self, ctx: AppContext, tables: Iterable[str]) -> None:
        """Reload when a change touches one of ``tables`` (topics: a name that is not one is refused)."""
        self._watched = EVERYTHING if tables == EVERYTHING else as_topics(tables)
        self._stale = False
        ctx.changed.connect(self._changed)

    def reload(self) -> None:
        raise NotImplementedError

    def _changed(self, changes: Changes) -> None:
        if self._watched != EVERYTHING and not changes.topics & self._watched:
            return
        if self.isVisible():  # type: ignore[attr-defined]
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if getattr(self, "_stale", False):
            self._stale = False
            self.reload()
        super().showEvent(event)  # type: ignore[misc]
