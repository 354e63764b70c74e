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
from ppo_desktop.i18n import _, format_date, format_month
from ppo_desktop.rules.profiles import SchemeProfile
from ppo_desktop.scoring.rfg import RfgScore


def membership_line(s: Membership) -> str:
    line = f"{format_month(s.added_on)} {s.strand.value} {_(s.basis.value)}"
    if s.removed_on is None:
        return line + " " + _("(current)")
    reason = s.removal_reason.value if s.removal_reason else ""
    return (
        line
        + " "
        + _("→ removed {day}: {reason} ({authority})").format(
            day=format_date(s.removed_on), reason=reason, authority=s.removal_authority
        )
    )


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
    lines = [_("Why on the agenda:"), *[f"  • {r}" for r in item.reasons]]
    if case is None:
        return lines
    words = [f"  “{n.reason}” — {n.agency}, {format_date(n.nominated_on)}" for n in case.nominations
             if n.state.value == "open" and n.reason]  # fmt: skip
    if words:
        lines += [_("In the nomination's words:"), *words]
    n, m = case.nominal, case.current
    age = n.age_on(day)
    if m is None:
        where = _("Candidate (not on a strand)")
    else:
        name = profile.strand_name(m.strand) if profile else m.strand.long_name
        where = _("{strand} ({basis}) since {day} · {status}").format(
            strand=_(name), basis=_(m.basis.value), day=format_date(m.added_on), status=_(m.status.label)
        )
        if m.next_review_on:
            where += " · " + _("next review {day}").format(day=format_date(m.next_review_on))
        where += " · " + _("AMBER LIST") if m.amber else ""
    age_text = _("age {age}").format(age=age if age is not None else "?")
    head = [f"{n.ref} · {age_text} · {n.gender} · {n.area}", where]
    head += [custody_line(case.sentences, day)] if case.sentences else []
    head += (
        [_("Risk (probation, as recorded): {risk}").format(risk="; ".join(case.risk))] if case.risk else []
    )
    if latest is not None:
        kind = _("final") if latest.final else _("draft")
        head.append(
            _("Latest score: {total:g} on {matrix} ({kind}, {day})").format(
                total=latest.total, matrix=latest.matrix_id, kind=kind, day=format_date(latest.scored_on)
            )
        )
    if iom is not None and iom.counted:
        head.append(
            _("IOM score as at {day}: {total} ({band})").format(
                day=format_date(iom.day), total=iom.total, band=iom.band
            )
        )
        head += [f"  {line}" for line in iom.lines[:-1]]  # what counted, then each part
        nominated = [n.strand for n in case.nominations if n.state.value == "open"]
        target = m.strand if m is not None else (nominated[0] if nominated else None)  # on it, or put to it
        if target is not None and profile is not None and (rule := profile.entry_rules.get(target)):
            met, why = rule.read(tuple((o.category, o.on.isoformat()) for o in iom.counted), iom.total)
            said = _("{cohort} entry rule met: {why}") if met else _("{cohort} entry rule NOT met: {why}")
            head.append(said.format(cohort=target.value, why=why))
    head.append("")
    none = "  " + _("none")
    history = ["", _("Strand history:"), *([f"  {membership_line(s)}" for s in case.memberships] or [none])]
    decisions = [
        "",
        _("Previous decisions:"),
        *(
            [
                f"  {format_date(d.decided_on)} {decision_words(d, profile)} — {d.authority}"
                for d in case.decisions
                if not d.undone
            ]
            or [none]
        ),
    ]
    actions = []
    for a in case.actions:
        if a.state is ActionState.OPEN:
            due = ", " + _("due {day}").format(day=format_date(a.due_on)) if a.due_on else ""
            late = " " + _("(OVERDUE)") if a.overdue_on(day) else ""
            actions.append(f"  {_(a.pathway.label)}: {a.description} — {a.agency}, {a.owner}{due}{late}")
    return head + lines + history + decisions + ["", _("Open actions:"), *(actions or [none])]


def custody_line(sentences: tuple[Sentence, ...], day: dt.date) -> str:
    """The latest custodial sentence: when, how long as given, and release."""
    s = max(sentences, key=lambda x: x.starts_on)
    release = "; " + _("release expected {day}").format(day=format_date(s.release_on)) if s.release_on else ""
    done = " " + _("(released)") if s.release_on is not None and s.release_on <= day else ""
    said = _("Custody: sentenced {day} to {length}").format(
        day=format_date(s.starts_on), length=s.length_text
    )
    return said + release + done


def decision_words(d: Decision, profile: SchemeProfile | None) -> str:
    labels = {r.code.value: r.label for r in profile.removal_reasons} if profile else {}
    reason = labels.get(d.reason_code, d.reason_code.replace("-", " ")) if d.reason_code else ""
    return _(DecisionKind(d.kind).label) + (f" ({reason})" if reason else "")
