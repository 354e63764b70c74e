"""The details a decision needs (strand and basis, coded reason and authority, release date, and
the outcomes recorded as someone leaves the scheme)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import Basis, DecisionKind, Membership, Nomination, RemovalOutcome, Status, Strand
from ppo_desktop.i18n import N_, _
from ppo_desktop.rules.decisions import PLACING, decision_defaults
from ppo_desktop.rules.profiles import SchemeProfile
from ui.date_field import DateField
from ui.dialog import Dialog

AUTHORITY_EXAMPLE = N_("e.g. DI Chair, with the agreement of the agencies present")


class DecisionDialog(Dialog):
    def __init__(
        self,
        kind: DecisionKind,
        profile: SchemeProfile,
        current: Membership | None,
        day: dt.date,
        parent: QWidget | None = None,
        *,
        nomination: Nomination | None = None,
        submit: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        """``nomination``: what the app knows (selecting starts from its strand and basis);
        ``submit``: records the decision and returns why it was refused, if it was — the dialog then
        stays open with everything typed and the reason shown inside it."""
        super().__init__(parent)
        self.kind = kind
        self.submit = submit
        self.setWindowTitle(kind.label)
        form = self.form = QFormLayout(self)
        needs = kind.needs
        defaults = decision_defaults(kind, current, day, nomination, profile.placed_by, profile.strands)
        self.strand = QComboBox()
        for s in defaults.strands:
            self.strand.addItem(profile.strand_name(s), s.value)
        self.basis = QComboBox()
        for b in Basis:
            self.basis.addItem(_(b.value), b.value)
        self.status = QComboBox()
        self.status.addItem(
            _("(unchanged)") if current else _(Status.OFFENDING_NOT_CJS.label),
            None if current else Status.OFFENDING_NOT_CJS.value,
        )
        for st in profile.statuses:
            self.status.addItem(_(st.label), st.value)
        self.reason = QComboBox()
        for r in profile.removal_reasons:
            self.reason.addItem(r.label, r.code.value)
        self.release = DateField(_("Expected release"), required=True)
        self.release.set_date(defaults.release_on)
        self.outcomes = {o: QCheckBox(o.label) for o in RemovalOutcome}
        outcome_box = QWidget()
        outcome_grid = QGridLayout(outcome_box)
        outcome_grid.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self.outcomes.values()):
            outcome_grid.addWidget(box, i // 3, i % 3)
        outcome_box.setAccessibleName(_("Outcomes on leaving"))
        outcome_box.setFocusProxy(next(iter(self.outcomes.values())))
        # Moving onto a strand whose profile lists move criteria (Thurrock R&R, 000 §5.3): a checklist.
        self.move_criteria: dict[str, QCheckBox] = {}
        self.criteria_box = QWidget()
        criteria_layout = QVBoxLayout(self.criteria_box)
        criteria_layout.setContentsMargins(0, 0, 0, 0)
        # In the order the seed lists them.
        for text in dict.fromkeys(c for listed in profile.move_criteria.values() for c in listed):
            box = QCheckBox(text)
            self.move_criteria[text] = box
            criteria_layout.addWidget(box)
        self.criteria_box.setAccessibleName(_("Move criteria met (000 §5.3)"))
        self.risk = QLineEdit()
        self.risk.setPlaceholderText(_("needed for someone in custody (002 item 3): who assessed, and when"))
        self._profile = profile
        self.strand.currentIndexChanged.connect(lambda _i: self._show_move_criteria())
        self.authority = QLineEdit(defaults.authority)
        self.authority.setPlaceholderText(_(AUTHORITY_EXAMPLE))
        if kind in PLACING:  # where the scheme names who places people on a list (Staffordshire ¶21, ¶27)
            self.strand.currentIndexChanged.connect(lambda _i: self._show_placed_by())
        self.note = QLineEdit()
        self.dissent = QLineEdit()
        self.dissent.setPlaceholderText(_("an agency that disagrees: 'Probation: would keep him on'"))
        rows: list[tuple[str, QWidget]] = [
            (_("&Strand:"), self.strand),
            (_("&Basis:"), self.basis),
            (_("S&tatus:"), self.status),
            (_("R&eason:"), self.reason),
            (_("&Expected release:"), self.release),
            (_("Out&comes on leaving:"), outcome_box),
            (_("Move &criteria met:"), self.criteria_box),
            (_("R&isk assessed by:"), self.risk),
        ]
        keys = ("strand", "basis", "status", "reason", "release", "outcomes", "move_criteria",
                "risk_assessment")  # fmt: skip
        for key, (label, widget) in zip(keys, rows, strict=True):
            if key in needs:
                caption = QLabel(label)
                caption.setBuddy(widget)
                form.addRow(caption, widget)
        rows_after = [(_("&Authority:"), self.authority), (_("&Note:"), self.note)]
        if kind is not DecisionKind.DEFER:
            rows_after.append((_("Dissent (a&gency: view):"), self.dissent))
        self.placed_hint = QLabel()
        self.placed_hint.setObjectName("hint")
        self.placed_hint.setWordWrap(True)
        for label, widget in rows_after:
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
            if widget is self.authority:
                form.addRow("", self.placed_hint)
        self._show_move_criteria()
        self.form.setRowVisible(self.placed_hint, False)
        self._show_placed_by()
        if defaults.strand is not None:
            self.strand.setCurrentIndex(self.strand.findData(defaults.strand.value))
        if defaults.basis is not None:
            self.basis.setCurrentIndex(self.basis.findData(defaults.basis.value))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Record decision"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        try:
            values = self.values()
        except ValueError as exc:  # a date that is not a date: said here, nothing lost
            self.error.setText(str(exc))
            return
        if self.submit is not None:
            refused = self.submit(values)
            if refused:
                self.error.setText(refused)  # nothing typed is lost: the dialog stays as it was
                return
        super().accept()

    def _show_placed_by(self) -> None:
        """Where the scheme names who places people on the chosen strand's list, the Authority box
        says so (and must be filled: the service refuses "Panel agreement" for it)."""
        if self.kind not in PLACING or not self.strand.count():
            return
        who = self._profile.placed_by.get(Strand(self.strand.currentData()))
        self.authority.setPlaceholderText(_("who placed them on the list") if who else _(AUTHORITY_EXAMPLE))
        self.placed_hint.setText(
            _("On this scheme {who} places a person on this list.").format(who=who) if who else ""
        )
        self.form.setRowVisible(self.placed_hint, bool(who))

    def _show_move_criteria(self) -> None:
        """Only the chosen strand's own criteria are offered (none: the checklist row is hidden)."""
        if "move_criteria" not in self.kind.needs or not self.strand.count():
            return
        listed = self._profile.move_criteria.get(Strand(self.strand.currentData()), ())
        for text, box in self.move_criteria.items():
            box.setVisible(text in listed)
            if text not in listed:
                box.setChecked(False)
        self.form.setRowVisible(self.criteria_box, bool(listed))

    def values(self) -> dict[str, Any]:
        needs = self.kind.needs
        out: dict[str, Any] = {"authority": self.authority.text(), "note": self.note.text()}
        if "strand" in needs:
            out["strand"] = Strand(self.strand.currentData())
        if "basis" in needs:
            out["basis"] = Basis(self.basis.currentData())
        if "status" in needs and self.status.currentData():
            out["status"] = Status(self.status.currentData())
        if "reason" in needs:
            out["reason_code"] = self.reason.currentData()
        if "release" in needs:
            out["release_on"] = self.release.date()
        if "outcomes" in needs:
            out["outcomes"] = tuple(o for o, box in self.outcomes.items() if box.isChecked())
        if "move_criteria" in needs:
            out["move_criteria"] = tuple(t for t, box in self.move_criteria.items() if box.isChecked())
        if "risk_assessment" in needs:
            out["risk_assessment"] = self.risk.text()
        dissent = tuple(
            (agency.strip(), view.strip())
            for agency, _colon, view in (part.partition(":") for part in self.dissent.text().split(";"))
            if agency.strip() or view.strip()
        )
        if dissent:
            out["dissent"] = dissent
        return out
