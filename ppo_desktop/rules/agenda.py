"""Agenda proposals from the rules and the scheme profile; each proposal says why it is there and
which decision would settle it.

New nominations; reviews due by strand cadence; the two-year review (002 item 5) and "no arrest and
no intelligence for 6 months" (002 item 1), both counted from the person's time on the scheme
(``history``); custodial sentences over the amber-list or removal thresholds (000 §6.2, 002 item 3);
amber-list people from 3 months before release until the panel decides (000 §6, overdue after the
release date); people not selected released from short sentences, who have no statutory
supervision (002 §4.4–4.5);
P&D: ASSET fallen below 21 without a risk of serious harm (000 §6.1), and near-18s whose offending
escalates, for transfer (004); overdue or carried-forward actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from ppo_desktop.domain import Action, CohortRow, Nomination, Sentence, Status, Strand
from ppo_desktop.i18n import N_, _, format_date, ngettext
from ppo_desktop.rules.history import REVIEWING, PersonState, Stage
from ppo_desktop.rules.profiles import SchemeProfile

SETTLED_BY = N_(" Settled by: ")  # what follows says which decision settles a proposal (for the chair)

# Order on the agenda: the most pressing kinds first.
ORDER = (
    "nomination",
    "amber-release",
    "custody",
    "short-sentence",
    "licence",
    "review",
    "rescore",
    "two-year",
    "no-activity",
    "asset-fell",
    "transfer",
    "actions",
    "list-review",
    "retention",
)
LIST_REVIEW = N_("Review of the whole list")  # the agenda item's title (its reasons say what)
RETENTION_REVIEW = N_("Yearly retention review")  # an item about the store, no names in it
LIST_REVIEW_MONTHS = 3  # "at least quarterly" (002 §4.2, item 4)
RELEASE_HORIZON_MONTHS = 3  # "imminent": a local reading


@dataclass
class Proposal:
    nominal_id: int | None  # None: an item about the list, not one person
    title: str
    kinds: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # structured: safe to project
    free_text: list[str] = field(default_factory=list)  # people's own words (a nomination's reason)

    def add(self, kind: str, reason: str) -> None:
        self.kinds.append(kind)
        self.reasons.append(reason)

    @property
    def rank(self) -> int:
        return min(ORDER.index(k) for k in self.kinds)


@dataclass(frozen=True)
class AssetReading:
    """A P&D young person's latest final sheet (ASSET, or AssetPlus ratings), read by the P&D matrix's
    own criteria."""

    total: float
    scored_on: dt.date
    below_threshold: bool | None  # the matrix's de-selection prompt: ASSET below 21, no RoSH
    rising: bool = False  # higher than the sheet before
    said: str = ""  # what the prompt read on the sheet ("ASSET score 20 (needs < 21); …")


def propose(
    day: dt.date,
    profile: SchemeProfile,
    cohort: Iterable[CohortRow],
    nominations: Iterable[Nomination],
    actions: Iterable[Action],
    states: Mapping[int, PersonState],
    asset: Mapping[int, AssetReading] | None = None,
    sentences: Mapping[int, Sentence] | None = None,
    scored: Mapping[tuple[int, str], dt.date] | None = None,
    list_reviewed_on: dt.date | None = None,
) -> list[Proposal]:
    """Everyone who should be discussed at a meeting held on ``day``, with the reasons: people in
    the active cohort by the review rules, people on the amber list when reconsideration is due, and
    people not selected (candidates, former PPOs) being released from short sentences. ``scored``:
    each person's latest final sheet date on each matrix (for the re-scoring window)."""
    rows = {r.nominal.id: r for r in cohort}
    asset = asset or {}
    sentences = sentences or {}
    out: dict[int, Proposal] = {}

    def item(nominal_id: int) -> Proposal:
        if nominal_id not in out:
            out[nominal_id] = Proposal(nominal_id, rows[nominal_id].nominal.display_name)
        return out[nominal_id]

    for n in nominations:
        if n.nominal_id in rows:
            proposal = item(n.nominal_id)
            proposal.add(
                "nomination",
                _("New nomination for {strand} by {agency}, {day}").format(
                    strand=n.strand.value, agency=n.agency, day=format_date(n.nominated_on)
                ),
            )
            proposal.free_text.append(f"{n.agency}: {n.reason}")
    for r in rows.values():
        h = states.get(r.nominal.id, OFF)
        sentence = sentences.get(r.nominal.id)
        if h.stage is Stage.ON and r.membership is not None and r.membership.current:
            found = _person(day, profile, r, h, asset.get(r.nominal.id), sentence)
            found = [*found, *_rescore(day, profile, r, h, scored or {})]
        elif h.stage is Stage.AMBER:
            found = _amber(day, profile, h)
        else:
            found = _short_sentence(day, profile, sentence)
        for kind, reason in found:
            item(r.nominal.id).add(kind, reason)
    for nid, reason in _actions(day, actions, rows):
        item(nid).add("actions", reason)
    ordered = sorted(out.values(), key=lambda p: (p.rank, p.title))
    return ordered + _list_review(day, list_reviewed_on, states, sentences)


