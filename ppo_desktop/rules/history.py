"""A person's history on the scheme: dated events, and everything else derived from them by one
function (``derive``).

An event says what happened and when (``on``, which may be earlier than when it was recorded);
events are never changed. A decision that is undone takes its events with it; an event recorded in
error is withdrawn by a later ``withdrawn`` event. The person's stage follows this machine (the
README draws it); an event the machine does not allow is refused when it is recorded
(``check``) and, should one arrive from another laptop, set aside and shown (``PersonState.ignored``):

    OFF ──selected──▶ ON ──amber──▶ AMBER ──selected (reconsidered: re-selected)──▶ ON
     ▲                 │               │
     └── deselected ───┴───────────────┘ (reconsidered: de-selected)

ON: on one lead strand, perhaps with activity on another (parallel, 000 §4.3); moved, retained,
deferred, status, review date. A move from P&D ends the P&D membership (an escalation, not an exit);
a move between C&C and R&R keeps the old strand as parallel activity. Amber list (000 §6, 002
item 3): a removal from the active cohort, held until reconsidered three months before release.
Arrests and intelligence are facts about the person in any stage: the latest is the latest *date*,
whatever order they were reported in. So are nominations (settled by the selection that follows
them, or declined / withdrawn), custodial sentences as given, and the facts the inclusion criteria
read (the latest recorded value of each stands; a fact recorded with no value is forgotten).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from typing import Any

from dateutil.relativedelta import relativedelta

from ppo_desktop.domain import (
    Basis,
    CaseFact,
    Membership,
    Nomination,
    NominationState,
    RemovalOutcome,
    RemovalReason,
    Sentence,
    Status,
    Strand,
)
from ppo_desktop.i18n import N_, _, format_date

MIGRATED = "(from the records before histories)"  # who recorded the events schema step 15 made
REVIEWING = N_("retain, move strand, de-select, amber list or IOM cohort (deferring does not settle it)")
RESELECTION_FLAG_MONTHS = 12  # local choice: a re-selection this soon after leaving is worth a flag


@cache
def _months(n: int) -> relativedelta:
    """A span of ``n`` calendar months, made once (the agenda derives ten thousand people at a time)."""
    return relativedelta(months=n)


class Stage(StrEnum):
    OFF = "off"  # never selected, or de-selected
    ON = "on"  # in the active cohort
    AMBER = "amber"  # on the amber list: removed from the active cohort, held until reconsidered

    @property
    def label(self) -> str:
        return {"off": "Not on the scheme", "on": "On the scheme", "amber": "Amber list"}[self.value]


class EventKind(StrEnum):
    SELECTED = "selected"  # onto a strand as lead (from OFF: a new period; from AMBER: re-selected)
    PARALLEL = "parallel"  # activity on a second strand beside the lead (000 §4.3)
    PARALLEL_ENDED = "parallel-ended"
    MOVED = "moved"  # the lead strand changes
    RETAINED = "retained"
    DEFERRED = "deferred"
    STATUS = "status"  # the person's status (001 ¶54), custody and expected release
    REVIEW_SET = "review-set"  # the next review set by hand
    AMBER = "amber"  # placed on the amber list
    RELEASED = "released"  # released from custody
    DESELECTED = "deselected"  # with coded reason and authority (001 ¶54)
    ARRESTED = "arrested"
    INTELLIGENCE = "intelligence"
    WITHDRAWN = "withdrawn"  # an earlier event recorded in error
    NOMINATED = "nominated"  # by an agency, for a strand, with who and why (000 §5)
    NOMINATION_SETTLED = "nomination-settled"  # declined or withdrawn (a selection settles it itself)
    SENTENCED = "sentenced"  # a custodial sentence as the court gave it (``on``: its start)
    FACT = "fact"  # a fact an inclusion criterion reads (with no value: forgotten, "not known" again)

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def reviews(self) -> bool:
        """Whether the event settles a review that is due (deferring and selecting do not)."""
        return self in (EventKind.RETAINED, EventKind.MOVED, EventKind.AMBER, EventKind.DESELECTED)


LABELS = {
    EventKind.SELECTED: N_("Selected"),
    EventKind.PARALLEL: N_("Parallel strand added"),
    EventKind.PARALLEL_ENDED: N_("Parallel strand ended"),
    EventKind.MOVED: N_("Moved strand"),
    EventKind.RETAINED: N_("Retained"),
    EventKind.DEFERRED: N_("Deferred"),
    EventKind.STATUS: N_("Status"),
    EventKind.REVIEW_SET: N_("Next review set"),
    EventKind.AMBER: N_("Placed on the amber list"),
    EventKind.RELEASED: N_("Released from custody"),
    EventKind.DESELECTED: N_("De-selected"),
    EventKind.ARRESTED: N_("Arrested"),
    EventKind.INTELLIGENCE: N_("Intelligence received"),
    EventKind.WITHDRAWN: N_("Withdrawn"),
    EventKind.NOMINATED: N_("Nominated"),
    EventKind.NOMINATION_SETTLED: N_("Nomination settled"),
    EventKind.SENTENCED: N_("Custodial sentence"),
    EventKind.FACT: N_("Fact recorded"),
}

# The machine, in one place: from each stage, the events that may happen and the stage they lead to.
ANY = (EventKind.ARRESTED, EventKind.INTELLIGENCE, EventKind.WITHDRAWN, EventKind.DEFERRED,
       EventKind.NOMINATED, EventKind.NOMINATION_SETTLED, EventKind.SENTENCED, EventKind.FACT)  # fmt: skip
TRANSITIONS: dict[Stage, dict[EventKind, Stage]] = {
    Stage.OFF: {EventKind.SELECTED: Stage.ON, EventKind.RELEASED: Stage.OFF},
    Stage.ON: {
        EventKind.PARALLEL: Stage.ON,
        EventKind.PARALLEL_ENDED: Stage.ON,
        EventKind.MOVED: Stage.ON,
        EventKind.RETAINED: Stage.ON,
        EventKind.STATUS: Stage.ON,
        EventKind.REVIEW_SET: Stage.ON,
        EventKind.RELEASED: Stage.ON,
        EventKind.AMBER: Stage.AMBER,
        EventKind.DESELECTED: Stage.OFF,
    },
    Stage.AMBER: {
        EventKind.SELECTED: Stage.ON,
        EventKind.DESELECTED: Stage.OFF,
        EventKind.RELEASED: Stage.AMBER,
        EventKind.STATUS: Stage.AMBER,
    },
}
for _stage in Stage:
    TRANSITIONS[_stage].update({k: _stage for k in ANY})

WHY_NOT = {
    (Stage.OFF, EventKind.MOVED): "is not on the scheme, so cannot move strand",
    (Stage.OFF, EventKind.RETAINED): "is not on the scheme, so cannot be retained",
    (Stage.OFF, EventKind.DESELECTED): "is not on the scheme, so cannot be de-selected",
    (Stage.OFF, EventKind.AMBER): "is not on the scheme, so cannot be placed on the amber list",
    (Stage.ON, EventKind.SELECTED): "is already on the scheme; to change strand, move them",
    (Stage.AMBER, EventKind.RETAINED): (
        "is on the amber list: the reconsideration re-selects them (Select) or de-selects them"
    ),
    (Stage.AMBER, EventKind.MOVED): (
        "is on the amber list: the reconsideration re-selects them (Select) or de-selects them"
    ),
    (Stage.AMBER, EventKind.AMBER): "is already on the amber list",
}


WHOLE = ("years", "months", "days")  # a sentence's length as given
TEXT = ("agency", "nominator", "reason", "note", "authority", "fact", "nomination", "withdraws",
        "recorded_by", "state")  # fmt: skip


def unreadable(details: object) -> str:
    """Why an event's details cannot be read ('' when they can): every date a date, every length a
    whole number, every word a string, outcomes a list of known ones, a fact's value plain. Checked
    at the door for a pack, and again as the history is walked (such an event is set aside)."""
    if not isinstance(details, Mapping):
        return "its details are not a record"
    for name, value in details.items():
        if name.endswith("_on") and value is not None:
            try:
                dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                return f"its {name} is not a date"
        elif name in WHOLE and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return f"its {name} is not a whole number"
        elif name in TEXT and not isinstance(value, str):
            return f"its {name} is not text"
        elif name == "state" and value not in {s.value for s in NominationState}:
            return "its state is not one this store knows"
        elif name == "outcomes" and not (
            isinstance(value, list) and all(v in {o.value for o in RemovalOutcome} for v in value)
        ):
            return "its outcomes are not ones this store knows"
        elif name == "value" and not isinstance(value, bool | int | str):
            return "its value is not a plain value"
    return ""


class Refused(ValueError):
    """An event the person's history does not allow, said in a sentence (no personal data)."""


