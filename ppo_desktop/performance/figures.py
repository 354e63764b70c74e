"""The scheme's performance figures, worked out from plain records (no store, no Qt).

The dashboard, the printed report and the CSV exports all draw these same tables and charts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from ppo_desktop.domain import Membership, Nominal, Nomination, RemovalOutcome, Sentence, Status, Strand
from ppo_desktop.i18n import N_, _, format_date, format_month, ngettext
from ppo_desktop.performance.ceiling import CeilingYear
from ppo_desktop.performance.reoffending import reoffending_charts, reoffending_tables
from ppo_desktop.performance.tables import Cell, Chart, Table
from ppo_desktop.rules.profiles import Capacity, SchemeProfile
from ppo_desktop.scoring.rfg import Offence, RfgDefinition, score_as_at

POOL = N_("Nominations pool")
NOT_RECORDED = N_("Not recorded")
AVERAGE_MONTH_DAYS = 30.436875


@dataclass(frozen=True)
class SheetFact:
    nominal_id: int
    matrix_id: str
    scored_on: dt.date
    total: float


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    strand: Strand | None = None
    area: str | None = None

    def describe(self) -> str:
        parts = [_("{start} to {end}").format(start=format_date(self.start), end=format_date(self.end))]
        parts.append(_(self.strand.long_name) if self.strand else _("all strands"))
        parts.append(self.area or _("all areas"))
        return ", ".join(parts)


@dataclass(frozen=True)
class Facts:
    nominals: dict[int, Nominal]
    memberships: list[Membership]
    open_nominations: list[Nomination]
    sheets: list[SheetFact]
    years: list[CeilingYear]
    profile: SchemeProfile
    reason_labels: dict[str, str] = field(default_factory=dict)
    sentences: dict[int, Sentence] = field(default_factory=dict)  # each person's latest
    offences: Mapping[int, list[Offence]] = field(default_factory=dict)  # by person, for the IOM scores
    scores: RfgDefinition | None = None  # the partnership's IOM scores definition


@dataclass(frozen=True)
class Report:
    filters: Filters
    years: tuple[CeilingYear, ...]
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def present(self, keys: Iterable[str]) -> list[Table]:
        """The tables among ``keys`` this report has (some exist only for some profiles)."""
        return [t for k in keys for t in self.tables if t.key == k]


def build(facts: Facts, filters: Filters) -> Report:
    memberships = [s for s in facts.memberships if _wanted(s, facts, filters)]
    trend = score_trend(facts, memberships, filters)
    sizes = capacity(facts.profile, memberships, filters.end, facts.sentences)
    tables = [
        *reoffending_tables(facts.years),
        trend,
        sizes,
        *([groups] if (groups := capacity_groups(facts.profile, sizes)) else []),
        throughput(facts, memberships, filters),
        removals_by_reason(facts, memberships, filters),
        outcomes(facts, memberships, filters),
        *([progress] if (progress := iom_progress(facts, memberships, filters)) else []),
        cohort_mix(facts.profile, memberships, filters),
        *equality(facts, memberships, filters),
    ]
    charts = [*reoffending_charts(facts.years), trend_chart(trend, facts.profile), capacity_chart(sizes)]
    return Report(filters, tuple(facts.years), tuple(tables), tuple(c for c in charts if c.categories))


# -- cohort score trend (000 §9) ---------------------------------------------------------------
def rounds(filters: Filters, every_months: int) -> list[dt.date]:
    """Round ends, every ``every_months`` back from the period's end, oldest first."""
    out, day, k = [], filters.end, 0
    while day >= filters.start:
        out.append(day)
        k += 1
        day = filters.end - relativedelta(months=every_months * k)
    return out[::-1]