def _list_review(
    day: dt.date,
    reviewed_on: dt.date | None,
    states: Mapping[int, PersonState],
    sentences: Mapping[int, Sentence],
) -> list[Proposal]:
    """The list as a whole, against all known offenders — including those in custody whose release is
    imminent — at least quarterly (002 §4.2 and item 4): one item about the list, no names in it."""
    if reviewed_on is not None and reviewed_on + relativedelta(months=LIST_REVIEW_MONTHS) > day:
        return []
    horizon = day + relativedelta(months=RELEASE_HORIZON_MONTHS)
    releases = sum(
        1
        for nid, s in sentences.items()
        if s.release_on is not None and day <= s.release_on <= horizon
        and states.get(nid, OFF).stage is Stage.OFF
    )  # fmt: skip
    last = _("last {day}").format(day=format_date(reviewed_on)) if reviewed_on else _("none recorded")
    proposal = Proposal(None, LIST_REVIEW)
    proposal.add(
        "list-review",
        _(
            "Review the list against all known offenders, including those in custody whose release is "
            "imminent, at least quarterly (002 §4.2, item 4; {last}). Not selected and due out by {day}: "
            "{releases} (see their cases; a {months}-month horizon is a local choice)."
        ).format(last=last, day=format_date(horizon), releases=releases, months=RELEASE_HORIZON_MONTHS),
    )
    return [proposal]


def retention_review(reason: str) -> list[Proposal]:
    """The yearly reminder that the retention schedule is due to be applied ('' when it is not)."""
    if not reason:
        return []
    proposal = Proposal(None, RETENTION_REVIEW)
    proposal.add("retention", reason)
    return [proposal]


OFF = PersonState()


def _amber(day: dt.date, profile: SchemeProfile, h: PersonState) -> Iterable[tuple[str, str]]:
    """On the amber list: reconsidered from three months before release (at once when release is
    nearer), overdue once the release date passes, until a decision re-selects or de-selects."""
    hold = h.amber
    assert hold is not None
    months = profile.reconsider_months_before_release
    due = hold.reconsider_on(months)
    if day < due or day <= hold.placed_on:
        return
    late = _("OVERDUE: ") if hold.release_on < day else ""
    said = _(
        "Amber list since {placed}: release expected {release}; reconsider {months} months before release "
        "(from {due}) after a full assessment of risk."
    ).format(placed=format_date(hold.placed_on), release=format_date(hold.release_on), months=months,
             due=format_date(due))  # fmt: skip
    settle = _("select (re-selected against the scheme's criteria) or de-select.")
    yield ("amber-release", f"{late}{said}{_(SETTLED_BY)}{settle}")