@dataclass(frozen=True)
class Event:
    """One thing that happened to a person, as recorded. ``key`` orders events recorded on the same
    day the same way on every laptop (with ``recorded_at``)."""

    kind: EventKind
    on: dt.date
    key: str
    recorded_at: str = ""
    recorded_by: str = ""
    strand: Strand | None = None
    basis: Basis | None = None
    status: Status | None = None
    decision_id: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def order(self) -> tuple[dt.date, str, str]:
        return (self.on, self.recorded_at, self.key)

    def date(self, name: str) -> dt.date | None:
        value = self.details.get(name)
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None

    def text(self, name: str) -> str:
        value = self.details.get(name, "")
        return value if isinstance(value, str) else ""

    @property
    def same_as(self) -> tuple[object, ...]:
        """What makes two events turned from the old records the same fact (the same person's
        records turned into events on both laptops, then exchanged)."""
        details = json.dumps(self.details, sort_keys=True)
        return (self.kind, self.on, self.strand, self.basis, self.status, details)


@dataclass(frozen=True)
class Period:
    """A continuous time in the active cohort (any strand, lead or parallel)."""

    started_on: dt.date
    ended_on: dt.date | None  # None while on the scheme
    ended_by: str = ""  # "deselected" or "amber"

    @property
    def current(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True)
