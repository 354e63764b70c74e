"""Meetings: lifecycle, attendance, agenda proposals with reasons, decisions with consequences and undo."""

from __future__ import annotations

import datetime as dt

import pytest

from ppo_desktop.domain import (
    ActionState,
    Basis,
    DecisionKind,
    MeetingState,
    NominationState,
    Pathway,
    RemovalReason,
    Status,
    Strand,
)
from ppo_desktop.services.actions import Actions
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.custody import Custody
from ppo_desktop.services.decisions import Decisions
from ppo_desktop.services.meeting_record import MeetingRecord
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.room import Room
from ppo_desktop.services.workspace import ServiceError, Workspace

DAY = dt.date(2026, 12, 1)


def person(
    ws: Workspace,
    name: str,
    strand: Strand | None = Strand.CATCH_CONVICT,
    added: dt.date = dt.date(2026, 9, 1),
    active: bool = True,
) -> int:
    cases = Cases(ws)
    nominal = cases.add_nominal(NominalDraft(name, "Fictional", dob=dt.date(1990, 1, 1))).record
    if strand is not None:
        Memberships(cases.ws).select(nominal.id, strand, Basis.PROLIFIC, Status.OFFENDING_CJS, on=added)
        if active:
            Memberships(cases.ws).record_activity(nominal.id, intelligence_on=DAY - dt.timedelta(days=20))
    return nominal.id


def test_lifecycle_and_amendments(ws: Workspace) -> None:
    meetings = Meetings(ws)
    meeting = meetings.plan("C&C / R&R panel", DAY, venue="Room 2", chair="DI Chair").record
    with pytest.raises(ServiceError, match="planned meeting cannot become closed"):
        meetings.close(meeting.id)
    Room(meetings.ws).add_attendee(meeting.id, "PO Example", "Probation", "Deputy")
    Room(meetings.ws).add_attendee(meeting.id, "Fire Officer", "Fire", present=False)
    assert [(a.agency, a.present) for a in Room(meetings.ws).attendance(meeting.id)] == [
        ("Probation", True),
        ("Fire", False),
    ]
    with pytest.raises(ServiceError, match="Only a closed meeting is amended"):
        MeetingRecord(meetings.ws).amend(meeting.id, "typo")
    meetings.start(meeting.id)
    meetings.close(meeting.id)
    assert meetings.get(meeting.id).state is MeetingState.CLOSED
    with pytest.raises(ServiceError, match="closed: record an amendment"):
        meetings.add_item(meeting.id, "Late item")
    text = "Item 3: the owner of the housing action is Housing, not Probation."
    MeetingRecord(meetings.ws).amend(meeting.id, text)
    assert [a[2] for a in MeetingRecord(meetings.ws).amendments(meeting.id)] == [
        "Item 3: the owner of the housing action is Housing, not Probation."
    ]
    with pytest.raises(Exception, match="append-only"):
        ws.db.execute("UPDATE meeting_amendments SET text = 'x'")


def test_agenda_proposals_say_why(ws: Workspace) -> None:
    cases, meetings = Cases(ws), Meetings(ws)
    candidate = person(ws, "Candidate", strand=None)
    Nominations(ws).nominate(
        candidate,
        agency="Police",
        nominator="PC Example",
        strand=Strand.CATCH_CONVICT,
        basis=Basis.PRIORITY,
        reason="robberies",
        on=dt.date(2026, 11, 1),
    )
    due = person(ws, "Reviewdue", added=dt.date(2026, 5, 1))  # C&C: due 1 Nov 2026
    fresh = person(ws, "Fresh", added=dt.date(2026, 10, 1))
    quiet = person(ws, "Quiet", added=dt.date(2026, 3, 1), active=False)
    Memberships(cases.ws).record_activity(quiet, intelligence_on=dt.date(2026, 4, 1))
    veteran = person(ws, "Veteran", added=dt.date(2024, 11, 1))
    amber = person(ws, "Amber", added=dt.date(2025, 1, 1))
    Memberships(cases.ws).place_on_amber_list(
        Memberships(cases.ws).current_membership(amber).id,
        dt.date(2027, 2, 1),
        on=dt.date(2025, 3, 1),  # type: ignore[union-attr]
        authority="panel",
    )
    short = person(ws, "Shortsentence", strand=None)  # not selected: the priority is for them
    release = dt.date(2026, 11, 20)
    Custody(ws).record_sentence(short, starts_on=dt.date(2026, 7, 1), months=9, release_on=release)
    Actions(ws).add(
        fresh,
        pathway=Pathway.ACCOMMODATION,
        description="Hostel",
        agency="Housing",
        owner="HO",
        due_on=dt.date(2026, 11, 15),
    )
    meeting = meetings.plan("Panel", DAY).record
    proposals = {p.nominal_id: p for p in meetings.proposals(meeting.id)}
    assert proposals[candidate].kinds == ["nomination"]
    assert proposals[candidate].reasons[0] == "New nomination for C&C by Police, 01 Nov 2026"
    assert proposals[candidate].free_text == ["Police: robberies"]  # the agency's words, kept apart
    assert "review" in proposals[due].kinds and "every 6 months" in " ".join(proposals[due].reasons)
    assert proposals[fresh].kinds == ["actions"] and "1 overdue action" in proposals[fresh].reasons[0]
    assert "no-activity" in proposals[quiet].kinds and "01 Apr 2026" in " ".join(proposals[quiet].reasons)
    assert "two-year" in proposals[veteran].kinds
    assert "amber-release" in proposals[amber].kinds and "01 Feb 2027" in proposals[amber].reasons[0]
    assert "short-sentence" in proposals[short].kinds
    assert list(proposals)[0] == candidate  # new nominations first
    meetings.add_proposals(meeting.id, [proposals[candidate], proposals[due]])
    assert {p.nominal_id for p in meetings.proposals(meeting.id)} == set(proposals) - {candidate, due}


