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

CONFIDENTIALITY = (
    "These minutes contain personal criminal-justice data shared under the partnership's information "
    "sharing protocol for the purposes of the PPO scheme. Do not copy or pass them on except as the "
    "protocol allows; store and destroy them as OFFICIAL-SENSITIVE material."
)


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
    text = DecisionKind(d.kind).label
    if d.strand:
        text += f" — {d.strand.value}" + (f" ({d.basis.value})" if d.basis else "")
    if d.reason_code:
        text += f" — reason: {labels.get(d.reason_code, d.reason_code)}"
    if d.note:
        text += f" — {d.note}"
    if d.details.get("move_criteria"):
        text += " — move criteria met (000 §5.3): " + "; ".join(d.details["move_criteria"])
    if d.details.get("outcomes"):
        text += " — on leaving: " + ", ".join(RemovalOutcome(o).label for o in d.details["outcomes"])
    if d.details.get("release_on"):
        release = dt.date.fromisoformat(d.details["release_on"])
        text += f" — expected release {release:%d %b %Y}"
    text += f". Authority: {d.authority}"
    for dissent in d.details.get("dissent", []):
        text += f". Dissent recorded — {dissent['agency']}: {dissent['view']}"
    return text


def _action_row(a: Action) -> list[object]:
    return [a.pathway.label, a.description, a.agency, a.owner, f"{a.due_on:%d %b %Y}" if a.due_on else ""]


def minutes(data: MinutesData, meta: DocumentMeta, *, summary: bool = False) -> bytes:
    return build(minutes_story(data, summary=summary), meta)


def reached(mi: MinutesItem) -> bool:
    """An item the panel came to: discussed, decided, or with notes or actions."""
    return mi.item.state is ItemState.DISCUSSED or bool(mi.decisions or mi.item.notes or mi.actions)


