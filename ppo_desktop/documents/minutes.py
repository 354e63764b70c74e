"""Minutes of a panel meeting: who was there, each item with score, discussion, decision and actions,
a decisions summary, carried-forward and overdue actions, signatures, and any amendments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ppo_desktop.documents.layout import DocumentMeta, build, para, table
from ppo_desktop.domain import (
    Action,
    AgendaItem,
    Attendee,
    Decision,
    DecisionKind,
    ItemState,
    Meeting,
    Nominal,
    RemovalOutcome,
)
from ppo_desktop.i18n import N_, _, format_date, format_long_date

CONFIDENTIALITY = N_(
    "These minutes contain personal criminal-justice data shared under the partnership's information "
    "sharing protocol for the purposes of the PPO scheme. Do not copy or pass them on except as the "
    "protocol allows; store and destroy them as OFFICIAL-SENSITIVE material."
)  # printed in the language of whoever prints the minutes, as everything below


def action_headings() -> list[object]:  # a table's headings, in the printing person's language
    return [_("Pathway"), _("Action"), _("Agency"), _("Owner"), _("Due")]


MEETING_STATES = (N_("planned"), N_("in-progress"), N_("closed"))  # a meeting's state, as printed


@dataclass(frozen=True)
class MinutesItem:
    item: AgendaItem
    nominal: Nominal | None
    strand: str
    score_now: float | None
    score_before: float | None
    decisions: tuple[Decision, ...]
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class MinutesData:
    meeting: Meeting
    attendance: tuple[Attendee, ...]
    items: tuple[MinutesItem, ...]
    carried: tuple[tuple[str, Action], ...]  # (person, action) open from earlier meetings or overdue
    amendments: tuple[tuple[str, str, str], ...]  # (when, who, text)
    reason_labels: dict[str, str]
    closed_head: str = ""  # the audit chain at the meeting's close ('SEQ:MAC…'), if closed here
    out_of_room: Mapping[int, Sequence[tuple[Attendee, str]]] = field(default_factory=dict)  # by item id


def _who(n: Nominal | None, fallback: str) -> str:
    return f"{n.display_name} ({n.ref})" if n else fallback


def _decision_text(d: Decision, labels: dict[str, str]) -> str:
    text = _(DecisionKind(d.kind).label)
    if d.strand:
        text += f" — {d.strand.value}" + (f" ({_(d.basis.value)})" if d.basis else "")
    if d.reason_code:
        text += _(" — reason: {reason}").format(reason=labels.get(d.reason_code, d.reason_code))
    if d.note:
        text += f" — {d.note}"
    if d.details.get("move_criteria"):
        text += _(" — move criteria met (000 §5.3): ") + "; ".join(d.details["move_criteria"])
    if d.details.get("outcomes"):
        text += _(" — on leaving: ") + ", ".join(_(RemovalOutcome(o).label) for o in d.details["outcomes"])
    if d.details.get("release_on"):
        release = dt.date.fromisoformat(d.details["release_on"])
        text += _(" — expected release {day}").format(day=format_date(release))
    text += _(". Authority: {authority}").format(authority=d.authority)
    for dissent in d.details.get("dissent", []):
        said = _(". Dissent recorded — {agency}: {view}")
        text += said.format(agency=dissent["agency"], view=dissent["view"])
    return text


def _action_row(a: Action) -> list[object]:
    return [_(a.pathway.label), a.description, a.agency, a.owner, format_date(a.due_on)]


def minutes(data: MinutesData, meta: DocumentMeta, *, summary: bool = False) -> bytes:
    return build(minutes_story(data, summary=summary), meta)


def reached(mi: MinutesItem) -> bool:
    """An item the panel came to: discussed, decided, or with notes or actions."""
    return mi.item.state is ItemState.DISCUSSED or bool(mi.decisions or mi.item.notes or mi.actions)


def minutes_story(data: MinutesData, *, summary: bool = False) -> list[Flowable]:
    """The minutes; ``summary``: the executive summary for people who ask for the minutes —
    decisions and actions only, no discussion."""
    m = data.meeting
    kind = _("Minutes (executive summary)") if summary else _("Minutes")
    story: list[Flowable] = [para(f"{kind} — {m.panel}", "title")]
    story.append(
        table(
            [
                [_("Date"), format_long_date(m.held_on)],
                [_("Venue"), m.venue],
                [_("Chair"), m.chair],
                [_("Deputy"), m.deputy],
                [_("Quorum"), m.quorum_note or "—"],
                [_("Status"), _(m.state.value)],
            ],
            widths=[30 * mm, 150 * mm],
            header=False,
        )
    )
    present = [a for a in data.attendance if a.present]
    apologies = [a for a in data.attendance if not a.present]
    story.append(para(_("Attendance"), "h2"))
    story.append(
        table(
            [[_("Agency"), _("Name"), _("Role")], *[[a.agency, a.name, a.role] for a in present]]
            if present
            else [[_("Nobody recorded as present")]],
            widths=[45 * mm, 70 * mm, 65 * mm],
            header=bool(present),
        )
    )
    if apologies:
        story.append(para(_("Apologies: ") + "; ".join(f"{a.name} ({a.agency})" for a in apologies), "body"))
    story.append(para(_("Confidentiality"), "h2"))
    story.append(para(_(CONFIDENTIALITY), "small"))
    read_at = m.confidentiality_read_at
    story.append(
        para(_("The confidentiality statement was read to the meeting and acknowledged at {time}.").format(
            time=read_at[11:16]))
        if read_at
        else para(_("The confidentiality statement is not recorded as read at this meeting."))
    )  # fmt: skip
    if not summary:
        story.append(para(_("Items"), "h2"))
        for mi in data.items:
            if reached(mi):
                story += _item(mi, data.reason_labels, data.out_of_room.get(mi.item.id, ()))
    not_reached = [mi for mi in data.items if not reached(mi)]
    if not_reached:
        story.append(para(_("Not reached"), "h2"))
        story.append(
            para("; ".join(f"{mi.item.position}. {_who(mi.nominal, _(mi.item.title))}" for mi in not_reached))
        )
    story.append(para(_("Decisions summary"), "h2"))
    decided = [["#", _("Person"), _("Decision")]]
    for mi in data.items:
        for d in mi.decisions:
            decided.append(
                [
                    str(mi.item.position),
                    _who(mi.nominal, _(mi.item.title)),
                    _decision_text(d, data.reason_labels),
                ]
            )
    story.append(
        table(decided, widths=[10 * mm, 60 * mm, 110 * mm])
        if len(decided) > 1
        else para(_("No decisions were recorded."))
    )
    if summary:
        agreed = [(mi, a) for mi in data.items for a in mi.actions]
        story.append(para(_("Actions agreed"), "h2"))
        if agreed:
            rows_: list[list[object]] = [[_("Person"), *action_headings()]]
            rows_ += [[_who(mi.nominal, _(mi.item.title)), *_action_row(a)] for mi, a in agreed]
            story.append(table(rows_, widths=[38 * mm, 28 * mm, 50 * mm, 22 * mm, 22 * mm, 20 * mm]))
        else:
            story.append(para(_("None.")))
    story.append(para(_("Carried-forward and overdue actions"), "h2"))
    if data.carried:
        rows: list[list[object]] = [[_("Person"), *action_headings()]]
        rows += [[person, *_action_row(a)] for person, a in data.carried]
        story.append(table(rows, widths=[38 * mm, 28 * mm, 50 * mm, 22 * mm, 22 * mm, 20 * mm]))
    else:
        story.append(para(_("None.")))
    story.append(Spacer(1, 8 * mm))
    story.append(
        KeepTogether(
            [
                para(_("Signed as a true record"), "h3"),
                table(
                    [[_("Chair"), m.chair, _("Signature"), "", _("Date"), ""]],
                    widths=[15 * mm, 45 * mm, 20 * mm, 55 * mm, 12 * mm, 33 * mm],
                    header=False,
                ),
            ]
        )
    )
    if data.closed_head:
        story.append(Spacer(1, 2 * mm))
        story.append(
            para(
                _(
                    "Audit log at the meeting's close: entry {head}. Keep this page: "
                    "'ppo-admin verify --witness {head}' checks the store still holds it."
                ).format(head=data.closed_head),
                "small",
            )  # fmt: skip
        )
    if data.amendments:
        story.append(para(_("Amendments after the meeting closed"), "h2"))
        story.append(
            table(
                [
                    [_("When"), _("By"), _("Amendment")],
                    *[[w[:16].replace("T", " "), u, t] for w, u, t in data.amendments],
                ],
                widths=[32 * mm, 30 * mm, 118 * mm],
            )
        )
    return story


Away = Sequence[tuple[Attendee, str]]  # who attended but was not in the room for an item, and why


def _item(mi: MinutesItem, labels: dict[str, str], away: Away = ()) -> list[Flowable]:
    head = para(f"{mi.item.position}. {_who(mi.nominal, _(mi.item.title))}", "h3")
    facts = [[_("Strand"), mi.strand or "—"]]
    if mi.score_now is not None or mi.score_before is not None:
        now = "—" if mi.score_now is None else f"{mi.score_now:g}"
        before = "—" if mi.score_before is None else f"{mi.score_before:g}"
        facts.append([_("Score now / previous"), f"{now} / {before}"])
    facts.append([_("Why on the agenda"), "; ".join(mi.item.reasons) or "—"])
    facts.append([_("Discussion"), mi.item.notes or "—"])
    decided = "\n".join(_decision_text(d, labels) for d in mi.decisions) or _("No decision recorded")
    facts.append([_("Decision"), decided])
    if away:
        facts.append([_("Not in the room"), "; ".join(f"{a.name} ({a.agency}): {why}" for a, why in away)])
    parts: list[Flowable] = [head, table(facts, widths=[40 * mm, 140 * mm], header=False)]
    if mi.actions:
        parts.append(Spacer(1, 1.5 * mm))
        parts.append(
            table(
                [action_headings(), *[_action_row(a) for a in mi.actions]],
                widths=[34 * mm, 66 * mm, 28 * mm, 28 * mm, 24 * mm],
            )
        )
    return [KeepTogether(parts[:2]), *parts[2:]]