def score_trend(facts: Facts, memberships: list[Membership], filters: Filters) -> Table:
    by_person: dict[tuple[int, str], list[SheetFact]] = {}
    for s in sorted(facts.sheets, key=lambda s: s.scored_on):
        by_person.setdefault((s.nominal_id, s.matrix_id), []).append(s)
    lines: list[tuple[Cell, ...]] = []
    for target in facts.profile.score_series():
        strands = [s for s in target.strands if filters.strand in (None, s)]
        if not strands:
            continue
        for day in rounds(filters, target.every_months):
            per_strand: dict[Strand, list[float]] = {s: [] for s in strands}
            for membership in memberships:
                if membership.strand in per_strand and on_scheme(membership, day):
                    history = [
                        h
                        for h in by_person.get((membership.nominal_id, target.matrix), [])
                        if h.scored_on <= day
                    ]
                    if history:
                        per_strand[membership.strand].append(history[-1].total)
            every = [t for scores in per_strand.values() for t in scores]
            if not every:
                continue  # nobody on the measure had been scored yet
            split = [(s.value, per_strand[s]) for s in strands if len(strands) > 1]
            for label, scores in [(N_("All"), every), *split]:
                total = round(sum(scores), 1)
                whole = label == N_("All") and target.baseline is not None
                lines.append(
                    (
                        target.label,
                        label,
                        day,
                        len(scores),
                        _num(total),
                        round(total / len(scores), 1) if scores else None,
                        _num(target.baseline) if whole else None,
                        _num(round(total - (target.baseline or 0), 1)) if whole else None,
                    )
                )
    return Table(
        "score-trend",
        N_("Cohort score per review round"),
        (
            N_("Measure"),
            N_("Strand"),
            N_("Round ending"),
            N_("People scored"),
            N_("Total score"),
            N_("Mean score"),
            N_("Baseline"),
            N_("Change"),
        ),
        tuple(lines),
        note=N_(
            "Each person's latest final score on the measure's matrix at the round's end, for everyone "
            "on the strand that day. A falling total is the target."
        ),
    )


def trend_chart(trend: Table, profile: SchemeProfile) -> Chart:
    rows = [r for r in trend.rows if r[1] == N_("All")]
    days = sorted({r[2] for r in rows if isinstance(r[2], dt.date)})
    series = []
    for target in profile.score_series():
        values = {r[2]: r[4] for r in rows if r[0] == target.label}
        if values:
            series.append((target.label, tuple(float(str(values.get(d, 0) or 0)) for d in days)))
    baseline = next((t for t in profile.score_series() if t.baseline is not None), None)
    return Chart(
        "score-trend",
        N_("Cohort score per review round"),
        "line",
        tuple(format_month(d) for d in days),
        tuple(series),
        (_("Baseline {baseline:g}").format(baseline=baseline.baseline), baseline.baseline)
        if baseline is not None and baseline.baseline
        else None,
    )


# -- capacity and balance ----------------------------------------------------------------------
def capacity(
    profile: SchemeProfile,
    memberships: list[Membership],
    day: dt.date,
    sentences: Mapping[int, Sentence] | None = None,
) -> Table:
    """The active cohort per strand against the profile's capacity; people on the amber list (long
    custody, removed from the active cohort until reconsidered) are counted apart, not in the cohort
    or its custody balance. "Custody over 12 months" is the sentence's length, not the time served
    (002 §4.4); "average months on scheme" is each person's time on the scheme, whatever the strand."""
    sentences = sentences or {}
    lines: list[tuple[Cell, ...]] = []
    for strand in profile.strands:
        on = [s for s in memberships if s.strand is strand and s.is_lead and on_scheme(s, day)]
        held = [s for s in memberships if s.strand is strand and s.is_lead and s.held_on_amber(day)]
        cap = profile.capacity.get(strand)
        custody = [s for s in on if in_custody(s, day)]
        long_custody = [
            s for s in custody
            if (sentence := sentences.get(s.nominal_id)) is not None and sentence.longer_than(months=12)
        ]  # fmt: skip
        community = len(on) - len(custody)
        lines.append(
            (
                strand.long_name,
                len(on),
                len(held),
                cap.min if cap else None,
                cap.max if cap else None,
                _against(len(on), cap),
                community,
                len(custody),
                len(long_custody),
                round(100 * community / len(on), 1) if on else None,
                _mean([months_between(s.scheme_since or s.added_on, day) for s in on]),
            )
        )
    return Table(
        "capacity",
        _("Cohort size and balance on {day}").format(day=format_date(day)),
        (
            N_("Strand"),
            N_("Cohort"),
            N_("Amber list"),
            N_("Minimum"),
            N_("Maximum"),
            N_("Against capacity"),
            N_("Community"),
            N_("Custody"),
            N_("Custody over 12 months"),
            N_("In the community %"),
            N_("Average months on scheme"),
        ),
        tuple(lines),
        note=N_(
            "The guidance expects most of the cohort to be managed in the community. The amber list "
            "(custody over the profile's threshold, watched until release) is counted apart."
        ),
    )


