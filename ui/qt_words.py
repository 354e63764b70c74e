"""Qt's own words — the standard buttons of dialogs and message boxes — in the language in use.

Qt ships no Welsh. A translator installed on the application once asks the app's own catalogue for
these few words (in English it answers nothing, and Qt keeps its own), so every OK, Cancel, Yes and
No of every dialog speaks the user's language without each dialog remembering to set it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from ppo_desktop import i18n
from ppo_desktop.i18n import N_

# As Qt writes them (QPlatformTheme's standard buttons, and the Linux desktops' own).
QT_WORDS = frozenset((
    N_("OK"), N_("&OK"), N_("Cancel"), N_("&Cancel"), N_("Yes"), N_("&Yes"), N_("No"), N_("&No"),
    N_("Close"), N_("&Close"), N_("Save"), N_("&Save"), N_("Open"), N_("&Open"), N_("Apply"), N_("Reset"),
    N_("Help"), N_("Discard"), N_("Abort"), N_("Retry"), N_("Ignore"), N_("Restore Defaults"),
    N_("Save All"), N_("Yes to &All"), N_("N&o to All"), N_("Close without Saving"), N_("Don't Save"),
))  # fmt: skip


class CatalogueTranslator(QTranslator):
    def translate(  # noqa: N802 - Qt's name
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if source not in QT_WORDS or i18n.current() == i18n.ENGLISH:
            return None  # type: ignore[return-value]  # not ours: Qt keeps its own (a null string)
        said = i18n._(source)
        return None if said == source else said  # type: ignore[return-value]

    def isEmpty(self) -> bool:  # noqa: N802
        return False


def install(app: QCoreApplication) -> CatalogueTranslator:
    """Once per application (kept as the app's child, so it lives as long as the app does)."""
    found = app.findChild(CatalogueTranslator)
    if isinstance(found, CatalogueTranslator):
        return found
    translator = CatalogueTranslator(app)
    app.installTranslator(translator)
    return translator
