"""Reports for the partnership: the cohort report (001 ¶54), the quarterly added / removed record
(001 ¶37) and the action tracker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ppo_desktop.documents.layout import DocumentMeta, build, para, table
from ppo_desktop.domain import Action, Membership, Nominal


@dataclass(frozen=True)
class CohortEntry:
    nominal: Nominal
    membership: Membership
    reason: str  # why they are on the list (the nomination)
    actions: tuple[Action, ...]


def cohort_report(
    current: Sequence[CohortEntry],
    removed: Sequence[CohortEntry],
    meta: DocumentMeta,
    reason_labels: dict[str, str],
) -> bytes:
    summary = f"{len(current)} people on the scheme; {len(removed)} removed in the period."
    story: list[Flowable] = [para(meta.title, "title"), para(summary)]

    def key(e: CohortEntry) -> tuple[str, str]:
        return (e.nominal.area or "No area recorded", e.membership.strand.value)

    ordered = sorted(current, key=lambda e: (*key(e), e.nominal.display_name))
    for (area, strand), group in groupby(ordered, key):
        entries = list(group)
        story.append(para(f"{area} — {strand} ({len(entries)})", "h2"))
        rows = [["Name (ref)", "Reason on the list", "Date added", "Status", "Current actions"]]
        for e in entries:
            actions = "; ".join(f"{a.pathway.label}: {a.description} ({a.agency})" for a in e.actions) or "—"
            rows.append(
                [
                    f"{e.nominal.display_name} ({e.nominal.ref})",
                    f"{e.membership.basis.value}: {e.reason}",
                    f"{e.membership.added_on:%d %b %Y}",
                    e.membership.status.label,
                    actions,
                ]
            )
        story.append(table(rows, widths=[38 * mm, 42 * mm, 20 * mm, 30 * mm, 50 * mm]))
    story.append(para("Removed from the scheme", "h2"))
    if removed:
        rows = [["Name (ref)", "Strand", "Date removed", "Why", "On whose authority"]]
        for e in sorted(removed, key=lambda e: e.membership.removed_on or dt.date.min):
            why = _why(e, reason_labels)
            rows.append(
                [
                    f"{e.nominal.display_name} ({e.nominal.ref})",
                    e.membership.strand.value,
                    f"{e.membership.removed_on:%d %b %Y}" if e.membership.removed_on else "",
                    why + (f" — {e.membership.removal_note}" if e.membership.removal_note else ""),
                    e.membership.removal_authority,
                ]
            )
        story.append(table(rows, widths=[40 * mm, 16 * mm, 24 * mm, 60 * mm, 40 * mm]))
    else:
        story.append(para("Nobody was removed in the period."))
    return build(story, meta)


def quarterly_record(
    added: Sequence[CohortEntry],
    removed: Sequence[CohortEntry],
    start: dt.date,
    end: dt.date,
    meta: DocumentMeta,
    reason_labels: dict[str, str],
    amber: Sequence[CohortEntry] = (),
) -> bytes:
    period = f"People added to and removed from each list, {start:%d %b %Y} to {end:%d %b %Y}."
    story: list[Flowable] = [para(meta.title, "title"), para(period)]
    strands = sorted({e.membership.strand.value for e in (*added, *removed, *amber)})
    for strand in strands or ["(no changes)"]:
        story.append(para(strand, "h2"))
        ins = [e for e in added if e.membership.strand.value == strand]
        outs = [e for e in removed if e.membership.strand.value == strand]
        story.append(para(f"Added ({len(ins)})", "h3"))
        added_rows = [
            [
                f"{e.nominal.display_name} ({e.nominal.ref})",
                f"{e.membership.added_on:%d %b %Y}",
                e.membership.basis.value,
                e.reason,
            ]
            for e in ins
        ]
        story.append(
            table(
                [["Name (ref)", "Date added", "Basis", "Reason"], *added_rows],
                widths=[50 * mm, 25 * mm, 20 * mm, 85 * mm],
            )
            if ins
            else para("None.")
        )
        story.append(para(f"Removed ({len(outs)})", "h3"))
        story.append(
            table(
                [
                    ["Name (ref)", "Date removed", "Why", "On whose authority"],
                    *[
                        [
                            f"{e.nominal.display_name} ({e.nominal.ref})",
                            f"{e.membership.removed_on:%d %b %Y}" if e.membership.removed_on else "",
                            _why(e, reason_labels),
                            e.membership.removal_authority,
                        ]
                        for e in outs
                    ],
                ],
                widths=[50 * mm, 25 * mm, 65 * mm, 40 * mm],
            )
            if outs
            else para("None.")
        )
        held = [e for e in amber if e.membership.strand.value == strand]
        story.append(para(f"Placed on the amber list ({len(held)})", "h3"))
        story.append(
            table(
                [
                    ["Name (ref)", "Date placed", "Expected release", "Reconsider from"],
                    *[
                        [
                            f"{e.nominal.display_name} ({e.nominal.ref})",
                            f"{e.membership.amber_on:%d %b %Y}" if e.membership.amber_on else "",
                            f"{e.membership.release_on:%d %b %Y}" if e.membership.release_on else "",
                            f"{e.membership.next_review_on:%d %b %Y}" if e.membership.next_review_on else "",
                        ]
                        for e in held
                    ],
                ],
                widths=[50 * mm, 30 * mm, 35 * mm, 35 * mm],
            )
            if held
            else para("None.")
        )
    return build(story, meta)


def action_tracker(actions: Sequence[tuple[str, Action]], day: dt.date, meta: DocumentMeta) -> bytes:
    groups = {
        "Overdue": [(p, a) for p, a in actions if a.overdue_on(day)],
        "Open": [(p, a) for p, a in actions if a.state.value == "open" and not a.overdue_on(day)],
        "Done or closed": [(p, a) for p, a in actions if a.state.value != "open"],
    }
    story: list[Flowable] = [
        para(meta.title, "title"),
        para(f"As at {day:%d %b %Y}: " + ", ".join(f"{len(v)} {k.lower()}" for k, v in groups.items()) + "."),
    ]
    for name, rows in groups.items():
        story.append(para(f"{name} ({len(rows)})", "h2"))
        if not rows:
            story.append(para("None."))
            continue
        body = [["Person", "Pathway", "Action", "Agency / owner", "Due", "Outcome"]]
        for person, a in sorted(rows, key=lambda r: (r[1].due_on or dt.date.max, r[0])):
            body.append(
                [
                    person,
                    a.pathway.label,
                    a.description,
                    f"{a.agency} / {a.owner}",
                    f"{a.due_on:%d %b %Y}" if a.due_on else "",
                    f"{a.state.value}: {a.outcome}" if a.state.value != "open" else "",
                ]
            )
        story.append(table(body, widths=[32 * mm, 32 * mm, 40 * mm, 30 * mm, 20 * mm, 26 * mm]))
    return build(story, meta)


def _why(e: CohortEntry, labels: dict[str, str]) -> str:
    code = e.membership.removal_reason.value if e.membership.removal_reason else ""
    return labels.get(code, code)