class AmberHold:
    placed_on: dt.date
    release_on: dt.date
    strand: Strand
    released_on: dt.date | None = None

    def reconsider_on(self, months_before: int) -> dt.date:
        """Reconsidered ``months_before`` release, or at once when release is nearer than that."""
        return max(self.release_on - _months(months_before), self.placed_on)


@dataclass(frozen=True)
class PersonState:
    """Everything the rules read of one person, derived from their events (``derive``)."""

    stage: Stage = Stage.OFF
    lead: Strand | None = None
    basis: Basis | None = None
    parallel: tuple[Strand, ...] = ()
    status: Status | None = None
    custody_on: dt.date | None = None
    release_on: dt.date | None = None
    next_review_on: dt.date | None = None
    periods: tuple[Period, ...] = ()
    memberships: tuple[Membership, ...] = ()
    reviewed_on: tuple[dt.date, ...] = ()
    last_arrest_on: dt.date | None = None
    last_intelligence_on: dt.date | None = None
    amber: AmberHold | None = None
    ignored: tuple[tuple[str, str], ...] = ()  # (event key, why) set aside
    nominations: tuple[tuple[str, Nomination], ...] = ()  # (the nominating event's key, the nomination)
    sentences: tuple[tuple[str, Sentence], ...] = ()  # (the event's key, the sentence), oldest first
    facts: tuple[CaseFact, ...] = ()  # each fact's latest recorded value

    @property
    def period(self) -> Period | None:
        """The current period in the active cohort, if the person is in it."""
        return self.periods[-1] if self.periods and self.periods[-1].current else None

    @property
    def reselection(self) -> Period | None:
        """The period before the current one, when the current one is a re-selection."""
        return self.periods[-2] if self.period is not None and len(self.periods) > 1 else None

    @property
    def soon_reselected(self) -> bool:
        """Re-selected within 12 months of leaving the scheme (a flag, not a rule)."""
        before, now = self.reselection, self.period
        if before is None or now is None or before.ended_on is None:
            return False
        return now.started_on < before.ended_on + _months(RESELECTION_FLAG_MONTHS)

    @property
    def scheme_since(self) -> dt.date | None:
        period = self.period
        return period.started_on if period else None

    def reviewed_since(self, day: dt.date) -> dt.date | None:
        later = [d for d in self.reviewed_on if d >= day]
        return max(later) if later else None

    def two_year_review_due(self) -> dt.date | None:
        """When the two-year review (002 item 5) falls due, or None if settled or not in the cohort."""
        period = self.period
        if period is None:
            return None
        due = period.started_on + _months(24)
        return None if self.reviewed_since(due) else due

    def last_activity(self) -> dt.date | None:
        """The latest arrest or intelligence report, else the start of the period."""
        period = self.period
        if period is None:
            return None
        known = [d for d in (self.last_arrest_on, self.last_intelligence_on) if d]
        return max([period.started_on, *known])

    def no_activity_due(self, months: int) -> dt.date | None:
        """When "no arrest and no intelligence for ``months`` continuous months" next falls due: a
        reviewing decision taken once it was due settles it for another ``months``."""
        last = self.last_activity()
        if last is None:
            return None
        due = last + _months(months)
        settled = self.reviewed_since(due)
        return settled + _months(months) if settled else due


