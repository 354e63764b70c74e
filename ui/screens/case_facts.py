"""The case's custody and facts tab: latest arrest and intelligence, custodial sentences as given,
and the facts the scheme's inclusion criteria read (each with the day it was recorded)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import CaseFile, Sentence
from ppo_desktop.i18n import N_, _
from ppo_desktop.rules.facts import FactSpec, case_fact_specs, lapsed, lapsing
from ppo_desktop.rules.history import PersonState
from ppo_desktop.services.risk_scores import tools
from ui.context import AppContext
from ui.date_field import DateField
from ui.table_model import Column, fmt_date
from ui.widgets import read_only_table

SENTENCE_COLUMNS: list[Column[Sentence]] = [
    Column(N_("Start"), lambda s: fmt_date(s.starts_on), lambda s: s.starts_on.isoformat()),
    Column(N_("Length"), lambda s: s.length_text),
    Column(N_("Expected release"), lambda s: fmt_date(s.release_on)),
    Column(N_("Recorded"), lambda s: fmt_date(s.recorded_on)),
]
NOT_KNOWN = N_("not known")


def date_edit(day: dt.date, name: str) -> DateField:
    edit = DateField(name, required=True)
    edit.set_date(day)
    return edit


class CustodyFactsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: CaseFile | None = None
        today = ctx.session.today()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)

        activity = QGroupBox(_("Latest arrest and intelligence (the person's, whatever the strand)"))
        self.activity_text = QLabel()
        self.arrest = date_edit(today, _("Latest arrest"))
        self.intelligence = date_edit(today, _("Latest intelligence report"))
        record_arrest = QPushButton(_("Record &arrest"))
        record_arrest.clicked.connect(lambda: self._record_activity(arrest=True))
        record_intel = QPushButton(_("Record &intelligence"))
        record_intel.clicked.connect(lambda: self._record_activity(arrest=False))
        row = QHBoxLayout(activity)
        row.addWidget(self.activity_text, 1)
        for widget in (self.arrest, record_arrest, self.intelligence, record_intel):
            row.addWidget(widget)

        custody = QGroupBox(_("Custodial sentences (the length given decides the rules)"))
        self.sentences_view, self.sentences = read_only_table(
            SENTENCE_COLUMNS, _("Custodial sentences"), self, newest_first=True
        )
        self.starts = date_edit(today, _("Sentence start"))
        self.years, self.months, self.days = QSpinBox(), QSpinBox(), QSpinBox()
        limits = ((self.years, 99, "years"), (self.months, 11, "months"), (self.days, 366, "days"))
        for box, top, name in limits:
            box.setRange(0, top)
            box.setSuffix(f" {name}")
            box.setAccessibleName(_("Sentence length: {name}").format(name=name))
        self.release = date_edit(today + dt.timedelta(days=365), _("Expected release"))
        self.hospital = QCheckBox(_("Secure &hospital"))
        record = QPushButton(_("Record sentenc&e"))
        record.clicked.connect(self._record_sentence)
        form = QFormLayout()
        for label, widget in ((_("Star&ts:"), self.starts), (_("Expected &release:"), self.release)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        length = QHBoxLayout()
        for box in (self.years, self.months, self.days):
            length.addWidget(box)
        caption = QLabel(_("&Length:"))
        caption.setBuddy(self.years)
        form.addRow(caption, length)
        form.addRow(self.hospital, record)
        box_layout = QHBoxLayout(custody)
        box_layout.addWidget(self.sentences_view, 1)
        box_layout.addLayout(form)

        risk = QGroupBox(
            _("Risk scores from probation (recorded as the assessment gives them, never computed)")
        )
        self.risk_text = QLabel()
        self.risk_text.setWordWrap(True)
        self.risk_tool = QComboBox()
        self.risk_tool.setAccessibleName(_("Risk score"))
        for key, tool in tools().items():
            self.risk_tool.addItem(key, key)
            self.risk_tool.setItemData(self.risk_tool.count() - 1, tool.title, Qt.ItemDataRole.ToolTipRole)
        self.risk_value = QLineEdit()
        self.risk_value.setPlaceholderText(_("% (or leave empty)"))
        self.risk_value.setAccessibleName(_("Risk score value, per cent"))
        self.risk_band = QComboBox()
        self.risk_band.setAccessibleName(_("Risk band"))
        self.risk_tool.currentIndexChanged.connect(self._fill_bands)
        self._fill_bands()
        self.risk_on = date_edit(today, _("Assessed on"))
        self.risk_source = QLineEdit()
        self.risk_source.setPlaceholderText(_("Which assessment, e.g. OASys review"))
        self.risk_source.setAccessibleName(_("Risk score source"))
        record_risk = QPushButton(_("Record risk score"))
        record_risk.clicked.connect(self._record_risk)
        risk_row = QHBoxLayout()
        risk_widgets: list[QWidget] = [self.risk_tool, self.risk_value, self.risk_band, self.risk_on]
        for part in (*risk_widgets, self.risk_source, record_risk):
            risk_row.addWidget(part)
        risk_layout = QVBoxLayout(risk)
        risk_layout.addWidget(self.risk_text)
        risk_layout.addLayout(risk_row)

        self.facts_box = QGroupBox(_("Facts the inclusion criteria read"))
        self.facts_form = QFormLayout(self.facts_box)
        self.fact_inputs: dict[str, QComboBox | QSpinBox] = {}
        self.fact_notes: dict[str, QLabel] = {}
        self._built_for = ""

        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addWidget(activity)
        layout.addWidget(custody, 1)
        layout.addWidget(risk)
        layout.addWidget(self.facts_box)

    # -- showing ----------------------------------------------------------------------------------
    def show_case(self, case: CaseFile) -> None:
        self.case = case
        state = case.state or PersonState()
        self.activity_text.setText(
            _("Arrest: {arrest}; intelligence: {intelligence}").format(
                arrest=fmt_date(state.last_arrest_on) or _(NOT_KNOWN),
                intelligence=fmt_date(state.last_intelligence_on) or _(NOT_KNOWN),
            )
        )
        self.sentences.set_rows(case.sentences)
        self.risk_text.setText("; ".join(case.risk) or _("None recorded."))
        self._fill_facts(case)

    def _fill_facts(self, case: CaseFile) -> None:
        """The rows are built once per profile; later fills set values in place (a change made in one
        of these inputs refreshes the case while that input is still handling its signal)."""
        profile = self.ctx.session.profile()
        if self._built_for != profile.id:
            self._build_facts(case_fact_specs(profile))
            self._built_for = profile.id
        recorded = {f.fact: f for f in case.facts}
        lapses, today = lapsing(profile), self.ctx.session.today()
        for key, widget in self.fact_inputs.items():
            fact = recorded.get(key)
            widget.blockSignals(True)
            if isinstance(widget, QComboBox):
                value = fact.value if fact and isinstance(fact.value, bool) else None
                widget.setCurrentIndex(widget.findData(value) if value is not None else 0)
            else:
                widget.setValue(fact.value if fact and isinstance(fact.value, int) else -1)
            widget.blockSignals(False)
            note = (
                _("recorded {day} by {who}").format(day=fmt_date(fact.recorded_on), who=fact.recorded_by)
                if fact
                else _(NOT_KNOWN)
            )
            if fact and lapsed(fact, today, lapses):
                note = _(
                    "LAPSED — {note}; a {months}-month count: record it again (not known till then)"
                ).format(note=note, months=lapses[key])
            self.fact_notes[key].setText(note)

    def _build_facts(self, specs: list[FactSpec]) -> None:
        while self.facts_form.rowCount():
            self.facts_form.removeRow(0)
        self.fact_inputs.clear()
        self.fact_notes.clear()
        if not specs:
            self.facts_form.addRow(QLabel(_("This scheme profile's criteria read no case facts.")))
        for spec in specs:
            widget = self._fact_input(spec)
            caption = QLabel(_("{field}:").format(field=_(spec.label)))
            caption.setBuddy(widget)
            note = self.fact_notes[spec.key] = QLabel(_(NOT_KNOWN))
            note.setObjectName("hint")
            row = QHBoxLayout()
            row.addWidget(widget)
            row.addWidget(note, 1)
            self.facts_form.addRow(caption, row)

    def _fact_input(self, spec: FactSpec) -> QComboBox | QSpinBox:
        widget: QComboBox | QSpinBox
        if spec.kind is bool:
            combo = QComboBox()
            for text, data in ((_(NOT_KNOWN), None), (_("yes"), True), (_("no"), False)):
                combo.addItem(text, data)
            combo.currentIndexChanged.connect(
                lambda _i, k=spec.key, c=combo: self._record_fact(k, c.currentData())
            )
            widget = combo
        else:
            spin = QSpinBox()
            spin.setRange(-1, 999)
            spin.setSpecialValueText(_(NOT_KNOWN))  # -1: nobody has recorded it
            spin.setValue(-1)
            spin.editingFinished.connect(
                lambda k=spec.key, s=spin: self._record_fact(k, None if s.value() < 0 else s.value())
            )
            widget = spin
        widget.setAccessibleName(_(spec.label))
        self.fact_inputs[spec.key] = widget
        return widget

    # -- recording --------------------------------------------------------------------------------
    def _record_activity(self, *, arrest: bool) -> None:
        if self.case is None:
            return
        nid = self.case.nominal.id
        try:
            day = (self.arrest if arrest else self.intelligence).date()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        key = "arrest_on" if arrest else "intelligence_on"
        self.ctx.perform(lambda: self.ctx.services.memberships.record_activity(nid, **{key: day}), self.error)

    def _record_sentence(self) -> None:
        if self.case is None:
            return
        nid = self.case.nominal.id
        try:
            starts, release = self.starts.date(), self.release.date()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        assert starts is not None
        self.ctx.perform(
            lambda: self.ctx.services.custody.record_sentence(
                nid,
                starts_on=starts,
                months=self.years.value() * 12 + self.months.value(),
                days=self.days.value(),
                release_on=release,
                secure_hospital=self.hospital.isChecked(),
            ),
            self.error,
        )

    def _fill_bands(self) -> None:
        tool = tools()[self.risk_tool.currentData()]
        self.risk_band.clear()
        self.risk_band.addItem(_("band from the value"), "")
        for band, _low, _high in tool.bands:
            self.risk_band.addItem(band, band)

    def _record_risk(self) -> None:
        if self.case is None:
            return
        nid, text = self.case.nominal.id, self.risk_value.text().strip().rstrip("%")
        try:
            value = float(text) if text else None
            day = self.risk_on.date()
        except ValueError:
            self.error.setText(_("A risk score's value is a percentage, or left empty for a band alone."))
            return
        assert day is not None
        scores = self.ctx.services.risk_scores
        done = self.ctx.perform(
            lambda: scores.record(nid, self.risk_tool.currentData(), assessed_on=day, value=value,
                                  band=self.risk_band.currentData(), source=self.risk_source.text()),
            self.error,
        )  # fmt: skip
        if done is not None:
            self.risk_value.clear()

    def _record_fact(self, fact: str, value: bool | int | None) -> None:
        if self.case is not None:
            nid = self.case.nominal.id
            self.ctx.perform(lambda: self.ctx.services.custody.record_fact(nid, fact, value), self.error)