def capacity_groups(profile: SchemeProfile, sizes: Table) -> Table | None:
    """Capacities a scheme states for strands together (Thurrock: C&C and R&R, minimum 20)."""
    if not profile.capacity_groups:
        return None
    cohort = {str(r[0]): int(str(r[1])) for r in sizes.rows}
    lines: list[tuple[Cell, ...]] = []
    for g in profile.capacity_groups:
        n = sum(cohort[s.long_name] for s in g.strands)
        lines.append((" + ".join(s.value for s in g.strands), n, g.min, g.max, _against(n, g), g.source))
    return Table(
        "capacity-groups",
        N_("Strands counted together"),
        (N_("Strands"), N_("Cohort"), N_("Minimum"), N_("Maximum"), N_("Against capacity"), N_("Source")),
        tuple(lines),
    )


def _against(n: int, cap: Capacity | None) -> str:
    if cap is None:
        return N_("no limits set")
    if cap.max is not None and n > cap.max:
        return _("{n} over the maximum").format(n=n - cap.max)
    if n < cap.min:
        return _("{n} under the minimum").format(n=cap.min - n)
    return N_("within limits")


def capacity_chart(table: Table) -> Chart:
    return Chart(
        "capacity",
        N_("Cohort per strand: community and custody"),
        "stacked",
        tuple(str(r[0]) for r in table.rows),
        (
            (N_("Community"), tuple(float(str(r[6])) for r in table.rows)),
            (N_("Custody"), tuple(float(str(r[7])) for r in table.rows)),
        ),
    )


def throughput(facts: Facts, memberships: list[Membership], filters: Filters) -> Table:
    everyone = _by_person(facts.memberships)
    added = [
        s
        for s in memberships
        if s.is_lead and filters.start <= s.added_on <= filters.end and not moved_in(s, everyone)
    ]
    exits = [
        s
        for s in memberships
        if is_exit(s, everyone) and filters.start <= (s.removed_on or filters.end) <= filters.end
    ]
    ever_removed = {
        s.nominal_id
        for s in memberships
        if is_exit(s, everyone) and s.removed_on and s.removed_on <= filters.end
    }
    reselected = {
        s.nominal_id
        for s in memberships
        if s.added_on <= filters.end
        and any(
            is_exit(o, everyone) and o.removed_on and o.removed_on <= s.added_on
            for o in everyone[s.nominal_id]
        )
        and not moved_in(s, everyone)
    }
    people_through = {
        s.nominal_id for s in memberships if s.added_on <= filters.end and on_scheme_during(s, filters)
    }
    return Table(
        "throughput",
        N_("Throughput in the period"),
        (N_("Measure"), N_("People")),
        (
            (N_("On the scheme at some time in the period"), len(people_through)),
            (N_("Selected in the period"), len({s.nominal_id for s in added})),
            (N_("Removed in the period"), len({s.nominal_id for s in exits})),
            (N_("Removed at any time up to the period's end"), len(ever_removed)),
            (N_("Of those, selected again later"), len(reselected & ever_removed)),
            (
                N_("Re-selection rate %"),
                round(100 * len(reselected & ever_removed) / len(ever_removed), 1) if ever_removed else None,
            ),
        ),
        note=N_("A move between strands (P&D into C&C) is not a removal or a selection."),
    )


def removals_by_reason(facts: Facts, memberships: list[Membership], filters: Filters) -> Table:
    everyone = _by_person(facts.memberships)
    counts = Counter(
        s.removal_reason.value
        for s in memberships
        if s.removal_reason
        and is_exit(s, everyone)
        and s.removed_on
        and filters.start <= s.removed_on <= filters.end
    )
    return Table(
        "removals",
        N_("Removals in the period by reason"),
        (N_("Reason"), N_("Removals")),
        tuple((facts.reason_labels.get(code, code), n) for code, n in counts.most_common()),
    )


def outcomes(facts: Facts, memberships: list[Membership], filters: Filters) -> Table:
    everyone = _by_person(facts.memberships)
    exits = [
        s
        for s in memberships
        if is_exit(s, everyone) and s.removed_on and filters.start <= s.removed_on <= filters.end
    ]
    counts = Counter(o for s in exits for o in s.removal_outcomes)
    lines: list[tuple[Cell, ...]] = [(o.label, counts.get(o, 0)) for o in RemovalOutcome]
    lines.append((N_("None recorded"), sum(1 for s in exits if not s.removal_outcomes)))
    return Table(
        "outcomes",
        N_("Outcomes recorded when people left the scheme"),
        (N_("Outcome"), N_("People")),
        tuple(lines),
        note=ngettext(
            "{n} person left in the period; one person may have several outcomes.",
            "{n} people left in the period; one person may have several outcomes.",
            len(exits),
        ).format(n=len(exits)),
    )


