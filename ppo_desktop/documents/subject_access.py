"""The person's copy of a subject access pack: everything held about them, in plain words — their
details, each kind of record, what other records say of them, and who consulted or disclosed their
data and why (from the audit log)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from ppo_desktop.documents.layout import DocumentMeta, build, para, table
from ppo_desktop.i18n import N_, _

LEAVE_OUT = frozenset({"undo", "mac", "digests", "v", "inputs", "breakdown", "matrix_hash", "key"})
HEADINGS = {
    "nominations": N_("Nominations"),
    "memberships": N_("Time on the scheme (by strand)"),
    "decisions": N_("Decisions"),
    "actions": N_("Actions"),
    "score_sheets": N_("Score sheets"),
    "agenda_items": N_("Meeting agenda items and notes"),
    "person_events": N_("History"),
    "sentences": N_("Sentences"),
    "case_facts": N_("Facts recorded"),
    "cohort_year_members": N_("Cohort years"),
    "convictions": N_("Convictions counted"),
    "drafts": N_("Unsaved notes"),
    "access_restrictions": "",  # the register is the DPO's: never in the person's copy
}


def subject_access_pdf(held: Mapping[str, Any], meta: DocumentMeta) -> bytes:
    return build(subject_access_story(held), meta)


def subject_access_story(held: Mapping[str, Any]) -> list[Flowable]:
    person = held["person"]
    story: list[Flowable] = [para(meta_title(person), "title")]
    story.append(
        table(
            [
                [_("Detail"), _("Held")],
                *(
                    [k.replace("_", " "), v]
                    for k, v in person.items()
                    if k not in LEAVE_OUT and v not in (None, "")
                ),
            ]
        )
    )
    for name, rows in held["records"].items():
        heading = _(HEADINGS.get(name, name.replace("_", " ").capitalize()))
        if not heading or not rows:
            continue
        story += [para(heading, "h2"), *_rows(rows)]
    if held["mentions"]:
        story += [
            para(_("Where other records mention you"), "h2"),
            table(
                [
                    [_("Record"), _("What it says")],
                    *([m["table"].replace("_", " "), m["text"]] for m in held["mentions"]),
                ]
            ),
        ]
    story += [para(_("Who consulted or disclosed your information"), "h2")]
    story.append(
        table(
            [
                [_("When"), _("Who"), _("What"), _("Why")],
                *([e["at"], e["user_id"], e["summary"], e["justification"]] for e in held["audit"]),
            ]
        )
        if held["audit"]
        else para(_("Nothing recorded."))
    )
    story.append(Spacer(0, 6))
    return story


def meta_title(person: Mapping[str, Any]) -> str:
    return _("Information held about {family}, {given}").format(
        family=str(person["family_name"]).upper(), given=person["given_names"]
    )


def _rows(rows: list[dict[str, Any]]) -> list[Flowable]:
    """A narrow kind of record as one table; a wide one (more than six fields) record by record, each
    as field and value, leaving out what is empty — readable on paper either way."""
    columns = [k for k in rows[0] if k not in LEAVE_OUT and k != "nominal_id"]
    if len(columns) <= 6:
        head = [c.replace("_", " ") for c in columns]
        return [table([head, *([_shown(r.get(c)) for c in columns] for r in rows)])]
    out: list[Flowable] = []
    for r in rows:
        filled = [[c.replace("_", " "), _shown(r.get(c))] for c in columns if _shown(r.get(c))]
        out += [table(filled, widths=[45 * mm, 125 * mm], header=False), Spacer(0, 4)]
    return out


def _shown(value: object) -> str:
    return "" if value is None or value in ("", "[]", "{}") else str(value)