def derive(
    events: Iterable[Event],
    *,
    nominal_id: int = 0,
    review_months: Mapping[Strand, int] | None = None,
    reconsider_months: int = 3,
) -> PersonState:
    """The person's state after ``events`` (in any order; undone ones already left out).
    ``review_months``: the profile's review cadence per strand; ``reconsider_months``: how long
    before release the amber list is reconsidered (000 §6: three)."""
    return _Walk(nominal_id, review_months or {}, reconsider_months).run(events)


def check(events: Sequence[Event], new: Event, **kw: Any) -> PersonState:
    """The state with ``new`` added; Refused (a sentence) if the machine does not allow it, or if it
    would make an event already recorded impossible."""
    before = {k for k, _why in derive(events, **kw).ignored}
    after = derive([*events, new], **kw)
    for key, why in after.ignored:
        if key == new.key:
            raise Refused(_("This person {why}.").format(why=why))
        if key not in before:
            raise Refused(
                _("That would make a later recorded event impossible: this person {why}.").format(why=why)
            )
    return after


def live(events: Iterable[Event]) -> list[Event]:
    """Events in order, withdrawn ones left out, and an event turned from the old records left out
    when the same one, turned on the other laptop, is already here."""
    ordered = sorted(events, key=lambda e: e.order)
    alias = aliases(ordered)
    withdraws = (e.text("withdraws") for e in ordered if e.kind is EventKind.WITHDRAWN)
    gone = {alias.get(k, k) for k in withdraws} | set(alias)
    return [e for e in ordered if e.key not in gone and e.kind is not EventKind.WITHDRAWN]


def aliases(events: Iterable[Event]) -> dict[str, str]:
    """The key of each event turned from the old records on both laptops that is left out, to the
    key of the one kept (the first in order): a later event naming either names the one kept."""
    first: dict[tuple[object, ...], str] = {}
    out = {}
    for e in sorted(events, key=lambda e: e.order):
        if e.recorded_by == MIGRATED:
            kept = first.setdefault(e.same_as, e.key)
            if kept != e.key:
                out[e.key] = kept
    return out