def test_agenda_editing(ws: Workspace) -> None:
    meetings = Meetings(ws)
    meeting = meetings.plan("Panel", DAY).record
    ids = [meetings.add_item(meeting.id, f"Item {i}").record.id for i in range(1, 5)]
    meetings.move_item(ids[3], 1)
    assert [i.title for i in meetings.agenda(meeting.id)] == ["Item 4", "Item 1", "Item 2", "Item 3"]
    meetings.remove_item(ids[0])
    assert [(i.position, i.title) for i in meetings.agenda(meeting.id)] == [
        (1, "Item 4"),
        (2, "Item 2"),
        (3, "Item 3"),
    ]
    meetings.set_minutes(ids[1], 15)
    with pytest.raises(ServiceError, match="between 1 and 120"):
        meetings.set_minutes(ids[1], 0)
    assert meetings.item(ids[1]).minutes == 15


def run_meeting(ws: Workspace) -> tuple[Meetings, Decisions, int]:
    meetings = Meetings(ws)
    meeting = meetings.plan("Panel", DAY).record
    meetings.start(meeting.id)
    return meetings, Decisions(ws), meeting.id


def test_select_retain_deselect_amber_and_undo(ws: Workspace) -> None:
    cases = Cases(ws)
    meetings, decisions, mid = run_meeting(ws)
    candidate = person(ws, "Candidate", strand=None)
    Nominations(ws).nominate(
        candidate,
        agency="Police",
        nominator="PC",
        strand=Strand.CATCH_CONVICT,
        basis=Basis.PRIORITY,
        reason="robberies",
    )
    item = meetings.add_item(mid, "Candidate", nominal_id=candidate).record
    with pytest.raises(ServiceError, match="strand and the basis"):
        decisions.decide(item.id, DecisionKind.SELECT)
    changes = decisions.decide(
        item.id, DecisionKind.SELECT, strand=Strand.CATCH_CONVICT, basis=Basis.PRIORITY
    )
    selected = changes.record
    membership = Memberships(cases.ws).current_membership(candidate)
    assert (
        membership is not None
        and membership.strand is Strand.CATCH_CONVICT
        and membership.next_review_on == dt.date(2027, 6, 1)
    )
    assert Nominations(ws).open_nominations() == []
    assert {"memberships", "decisions"} <= changes.topics and meetings.item(item.id).state == "discussed"

    decisions.undo(selected.id)
    assert Memberships(cases.ws).current_membership(candidate) is None
    assert [n.state for n in Nominations(ws).open_nominations()] == [NominationState.OPEN]
    assert meetings.item(item.id).state == "pending"
    with pytest.raises(ServiceError, match="already been undone"):
        decisions.undo(selected.id)

    member = person(ws, "Member")
    item2 = meetings.add_item(mid, "Member", nominal_id=member).record
    with pytest.raises(ServiceError, match="on whose authority"):
        decisions.decide(item2.id, DecisionKind.DESELECT, reason_code=RemovalReason.MOVED_AWAY.value)
    with pytest.raises(ServiceError, match="coded reasons"):
        decisions.decide(item2.id, DecisionKind.DESELECT, reason_code="bored", authority="DI Chair")
    decisions.decide(
        item2.id,
        DecisionKind.DESELECT,
        reason_code=RemovalReason.MOVED_AWAY.value,
        authority="DI Chair with agencies present",
        note="Moved to Northtown",
    )
    removed = Memberships(cases.ws).membership(cases.case_file(member).memberships[0].id)
    assert (removed.removed_on, removed.removal_authority) == (DAY, "DI Chair with agencies present")

    long = person(ws, "Longsentence")
    item3 = meetings.add_item(mid, "Longsentence", nominal_id=long).record
    decisions.decide(item3.id, DecisionKind.AMBER, release_on=dt.date(2029, 6, 1), authority="DI Chair")
    assert Memberships(cases.ws).current_membership(long) is None  # out of the active cohort (000 §6)
    membership = cases.case_file(long).memberships[0]
    assert membership.amber and membership.status is Status.CUSTODY and membership.held_on_amber(DAY)
    assert membership.next_review_on == dt.date(2029, 3, 1)  # reconsidered three months before release

    retained = person(ws, "Retained", added=dt.date(2026, 1, 1))
    item4 = meetings.add_item(mid, "Retained", nominal_id=retained).record
    decisions.decide(item4.id, DecisionKind.RETAIN)
    assert Memberships(cases.ws).current_membership(retained).next_review_on == dt.date(2027, 6, 1)  # type: ignore[union-attr]

    meetings.close(mid)
    last = meetings.decisions(mid)[-1]
    with pytest.raises(ServiceError, match="until the meeting closes"):
        decisions.undo(last.id)
    assert [d.kind for d in meetings.decisions(mid)] == ["deselect", "amber", "retain"]