# -- equality monitoring (000 §12) -------------------------------------------------------------
def equality(facts: Facts, memberships: list[Membership], filters: Filters) -> list[Table]:
    groups: dict[str, set[int]] = {}
    for strand in facts.profile.strands:
        if filters.strand in (None, strand):
            groups[strand.value] = {
                s.nominal_id for s in memberships if s.strand is strand and on_scheme(s, filters.end)
            }
    groups[POOL] = {
        n.nominal_id
        for n in facts.open_nominations
        if filters.strand in (None, n.strand)
        and filters.area in (None, facts.nominals[n.nominal_id].area)
        and n.nominated_on <= filters.end
    }
    out = []
    for key, title, attr in (("gender", N_("Gender"), "gender"), ("ethnicity", N_("Ethnicity"), "ethnicity")):
        values = sorted(
            {getattr(facts.nominals[i], attr) or NOT_RECORDED for ids in groups.values() for i in ids}
        )
        lines: list[tuple[Cell, ...]] = [
            (
                v,
                *(
                    sum(1 for i in ids if (getattr(facts.nominals[i], attr) or NOT_RECORDED) == v)
                    for ids in groups.values()
                ),
            )
            for v in values
        ]
        lines.append((N_("Total"), *(len(ids) for ids in groups.values())))
        out.append(
            Table(
                f"equality-{key}",
                _("Equality monitoring: {what} on {day}").format(
                    what=_(title).lower(), day=format_date(filters.end)
                ),
                (title, *groups),
                tuple(lines),
                note=N_("Counts of 1 to 4 are shown as <5 in anything printed or exported."),
                small_numbers=True,
                total_row=True,
            )
        )
    return out


# -- helpers -------------------------------------------------------------------------------------
# -- progress: the IOM score on entry and on leaving (issue 25) ----------------------------------
def periods(memberships: Iterable[Membership]) -> list[tuple[int, dt.date, dt.date | None]]:
    """Each person's periods on the scheme: (person, entered, left — None while still on it), from
    their lead memberships (a move between strands is within one period: they share its start)."""
    grouped: dict[tuple[int, dt.date], list[Membership]] = {}
    for m in memberships:
        if m.is_lead:
            grouped.setdefault((m.nominal_id, m.scheme_since or m.added_on), []).append(m)
    found = []
    for (nid, start), ms in sorted(grouped.items()):
        ends = [m.removed_on for m in ms]
        found.append((nid, start, None if None in ends else max(e for e in ends if e is not None)))
    return found


def iom_progress(facts: Facts, memberships: list[Membership], filters: Filters) -> Table | None:
    """Mean IOM score on entering the scheme against the score on leaving it (or at the period's
    end, for those still on it), for people with offences recorded: the measure of progress today's
    IOM panels report. None where no offences are recorded at all."""
    if facts.scores is None or not facts.offences:
        return None
    definition = facts.scores
    left: list[tuple[int, int]] = []
    staying: list[tuple[int, int]] = []
    for nid, entered, gone in periods(memberships):
        offences = facts.offences.get(nid)
        if not offences or entered > filters.end:
            continue
        entry = score_as_at(definition, offences, entered).total
        if gone is not None and filters.start <= gone <= filters.end:
            left.append((entry, score_as_at(definition, offences, gone).total))
        elif gone is None or gone > filters.end:
            staying.append((entry, score_as_at(definition, offences, filters.end).total))

    def row(label: str, pairs: list[tuple[int, int]]) -> tuple[Cell, ...]:
        if not pairs:
            return (label, 0, None, None, None)
        entry, later = (sum(p[i] for p in pairs) / len(pairs) for i in (0, 1))
        return (label, len(pairs), round(entry, 1), round(later, 1), round(later - entry, 1))

    per_list = []  # each list's people, from the day they joined it to the day they left it (or the end)
    for strand in facts.profile.strands:
        pairs = []
        for m in memberships:
            offences = facts.offences.get(m.nominal_id)
            if m.strand is strand and m.is_lead and offences and on_scheme_during(m, filters):
                left_on = min(m.removed_on or filters.end, filters.end)
                pairs.append((score_as_at(definition, offences, m.added_on).total,
                              score_as_at(definition, offences, left_on).total))  # fmt: skip
        if pairs:
            per_list.append(
                row(
                    _("{strand}: joining it → leaving it, or the period's end").format(
                        strand=_(strand.long_name)
                    ),
                    pairs,
                )
            )
    return Table(
        "iom-progress",
        N_("IOM score on entry and on leaving"),
        (
            N_("People"),
            N_("Number"),
            N_("Mean on entry"),
            N_("Mean on leaving, or at the period's end"),
            N_("Mean change"),
        ),
        (
            row(N_("Left the scheme in the period"), left),
            row(N_("On the scheme at the period's end"), staying),
            *per_list,
        ),  # fmt: skip
        note=_(
            "Recency, frequency, gravity and victims as {matrix} works them out from the offences recorded, "
            "on the day each period on the scheme began and on the day it ended (or the period's end); for "
            "each list, from the day each person joined it. Only people with offences recorded; a fall is "
            "progress."
        ).format(matrix=definition.label),
        small_numbers=True,
        population=1,
    )


