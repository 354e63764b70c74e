"""Adding, editing or reassigning an action between meetings (the coordinator, from the case or from
the Actions list): a refusal is shown inside the dialog and nothing typed is lost."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from ppo_desktop.domain import Action, Pathway
from ppo_desktop.i18n import _
from ui.context import AppContext
from ui.date_field import DateField
from ui.dialog import Dialog
from ui.widgets import add_rows


class ActionDialog(Dialog):
    def __init__(
        self,
        ctx: AppContext,
        *,
        nominal_id: int | None = None,
        action: Action | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``nominal_id`` None: a new action from the Actions list, for a person chosen here."""
        super().__init__(parent)
        self.ctx, self.nominal_id, self.action = ctx, nominal_id, action
        self.person = QComboBox()
        self.person.setEditable(True)  # type a few letters of the name to find them
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if nominal_id is None:
            for row in ctx.services.cases.cohort(include_former=False):
                self.person.addItem(f"{row.nominal.display_name} ({row.nominal.ref})", row.nominal.id)
            self.person.setCurrentIndex(-1)
        self.setWindowTitle(_("Edit or reassign the action") if action else _("New action"))
        self.pathway = QComboBox()
        for p in Pathway:
            self.pathway.addItem(_(p.label), p.value)
        self.description, self.agency, self.owner = QLineEdit(), QLineEdit(), QLineEdit()
        self.due = DateField(_("Due"))
        if action is not None:
            self.pathway.setCurrentIndex(self.pathway.findData(action.pathway.value))
            self.description.setText(action.description)
            self.agency.setText(action.agency)
            self.owner.setText(action.owner)
            self.due.set_date(action.due_on)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        if nominal_id is None:
            add_rows(form, ((_("Pe&rson:"), self.person),))
        add_rows(
            form,
            (
                (_("&Pathway:"), self.pathway),
                (_("&Action:"), self.description),
                (_("A&gency:"), self.agency),
                (_("&Owner:"), self.owner),
                (_("&Due:"), self.due),
            ),
        )
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Save action"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _chosen_person(self) -> int | None:
        index = self.person.findText(self.person.currentText())
        data = self.person.itemData(index) if index >= 0 else None
        return int(data) if data is not None else None

    def save(self) -> None:
        """Saved and closed, or the reason shown and the dialog left open with what was typed."""
        try:
            due = self.due.date()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        fields: dict[str, Any] = {
            "pathway": Pathway(self.pathway.currentData()),
            "description": self.description.text(),
            "agency": self.agency.text(),
            "owner": self.owner.text(),
            "due_on": due,
        }
        action = self.action
        nominal_id = self.nominal_id if self.nominal_id is not None else self._chosen_person()
        if nominal_id is None:
            self.error.setText(_("Choose the person the action is for (type a few letters of the name)."))
            return
        if action is None:
            made = self.ctx.perform(lambda: self.ctx.services.actions.add(nominal_id, **fields), self.error)
        else:
            made = self.ctx.perform(lambda: self.ctx.services.actions.update(action.id, **fields), self.error)
        if made is not None:
            self.accept()
