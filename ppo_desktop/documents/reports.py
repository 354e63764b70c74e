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
from ppo_desktop.i18n import _, format_date, ngettext


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
    summary = ngettext(
        "{n} person on the scheme; {removed} removed in the period.",
        "{n} people on the scheme; {removed} removed in the period.",
        len(current),
    ).format(n=len(current), removed=len(removed))
    story: list[Flowable] = [para(meta.title, "title"), para(summary)]

    def key(e: CohortEntry) -> tuple[str, str]:
        return (e.nominal.area or _("No area recorded"), e.membership.strand.value)

    ordered = sorted(current, key=lambda e: (*key(e), e.nominal.display_name))
    for (area, strand), group in groupby(ordered, key):
        entries = list(group)
        story.append(para(f"{area} — {strand} ({len(entries)})", "h2"))
        rows = [
            [_("Name (ref)"), _("Reason on the list"), _("Date added"), _("Status"), _("Current actions")]
        ]
        for e in entries:
            actions = (
                "; ".join(f"{_(a.pathway.label)}: {a.description} ({a.agency})" for a in e.actions) or "—"
            )
            rows.append(
                [
                    f"{e.nominal.display_name} ({e.nominal.ref})",
                    f"{_(e.membership.basis.value)}: {e.reason}",
                    format_date(e.membership.added_on),
                    _(e.membership.status.label),
                    actions,
                ]
            )
        story.append(table(rows, widths=[38 * mm, 42 * mm, 20 * mm, 30 * mm, 50 * mm]))
    story.append(para(_("Removed from the scheme"), "h2"))
    if removed:
        rows = [[_("Name (ref)"), _("Strand"), _("Date removed"), _("Why"), _("On whose authority")]]
        for e in sorted(removed, key=lambda e: e.membership.removed_on or dt.date.min):
            why = _why(e, reason_labels)
            rows.append(
                [
                    f"{e.nominal.display_name} ({e.nominal.ref})",
                    e.membership.strand.value,
                    format_date(e.membership.removed_on),
                    why + (f" — {e.membership.removal_note}" if e.membership.removal_note else ""),
                    e.membership.removal_authority,
                ]
            )
        story.append(table(rows, widths=[40 * mm, 16 * mm, 24 * mm, 60 * mm, 40 * mm]))
    else:
        story.append(para(_("Nobody was removed in the period.")))
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
    period = _("People added to and removed from each list, {start} to {end}.").format(
        start=format_date(start), end=format_date(end)
    )
    story: list[Flowable] = [para(meta.title, "title"), para(period)]
    strands = sorted({e.membership.strand.value for e in (*added, *removed, *amber)})
    for strand in strands or [_("(no changes)")]:
        story.append(para(strand, "h2"))
        ins = [e for e in added if e.membership.strand.value == strand]
        outs = [e for e in removed if e.membership.strand.value == strand]
        story.append(para(_("Added ({n})").format(n=len(ins)), "h3"))
        added_rows = [
            [
                f"{e.nominal.display_name} ({e.nominal.ref})",
                format_date(e.membership.added_on),
                _(e.membership.basis.value),
                e.reason,
            ]
            for e in ins
        ]
        story.append(
            table(
                [[_("Name (ref)"), _("Date added"), _("Basis"), _("Reason")], *added_rows],
                widths=[50 * mm, 25 * mm, 20 * mm, 85 * mm],
            )
            if ins
            else para(_("None."))
        )
        story.append(para(_("Removed ({n})").format(n=len(outs)), "h3"))
        story.append(
            table(
                [
                    [_("Name (ref)"), _("Date removed"), _("Why"), _("On whose authority")],
                    *[
                        [
                            f"{e.nominal.display_name} ({e.nominal.ref})",
                            format_date(e.membership.removed_on),
                            _why(e, reason_labels),
                            e.membership.removal_authority,
                        ]
                        for e in outs
                    ],
                ],
                widths=[50 * mm, 25 * mm, 65 * mm, 40 * mm],
            )
            if outs
            else para(_("None."))
        )
        held = [e for e in amber if e.membership.strand.value == strand]
        story.append(para(_("Placed on the amber list ({n})").format(n=len(held)), "h3"))
        story.append(
            table(
                [
                    [_("Name (ref)"), _("Date placed"), _("Expected release"), _("Reconsider from")],
                    *[
                        [
                            f"{e.nominal.display_name} ({e.nominal.ref})",
                            format_date(e.membership.amber_on),
                            format_date(e.membership.release_on),
                            format_date(e.membership.next_review_on),
                        ]
                        for e in held
                    ],
                ],
                widths=[50 * mm, 30 * mm, 35 * mm, 35 * mm],
            )
            if held
            else para(_("None."))
        )
    return build(story, meta)


def action_tracker(actions: Sequence[tuple[str, Action]], day: dt.date, meta: DocumentMeta) -> bytes:
    groups = {  # the heading, and the words for how many (the counts line)
        (_("Overdue"), _("overdue")): [(p, a) for p, a in actions if a.overdue_on(day)],
        (_("Open"), _("open")): [
            (p, a) for p, a in actions if a.state.value == "open" and not a.overdue_on(day)
        ],
        (_("Done or closed"), _("done or closed")): [(p, a) for p, a in actions if a.state.value != "open"],
    }
    story: list[Flowable] = [
        para(meta.title, "title"),
        para(
            _("As at {day}: {counts}.").format(
                day=format_date(day), counts=", ".join(f"{len(v)} {k[1]}" for k, v in groups.items())
            )
        ),
    ]
    for (name, _words), rows in groups.items():
        story.append(para(f"{name} ({len(rows)})", "h2"))
        if not rows:
            story.append(para(_("None.")))
            continue
        body = [[_("Person"), _("Pathway"), _("Action"), _("Agency / owner"), _("Due"), _("Outcome")]]
        for person, a in sorted(rows, key=lambda r: (r[1].due_on or dt.date.max, r[0])):
            body.append(
                [
                    person,
                    _(a.pathway.label),
                    a.description,
                    f"{a.agency} / {a.owner}",
                    format_date(a.due_on),
                    f"{_(a.state.value)}: {a.outcome}" if a.state.value != "open" else "",
                ]
            )
        story.append(table(body, widths=[32 * mm, 32 * mm, 40 * mm, 30 * mm, 20 * mm, 26 * mm]))
    return build(story, meta)


def _why(e: CohortEntry, labels: dict[str, str]) -> str:
    code = e.membership.removal_reason.value if e.membership.removal_reason else ""
    return labels.get(code, code)