# -- the mix of lists over time (IOM: Fixed, Flex and Free) ------------------------------------
MIX_EVERY_MONTHS = 3
# The tables shown (and printed) together under capacity and balance.
CAPACITY_TABLES = ("capacity", "capacity-groups", "cohort-mix", "throughput", "removals")


def cohort_mix(profile: SchemeProfile, memberships: list[Membership], filters: Filters) -> Table:
    """How many people each list the scheme runs held at each quarter's end in the period (their
    lead list; the amber list holds no place): an IOM scheme's free / flex / fixed mix over time."""
    runs = [s for s in profile.strands if filters.strand in (None, s)]
    lines: list[tuple[Cell, ...]] = []
    for day in rounds(filters, MIX_EVERY_MONTHS):
        held = [m for m in memberships if m.is_lead and on_scheme(m, day) and not m.held_on_amber(day)]
        counts = [sum(1 for m in held if m.strand is s) for s in runs]
        lines.append((day, *counts, sum(counts)))
    return Table(
        "cohort-mix",
        N_("The lists' mix at each quarter's end"),
        (N_("Quarter ending"), *(s.long_name for s in runs), N_("All")),
        tuple(lines),
        note=N_("People on each list at the day's end (their lead list; the amber list holds no place)."),
        small_numbers=True,
    )


def on_scheme(membership: Membership, day: dt.date) -> bool:
    return membership.added_on <= day and (membership.removed_on is None or membership.removed_on > day)


def on_scheme_during(membership: Membership, filters: Filters) -> bool:
    return membership.added_on <= filters.end and (
        membership.removed_on is None or membership.removed_on >= filters.start
    )


def in_custody(membership: Membership, day: dt.date) -> bool:
    if membership.custody_on is not None:
        return membership.custody_on <= day and (membership.release_on is None or membership.release_on > day)
    return membership.status is Status.CUSTODY


def months_between(start: dt.date, end: dt.date) -> float:
    return max(0, (end - start).days) / AVERAGE_MONTH_DAYS


def is_exit(membership: Membership, everyone: dict[int, list[Membership]]) -> bool:
    """A removal that takes the person off the scheme (not a move to another strand that day)."""
    if membership.removed_on is None or not membership.is_lead:
        return False
    return not any(
        o.id != membership.id and o.added_on == membership.removed_on for o in everyone[membership.nominal_id]
    )


def moved_in(membership: Membership, everyone: dict[int, list[Membership]]) -> bool:
    return any(
        o.id != membership.id and o.removed_on == membership.added_on for o in everyone[membership.nominal_id]
    )


def _by_person(memberships: Iterable[Membership]) -> dict[int, list[Membership]]:
    out: dict[int, list[Membership]] = {}
    for s in memberships:
        out.setdefault(s.nominal_id, []).append(s)
    return out


def _wanted(membership: Membership, facts: Facts, filters: Filters) -> bool:
    if filters.strand is not None and membership.strand is not filters.strand:
        return False
    return filters.area is None or facts.nominals[membership.nominal_id].area == filters.area


def _num(value: float | None) -> int | float | None:
    """Whole numbers print without a decimal point (788, not 788.0)."""
    return int(value) if value is not None and float(value).is_integer() else value


def _mean(values: list[float]) -> Decimal | None:
    return Decimal(str(round(sum(values) / len(values), 1))) if values else None
