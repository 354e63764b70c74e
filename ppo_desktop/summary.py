"""A person's case in a few lines, as the chair reads it in the meeting (and the minutes quote it)."""

from __future__ import annotations

import datetime as dt

from ppo_desktop.domain import (
    ActionState,
    AgendaItem,
    CaseFile,
    Decision,
    DecisionKind,
    Membership,
    ScoreSheet,
    Sentence,
)
from ppo_desktop.rules.profiles import SchemeProfile
from ppo_desktop.scoring.rfg import RfgScore


def membership_line(s: Membership) -> str:
    line = f"{s.added_on:%b %Y} {s.strand.value} {s.basis.value}"
    if s.removed_on is None:
        return line + " (current)"
    reason = s.removal_reason.value if s.removal_reason else ""
    return line + f" → removed {s.removed_on:%d %b %Y}: {reason} ({s.removal_authority})"


def summary_lines(
    item: AgendaItem,
    case: CaseFile | None,
    day: dt.date,
    profile: SchemeProfile | None = None,
    latest: ScoreSheet | None = None,
    iom: RfgScore | None = None,
) -> list[str]:
    """What the chair reads before a decision (the console only, never the projector): where the
    person is, custody, the latest score, why they are here — in the nomination's own words too —
    their history, earlier decisions in words, and open actions."""
    lines = ["Why on the agenda:", *[f"  • {r}" for r in item.reasons]]
    if case is None:
        return lines
    words = [f"  “{n.reason}” — {n.agency}, {n.nominated_on:%d %b %Y}" for n in case.nominations
             if n.state.value == "open" and n.reason]  # fmt: skip
    if words:
        lines += ["In the nomination's words:", *words]
    n, m = case.nominal, case.current
    age = n.age_on(day)
    if m is None:
        where = "Candidate (not on a strand)"
    else:
        name = profile.strand_name(m.strand) if profile else m.strand.long_name
        where = f"{name} ({m.basis.value}) since {m.added_on:%d %b %Y} · {m.status.label}"
        where += f" · next review {m.next_review_on:%d %b %Y}" if m.next_review_on else ""
        where += " · AMBER LIST" if m.amber else ""
    head = [f"{n.ref} · age {age if age is not None else '?'} · {n.gender} · {n.area}", where]
    head += [custody_line(case.sentences, day)] if case.sentences else []
    head += [f"Risk (probation, as recorded): {'; '.join(case.risk)}"] if case.risk else []
    if latest is not None:
        kind = "final" if latest.final else "draft"
        when = f"{latest.scored_on:%d %b %Y}"
        head.append(f"Latest score: {latest.total:g} on {latest.matrix_id} ({kind}, {when})")
    if iom is not None and iom.counted:
        head.append(f"IOM score as at {iom.day:%d %b %Y}: {iom.total} ({iom.band})")
        head += [f"  {line}" for line in iom.lines[:-1]]  # what counted, then each part
        nominated = [n.strand for n in case.nominations if n.state.value == "open"]
        target = m.strand if m is not None else (nominated[0] if nominated else None)  # on it, or put to it
        if target is not None and profile is not None and (rule := profile.entry_rules.get(target)):
            met, why = rule.read(tuple((o.category, o.on.isoformat()) for o in iom.counted), iom.total)
            head.append(f"{target.value} entry rule {'met' if met else 'NOT met'}: {why}")
    head.append("")
    history = ["", "Strand history:", *([f"  {membership_line(s)}" for s in case.memberships] or ["  none"])]
    decisions = [
        "",
        "Previous decisions:",
        *(
            [f"  {d.decided_on:%d %b %Y} {decision_words(d, profile)} — {d.authority}"
             for d in case.decisions if not d.undone]
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


def custody_line(sentences: tuple[Sentence, ...], day: dt.date) -> str:
    """The latest custodial sentence: when, how long as given, and release."""
    s = max(sentences, key=lambda x: x.starts_on)
    release = f"; release expected {s.release_on:%d %b %Y}" if s.release_on else ""
    done = " (released)" if s.release_on is not None and s.release_on <= day else ""
    return f"Custody: sentenced {s.starts_on:%d %b %Y} to {s.length_text}{release}{done}"


def decision_words(d: Decision, profile: SchemeProfile | None) -> str:
    labels = {r.code.value: r.label for r in profile.removal_reasons} if profile else {}
    reason = labels.get(d.reason_code, d.reason_code.replace("-", " ")) if d.reason_code else ""
    return DecisionKind(d.kind).label + (f" ({reason})" if reason else "")
