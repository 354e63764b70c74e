"""The case view: one nominal's details, strand history, nominations, actions, decisions and audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import Action, AuditEntry, CaseFile, Decision, DecisionKind, Membership, Nomination
from ppo_desktop.i18n import N_, _
from ppo_desktop.rules.history import PersonState, TimelineEntry, timeline
from ppo_desktop.services import Changes
from ui.context import AppContext
from ui.flow_layout import flowing
from ui.scoring.panel import ScoringPanel
from ui.screens.case_facts import CustodyFactsPanel
from ui.table_model import Column, fmt_date
from ui.widgets import read_only_table, title_label

MEMBERSHIP_COLUMNS: list[Column[Membership]] = [
    Column(N_("Added"), lambda m: fmt_date(m.added_on), lambda m: m.added_on.isoformat()),
    Column(N_("Strand"), lambda m: _(m.strand.long_name) + ("" if m.is_lead else _(" (parallel)"))),
    Column(N_("Basis"), lambda m: _(m.basis.value)),
    Column(N_("Status"), lambda m: _(m.status.label)),
    Column(N_("Next review"), lambda m: fmt_date(m.next_review_on)),
    Column(
        N_("Custody / release"),
        lambda m: " → ".join(x for x in (fmt_date(m.custody_on), fmt_date(m.release_on)) if x),
    ),
    Column(N_("Removed"), lambda m: fmt_date(m.removed_on)),
    Column(
        N_("Why / authority"),
        lambda m: " — ".join(
            x
            for x in (
                (m.removal_reason.value if m.removal_reason else ""),
                m.removal_note,
                m.removal_authority,
            )
            if x
        ),
    ),
]
HISTORY_COLUMNS: list[Column[TimelineEntry]] = [
    Column(
        N_("Happened"),
        lambda t: fmt_date(t.event.on),
        lambda t: f"{t.event.on.isoformat()}|{t.event.recorded_at}|{t.event.key}",
    ),  # fmt: skip
    Column(N_("Event"), lambda t: t.what),
    Column(N_("Details"), lambda t: t.details),
    Column(
        N_("Recorded"),
        lambda t: _("{when} by {who}").format(
            when=t.event.recorded_at.replace("T", " ")[:16], who=t.event.recorded_by
        ),
    ),
    Column(N_("Counts?"), lambda t: t.standing or _("yes")),
]
NOMINATION_COLUMNS: list[Column[Nomination]] = [
    Column(N_("Date"), lambda n: fmt_date(n.nominated_on), lambda n: n.nominated_on.isoformat()),
    Column(N_("Agency"), lambda n: n.agency),
    Column(N_("Nominator"), lambda n: n.nominator),
    Column(N_("Strand"), lambda n: n.strand.value),
    Column(N_("Basis"), lambda n: _(n.basis.value)),
    Column(N_("State"), lambda n: _(n.state.value)),
    Column(N_("Reason"), lambda n: n.reason),
]
ACTION_COLUMNS: list[Column[Action]] = [
    Column(N_("Pathway"), lambda a: _(a.pathway.label)),
    Column(N_("Action"), lambda a: a.description),
    Column(N_("Agency"), lambda a: a.agency),
    Column(N_("Owner"), lambda a: a.owner),
    Column(N_("Due"), lambda a: fmt_date(a.due_on), lambda a: a.due_on.isoformat() if a.due_on else ""),
    Column(N_("State"), lambda a: _(a.state.value)),
    Column(N_("Outcome"), lambda a: a.outcome),
]
DECISION_COLUMNS: list[Column[Decision]] = [
    Column(N_("Date"), lambda d: fmt_date(d.decided_on), lambda d: d.decided_on.isoformat()),
    Column(N_("Decision"), lambda d: _(DecisionKind(d.kind).label)),
    Column(N_("Strand"), lambda d: d.strand.value if d.strand else ""),
    Column(N_("Reason"), lambda d: d.reason_code),
    Column(N_("Authority"), lambda d: d.authority),
    Column(N_("Note"), lambda d: d.note),
]
AUDIT_COLUMNS: list[Column[AuditEntry]] = [
    Column("#", lambda e: str(e.seq), lambda e: e.seq, True),
    Column(N_("When (UTC)"), lambda e: e.at.replace("T", " ")[:16]),
    Column(N_("Who"), lambda e: e.user_id),
    Column(N_("Kind"), lambda e: e.kind),
    Column(N_("What"), lambda e: e.summary),
    Column(N_("Why"), lambda e: e.justification),
]


def _time_on_scheme(case: CaseFile) -> str:
    """Since when the person has been on the scheme (any strand), and whether this is a re-selection."""
    h = case.state or PersonState()
    if h.amber is not None:
        return _(
            "On the amber list since {day} (out of the active cohort), release expected {release}"
        ).format(day=fmt_date(h.amber.placed_on), release=fmt_date(h.amber.release_on))
    if h.period is None:
        last = h.periods[-1] if h.periods else None
        return (
            _("Not on the scheme (left {day})").format(day=fmt_date(last.ended_on))
            if last
            else _("Never on the scheme")
        )
    text = _("since {day} (any strand)").format(day=fmt_date(h.period.started_on))
    before = h.reselection
    if before is not None:
        text += "; " + _("re-selected (before: {start} to {end})").format(
            start=fmt_date(before.started_on), end=fmt_date(before.ended_on)
        )
        if h.soon_reselected:
            text += _(" — FLAG: re-selected within 12 months of leaving")
    return text


class CaseView(QWidget):
    back = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: CaseFile | None = None
        self.heading = title_label("")
        self.back_button = QPushButton(_("← Back to cohort"))
        self.back_button.setToolTip(_("Back to the cohort list (Esc)"))
        self.back_button.clicked.connect(self.back.emit)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back.emit)

        # Two label/value pairs per row keeps the tabs visible on a 13" laptop screen.
        self.details = QGridLayout()
        self.details.setColumnStretch(1, 1)
        self.details.setColumnStretch(3, 1)
        self.fields: dict[str, QLabel] = {}
        keys = (
            N_("Ref"),
            N_("Current strand"),
            N_("Date of birth"),
            N_("Status"),
            N_("On the scheme"),
            N_("Latest activity"),
            N_("Gender"),
            N_("Aliases"),
            N_("Ethnicity"),
            N_("Area"),
            N_("PNC id"),
            N_("CRO"),
            N_("Address"),
        )
        for i, key in enumerate(keys):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            value.setAccessibleName(_(key))
            self.fields[key] = value
            caption = QLabel(_("{field}:").format(field=_(key)))
            caption.setObjectName("fieldCaption")
            self.details.addWidget(caption, i // 2, (i % 2) * 2)
            self.details.addWidget(value, i // 2, (i % 2) * 2 + 1)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("The case"))
        progress: dict[int, str] = {}  # each stint: the IOM score the day it began → it ended (or today)
        self._iom_progress = progress
        stint_columns = [*MEMBERSHIP_COLUMNS, Column(_("IOM score"),
                                                     lambda m: progress.get(m.id, ""))]  # fmt: skip
        self.memberships_view, self.memberships = read_only_table(
            stint_columns, _("Strand history"), self, newest_first=True
        )
        self.history_view, self.history = read_only_table(
            HISTORY_COLUMNS, _("History: what happened, in date order"), self, newest_first=True
        )
        self.nominations_view, self.nominations = read_only_table(
            NOMINATION_COLUMNS, _("Nominations"), self, newest_first=True
        )
        self.actions_view, self.actions_model = read_only_table(ACTION_COLUMNS, _("Actions"), self)
        self.decisions_view, self.decisions = read_only_table(
            DECISION_COLUMNS, _("Panel decisions"), self, newest_first=True
        )
        self.audit_view, self.audit = read_only_table(
            AUDIT_COLUMNS, _("Audit trail"), self, newest_first=True
        )
        self.scoring = ScoringPanel(ctx, self)
        self.custody_facts = CustodyFactsPanel(ctx, self)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self._score_now)
        actions_page = QWidget()
        actions_layout = QVBoxLayout(actions_page)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        actions_layout.addWidget(self.actions_view, 1)
        action_buttons = QHBoxLayout()
        self.add_action_button = QPushButton(_("New action…"))
        self.add_action_button.clicked.connect(self.new_action)
        self.edit_action_button = QPushButton(_("Edit or reassign…"))
        self.edit_action_button.clicked.connect(self.edit_action)
        for b in (self.add_action_button, self.edit_action_button):
            action_buttons.addWidget(b)
        action_buttons.addStretch(1)
        actions_layout.addLayout(action_buttons)
        for view, name in (
            (self.history_view, _("Ti&meline")),
            (self.memberships_view, _("&Strand history")),
            (self.nominations_view, _("&Nominations")),
            (actions_page, _("A&ctions")),
            (self.decisions_view, _("&Decisions")),
            (self.audit_view, _("A&udit trail")),
        ):
            self.tabs.addTab(view, name)
        self.tabs.insertTab(1, self.scoring, _("Sc&oring"))
        # Scrolls rather than squeezes where the screen is short for it (200 % text on 1080 lines).
        self.custody_scroll = QScrollArea()
        self.custody_scroll.setWidget(self.custody_facts)
        self.custody_scroll.setWidgetResizable(True)
        self.custody_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.custody_scroll.setAccessibleName(_("Custody and facts"))
        self.tabs.insertTab(2, self.custody_scroll, _("Custod&y && facts"))

        self.details_button = QPushButton(_("Correct the &personal details…"))
        self.details_button.setToolTip(
            _("A new address, a name misspelt, a PNC id found (audited, with why)")
        )
        self.details_button.clicked.connect(self.correct_details)
        self.details_dialog: QDialog | None = None
        self.merge_button = QPushButton(_("Merge a duplicate into this person…"))
        self.merge_button.setToolTip(
            _(
                "Another record is this same person: its records move here (audited; an administrator "
                "undoes it)"
            )
        )
        self.merge_button.clicked.connect(self.merge_duplicate)
        self.ask_merge: Callable[[str], tuple[str, str] | None] = self._ask_merge
        self.merge_result = QLabel()
        self.merge_result.setWordWrap(True)
        self.merge_result.hide()
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.heading)
        top.addWidget(flowing(self.details_button, self.merge_button), 1)  # wraps at 200 % text
        self.details_box = details = QWidget()
        details.setLayout(self.details)
        # Scoring needs the height on a 13" screen: the details fold away while that tab is open.
        self.tabs.currentChanged.connect(
            lambda _i: details.setVisible(self.tabs.currentWidget() is not self.scoring)
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.merge_result)
        layout.addWidget(details)
        layout.addWidget(self.tabs, 1)
        ctx.changed.connect(self._on_changed)

    def show_case(self, nominal_id: int, purpose: str = "Case review by coordinator") -> None:
        self.case = self.ctx.services.cases.open_case(nominal_id, purpose=purpose)
        self._fill(self.case, self.ctx.session.today())
        self.scoring.show_nominal(nominal_id)

    def new_action(self) -> None:
        from ui.action_dialog import ActionDialog

        if self.case is not None:
            ActionDialog(self.ctx, nominal_id=self.case.nominal.id, parent=self).exec()

    def edit_action(self) -> None:
        from ui.action_dialog import ActionDialog
        from ui.table_model import ObjectRole

        index = self.actions_view.currentIndex()
        action = index.data(ObjectRole) if index.isValid() else None
        if self.case is not None and action is not None:
            ActionDialog(self.ctx, nominal_id=self.case.nominal.id, action=action, parent=self).exec()

    def correct_details(self) -> None:
        from ui.screens.person_details_dialog import PersonDetailsDialog

        if self.case is None:
            return
        nominal_id = self.case.nominal.id
        dialog = self.details_dialog = PersonDetailsDialog(self.ctx, self.case.nominal, self)
        dialog.accepted.connect(lambda: self.show_case(nominal_id, purpose="Details corrected"))
        dialog.open()  # window-modal: the rest of the window waits, the event loop runs

    def merge_duplicate(self) -> None:
        case = self.case
        answer = self.ask_merge(case.nominal.ref) if case is not None else None
        if case is None or answer is None:
            return
        ref, reason = answer
        self.merge_result.show()
        merge = self.ctx.services.person_merge
        done = self.ctx.perform(
            lambda: merge.merge_by_ref(case.nominal.id, ref, justification=reason), self.merge_result
        )
        if done is not None:
            merged = ref.strip().upper()
            self.merge_result.setText(
                _("{merged} merged into {ref}; recorded in the audit log.").format(
                    merged=merged, ref=case.nominal.ref
                )
            )
            self.show_case(case.nominal.id)

    def _ask_merge(self, ref: str) -> tuple[str, str] | None:
        other, ok = QInputDialog.getText(
            self,
            _("Merge a duplicate"),
            _("The reference of the other record, the same person as {ref}:").format(ref=ref),
        )
        if not ok or not other.strip():
            return None
        reason, ok = QInputDialog.getText(
            self, _("Merge a duplicate"), _("Why they are one person (recorded):")
        )
        return (other, reason) if ok and reason.strip() else None

    def _score_now(self) -> None:
        self.tabs.setCurrentWidget(self.scoring)
        self.scoring.score_now()

    def clear(self) -> None:
        self.scoring.clear()
        self.case = None
        models = (
            self.history,
            self.memberships,
            self.nominations,
            self.actions_model,
            self.decisions,
            self.audit,
        )
        for model in models:
            model.clear()
        for label in self.fields.values():
            label.clear()
        self.heading.clear()

    def _fill(self, case: CaseFile, today: dt.date) -> None:
        n = case.nominal
        state = case.state or PersonState()
        self.heading.setText(n.display_name)
        age = n.age_on(today)
        current = case.current
        values = {
            "Ref": n.ref,
            "Aliases": ", ".join(n.aliases) or "—",
            "Date of birth": _("{day} (age {age})").format(day=fmt_date(n.dob), age=age) if n.dob else "—",
            "Gender": n.gender or "—",
            "Ethnicity": n.ethnicity or "—",
            "Area": n.area or "—",
            "Address": n.address or "—",
            "PNC id": n.pnc_id or "—",
            "CRO": n.cro or "—",
            "Current strand": f"{_(current.strand.long_name)} ({_(current.basis.value)})"
            if current
            else _("Not on a strand"),
            "Status": _(current.status.label) if current else "—",
            "On the scheme": _time_on_scheme(case),
            "Latest activity": _("arrest {arrest}, intelligence {intelligence}").format(
                arrest=fmt_date(state.last_arrest_on) or _("not known"),
                intelligence=fmt_date(state.last_intelligence_on) or _("not known"),
            ),
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        undone = [d.id for d in case.decisions if d.undone]
        self.history.set_rows(timeline(case.events, state, undone))
        self._iom_progress.clear()
        stints = self.ctx.services.offences.progress(case.nominal.id, case.memberships)
        self._iom_progress.update({m: f"{a} → {b} ({b - a:+d})" for m, (a, b) in stints.items()})
        self.memberships.set_rows(case.memberships)
        self.nominations.set_rows(case.nominations)
        self.actions_model.set_rows(case.actions)
        self.decisions.set_rows(case.decisions)
        self.audit.set_rows(case.audit)
        self.custody_facts.show_case(case)

    def _on_changed(self, changes: Changes) -> None:
        # The scoring tab keeps its own draft; a draft autosave needs no re-read of the case.
        if (
            self.case is not None
            and self.case.nominal.id in changes.nominal_ids
            and changes.topics - {"score_drafts"}
        ):
            self.case = self.ctx.services.cases.case_file(self.case.nominal.id)
            self._fill(self.case, self.ctx.session.today())