def _rescore(
    day: dt.date,
    profile: SchemeProfile,
    r: CohortRow,
    h: PersonState,
    scored: Mapping[tuple[int, str], dt.date],
) -> Iterable[tuple[str, str]]:
    """A member whose latest final sheet on their strand's matrix is older than the profile's
    re-scoring window (Thurrock: six-monthly, 000 §5.1–5.2); with no sheet, the window counts from
    the start of their time on the scheme."""
    m = r.membership
    assert m is not None and h.period is not None
    window = profile.rescore_months.get(m.strand)
    matrix = profile.matrices.get(m.strand)
    if not window or matrix is None:
        return
    last = scored.get((r.nominal.id, matrix))
    since = last or h.period.started_on
    if since + relativedelta(months=window) > day:
        return
    what = (
        _("Last scored {day}").format(day=format_date(last)) if last
        else _("No final sheet since joining on {day}").format(day=format_date(since))
    )  # fmt: skip
    said = _("{what} on {matrix}: {strand} is scored every {months} months ({source}).").format(
        what=what,
        matrix=matrix,
        strand=m.strand.value,
        months=window,
        source=profile.source_of("rescore_months"),
    )
    settle = _("a new final sheet (Score now).")
    yield ("rescore", f"{said}{_(SETTLED_BY)}{settle}")


def _short_sentence(
    day: dt.date, profile: SchemeProfile, sentence: Sentence | None
) -> Iterable[tuple[str, str]]:
    """Someone not selected (a candidate, or a former PPO) released from a short sentence: no statutory
    supervision, so the guidance gives them priority (002 §4.4–4.5). The window — released in the
    last three months or due within one — is a local choice."""
    if (
        sentence is not None
        and sentence.release_on is not None
        and sentence.shorter_than(months=profile.short_sentence_months)
        and day - relativedelta(months=3) <= sentence.release_on <= day + relativedelta(months=1)
    ):
        yield (
            "short-sentence",
            _(
                "Not selected; released (or due) {day} from a sentence of {length}, under {months} months: "
                "no statutory supervision, give priority (002 §4.4)."
            ).format(
                day=format_date(sentence.release_on),
                length=sentence.length_text,
                months=profile.short_sentence_months,
            ),  # fmt: skip
        )


def _licence(
    day: dt.date, profile: SchemeProfile, h: PersonState, sentence: Sentence | None, settle: str
) -> Iterable[tuple[str, str]]:
    """On licence, in its final third, not reviewed since it began: plan the exit from IOM before
    supervision ends (the profile's ``licence_final_third``)."""
    third = sentence.licence_final_third if sentence is not None else None
    if not profile.licence_final_third or sentence is None or third is None or sentence.ends is None:
        return
    if third <= day < sentence.ends and not h.reviewed_since(third):
        said = _(
            "On licence since {release} until {end}: its final third began {third}. Plan the exit before "
            "supervision ends ({source})."
        ).format(release=format_date(sentence.release_on), end=format_date(sentence.ends),
                 third=format_date(third), source=profile.source_of("licence_final_third"))  # fmt: skip
        yield ("licence", f"{said}{settle}")


