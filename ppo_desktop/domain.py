"""The panel's vocabulary as plain dataclasses and enums (PPO_RULES.md "Vocabulary")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from ppo_desktop.i18n import N_

if TYPE_CHECKING:
    from ppo_desktop.rules.history import Event, PersonState


class Strand(StrEnum):
    """The lists a person is selected onto. PPO schemes run the three strands of 2004–09; panels under
    the Neighbourhood Crime IOM strategy (2020) and the National IOM Operational Guidance (2025) run
    the Fixed, Flex and Free cohorts. A scheme profile says which it runs (``SchemeProfile.strands``);
    each follows the same lifecycle (selected, moved, amber list, de-selected)."""

    PREVENT_DETER = "P&D"
    CATCH_CONVICT = "C&C"
    REHABILITATE_RESETTLE = "R&R"
    FIXED = "Fixed"
    FLEX = "Flex"
    FREE = "Free"

    @property
    def long_name(self) -> str:
        return LONG_NAMES[self.value]


LONG_NAMES = {
    "P&D": N_("Prevent & Deter"),
    "C&C": N_("Catch & Convict"),
    "R&R": N_("Rehabilitate & Resettle"),
    "Fixed": N_("Fixed (neighbourhood crime)"),
    "Flex": N_("Flex (local priorities)"),
    "Free": N_("Free (local discretion)"),
}
PPO_STRANDS = (Strand.PREVENT_DETER, Strand.CATCH_CONVICT, Strand.REHABILITATE_RESETTLE)
IOM_COHORTS = (Strand.FIXED, Strand.FLEX, Strand.FREE)


class Basis(StrEnum):
    PROLIFIC = "prolific"
    PRIORITY = "priority"


class Status(StrEnum):
    """The six statuses of seed 001 ¶54."""

    ANTI_SOCIAL = "anti-social"
    OFFENDING_NOT_CJS = "offending-not-cjs"
    OFFENDING_CJS = "offending-cjs"
    NOT_OFFENDING = "not-offending"
    AT_RISK = "at-risk"
    CUSTODY = "custody"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {  # the records' own words (stored, printed, exported); screens show them translated
    Status.ANTI_SOCIAL: N_("Behaviour likely to be / is anti-social"),
    Status.OFFENDING_NOT_CJS: N_("Offending, not subject to the CJS"),
    Status.OFFENDING_CJS: N_("Offending and subject to the CJS"),
    Status.NOT_OFFENDING: N_("Not believed to be currently offending"),
    Status.AT_RISK: N_("At risk of offending"),
    Status.CUSTODY: N_("In prison / custody"),
}


class Pathway(StrEnum):
    """The seven resettlement pathways (seed 001 ¶44)."""

    ACCOMMODATION = "accommodation"
    ETE = "education-training-employment"
    HEALTH = "mental-physical-health"
    DRUGS_ALCOHOL = "drugs-alcohol"
    FINANCE = "finance-benefit-debt"
    FAMILIES = "children-families"
    ATTITUDES = "attitudes-thinking-behaviour"
    SCHEME = "scheme"  # the scheme's own work (e.g. informing another area's scheme): not a pathway

    @property
    def label(self) -> str:
        return {
            "accommodation": N_("Accommodation"),
            "education-training-employment": N_("Education, training & employment"),
            "mental-physical-health": N_("Mental & physical health"),
            "drugs-alcohol": N_("Drugs & alcohol"),
            "finance-benefit-debt": N_("Finance, benefit & debt"),
            "children-families": N_("Children & families"),
            "attitudes-thinking-behaviour": N_("Attitudes, thinking & behaviour"),
            "scheme": N_("The scheme's own work (not a pathway)"),
        }[self.value]

    @classmethod
    def resettlement(cls) -> list[Pathway]:
        """The seven pathways (¶44), without the scheme's own work."""
        return [p for p in cls if p is not cls.SCHEME]