def minutes_story(data: MinutesData, *, summary: bool = False) -> list[Flowable]:
    """The minutes; ``summary``: the executive summary for people who ask for the minutes —
    decisions and actions only, no discussion."""
    m = data.meeting
    kind = "Minutes (executive summary)" if summary else "Minutes"
    story: list[Flowable] = [para(f"{kind} — {m.panel}", "title")]
    story.append(
        table(
            [
                ["Date", f"{m.held_on:%A %d %B %Y}"],
                ["Venue", m.venue],
                ["Chair", m.chair],
                ["Deputy", m.deputy],
                ["Quorum", m.quorum_note or "—"],
                ["Status", m.state.value],
            ],
            widths=[30 * mm, 150 * mm],
            header=False,
        )
    )
    present = [a for a in data.attendance if a.present]
    apologies = [a for a in data.attendance if not a.present]
    story.append(para("Attendance", "h2"))
    story.append(
        table(
            [["Agency", "Name", "Role"], *[[a.agency, a.name, a.role] for a in present]]
            if present
            else [["Nobody recorded as present"]],
            widths=[45 * mm, 70 * mm, 65 * mm],
            header=bool(present),
        )
    )
    if apologies:
        story.append(para("Apologies: " + "; ".join(f"{a.name} ({a.agency})" for a in apologies), "body"))
    story.append(para("Confidentiality", "h2"))
    story.append(para(CONFIDENTIALITY, "small"))
    read_at = m.confidentiality_read_at
    story.append(
        para(f"The confidentiality statement was read to the meeting and acknowledged at {read_at[11:16]}.")
        if read_at
        else para("The confidentiality statement is not recorded as read at this meeting.")
    )
    if not summary:
        story.append(para("Items", "h2"))
        for mi in data.items:
            if reached(mi):
                story += _item(mi, data.reason_labels, data.out_of_room.get(mi.item.id, ()))
    not_reached = [mi for mi in data.items if not reached(mi)]
    if not_reached:
        story.append(para("Not reached", "h2"))
        story.append(
            para("; ".join(f"{mi.item.position}. {_who(mi.nominal, mi.item.title)}" for mi in not_reached))
        )
    story.append(para("Decisions summary", "h2"))
    decided = [["#", "Person", "Decision"]]
    for mi in data.items:
        for d in mi.decisions:
            decided.append(
                [
                    str(mi.item.position),
                    _who(mi.nominal, mi.item.title),
                    _decision_text(d, data.reason_labels),
                ]
            )
    story.append(
        table(decided, widths=[10 * mm, 60 * mm, 110 * mm])
        if len(decided) > 1
        else para("No decisions were recorded.")
    )
    if summary:
        agreed = [(mi, a) for mi in data.items for a in mi.actions]
        story.append(para("Actions agreed", "h2"))
        if agreed:
            rows_: list[list[object]] = [["Person", "Pathway", "Action", "Agency", "Owner", "Due"]]
            rows_ += [[_who(mi.nominal, mi.item.title), *_action_row(a)] for mi, a in agreed]
            story.append(table(rows_, widths=[38 * mm, 28 * mm, 50 * mm, 22 * mm, 22 * mm, 20 * mm]))
        else:
            story.append(para("None."))
    story.append(para("Carried-forward and overdue actions", "h2"))
    if data.carried:
        rows: list[list[object]] = [["Person", "Pathway", "Action", "Agency", "Owner", "Due"]]
        rows += [[person, *_action_row(a)] for person, a in data.carried]
        story.append(table(rows, widths=[38 * mm, 28 * mm, 50 * mm, 22 * mm, 22 * mm, 20 * mm]))
    else:
        story.append(para("None."))
    story.append(Spacer(1, 8 * mm))
    story.append(
        KeepTogether(
            [
                para("Signed as a true record", "h3"),
                table(
                    [["Chair", m.chair, "Signature", "", "Date", ""]],
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
                f"Audit log at the meeting's close: entry {data.closed_head}. Keep this page: "
                f"'ppo-admin verify --witness {data.closed_head}' checks the store still holds it.",
                "small",
            )
        )
    if data.amendments:
        story.append(para("Amendments after the meeting closed", "h2"))
        story.append(
            table(
                [
                    ["When", "By", "Amendment"],
                    *[[w[:16].replace("T", " "), u, t] for w, u, t in data.amendments],
                ],
                widths=[32 * mm, 30 * mm, 118 * mm],
            )
        )
    return story


Away = Sequence[tuple[Attendee, str]]  # who attended but was not in the room for an item, and why


def _item(mi: MinutesItem, labels: dict[str, str], away: Away = ()) -> list[Flowable]:
    head = para(f"{mi.item.position}. {_who(mi.nominal, mi.item.title)}", "h3")
    facts = [["Strand", mi.strand or "—"]]
    if mi.score_now is not None or mi.score_before is not None:
        now = "—" if mi.score_now is None else f"{mi.score_now:g}"
        before = "—" if mi.score_before is None else f"{mi.score_before:g}"
        facts.append(["Score now / previous", f"{now} / {before}"])
    facts.append(["Why on the agenda", "; ".join(mi.item.reasons) or "—"])
    facts.append(["Discussion", mi.item.notes or "—"])
    decided = "\n".join(_decision_text(d, labels) for d in mi.decisions) or "No decision recorded"
    facts.append(["Decision", decided])
    if away:
        facts.append(["Not in the room", "; ".join(f"{a.name} ({a.agency}): {why}" for a, why in away)])
    parts: list[Flowable] = [head, table(facts, widths=[40 * mm, 140 * mm], header=False)]
    if mi.actions:
        parts.append(Spacer(1, 1.5 * mm))
        parts.append(
            table(
                [["Pathway", "Action", "Agency", "Owner", "Due"], *[_action_row(a) for a in mi.actions]],
                widths=[34 * mm, 66 * mm, 28 * mm, 28 * mm, 24 * mm],
            )
        )
    return [KeepTogether(parts[:2]), *parts[2:]]
