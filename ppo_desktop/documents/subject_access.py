"""The person's copy of a subject access pack: everything held about them, in plain words — their
details, each kind of record, what other records say of them, and who consulted or disclosed their
data and why (from the audit log)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from ppo_desktop.documents.layout import DocumentMeta, build, para, table

LEAVE_OUT = frozenset({"undo", "mac", "digests", "v", "inputs", "breakdown", "matrix_hash", "key"})
HEADINGS = {
    "nominations": "Nominations", "memberships": "Time on the scheme (by strand)", "decisions": "Decisions",
    "actions": "Actions", "score_sheets": "Score sheets", "agenda_items": "Meeting agenda items and notes",
    "person_events": "History", "sentences": "Sentences", "case_facts": "Facts recorded",
    "cohort_year_members": "Cohort years", "convictions": "Convictions counted", "drafts": "Unsaved notes",
    "access_restrictions": "",  # the register is the DPO's: never in the person's copy
}  # fmt: skip


def subject_access_pdf(held: Mapping[str, Any], meta: DocumentMeta) -> bytes:
    return build(subject_access_story(held), meta)


def subject_access_story(held: Mapping[str, Any]) -> list[Flowable]:
    person = held["person"]
    story: list[Flowable] = [para(meta_title(person), "title")]
    story.append(table([["Detail", "Held"], *([k.replace("_", " "), v] for k, v in person.items()
                                             if k not in LEAVE_OUT and v not in (None, ""))]))  # fmt: skip
    for name, rows in held["records"].items():
        heading = HEADINGS.get(name, name.replace("_", " ").capitalize())
        if not heading or not rows:
            continue
        story += [para(heading, "h2"), *_rows(rows)]
    if held["mentions"]:
        story += [para("Where other records mention you", "h2"),
                  table([["Record", "What it says"], *([m["table"].replace("_", " "), m["text"]]
                                                       for m in held["mentions"])])]  # fmt: skip
    story += [para("Who consulted or disclosed your information", "h2")]
    story.append(
        table([["When", "Who", "What", "Why"], *([e["at"], e["user_id"], e["summary"], e["justification"]]
                                                 for e in held["audit"])])  # fmt: skip
        if held["audit"] else para("Nothing recorded.")
    )
    story.append(Spacer(0, 6))
    return story


def meta_title(person: Mapping[str, Any]) -> str:
    return f"Information held about {str(person['family_name']).upper()}, {person['given_names']}"


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
