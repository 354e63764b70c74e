"""Record a new person and their nomination (any agency may nominate: who, when and why)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ppo_desktop.domain import Basis, Strand
from ppo_desktop.i18n import _
from ppo_desktop.services.cases import NominalDraft
from ui.context import AppContext
from ui.date_field import DateField
from ui.dialog import Dialog
from ui.widgets import add_rows


class NominationDialog(Dialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nominal_id: int | None = None
        self.setWindowTitle(_("New nomination"))
        self.family, self.given, self.area = QLineEdit(), QLineEdit(), QLineEdit()
        self.dob = DateField(_("Date of birth"))  # no made-up default: blank until someone types it
        self.pnc, self.agency, self.nominator, self.reason = (
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
        )
        self.strand = QComboBox()
        profile = ctx.session.profile()
        for s in profile.strands:
            self.strand.addItem(profile.strand_name(s), s.value)
        self.strand.setCurrentIndex(max(0, self.strand.findData(Strand.CATCH_CONVICT.value)))
        self.basis = QComboBox()
        for b in Basis:
            self.basis.addItem(b.value, b.value)
        self.error = QLabel()
        self.error.setObjectName("error")
        form = QFormLayout(self)
        add_rows(
            form,
            (
                (_("&Family name:"), self.family),
                (_("&Given names:"), self.given),
                (_("Date of &birth:"), self.dob),
                (_("&Area:"), self.area),
                (_("&PNC id:"), self.pnc),
                (_("Nominating agen&cy:"), self.agency),
                (_("&Nominated by:"), self.nominator),
                (_("&Strand:"), self.strand),
                (_("Bas&is:"), self.basis),
                (_("&Why:"), self.reason),
            ),
        )
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Record nomination"))
        buttons.accepted.connect(self.record)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def record(self) -> None:
        """One person and one nomination; if the nomination is refused, nothing is recorded."""
        try:
            dob = self.dob.date()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        draft = NominalDraft(
            self.family.text(),
            self.given.text(),
            dob=dob,
            area=self.area.text(),
            pnc_id=self.pnc.text(),
        )
        made = self.ctx.perform(
            lambda: self.ctx.services.nominations.nominate_new_person(
                draft,
                agency=self.agency.text(),
                nominator=self.nominator.text(),
                strand=Strand(self.strand.currentData()),
                basis=Basis(self.basis.currentData()),
                reason=self.reason.text(),
            ),
            self.error,
        )
        if made is not None:
            self.nominal_id = made.record.id
            self.accept()
