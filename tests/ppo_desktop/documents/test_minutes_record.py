"""The minutes say what the panel decided and how people left (outcomes, expected release, dissent),
list undiscussed items once as "not reached", and come as an executive summary without the
discussion for people who ask for the minutes (issue: the meeting room, second pass)."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from ppo_desktop.domain import Basis, DecisionKind, RemovalOutcome, RemovalReason, Status, Strand
from ppo_desktop.output_files import suggested_name
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.decisions import Decisions
from ppo_desktop.services.documents import Documents
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.workspace import Workspace

DAY = dt.date(2026, 12, 1)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _meeting(ws: Workspace) -> int:
    cases, meetings, decisions = Cases(ws), Meetings(ws), Decisions(ws)
    meeting = meetings.plan("C&C / R&R panel", DAY).record
    meetings.start(meeting.id)
    people = []
    for name in ("Leaver", "Longterm", *(f"Later{i}" for i in range(5))):
        nid = cases.add_nominal(NominalDraft(name, "Fictional")).record.id
        Memberships(cases.ws).select(
            nid, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS, on=dt.date(2026, 1, 1)
        )
        people.append(meetings.add_item(meeting.id, name, nominal_id=nid).record)
    meetings.set_notes(people[0].id, "Discussed at length: moved to Northtown.")
    decisions.decide(people[0].id, DecisionKind.DESELECT, reason_code=RemovalReason.MOVED_AWAY.value,
                     authority="DI Chair", outcomes=(RemovalOutcome.EMPLOYED, RemovalOutcome.MOVED),
                     dissent=(("Probation", "would have kept him on for three more months"),))  # fmt: skip
    decisions.decide(people[1].id, DecisionKind.AMBER, release_on=dt.date(2030, 6, 1), authority="DI Chair")
    meetings.close(meeting.id)
    return meeting.id


def test_the_minutes_record_outcomes_release_dissent_and_what_was_not_reached(ws: Workspace) -> None:
    text = text_of(Documents(ws).minutes(_meeting(ws)).pdf)
    assert "on leaving: Employed / in training, Moved away" in text
    assert "expected release 01 Jun 2030" in text
    assert "Dissent recorded — Probation: would have kept him on for three more months" in text
    assert (
        text.count("Not reached") == 1 and "3. LATER0, Fictional" in text and "7. LATER4, Fictional" in text
    )
    assert "No decision recorded" not in text


def test_the_executive_summary_has_decisions_and_actions_without_the_discussion(ws: Workspace) -> None:
    doc = Documents(ws).minutes(_meeting(ws), summary=True)
    text = text_of(doc.pdf)
    assert doc.title.startswith("Minutes (executive summary)") and "Decisions summary" in text
    assert "Actions agreed" in text and "Discussed at length" not in text and "Discussion" not in text


def test_suggested_file_names_keep_their_words() -> None:
    assert suggested_name("Minutes — C&C / R&R panel, 05 Jan 2027", ".pdf") == (
        "Minutes — C&C - R&R panel, 05 Jan 2027.pdf"
    )
    assert suggested_name('Report: "Q1"?', ".csv") == "Report - Q1.csv"
