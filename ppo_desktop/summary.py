"""A person's case in a few lines, as the chair reads it in the meeting (and the minutes quote it)."""

from __future__ import annotations

import datetime as dt

from ppo_desktop.domain import ActionState, AgendaItem, CaseFile, Membership
from ppo_desktop.rules.profiles import SchemeProfile


def spell_line(s: Membership) -> str:
    line = f"{s.added_on:%b %Y} {s.strand.value} {s.basis.value}"
    if s.removed_on is None:
        return line + " (current)"
    reason = s.removal_reason.value if s.removal_reason else ""
    return line + f" → removed {s.removed_on:%d %b %Y}: {reason} ({s.removal_authority})"


def summary_lines(
    item: AgendaItem, case: CaseFile | None, day: dt.date, profile: SchemeProfile | None = None
) -> list[str]:
    lines = ["Why on the agenda:", *[f"  • {r}" for r in item.reasons]]
    if case is None:
        return lines
    n, m = case.nominal, case.current
    age = n.age_on(day)
    if m is None:
        where = "Candidate (not on a strand)"
    else:
        name = profile.strand_name(m.strand) if profile else m.strand.long_name
        where = f"{name} ({m.basis.value}) since {m.added_on:%d %b %Y} · {m.status.label}"
        where += f" · next review {m.next_review_on:%d %b %Y}" if m.next_review_on else ""
        where += " · AMBER LIST" if m.amber else ""
    head = [f"{n.ref} · age {age if age is not None else '?'} · {n.gender} · {n.area}", where, ""]
    history = ["", "Strand history:", *([f"  {spell_line(s)}" for s in case.memberships] or ["  none"])]
    decisions = [
        "",
        "Previous decisions:",
        *(
            [f"  {d.decided_on:%d %b %Y} {d.kind} — {d.authority}" for d in case.decisions if not d.undone]
            or ["  none"]
        ),
    ]
    actions = []
    for a in case.actions:
        if a.state is ActionState.OPEN:
            due = f", due {a.due_on:%d %b %Y}" if a.due_on else ""
            late = " (OVERDUE)" if a.overdue_on(day) else ""
            actions.append(f"  {a.pathway.label}: {a.description} — {a.agency}, {a.owner}{due}{late}")
    return head + lines + history + decisions + ["", "Open actions:", *(actions or ["  none"])]