def test_move_from_pd_ends_the_pd_spell(ws: Workspace) -> None:
    cases = Cases(ws)
    meetings, decisions, mid = run_meeting(ws)
    young = person(ws, "Escalating", strand=Strand.PREVENT_DETER)
    item = meetings.add_item(mid, "Escalating", nominal_id=young).record
    decisions.decide(item.id, DecisionKind.MOVE_STRAND, strand=Strand.CATCH_CONVICT)
    memberships = cases.case_file(young).memberships
    assert [(m.strand, m.current) for m in memberships] == [
        (Strand.CATCH_CONVICT, True),
        (Strand.PREVENT_DETER, False),
    ]


def test_decisions_only_while_in_progress(ws: Workspace) -> None:
    meetings = Meetings(ws)
    meeting = meetings.plan("Panel", DAY).record
    item = meetings.add_item(meeting.id, "X", nominal_id=person(ws, "Early")).record
    with pytest.raises(ServiceError, match="while the meeting is in progress"):
        Decisions(ws).decide(item.id, DecisionKind.RETAIN)


def test_carried_forward_actions_reach_the_next_agenda(ws: Workspace) -> None:
    meetings, decisions, mid = run_meeting(ws)
    nid = person(ws, "Actioned")
    action = Actions(ws).add(
        nid,
        pathway=Pathway.ETE,
        description="Training course",
        agency="JCP",
        owner="Adviser",
        due_on=dt.date(2027, 3, 1),
        meeting_id=mid,
    ).record
    meetings.close(mid)
    nxt = meetings.plan("Panel", dt.date(2027, 1, 5)).record
    reasons = {p.nominal_id: p.reasons for p in meetings.proposals(nxt.id)}
    assert "carried forward" in " ".join(reasons[nid])
    Actions(ws).close(action.id, ActionState.DONE, outcome="Course completed")
    assert nid not in {p.nominal_id for p in meetings.proposals(nxt.id)}


def test_an_item_whose_decision_was_undone_stays_with_a_reason_not_a_traceback(ws: Workspace) -> None:
    """The undone decision is history and still names the item: removing it was a raw foreign-key
    error before."""
    meetings = Meetings(ws)
    meeting = meetings.plan("Panel", ws.today() + dt.timedelta(days=7)).record
    nid = person(ws, "Undonefield")
    item = meetings.add_item(meeting.id, "Review", nominal_id=nid).record
    meetings.start(meeting.id)
    decision = Decisions(ws).decide(item.id, DecisionKind.RETAIN).record
    Decisions(ws).undo(decision.id)
    with pytest.raises(ServiceError, match="taken and undone"):
        meetings.remove_item(item.id)
    assert [i.id for i in meetings.agenda(meeting.id)] == [item.id]


def test_a_meeting_is_changed_or_deleted_only_before_it_starts(ws: Workspace) -> None:
    meetings = Meetings(ws)
    planned = meetings.plan("Panel", dt.date(2027, 1, 5), venue="Room 1").record
    nid = person(ws, "Agenda")
    meetings.add_item(planned.id, "Review", nominal_id=nid)
    meetings.update(planned.id, panel="Panel", held_on=dt.date(2027, 1, 12), venue="Room 2")
    moved = meetings.get(planned.id)
    assert (moved.held_on, moved.venue) == (dt.date(2027, 1, 12), "Room 2")
    changed = ws.audit.entries(limit=1)[0]
    assert changed.summary == "Meeting changed: Panel" and '"venue": "Room 1"' in (changed.before or "")
    with pytest.raises(ServiceError, match="Say why"):
        meetings.delete(planned.id, why=" ")
    meetings.delete(planned.id, why="Cancelled: the venue flooded")
    assert planned.id not in {m.id for m in meetings.all()}
    left = ws.db.execute("SELECT count(*) FROM agenda_items WHERE meeting_id = ?", [planned.id]).fetchone()[0]
    assert left == 0
    deleted = ws.audit.entries(limit=1)[0]
    assert deleted.summary.startswith("Meeting deleted before it started")
    assert deleted.justification == "Cancelled: the venue flooded"
    started = meetings.plan("Panel", dt.date(2027, 2, 2)).record
    meetings.start(started.id)
    for attempt in (lambda: meetings.update(started.id, panel="X", held_on=dt.date(2027, 2, 3)),
                    lambda: meetings.delete(started.id, why="Oops")):  # fmt: skip
        with pytest.raises(ServiceError, match="Only a meeting that has not started"):
            attempt()
