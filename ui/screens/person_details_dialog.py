"""Correct a person's details (a new address, a PNC id found, a name misspelt on the nomination):
each field as recorded now, the reason recorded with what changed (the audit keeps before and after)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from ppo_desktop.domain import Nominal
from ppo_desktop.i18n import _
from ui.context import AppContext
from ui.date_field import DateField
from ui.dialog import Dialog
from ui.widgets import add_rows


class PersonDetailsDialog(Dialog):
    def __init__(self, ctx: AppContext, nominal: Nominal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.nominal = ctx, nominal
        self.setWindowTitle(_("Details of {ref}").format(ref=nominal.ref))
        self.setMinimumWidth(560)  # an address and the reason read whole
        self.family, self.given = QLineEdit(nominal.family_name), QLineEdit(nominal.given_names)
        self.aliases = QLineEdit(", ".join(nominal.aliases))
        self.aliases.setPlaceholderText(_("other names, separated by commas"))
        self.dob = DateField(_("Date of birth"))
        self.dob.set_date(nominal.dob)
        self.gender, self.ethnicity = QLineEdit(nominal.gender), QLineEdit(nominal.ethnicity)
        self.address, self.area = QLineEdit(nominal.address), QLineEdit(nominal.area)
        self.pnc, self.cro = QLineEdit(nominal.pnc_id), QLineEdit(nominal.cro)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("e.g. new address from probation, 3 Dec"))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        add_rows(
            form,
            (
                (_("&Family name:"), self.family),
                (_("&Given names:"), self.given),
                (_("A&liases:"), self.aliases),
                (_("Date of &birth:"), self.dob),
                (_("G&ender:"), self.gender),
                (_("E&thnicity:"), self.ethnicity),
                (_("Add&ress:"), self.address),
                (_("&Area:"), self.area),
                (_("&PNC id:"), self.pnc),
                (_("&CRO number:"), self.cro),
                (_("&Why (recorded):"), self.reason),
            ),
        )
        form.addRow(self.error)
        ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok | cancel)
        buttons.button(ok).setText(_("&Save the changes"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def changes(self) -> dict[str, object]:
        """What the form says now, field by field (ValueError in words for a date that is not one)."""
        return {
            "family_name": self.family.text().strip(),
            "given_names": self.given.text().strip(),
            "aliases": tuple(a.strip() for a in self.aliases.text().split(",") if a.strip()),
            "dob": self.dob.date(),
            "gender": self.gender.text().strip(),
            "ethnicity": self.ethnicity.text().strip(),
            "address": self.address.text().strip(),
            "area": self.area.text().strip(),
            "pnc_id": self.pnc.text().strip(),
            "cro": self.cro.text().strip(),
        }

    def save(self) -> None:
        try:
            changes = self.changes()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        if not self.reason.text().strip():
            self.error.setText(_("Say why the details change (it is recorded in the audit log with them)."))
            self.reason.setFocus()
            return
        reason, nid = self.reason.text().strip(), self.nominal.id
        made = self.ctx.perform(
            lambda: self.ctx.services.cases.update_nominal(nid, justification=reason, **changes), self.error
        )
        if made is not None:
            self.accept()