class ActionState(StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_POSSIBLE = "not-possible"
    AGENCY_DID_NOT_ACT = "agency-did-not-act"


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    PANEL_MEMBER = "panel-member"


ROLE_WORDS = {Role.ADMINISTRATOR: N_("administrator"), Role.COORDINATOR: N_("coordinator"),
              Role.CHAIR: N_("chair"), Role.PANEL_MEMBER: N_("panel member")}  # fmt: skip


class RemovalReason(StrEnum):
    """De-selection reason codes (000 §6, 002 §5.2); a scheme profile may narrow the list."""

    STOPPED_OFFENDING = "stopped-offending"
    MOVED_AWAY = "moved-away"
    DIED_OR_ILL = "died-or-ill"
    ASSET_FELL = "asset-fell"
    CUSTODY_OVER_10_YEARS = "custody-over-10-years"
    MAPPA = "mappa"
    IOM_COHORT = "iom-cohort"
    OTHER = "other"
    AMBER_LIST = "amber-list"  # out of the active cohort on the amber list, until reconsidered (000 §6)


class RemovalOutcome(StrEnum):
    """How someone was doing when they left the scheme, as recorded at removal (003 §2.10)."""

    DRUG_FREE = "drug-free"
    IN_TREATMENT = "in-treatment"
    EMPLOYED = "employed"
    MOVED = "moved"
    CUSTODY = "custody"

    @property
    def label(self) -> str:
        return {
            "drug-free": N_("Drug free"),
            "in-treatment": N_("Stable in treatment"),
            "employed": N_("Employed / in training"),
            "moved": N_("Moved away"),
            "custody": N_("In custody"),
        }[self.value]


class NominationState(StrEnum):
    OPEN = "open"
    SELECTED = "selected"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


# How an action is closed, in words: the choice a screen offers, and the outcome recorded (in English,
# as every record is) when the person types none.
CLOSING_WORDS = {
    ActionState.DONE: N_("Done"),
    ActionState.NOT_POSSIBLE: N_("Not possible — circumstances changed"),
    ActionState.AGENCY_DID_NOT_ACT: N_("Agency did not act"),
}

# Action and nomination states as the screens show them: the records keep these English words, and
# the screens say them through ``_`` (marked here so that each language has them).
STATE_WORDS = (N_("open"), N_("done"), N_("not-possible"), N_("agency-did-not-act"), N_("selected"),
               N_("declined"), N_("withdrawn"))  # fmt: skip


class MeetingState(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    CLOSED = "closed"


@dataclass(frozen=True)
class User:
    id: str
    display_name: str
    role: Role
    active: bool = True


@dataclass(frozen=True)
class Nominal:
    id: int
    ref: str
    family_name: str
    given_names: str
    aliases: tuple[str, ...] = ()
    dob: dt.date | None = None
    gender: str = ""
    ethnicity: str = ""
    address: str = ""
    pnc_id: str = ""
    cro: str = ""
    area: str = ""

    @property
    def display_name(self) -> str:
        return f"{self.family_name.upper()}, {self.given_names}"

    def age_on(self, day: dt.date) -> int | None:
        if self.dob is None:
            return None
        return day.year - self.dob.year - ((day.month, day.day) < (self.dob.month, self.dob.day))


@dataclass(frozen=True)
class Nomination:
    id: int
    nominal_id: int
    agency: str
    nominator: str
    nominated_on: dt.date
    basis: Basis
    strand: Strand
    reason: str
    state: NominationState = NominationState.OPEN


@dataclass(frozen=True)
class Membership:
    """One membership on a strand; removal closes the membership, a later selection opens a new one."""

    id: int
    nominal_id: int
    strand: Strand
    basis: Basis
    status: Status
    added_on: dt.date
    is_lead: bool = True
    next_review_on: dt.date | None = None
    custody_on: dt.date | None = None
    release_on: dt.date | None = None
    amber: bool = False
    amber_on: dt.date | None = None  # placed on the amber list (in the quarterly record)
    removed_on: dt.date | None = None
    removal_reason: RemovalReason | None = None
    removal_note: str = ""
    removal_authority: str = ""
    removal_outcomes: tuple[RemovalOutcome, ...] = ()
    scheme_since: dt.date | None = None  # the start of the person's period on the scheme (derived)
    amber_until: dt.date | None = None  # the amber list's reconsideration (None while held)

    @property
    def current(self) -> bool:
        return self.removed_on is None

    def held_on_amber(self, day: dt.date) -> bool:
        """On the amber list on ``day``: out of the active cohort, not yet reconsidered."""
        return (
            self.amber
            and self.amber_on is not None
            and self.amber_on <= day
            and (self.amber_until is None or self.amber_until > day)
        )


@dataclass(frozen=True)
class Action:
    id: int
    nominal_id: int
    pathway: Pathway
    description: str
    agency: str
    owner: str
    due_on: dt.date | None
    state: ActionState
    created_on: dt.date
    outcome: str = ""
    closed_on: dt.date | None = None
    meeting_id: int | None = None

    def overdue_on(self, day: dt.date) -> bool:
        return self.state is ActionState.OPEN and self.due_on is not None and self.due_on < day


@dataclass(frozen=True)
class Meeting:
    id: int
    panel: str
    held_on: dt.date
    state: MeetingState
    venue: str = ""
    chair: str = ""
    deputy: str = ""
    quorum_note: str = ""
    confidentiality_read_at: str = ""  # when the chair read the statement and the room acknowledged it


class DecisionKind(StrEnum):
    SELECT = "select"
    RETAIN = "retain"
    MOVE_STRAND = "move-strand"
    DESELECT = "deselect"
    AMBER = "amber"
    IOM_COHORT = "iom-cohort"
    DEFER = "defer"

    @property
    def label(self) -> str:
        return {
            "select": N_("Select onto a strand"),
            "retain": N_("Retain"),
            "move-strand": N_("Move strand"),
            "deselect": N_("De-select"),
            "amber": N_("Amber list"),
            "iom-cohort": N_("Move to IOM cohort"),
            "defer": N_("Defer to next meeting"),
        }[self.value]

    @property
    def reviews(self) -> bool:
        """Whether taking this decision reviews the person's place on the scheme: it settles a review
        that is due. Selecting starts a place; deferring settles nothing."""
        return self not in (DecisionKind.SELECT, DecisionKind.DEFER)

    @property
    def needs(self) -> tuple[str, ...]:
        """The details the decision takes besides authority and note (``Decisions.decide`` checks
        them; the chair's dialog asks for exactly these)."""
        return {
            "select": ("strand", "basis", "status"),
            "move-strand": ("strand", "move_criteria"),
            "deselect": ("reason", "outcomes", "risk_assessment"),
            "amber": ("release",),
            "retain": ("status",),
            "iom-cohort": ("outcomes",),
        }.get(self.value, ())


@dataclass(frozen=True)
class Attendee:
    id: int
    meeting_id: int
    name: str
    agency: str
    role: str = ""
    present: bool = True


class Move(StrEnum):
    """Someone coming into or going out of the room during a meeting, at an agenda item."""

    ARRIVED = "arrived"  # came in (late, or back after leaving) before this item
    LEFT = "left"  # left the meeting before this item
    STEPPED_OUT = "stepped-out"  # out of the room for this item only (an interest declared)

    @property
    def label(self) -> str:
        return {
            "arrived": N_("arrived"),
            "left": N_("left the meeting"),
            "stepped-out": N_("stepped out for the item"),
        }[self.value]


@dataclass(frozen=True)
class AttendanceMove:
    id: int
    meeting_id: int
    attendance_id: int
    agenda_item_id: int
    move: Move
    recorded_at: str


class ItemState(StrEnum):
    """An agenda item is pending until the panel has discussed it (a decision, or marked done)."""

    PENDING = "pending"
    DISCUSSED = "discussed"


@dataclass(frozen=True)
class AgendaItem:
    id: int
    meeting_id: int
    position: int
    title: str
    nominal_id: int | None
    reasons: tuple[str, ...] = ()
    minutes: int = 10
    notes: str = ""
    seconds_spent: int = 0
    state: ItemState = ItemState.PENDING
    free_text: tuple[str, ...] = ()  # e.g. a nomination's own words: not projected unless allowed


@dataclass(frozen=True)
class Decision:
    id: int
    meeting_id: int | None
    nominal_id: int
    kind: str
    decided_on: dt.date
    strand: Strand | None = None
    basis: Basis | None = None
    reason_code: str = ""
    authority: str = ""
    note: str = ""
    agenda_item_id: int | None = None
    undone: bool = False
    details: dict[str, Any] = field(default_factory=dict)  # e.g. {"move_criteria": [...]} (000 §5.3)

    @property
    def reviews(self) -> bool:
        return not self.undone and DecisionKind(self.kind).reviews


@dataclass(frozen=True)
class Sentence:
    """A custodial sentence as the court gave it: its length decides the rules (amber list, removal
    in full, short-sentence priority), not the time served so far."""

    id: int
    nominal_id: int
    starts_on: dt.date
    length_months: int = 0
    length_days: int = 0
    release_on: dt.date | None = None  # expected release
    secure_hospital: bool = False
    recorded_on: dt.date | None = None
    note: str = ""
    length_years: int = 0
    ends_on: dt.date | None = None  # the end date, where that is how it was given
    no_fixed_term: bool = False  # a secure hospital order without a fixed term

    @property
    def ends(self) -> dt.date | None:
        """The day the sentence ends as given (start + length, or its end date); None without a term."""
        if self.no_fixed_term:
            return None
        if self.ends_on is not None:
            return self.ends_on
        length = relativedelta(years=self.length_years, months=self.length_months, days=self.length_days)
        return self.starts_on + length

    @property
    def licence_final_third(self) -> dt.date | None:
        """The day the licence (release to the sentence's end) enters its final third: an IOM exit
        review is planned from then. None without a release date or a fixed term, or with no licence
        (released on or after the end)."""
        ends = self.ends
        if self.release_on is None or ends is None or ends <= self.release_on:
            return None
        return self.release_on + (ends - self.release_on) * 2 // 3

    def longer_than(self, *, years: int = 0, months: int = 0) -> bool:
        """Whether the sentence runs past the same length from its start, compared as real dates
        (800 days is over two years; 366 days is not under 12 months). No fixed term: not known."""
        ends = self.ends
        return ends is not None and ends > self.starts_on + relativedelta(years=years, months=months)

    def shorter_than(self, *, months: int) -> bool:
        ends = self.ends
        return ends is not None and ends < self.starts_on + relativedelta(months=months)

    @property
    def length_text(self) -> str:
        if self.no_fixed_term:
            return "no fixed term (secure hospital)"
        if self.ends_on is not None and not (self.length_years or self.length_months or self.length_days):
            where = " (secure hospital)" if self.secure_hospital else ""
            return f"to {self.ends_on:%d %b %Y}{where}"
        years, months = divmod(self.length_years * 12 + self.length_months, 12)
        parts = [f"{years} year{'s' * (years != 1)}"] if years else []
        parts += [f"{months} month{'s' * (months != 1)}"] if months else []
        parts += [f"{self.length_days} day{'s' * (self.length_days != 1)}"] if self.length_days else []
        where = " (secure hospital)" if self.secure_hospital else ""
        return (" ".join(parts) or "0 days") + where


@dataclass(frozen=True)
class CaseFact:
    """One fact an inclusion criterion reads (NIM core nominal, ASBO, DV incidents…), as recorded."""

    nominal_id: int
    fact: str
    value: bool | int | str
    recorded_on: dt.date
    recorded_by: str


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user_id: str
    workstation: str
    kind: str
    entity: str
    entity_id: str | None
    nominal_id: int | None
    summary: str
    justification: str = ""
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class CaseFile:
    """Everything the case view shows for one nominal."""

    nominal: Nominal
    memberships: tuple[Membership, ...]
    nominations: tuple[Nomination, ...]
    actions: tuple[Action, ...]
    decisions: tuple[Decision, ...]
    audit: tuple[AuditEntry, ...] = field(default=())
    sentences: tuple[Sentence, ...] = ()
    facts: tuple[CaseFact, ...] = ()
    state: PersonState | None = None  # derived from ``events``
    risk: tuple[str, ...] = ()  # the probation service's latest risk scores, as recorded (in words)
    events: tuple[Event, ...] = ()  # the person's history, oldest first, withdrawn ones included

    @property
    def current(self) -> Membership | None:
        return next((m for m in self.memberships if m.current and m.is_lead), None)


@dataclass(frozen=True)
class CohortRow:
    """One line of the cohort list: a nominal with their current lead membership (if any)."""

    nominal: Nominal
    membership: Membership | None
    open_actions: int
    latest_score: float | None = None


class SheetState(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


@dataclass(frozen=True)
class ScoreSheet:
    """A scoring of one nominal on one matrix definition: a contemporaneous record once final."""

    id: int
    nominal_id: int
    matrix_id: str
    matrix_version: str
    matrix_hash: str
    inputs: dict[str, object]
    breakdown: dict[str, object]
    total: float
    scorer: str
    scored_on: dt.date
    state: SheetState
    pnc_marker: bool = False

    @property
    def final(self) -> bool:
        return self.state is SheetState.FINAL

    def lines(self) -> list[dict[str, Any]]:
        lines = self.breakdown.get("lines", [])
        assert isinstance(lines, list)
        return lines

    def line_scores(self) -> dict[str, float]:
        return {str(ln["key"]): float(ln["score"]) for ln in self.lines()}