class _Walk:
    """One pass over a person's events (the machine's bookkeeping)."""

    def __init__(self, nominal_id: int, review_months: Mapping[Strand, int], reconsider_months: int) -> None:
        self.nid = nominal_id
        self.review_months = review_months
        self.reconsider_months = reconsider_months
        self.stage = Stage.OFF
        self.open: dict[Strand, dict[str, Any]] = {}  # the open memberships, by strand
        self.closed: list[dict[str, Any]] = []
        self.periods: list[Period] = []
        self.s: dict[str, Any] = {"status": None, "custody_on": None, "release_on": None, "basis": None}
        self.next_review: dt.date | None = None
        self.reviewed: list[dt.date] = []
        self.arrest: dt.date | None = None
        self.intel: dt.date | None = None
        self.amber: AmberHold | None = None
        self.amber_membership: dict[str, Any] | None = None
        self.ignored: list[tuple[str, str]] = []
        self.nominations: dict[str, Nomination] = {}
        self.sentences: list[tuple[str, Sentence]] = []
        self.facts: dict[str, CaseFact] = {}
        self.alias: dict[str, str] = {}

    def run(self, events: Iterable[Event]) -> PersonState:
        events = list(events)
        self.alias = aliases(events)
        for e in live(events):
            why = unreadable(e.details) or self._why_not(e)
            if why:
                self.ignored.append((e.key, why))
                continue
            getattr(self, "_" + e.kind.value.replace("-", "_"))(e)
            self.stage = TRANSITIONS[self.stage][e.kind]
            if e.kind.reviews:
                self.reviewed.append(e.on)
        return self._state()

    # -- which events may happen ------------------------------------------------------------
    def _why_not(self, e: Event) -> str:
        if e.kind not in TRANSITIONS[self.stage]:
            return WHY_NOT.get((self.stage, e.kind), f"cannot be '{e.kind.label}' now ({self.stage.label})")
        lead = self._lead()
        if e.kind in (EventKind.SELECTED, EventKind.MOVED, EventKind.PARALLEL) and e.strand is None:
            return "needs a strand for that"
        if e.kind is EventKind.SELECTED and (e.basis or self.s["basis"]) is None:
            return "needs the basis (prolific or priority) to be selected"
        if e.kind is EventKind.MOVED and lead is not None and e.strand is lead["strand"]:
            return f"is already on {e.strand.value} as lead"
        if e.kind is EventKind.PARALLEL and e.strand in self.open:
            return "already has that strand"
        ends_lead = e.strand in self.open and self.open[e.strand]["is_lead"]
        if e.kind is EventKind.PARALLEL_ENDED and (e.strand not in self.open or ends_lead):
            return "has no parallel activity on that strand"
        if e.kind is EventKind.AMBER and (release := e.date("release_on")) is not None and release <= e.on:
            return "needs an expected release after the day of the amber list"
        if e.kind is EventKind.AMBER and e.date("release_on") is None:
            return "needs the expected release date for the amber list"
        if e.kind is EventKind.DESELECTED and not e.text("reason"):
            return "needs a coded reason to be de-selected"
        if e.kind is EventKind.NOMINATED and (e.strand is None or e.basis is None):
            return "needs the strand and the basis to be nominated"
        if e.kind is EventKind.NOMINATION_SETTLED:
            return self._why_not_settled(e)
        if e.kind is EventKind.FACT and not e.text("fact"):
            return "needs the name of the fact"
        return ""

    def _why_not_settled(self, e: Event) -> str:
        nomination = self.nominations.get(self._named(e.text("nomination")))
        if nomination is None:
            return "has no such nomination"
        if e.text("state") not in {s.value for s in NominationState} - {NominationState.SELECTED.value}:
            return "needs the nomination declined, withdrawn or open again (a selection settles it)"
        if nomination.state.value == e.text("state"):
            return f"has that nomination {nomination.state.value} already"
        return ""

    def _named(self, key: str) -> str:
        return self.alias.get(key, key)

    # -- the events ------------------------------------------------------------------------
    def _selected(self, e: Event) -> None:
        assert e.strand is not None
        for key, nomination in self.nominations.items():  # the selection settles every open nomination
            if nomination.state is NominationState.OPEN:
                self.nominations[key] = replace(nomination, state=NominationState.SELECTED)
        self.periods.append(Period(e.on, None))
        if self.amber_membership is not None:  # reconsidered: re-selected
            self.amber_membership["amber_until"] = e.on
        self.amber = None
        self.amber_membership = None
        status = e.status or self.s["status"] or Status.OFFENDING_NOT_CJS
        self.s.update(basis=e.basis or self.s["basis"], status=status)
        if self.s["status"] is not Status.CUSTODY:
            self.s.update(custody_on=None)
        self._open(e.strand, e.on, lead=True)
        self.next_review = self._cadence(e.strand, e.on)

    def _parallel(self, e: Event) -> None:
        assert e.strand is not None
        self._open(e.strand, e.on, lead=False)

    def _parallel_ended(self, e: Event) -> None:
        assert e.strand is not None
        self._close(self.open.pop(e.strand), e.on, RemovalReason.OTHER.value, e, note=e.text("note"))

    def _moved(self, e: Event) -> None:
        assert e.strand is not None
        lead = self._lead()
        assert lead is not None
        if lead["strand"] is Strand.PREVENT_DETER:  # an escalation: the P&D membership ends, not an exit
            self._close(self.open.pop(lead["strand"]), e.on, RemovalReason.OTHER.value, e,
                        note=f"Moved to {e.strand.value}")  # fmt: skip
        else:
            lead["is_lead"] = False
        self.s.update(basis=e.basis or self.s["basis"], status=e.status or self.s["status"])
        if e.strand in self.open:
            self.open[e.strand]["is_lead"] = True
        else:
            self._open(e.strand, e.on, lead=True)
        self.next_review = self._cadence(e.strand, e.on)

    def _retained(self, e: Event) -> None:
        if e.status:
            self.s["status"] = e.status
        lead = self._lead()
        assert lead is not None
        self.next_review = self._cadence(lead["strand"], e.on)

    def _deferred(self, e: Event) -> None:
        pass

    def _status(self, e: Event) -> None:
        if e.status:
            self.s["status"] = e.status
        if e.status is Status.CUSTODY:
            self.s["custody_on"] = e.date("custody_on") or self.s["custody_on"] or e.on
        elif e.status is not None:
            self.s["custody_on"] = None
        if "release_on" in e.details:
            self.s["release_on"] = e.date("release_on")
        if self.amber is not None and e.date("release_on"):
            self.amber = replace(self.amber, release_on=e.date("release_on") or self.amber.release_on)

    def _review_set(self, e: Event) -> None:
        self.next_review = e.date("review_on")

    def _amber(self, e: Event) -> None:
        release = e.date("release_on")
        lead = self._lead()
        assert release is not None and lead is not None
        self.s.update(status=Status.CUSTODY, custody_on=self.s["custody_on"] or e.on, release_on=release)
        self.amber = AmberHold(e.on, release, lead["strand"])
        self.amber_membership = lead
        lead.update(amber=True, amber_on=e.on)
        self._end_period(e, "amber", RemovalReason.AMBER_LIST.value, note=e.text("note"))
        self.next_review = None

    def _released(self, e: Event) -> None:
        self.s.update(status=e.status or Status.AT_RISK, custody_on=None, release_on=e.on)
        if self.amber is not None:
            self.amber = replace(self.amber, released_on=e.on)

    def _deselected(self, e: Event) -> None:
        reason, note = e.text("reason"), e.text("note")
        if self.stage is Stage.AMBER:  # reconsidered: de-selected; they left the cohort at the amber list
            membership = self.amber_membership
            assert membership is not None and self.amber is not None
            said = f"Reconsidered {e.on:%d %b %Y} after the amber list from {self.amber.placed_on:%d %b %Y}"
            membership.update(removal_reason=reason, removal_authority=e.text("authority"), amber_until=e.on,
                         removal_outcomes=tuple(e.details.get("outcomes", ())),
                         removal_note=said + (f": {note}" if note else ""))  # fmt: skip
            self.amber = None
            self.amber_membership = None
        else:
            self._end_period(e, "deselected", reason, note=note)
        self.next_review = None

    def _arrested(self, e: Event) -> None:
        self.arrest = max(filter(None, (self.arrest, e.on)))

    def _intelligence(self, e: Event) -> None:
        self.intel = max(filter(None, (self.intel, e.on)))

    def _withdrawn(self, e: Event) -> None:  # left out by ``live``
        pass

    def _nominated(self, e: Event) -> None:
        assert e.strand is not None and e.basis is not None
        self.nominations[e.key] = Nomination(
            id=0, nominal_id=self.nid, agency=e.text("agency"), nominator=e.text("nominator"),
            nominated_on=e.on, basis=e.basis, strand=e.strand, reason=e.text("reason"),
            state=NominationState(e.text("state") or NominationState.OPEN.value),
        )  # fmt: skip

    def _nomination_settled(self, e: Event) -> None:
        key = self._named(e.text("nomination"))
        self.nominations[key] = replace(self.nominations[key], state=NominationState(e.text("state")))

    def _sentenced(self, e: Event) -> None:
        whole = {name: int(e.details.get(name) or 0) for name in ("years", "months", "days")}
        recorded = e.date("recorded_on") or _day(e.recorded_at)
        self.sentences.append((e.key, Sentence(
            id=0, nominal_id=self.nid, starts_on=e.on, length_years=whole["years"],
            length_months=whole["months"], length_days=whole["days"], ends_on=e.date("ends_on"),
            no_fixed_term=bool(e.details.get("no_fixed_term")), release_on=e.date("release_on"),
            secure_hospital=bool(e.details.get("secure_hospital")), recorded_on=recorded, note=e.text("note"),
        )))  # fmt: skip

    def _fact(self, e: Event) -> None:
        fact = e.text("fact")
        if "value" in e.details:
            by = (
                e.text("recorded_by") if e.recorded_by == MIGRATED else e.recorded_by
            )  # who, before histories
            self.facts[fact] = CaseFact(self.nid, fact, e.details["value"], e.on, by or e.recorded_by)
        else:
            self.facts.pop(fact, None)

    # -- bookkeeping -----------------------------------------------------------------------
    def _lead(self) -> dict[str, Any] | None:
        return next((s for s in self.open.values() if s["is_lead"]), None)

    def _cadence(self, strand: Strand, day: dt.date) -> dt.date | None:
        months = self.review_months.get(strand)
        return day + _months(months) if months else None

    def _open(self, strand: Strand, day: dt.date, *, lead: bool) -> None:
        self.open[strand] = {"strand": strand, "added_on": day, "is_lead": lead, "amber": False,
                             "amber_on": None, "removed_on": None, "removal_reason": None,
                             "removal_note": "", "removal_authority": "", "removal_outcomes": (),
                             "basis": self.s["basis"], "amber_until": None,
                             "scheme_since": self.periods[-1].started_on}  # fmt: skip

    def _close(
        self, membership: dict[str, Any], day: dt.date, reason: str, e: Event, *, note: str = ""
    ) -> None:
        membership.update(removed_on=day, removal_reason=reason, removal_note=note,
                     removal_authority=e.text("authority"),
                     removal_outcomes=tuple(e.details.get("outcomes", ())), status=self.s["status"],
                     custody_on=self.s["custody_on"], release_on=self.s["release_on"])  # fmt: skip
        self.closed.append(membership)

    def _end_period(self, e: Event, how: str, reason: str, *, note: str) -> None:
        for strand in list(self.open):
            self._close(self.open.pop(strand), e.on, reason, e, note=note)
        last = self.periods[-1]
        self.periods[-1] = Period(last.started_on, e.on, how)

    def _state(self) -> PersonState:
        lead = self._lead()
        memberships = []
        held = self.amber.reconsider_on(self.reconsider_months) if self.amber else None
        for s in [*self.closed, *self.open.values()]:
            current = s["removed_on"] is None
            now = current or s is self.amber_membership  # custody as it stands now
            memberships.append(Membership(
                id=0, nominal_id=self.nid, strand=s["strand"], basis=s["basis"] or Basis.PROLIFIC,
                status=(self.s["status"] if current else s.get("status")) or Status.OFFENDING_NOT_CJS,
                added_on=s["added_on"], is_lead=s["is_lead"],
                next_review_on=(self.next_review if current and s["is_lead"] else
                                held if s is self.amber_membership else None),
                custody_on=self.s["custody_on"] if now else s.get("custody_on"),
                release_on=self.s["release_on"] if now else s.get("release_on"),
                amber=s["amber"], amber_on=s["amber_on"], removed_on=s["removed_on"],
                removal_reason=RemovalReason(s["removal_reason"]) if s["removal_reason"] else None,
                removal_note=s["removal_note"], removal_authority=s["removal_authority"],
                removal_outcomes=tuple(RemovalOutcome(o) for o in s["removal_outcomes"]),
                amber_until=s["amber_until"], scheme_since=s["scheme_since"],
            ))  # fmt: skip
        memberships.sort(key=lambda m: (m.added_on, not m.is_lead, m.strand.value))
        return PersonState(
            stage=self.stage,
            lead=lead["strand"] if lead else None,
            basis=self.s["basis"] if self.stage is not Stage.OFF else None,
            parallel=tuple(s for s, v in self.open.items() if not v["is_lead"]),
            status=self.s["status"] if self.stage is not Stage.OFF else None,
            custody_on=self.s["custody_on"],
            release_on=self.s["release_on"],
            next_review_on=self.next_review,
            periods=tuple(self.periods),
            memberships=tuple(memberships),
            reviewed_on=tuple(sorted(self.reviewed)),
            last_arrest_on=self.arrest,
            last_intelligence_on=self.intel,
            amber=self.amber,
            ignored=tuple(self.ignored),
            nominations=tuple(self.nominations.items()),
            sentences=tuple(self.sentences),
            facts=tuple(sorted(self.facts.values(), key=lambda f: f.fact)),
        )


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a person's history as the case shows it, oldest first."""

    event: Event
    what: str
    details: str
    standing: str  # "" when it counts; otherwise why not (withdrawn, undone, set aside)


