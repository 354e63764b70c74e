"""The console's decisions: a button per kind (Alt+1…7), undo and redo (Ctrl+Shift+U, Ctrl+Shift+R),
what has been decided on this item; each decision's details asked in a dialog that starts from what
the app knows and records the decision itself (a refusal is shown inside it, with everything typed
kept)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ppo_desktop.domain import DecisionKind
from ppo_desktop.i18n import _
from ui.context import AppContext
from ui.meeting.decision_dialog import DecisionDialog
from ui.meeting.presenter import MeetingPresenter

DecisionForm = Callable[[DecisionKind], "dict[str, Any] | None"]


class DecisionBox(QGroupBox):
    def __init__(self, ctx: AppContext, presenter: MeetingPresenter, error: QLabel, window: QWidget) -> None:
        super().__init__(_("Decision"))
        self.ctx, self.presenter, self.error, self.window_ = ctx, presenter, error, window
        self.form: DecisionForm = self.ask  # tests put their own answers here
        self.open_dialog: DecisionDialog | None = None  # the decision dialog on screen (tests drive it)
        self.taken: dict[int, tuple[DecisionKind, dict[str, Any]]] = {}  # decision id → what made it
        self.undone: tuple[int, DecisionKind, dict[str, Any]] | None = None  # (item, kind, values): redo
        layout = QVBoxLayout(self)
        self.buttons: dict[DecisionKind, QPushButton] = {}
        for n, kind in enumerate(DecisionKind, start=1):
            button = QPushButton(f"&{n}  {_(kind.label)}")
            button.setToolTip(_("Alt+{n}").format(n=n))
            button.clicked.connect(lambda _c=False, k=kind: self.decide(k))
            self.buttons[kind] = button
            layout.addWidget(button)
        self.undo_button = QPushButton(_("Undo last decision  (Ctrl+Shift+U)"))
        self.undo_button.clicked.connect(self.undo_last)
        layout.addWidget(self.undo_button)
        self.redo_button = QPushButton(_("Redo it  (Ctrl+Shift+R)"))
        self.redo_button.clicked.connect(self.redo_last)
        self.redo_button.hide()
        layout.addWidget(self.redo_button)
        self.decided = QLabel()
        self.decided.setWordWrap(True)
        layout.addWidget(self.decided)

    def show_item(self) -> None:
        self.decided.setText("\n".join(self.presenter.decided_lines()))
        item = self.presenter.current
        here = self.undone is not None and item is not None and self.undone[0] == item.id
        self.redo_button.setVisible(here)
        for button in self.buttons.values():
            button.setEnabled(self.presenter.can_decide)

    def decide(self, kind: DecisionKind) -> None:
        item = self.presenter.current
        if item is None or item.nominal_id is None:
            return
        values = self.form(kind)
        if values is None:
            return
        self._take(kind, values, self.error)

    def _take(self, kind: DecisionKind, values: dict[str, Any], error: Any) -> bool:
        """Record the decision; remember what made it (so an undo can be redone)."""
        made = self.ctx.perform(lambda: self.presenter.decide(kind, values), error)
        if made is None:
            return False
        taken = self.presenter.taken()
        if taken:
            self.taken[taken[-1].id] = (kind, dict(values))
        self._forget_undone()
        return True

    def undo_last(self) -> None:
        """Undo the item's last decision and say what was undone, offering to take it again."""
        item, taken = self.presenter.current, self.presenter.taken()
        if item is None or not taken:
            self.error.setText(_("There is no decision on this item to undo."))
            return
        last = taken[-1]
        if self.ctx.perform(self.presenter.undo_last, self.error) is None:
            return
        kind = DecisionKind(last.kind)
        remembered = self.taken.get(last.id, (kind, {}))
        self.undone = (item.id, *remembered)
        self.error.setText(_("Undone: {label}. Ctrl+Shift+R takes it again.").format(label=_(kind.label)))
        self.redo_button.setText(_("Redo: {label}  (Ctrl+Shift+R)").format(label=_(kind.label)))
        self.redo_button.show()

    def redo_last(self) -> None:
        """Take again the decision just undone on this item (the same details)."""
        item = self.presenter.current
        if self.undone is None or item is None or self.undone[0] != item.id:
            self.error.setText(_("There is nothing undone on this item to take again."))
            return
        _item, kind, values = self.undone
        if self._take(kind, values, self.error):
            self.error.setText(_("Taken again: {label}.").format(label=_(kind.label)))

    def _forget_undone(self) -> None:
        self.undone = None
        self.redo_button.hide()

    def ask(self, kind: DecisionKind) -> dict[str, Any] | None:
        """The decision's details in a dialog that records the decision itself. Returns None: the
        decision is taken, or the chair cancelled (a deferral needs no details: {})."""
        if kind is DecisionKind.DEFER:
            return {}
        if self.presenter.current is None:
            return None
        context = self.presenter.decision_context()
        dialog = DecisionDialog(
            kind,
            self.ctx.session.profile(),
            context["current"],
            self.presenter.meeting.held_on,
            self.window_,
            nomination=context["nomination"],
            submit=lambda values: self.try_decide(kind, values),
        )
        self.open_dialog = dialog
        dialog.exec()
        self.window_.activateWindow()  # the keyboard comes back to the console, where the chair left it
        return None

    def try_decide(self, kind: DecisionKind, values: dict[str, Any]) -> str | None:
        """The decision dialog's submit: None when recorded, else why it was refused."""
        refused: list[str] = []
        self._take(kind, values, _Refusal(refused, self.error))
        return refused[0] if refused else None


class _Refusal:
    """A message area for the decision dialog: the refusal is kept for the dialog to show inside it;
    success clears the console's own error line."""

    def __init__(self, refused: list[str], console_error: QLabel) -> None:
        self.refused, self.console_error = refused, console_error

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self.refused.append(text)

    def clear(self) -> None:
        self.console_error.clear()
