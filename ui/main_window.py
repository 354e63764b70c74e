"""The coordinator workspace: navigation on the left, one screen at a time on the right."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import ROLE_WORDS, Role
from ppo_desktop.i18n import N_, _
from ui.context import AppContext, Said, attempt
from ui.meeting.console import ChairConsole
from ui.performance.dashboard import PerformanceScreen
from ui.reports.screen import ReportsScreen
from ui.screens.audit import AuditScreen
from ui.screens.case_view import CaseView
from ui.screens.cohort import CohortScreen
from ui.screens.lists import actions_screen
from ui.screens.meetings import MeetingsScreen
from ui.screens.pool import CandidatesScreen
from ui.screens.settings import SettingsScreen

# The screens by key (the navigation shows each in the reader's language).
NAV = (N_("Cohort"), N_("Candidates"), N_("Meetings"), N_("Actions"), N_("Reports"), N_("Performance"),
       N_("Audit"), N_("Settings"))  # fmt: skip


class LazyScreens(dict[str, QWidget]):
    """Name → screen, each built (and added to the stack) on first use."""

    def __init__(self, stack: QStackedWidget, factories: dict[str, Callable[[], QWidget]]) -> None:
        super().__init__()
        self._stack = stack
        self._factories = factories

    def __missing__(self, name: str) -> QWidget:
        screen = self._factories[name]()
        self._stack.addWidget(screen)
        self[name] = screen
        return screen


class MainWindow(QMainWindow):
    lock_requested = Signal(str)  # reason

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(_("PPO Panel — {partnership}").format(partnership=ctx.partnership))
        self.cohort = CohortScreen(ctx)
        self.case_view = CaseView(ctx)
        self.stack = QStackedWidget()
        # Screens are built the first time they are shown: unlocking shows the cohort at once.
        self.screens = LazyScreens(
            self.stack,
            {
                "Candidates": lambda: CandidatesScreen(ctx),
                "Meetings": self._meetings_screen,
                "Actions": lambda: actions_screen(ctx),
                "Reports": lambda: ReportsScreen(ctx),
                "Performance": lambda: PerformanceScreen(ctx),
                "Audit": lambda: AuditScreen(ctx),
                "Settings": lambda: SettingsScreen(ctx),
            },
        )
        self.screens["Cohort"] = self.cohort
        self.stack.addWidget(self.cohort)
        self.stack.addWidget(self.case_view)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName(_("Navigation"))
        for i, name in enumerate(NAV, start=1):
            self.nav.addItem(_(name))
            QShortcut(QKeySequence(f"Ctrl+{i}"), self, lambda i=i: self.nav.setCurrentRow(i - 1))
        self.nav.currentRowChanged.connect(self._show_row)
        # As wide as its longest name in the person's text size and language (fixed at 170 px, 'Performance'
        # was cut at 200 % text; the view measures only the rows it shows, and a fixed width gave way to
        # the theme's min-width when the window was polished again: 'Camau gweithredu' was cut).
        self.nav.ensurePolished()
        longest = max(self.nav.fontMetrics().horizontalAdvance(_(name)) for name in NAV)
        width = max(170, longest + 20 + 2 * self.nav.frameWidth() + 24)  # 20: the items' padding
        self.nav.setStyleSheet(f"QListWidget#nav {{ min-width: {width}px; max-width: {width}px; }}")

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("#banner { background: #fff3bf; color: #3d2e00; padding: 8px; }")
        read_only = ctx.session.store().read_only
        self.banner.setText(
            _("Read-only: {why}. You can see the lists; opening a case, printing and every change are "
              "blocked, because they could not be recorded in the audit log. Copy the store (with its key "
              "file) to a writable folder to work on it.").format(why=read_only)
            if read_only
            else ""
        )  # fmt: skip
        self.banner.setVisible(bool(read_only))
        # A store that failed its unlock checks: nothing can be saved until an administrator says so.
        self.blocked = QWidget()
        self.blocked.setObjectName("banner")
        self.blocked.setStyleSheet("#banner { background: #ffd8d8; color: #4a0000; }")
        self.blocked_text = QLabel(
            _("The store failed its check at unlock: {why}. Nothing can be saved until an administrator "
              "has looked at it and acknowledged it.").format(why=ctx.session.blocked)
        )  # fmt: skip
        self.blocked_text.setWordWrap(True)
        self.acknowledge_button = QPushButton(_("Ac&knowledge…"))
        self.acknowledge_button.setVisible(ctx.session.user.role is Role.ADMINISTRATOR)
        self.acknowledge_button.clicked.connect(self.acknowledge)
        self.ask_acknowledgement: Callable[[], str | None] = self._ask_acknowledgement
        row = QHBoxLayout(self.blocked)
        row.addWidget(self.blocked_text, 1)
        row.addWidget(self.acknowledge_button)
        self.blocked.setVisible(bool(ctx.session.blocked))
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.banner)
        outer.addWidget(self.blocked)
        layout = QHBoxLayout()
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(body)
        user = ctx.session.user
        who = _("{name} · {role}").format(name=user.display_name, role=_(ROLE_WORDS[user.role]))
        self.statusBar().addWidget(QLabel(who))
        self.statusBar().addPermanentWidget(QLabel(ctx.session.store().name))

        self.cohort.open_case.connect(self.open_case)
        self.consoles: dict[int, ChairConsole] = {}
        self.case_view.back.connect(self.back_to_cohort)
        QShortcut(QKeySequence("Ctrl+L"), self, lambda: self.lock_requested.emit("lock now (Ctrl+L)"))
        self.locked = False
        self.nav.setCurrentRow(0)

    def acknowledge(self) -> None:
        reason = self.ask_acknowledgement()
        if not reason:
            return
        if attempt(lambda: self.ctx.session.acknowledge(reason), self.blocked_text) is None:
            return
        self.blocked.hide()

    def _ask_acknowledgement(self) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            _("Acknowledge the failed check"),
            _("The guards and any changed user record are put back as the app last recorded them; the\n"
              "rest (a shortened log, an earlier copy) is accepted as it is now.\n"
              "Why? (recorded in the audit log)"),
        )  # fmt: skip
        return text if ok and text.strip() else None

    def _meetings_screen(self) -> MeetingsScreen:
        screen = MeetingsScreen(self.ctx)
        screen.open_console.connect(self.open_console)
        return screen

    def place(self) -> dict[str, object]:
        """Where the person is, so unlocking returns them there."""
        case = self.case_view.case if self.stack.currentWidget() is self.case_view else None
        return {
            "screen": NAV[max(0, self.nav.currentRow())],
            "case": case.nominal.id if case else None,
            "consoles": list(self.consoles),
            # Each console's agenda item, so the chair comes back to the person being discussed.
            "items": {str(mid): c.current.id for mid, c in self.consoles.items() if c.current is not None},
            # And each projector as it was: shown or not, curtained or not.
            "projectors": {
                str(mid): {"shown": c.projector.isVisible(), "curtained": c.projector.curtained}
                for mid, c in self.consoles.items()
            },
        }

    def restore(self, place: dict[str, object]) -> None:
        self.show_screen(str(place.get("screen", "Cohort")))
        case = place.get("case")
        if isinstance(case, int):
            self.open_case(case)
        items = place.get("items") or {}
        for meeting_id in place.get("consoles", []) or []:  # type: ignore[attr-defined]
            console = self.open_console(int(meeting_id))
            item_id = items.get(str(meeting_id)) if isinstance(items, dict) else None
            index = next((i for i, it in enumerate(console.items) if it.id == item_id), None)
            if index is not None:
                console.go_to(index)
            projectors = place.get("projectors") or {}
            shown = projectors.get(str(meeting_id), {}) if isinstance(projectors, dict) else {}
            if shown.get("shown"):  # back as it was (the room's view recorded again before it shows)
                console.toggle_projector()
                if shown.get("curtained"):
                    console.toggle_curtain()

    def shut_for_lock(self) -> None:
        """Blank every projector at once, save drafts and notes, then close windows (not the store)."""
        self.locked = True
        for console in self.consoles.values():
            console.projector.set_curtain(True)
        self.case_view.scoring.widget.flush()
        for console in list(self.consoles.values()):
            console.close()  # saves notes and scoring, closes its projector
        self.close()

    def show_screen(self, name: str) -> None:
        self.nav.setCurrentRow(NAV.index(name))

    def open_case(self, nominal_id: int) -> None:
        said = Said(lambda text: self.banner.setText(_("The case was not opened: {why}").format(why=text)))
        if attempt(lambda: self.case_view.show_case(nominal_id), said) is None:
            self.banner.show()  # e.g. the consultation cannot be recorded: the case stays shut
            return
        self.stack.setCurrentWidget(self.case_view)
        self.case_view.tabs.setFocus()

    def open_console(self, meeting_id: int) -> ChairConsole:
        """The chair console runs in its own window (the laptop screen); the projector in another."""
        console = self.consoles.get(meeting_id)
        if console is None:
            console = ChairConsole(self.ctx, meeting_id)
            console.closed.connect(lambda: self.consoles.pop(meeting_id, None))
            console.lock_requested.connect(self.lock_requested.emit)
            self.consoles[meeting_id] = console
        console.resize(1366, 768)
        console.show()
        console.raise_()
        return console

    def back_to_cohort(self) -> None:
        self.case_view.clear()
        self.stack.setCurrentWidget(self.cohort)
        self.cohort.table.setFocus()

    def _show_row(self, row: int) -> None:
        if row >= 0:
            if self.stack.currentWidget() is self.case_view:
                self.case_view.clear()
            self.stack.setCurrentWidget(self.screens[NAV[row]])

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        for console in list(self.consoles.values()):
            console.close()
        if not self.locked:  # when locking, the controller records the lock and closes the store
            self.ctx.session.close()
        super().closeEvent(event)