def timeline(
    events: Iterable[Event], state: PersonState, undone_decisions: Iterable[int] = ()
) -> list[TimelineEntry]:
    """The history with each event said in words, and why any does not count."""
    ordered = sorted(events, key=lambda e: e.order)
    withdrawn = {e.text("withdraws"): e for e in ordered if e.kind is EventKind.WITHDRAWN}
    aside = dict(state.ignored)
    undone = set(undone_decisions)
    out = []
    for e in ordered:
        what = _(e.kind.label) + (f" — {e.strand.value}" if e.strand else "")
        parts = [_(e.status.label) if e.status else ""]
        parts += [f"{k.replace('_', ' ')}: {v}" for k, v in sorted(e.details.items())
                  if k not in ("withdraws", "outcomes", "fact", "value") and v]  # fmt: skip
        if e.details.get("outcomes"):
            outcomes = ", ".join(map(str, e.details["outcomes"]))
            parts.append(_("outcomes: {outcomes}").format(outcomes=outcomes))
        if e.kind is EventKind.FACT:
            value = _said(e.details["value"]) if "value" in e.details else _("not known")
            parts.append(f"{e.text('fact')}: {value}")
        named = e.text("withdraws") or e.text("nomination")
        if named:
            target = next((t for t in ordered if t.key == named), None)
            now = _("now {state}").format(state=_(e.text("state")))
            verb = _("withdraws") if e.kind is EventKind.WITHDRAWN else now
            parts = [verb if target is None else _("{verb}: {event} of {day}").format(
                verb=verb, event=_(target.kind.label), day=format_date(target.on))]  # fmt: skip
        standing = (
            _("withdrawn {day}").format(day=format_date(withdrawn[e.key].on)) if e.key in withdrawn
            else _("undone with its decision") if e.decision_id in undone
            else _("set aside: {why}").format(why=aside[e.key]) if e.key in aside
            else ""
        )  # fmt: skip
        out.append(TimelineEntry(e, what, "; ".join(p for p in parts if p), standing))
    return out


def _said(value: object) -> str:
    return {True: _("yes"), False: _("no")}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _day(stamp: str) -> dt.date | None:
    return dt.date.fromisoformat(stamp[:10]) if stamp else None