def _person(
    day: dt.date,
    profile: SchemeProfile,
    r: CohortRow,
    h: PersonState,
    reading: AssetReading | None,
    sentence: Sentence | None,
) -> Iterable[tuple[str, str]]:
    m = r.membership
    assert m is not None and h.period is not None
    settle = f"{_(SETTLED_BY)}{_(REVIEWING)}."
    reconsider = profile.reconsider_months_before_release
    if sentence is not None and not h.reviewed_since(sentence.starts_on):
        sentenced = _("Sentenced on {day} to {length}").format(
            day=format_date(sentence.starts_on), length=sentence.length_text
        )
        if sentence.no_fixed_term:
            yield (
                "custody",
                _(
                    "{sentenced}: a secure hospital order with no fixed term, so the amber list or removal "
                    "in "
                    "full is for the panel, after a full assessment of risk."
                ).format(sentenced=sentenced),
            )
        elif sentence.longer_than(years=profile.remove_custody_years):
            yield (
                "custody",
                _(
                    "{sentenced}: over {years} years, so removal in full is proposed (the panel decides)."
                ).format(sentenced=sentenced, years=profile.remove_custody_years),
            )
        elif sentence.longer_than(years=profile.amber_custody_years):
            yield (
                "custody",
                _(
                    "{sentenced}: over {years} years, so the amber list is proposed until {months} months "
                    "before "
                    "release, after a full assessment of risk (the panel decides)."
                ).format(sentenced=sentenced, years=profile.amber_custody_years, months=reconsider),
            )
    yield from _licence(day, profile, h, sentence, settle)
    if m.next_review_on and m.next_review_on <= day:
        late = _(" (overdue)") if m.next_review_on < day - dt.timedelta(days=31) else ""
        said = _("{strand} review due {day}{late} (every {months} months).").format(
            strand=m.strand.value,
            day=format_date(m.next_review_on),
            late=late,
            months=profile.review_months[m.strand],
        )
        yield ("review", f"{said}{settle}")
    two_years = h.two_year_review_due()
    if profile.two_year_review and two_years is not None and two_years <= day:
        said = _("On the scheme since {since} (any strand): two-year review, due {due}.").format(
            since=format_date(h.period.started_on), due=format_date(two_years)
        )
        yield ("two-year", f"{said}{settle}")
    quiet = h.no_activity_due(profile.no_activity_months)
    if quiet is not None and quiet <= day and h.status is not Status.CUSTODY:
        last = h.last_activity()
        said = _(
            "No arrest and no intelligence since {day} ({months} continuous months): consider de-selection "
            "unless there are other indications such as continued drug misuse."
        ).format(day=format_date(last), months=profile.no_activity_months)
        yield ("no-activity", f"{said}{settle}")
    if m.strand is Strand.PREVENT_DETER and reading is not None:
        if reading.below_threshold:
            yield (
                "asset-fell",
                _("P&D sheet of {day}: {reading}; de-selection is prompted (000 §6.1).").format(
                    day=format_date(reading.scored_on), reading=reading.said or _("below the threshold")
                ),
            )
        age = r.nominal.age_on(day)
        eighteen = r.nominal.dob + relativedelta(years=18) if r.nominal.dob else None
        window = profile.transfer_near_18_months
        if eighteen is not None and age is not None and day >= eighteen - relativedelta(months=window):
            when = (
                _("now 18 (P&D is for under-18s)") if age >= 18
                else _("18 on {day}").format(day=format_date(eighteen))
            )  # fmt: skip
            if reading.rising or age >= 18:
                rising = (
                    _(", offending escalating (the P&D sheet's total up to {total:g})").format(
                        total=reading.total
                    )
                    if reading.rising
                    else ""
                )
                yield ("transfer", _("P&D, {when}{rising}: consider transfer to C&C (004).").format(
                    when=when, rising=rising))  # fmt: skip


def _actions(day: dt.date, actions: Iterable[Action], rows: Mapping[int, CohortRow]) -> list[tuple[int, str]]:
    overdue: dict[int, list[Action]] = {}
    carried: dict[int, list[Action]] = {}
    for a in actions:
        if a.nominal_id not in rows:
            continue
        if a.due_on is not None and a.due_on < day:
            overdue.setdefault(a.nominal_id, []).append(a)
        elif a.meeting_id is not None:
            carried.setdefault(a.nominal_id, []).append(a)
    out = []
    for nid, late_actions in overdue.items():
        oldest = min(a.due_on for a in late_actions if a.due_on)
        said = ngettext(
            "{n} overdue action (oldest due {day})",
            "{n} overdue actions (oldest due {day})",
            len(late_actions),
        )
        out.append((nid, said.format(n=len(late_actions), day=format_date(oldest))))
    for nid, open_ in carried.items():
        out.append(
            (
                nid,
                ngettext(
                    "{n} action carried forward from an earlier meeting",
                    "{n} actions carried forward from an earlier meeting",
                    len(open_),
                ).format(n=len(open_)),
            )
        )
    return out
