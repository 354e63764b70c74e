"""List screens built on one ListScreen: the open actions (closed here with an outcome)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ppo_desktop.domain import CLOSING_WORDS, Action, ActionState
from ppo_desktop.i18n import _
from ui.context import AppContext
from ui.flow_layout import flowing
from ui.refresh import RefreshWhenShown
from ui.table_model import Column, ObjectRole, fmt_date
from ui.widgets import read_only_table, shrinkable, title_label, wrapping


class ListScreen(RefreshWhenShown, QWidget):
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
        self.watch(ctx, tables)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self._load())


def actions_screen(ctx: AppContext) -> ListScreen:
    today = ctx.session.today()
    names = {r.nominal.id: r.nominal.display_name for r in ctx.services.cases.cohort()}
    columns: list[Column[Action]] = [
        Column(
            _("Due"),
            lambda a: fmt_date(a.due_on) + ("  " + _("OVERDUE") if a.overdue_on(today) else ""),
            lambda a: a.due_on.isoformat() if a.due_on else "9999",
        ),
        Column(_("Name"), lambda a: names.get(a.nominal_id, "")),
        Column(_("Pathway"), lambda a: _(a.pathway.label)),
        Column(_("Action"), lambda a: a.description),
        Column(_("Agency"), lambda a: a.agency),
        Column(_("Owner"), lambda a: a.owner),
    ]
    screen = ListScreen(
        ctx,
        _("Open actions"),
        columns,
        ctx.services.actions.open_actions,
        {"actions"},
        _(
            "Every open action across the cohort, soonest due first; overdue ones say so. "
            "An action stays on the next agenda until it is closed with an outcome."
        ),
    )
    outcome_state = QComboBox()
    for state, words in CLOSING_WORDS.items():
        outcome_state.addItem(_(words), state.value)
    outcome_state.setAccessibleName(_("Outcome"))
    outcome_text = QLineEdit(placeholderText=_("What happened"))
    outcome_text.setAccessibleName(_("What happened"))
    close_button = QPushButton(_("&Close with outcome"))
    error = QLabel()
    error.setObjectName("error")

    def close_selected() -> None:
        index = screen.view.currentIndex()
        action = index.data(ObjectRole) if index.isValid() else None
        if action is None:
            error.setText(_("Choose an action first."))
            return
        state = ActionState(outcome_state.currentData())
        outcome = outcome_text.text().strip() or CLOSING_WORDS[state]
        if (
            ctx.perform(lambda: ctx.services.actions.close(action.id, state, outcome=outcome), error)
            is not None
        ):
            outcome_text.clear()

    close_button.clicked.connect(close_selected)

    def edit_selected() -> None:
        from ui.action_dialog import ActionDialog

        index = screen.view.currentIndex()
        action = index.data(ObjectRole) if index.isValid() else None
        if action is None:
            error.setText(_("Choose an action first."))
            return
        ActionDialog(ctx, nominal_id=action.nominal_id, action=action, parent=screen).exec()

    edit_button = QPushButton(_("&Edit or reassign…"))
    edit_button.clicked.connect(edit_selected)

    def new_action() -> None:
        from ui.action_dialog import ActionDialog

        screen.new_action_dialog = ActionDialog(ctx, parent=screen)  # type: ignore[attr-defined]
        screen.new_action_dialog.exec()  # type: ignore[attr-defined]

    new_button = QPushButton(_("&New action…"))
    new_button.clicked.connect(new_action)
    shrinkable(outcome_state, 16)
    chosen = QLabel(_("Selected action:"))
    chosen.setMinimumHeight(new_button.sizeHint().height())  # level with the buttons in the wrapping row
    row = flowing(new_button, chosen, edit_button, outcome_state, outcome_text, close_button, align_left=True)
    screen.layout_.addWidget(row)
    screen.layout_.addWidget(wrapping(error))
    screen.outcome_state, screen.outcome_text, screen.close_button = outcome_state, outcome_text, close_button  # type: ignore[attr-defined]
    screen.new_button = new_button  # type: ignore[attr-defined]
    return screen
