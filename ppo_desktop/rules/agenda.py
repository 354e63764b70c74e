"""Agenda proposals from the rules and the scheme profile; each proposal says why it is there.

New nominations; reviews due by strand cadence; two-year reviews (002 item 5); "no arrest and no
intelligence for 6 months" prompts (002 §5.2); amber-list people due for release within 3 months
(000 §6); people released from short sentences, who have no statutory supervision (002 §4.3);
overdue or carried-forward actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from ppo_desktop.domain import Action, CohortRow, Nomination, Status
from ppo_desktop.rules.profiles import SchemeProfile
from ppo_desktop.rules.review import months_between

# Order on the agenda: the most pressing kinds first.
ORDER = ("nomination", "amber-release", "short-sentence", "review", "two-year", "no-activity", "actions")


@dataclass
class Proposal:
    nominal_id: int
    title: str
    kinds: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def add(self, kind: str, reason: str) -> None:
        self.kinds.append(kind)
        self.reasons.append(reason)

    @property
    def rank(self) -> int:
        return min(ORDER.index(k) for k in self.kinds)


def propose(
    day: dt.date,
    profile: SchemeProfile,
    cohort: Iterable[CohortRow],
    nominations: Iterable[Nomination],
    actions: Iterable[Action],
    last_decided: Mapping[int, dt.date],
) -> list[Proposal]:
    """Everyone who should be discussed at a meeting held on ``day``, with the reasons."""
    rows = {r.nominal.id: r for r in cohort}
    out: dict[int, Proposal] = {}

    def item(nominal_id: int) -> Proposal:
        if nominal_id not in out:
            out[nominal_id] = Proposal(nominal_id, rows[nominal_id].nominal.display_name)
        return out[nominal_id]

    for n in nominations:
        if n.nominal_id in rows:
            item(n.nominal_id).add(
                "nomination",
                f"New nomination for {n.strand.value} by {n.agency} ({n.nominated_on:%d %b %Y}): {n.reason}",
            )
    for r in rows.values():
        m = r.membership
        if m is None or not m.current:
            continue
        nid = r.nominal.id
        if (
            m.amber
            and m.release_on
            and day <= m.release_on <= day + relativedelta(months=profile.reconsider_months_before_release)
        ):
            item(nid).add(
                "amber-release",
                f"Amber list: due for release on {m.release_on:%d %b %Y}; reconsider "
                f"{profile.reconsider_months_before_release} months before release after a full risk "
                "assessment",
            )
        if (
            m.custody_on
            and m.release_on
            and months_between(m.custody_on, m.release_on) < profile.short_sentence_months
            and day - relativedelta(months=3) <= m.release_on <= day + relativedelta(months=1)
        ):
            item(nid).add(
                "short-sentence",
                f"Released (or due) {m.release_on:%d %b %Y} from a sentence under "
                f"{profile.short_sentence_months} months: no statutory supervision, give priority",
            )
        if m.next_review_on and m.next_review_on <= day and not m.amber:
            late = " (overdue)" if m.next_review_on < day - dt.timedelta(days=31) else ""
            item(nid).add(
                "review",
                f"{m.strand.value} review due {m.next_review_on:%d %b %Y}{late} "
                f"(every {profile.review_months[m.strand]} months)",
            )
        two_years = m.added_on + relativedelta(years=2)
        if profile.two_year_review and two_years <= day and last_decided.get(nid, dt.date.min) < two_years:
            item(nid).add("two-year", f"On the scheme since {m.added_on:%d %b %Y}: two-year review")
        if m.status is not Status.CUSTODY:
            last = max(d for d in (m.last_arrest_on, m.last_intelligence_on, m.added_on) if d is not None)
            if last <= day - relativedelta(months=profile.no_activity_months):
                item(nid).add(
                    "no-activity",
                    f"No arrest and no intelligence since {last:%d %b %Y} "
                    f"({profile.no_activity_months} continuous months): consider de-selection unless "
                    "there are other indications such as continued drug misuse",
                )
    overdue: dict[int, list[Action]] = {}
    carried: dict[int, list[Action]] = {}
    for a in actions:
        if a.nominal_id not in rows:
            continue
        if a.due_on is not None and a.due_on < day:
            overdue.setdefault(a.nominal_id, []).append(a)
        elif a.meeting_id is not None:
            carried.setdefault(a.nominal_id, []).append(a)
    for nid, late_actions in overdue.items():
        oldest = min(a.due_on for a in late_actions if a.due_on)
        plural = "s" if len(late_actions) > 1 else ""
        item(nid).add("actions", f"{len(late_actions)} overdue action{plural} (oldest due {oldest:%d %b %Y})")
    for nid, open_ in carried.items():
        item(nid).add(
            "actions",
            f"{len(open_)} action{'s' if len(open_) > 1 else ''} carried forward from an earlier meeting",
        )
    return sorted(out.values(), key=lambda p: (p.rank, p.title))
