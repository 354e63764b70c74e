"""Nothing outside the projector policy reaches the room, free text included, and the room reads
words, never codes (issue: the meeting room, second pass)."""

from __future__ import annotations

import datetime as dt

from ppo_desktop.domain import (
    AgendaItem,
    Basis,
    CaseFile,
    Decision,
    DecisionKind,
    RemovalReason,
    Status,
    Strand,
)
from ppo_desktop.projection import Projection, project
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.decisions import Decisions
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.workspace import Workspace

DAY = dt.date(2026, 12, 1)
WORDS = "Lives at 14 Imaginary Lane; intelligence says he deals from the garage"


def shown(p: Projection) -> str:
    return " ".join([p.heading, *(f"{label} {text}" for label, text in p.lines)])


def test_a_nominations_free_text_is_not_projected_unless_the_policy_allows_it(ws: Workspace) -> None:
    nid = Cases(ws).add_nominal(NominalDraft("Quibble", "Fictional", dob=dt.date(1990, 1, 1))).record.id
    Nominations(ws).nominate(nid, agency="Police", nominator="PC Example", strand=Strand.CATCH_CONVICT,
                             basis=Basis.PROLIFIC, reason=WORDS, on=dt.date(2026, 11, 20))  # fmt: skip
    meetings = Meetings(ws)
    meeting = meetings.plan("Panel", DAY).record
    meetings.add_proposals(meeting.id, meetings.proposals(meeting.id))
    item = meetings.agenda(meeting.id)[0]
    assert item.free_text == (f"Police: {WORDS}",) and all("Imaginary" not in r for r in item.reasons)
    case = Cases(ws).case_file(nid)
    common = dict(meeting_title="Panel", item=item, position=1, count=1, case=case, day=DAY, score=None,
                  decision=None)  # fmt: skip
    room = shown(project(ws.projector_policy(), **common))  # type: ignore[arg-type]
    assert "New nomination for C&C by Police, 20 Nov 2026" in room and "Imaginary" not in room
    allowed = ws.projector_policy().with_choices({"reason_text": True})
    assert "Imaginary Lane" in shown(project(allowed, **common))  # type: ignore[arg-type]


def test_the_room_reads_why_not_the_chairs_procedure(ws: Workspace) -> None:
    from ppo_desktop.domain import AgendaItem

    reason = "C&C review due 01 Sep 2026 (every 6 months). Settled by: retain, move strand or de-select."
    item = AgendaItem(1, 1, 1, "Someone", None, reasons=(reason,))
    room = shown(project(ws.projector_policy(), meeting_title="Panel", item=item, position=1, count=1,
                         case=None, day=DAY, score=None, decision=None))  # fmt: skip
    assert "C&C review due 01 Sep 2026 (every 6 months)" in room and "Settled by" not in room


def _decided(ws: Workspace, kind: DecisionKind, **details: str) -> tuple[AgendaItem, CaseFile, Decision]:
    """A C&C member on a meeting's agenda, and the decision taken on them there."""
    cases = Cases(ws)
    nid = cases.add_nominal(NominalDraft("Wibble", "Fictional")).record.id
    Memberships(cases.ws).select(
        nid, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS, on=dt.date(2026, 1, 1)
    )
    meetings = Meetings(ws)
    meeting = meetings.plan("Panel", DAY).record
    meetings.start(meeting.id)
    item = meetings.add_item(meeting.id, "Wibble", nominal_id=nid).record
    decision = Decisions(ws).decide(item.id, kind, authority="DI Chair", **details).record  # type: ignore[arg-type]
    return item, cases.case_file(nid), decision


def test_the_room_reads_a_decisions_words_not_its_code(ws: Workspace) -> None:
    stopped = RemovalReason.STOPPED_OFFENDING.value
    item, case, decision = _decided(ws, DecisionKind.DESELECT, reason_code=stopped)
    labels = {r.code.value: r.label for r in ws.profile().removal_reasons}
    room = shown(project(ws.projector_policy(), meeting_title="Panel", item=item, position=1, count=1,
                         case=case, day=DAY, score=None, decision=decision,
                         reason_labels=labels))  # fmt: skip
    assert "De-select" in room and "Has stopped or reduced offending and changed lifestyle" in room
    assert "stopped-offending" not in room


def test_the_room_reads_welsh_when_the_chair_speaks_welsh(ws: Workspace) -> None:
    from ppo_desktop import i18n

    item, case, decision = _decided(ws, DecisionKind.RETAIN)
    i18n.use("cy")
    try:
        seen = project(ws.projector_policy(), meeting_title="Panel", item=item, position=1, count=3,
                       case=case, day=DAY, score=(40, 36), decision=decision)  # fmt: skip
    finally:
        i18n.use(i18n.ENGLISH)
    captions = dict(seen.lines)
    assert seen.progress == "Panel · eitem 1 o 3"
    assert captions["Elfen"].startswith("Dal ac Euogfarnu · toreithiog · Yn troseddu ac yn destun")
    assert captions["Sgôr"] == "40   (blaenorol 36, +4)"
    assert captions["Penderfyniad"] == "Cadw Dal ac Euogfarnu"  # retained on C&C, in words
