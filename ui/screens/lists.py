"""Simple list screens (candidates, meetings, actions, audit) built on one ListScreen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ppo_desktop.domain import Action
from ppo_desktop.services import Changes
from ui.context import AppContext
from ui.table_model import Column, fmt_date
from ui.widgets import read_only_table, title_label


class ListScreen(QWidget):
    """A titled, sortable list that reloads when one of ``tables`` changes."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        columns: Sequence[Column[Any]],
        load: Callable[[], Sequence[Any]],
        tables: set[str],
        note: str = "",
        parent: QWidget | None = None,
        *,
        newest_first: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._load = load
        self._tables = tables
        self.view, self.model = read_only_table(columns, title, self, newest_first=newest_first)
        self.layout_ = QVBoxLayout(self)
        self.header = QHBoxLayout()
        self.header.addWidget(title_label(title), 1)
        self.layout_.addLayout(self.header)
        if note:
            hint = QLabel(note)
            hint.setWordWrap(True)
            hint.setObjectName("hint")
            self.layout_.addWidget(hint)
        self.layout_.addWidget(self.view, 1)
        ctx.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self._load())

    def _on_changed(self, changes: Changes) -> None:
        if changes.tables & self._tables:
            self.reload()


def actions_screen(ctx: AppContext) -> ListScreen:
    today = ctx.ws.today()
    names = {r.nominal.id: r.nominal.display_name for r in ctx.cases.cohort()}
    columns: list[Column[Action]] = [
        Column(
            "Due",
            lambda a: fmt_date(a.due_on) + ("  OVERDUE" if a.overdue_on(today) else ""),
            lambda a: a.due_on.isoformat() if a.due_on else "9999",
        ),
        Column("Name", lambda a: names.get(a.nominal_id, "")),
        Column("Pathway", lambda a: a.pathway.label),
        Column("Action", lambda a: a.description),
        Column("Agency", lambda a: a.agency),
        Column("Owner", lambda a: a.owner),
    ]
    return ListScreen(
        ctx,
        "Open actions",
        columns,
        ctx.actions.open_actions,
        {"actions"},
        "Every open action across the cohort, soonest due first; overdue ones say so.",
    )
