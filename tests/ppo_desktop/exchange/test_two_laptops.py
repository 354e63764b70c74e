"""Two laptops, one record (issue 14): the meeting goes to the chair's laptop, its outcome comes
back, and nothing is lost or silently overwritten."""

from __future__ import annotations

import json

import pytest

from ppo_desktop.domain import DecisionKind, MeetingState, Pathway, RemovalReason
from ppo_desktop.services.actions import Actions
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.decisions import Decisions
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.room import Room
from ppo_desktop.services.transfer import Transfer, TransferPlan
from ppo_desktop.services.workspace import ServiceError, Workspace

PACK = "correct horse battery staple"


def send(source: Workspace, meeting_id: int | None = None, *, partner: str | None = None) -> bytes:
    return Transfer(source).export(
        [], meeting_id=meeting_id, partner=partner, passphrase=PACK, recipient="The other laptop",
        justification="Panel meeting",
    )  # fmt: skip


def merge(target: Workspace, data: bytes, **resolutions: str) -> TransferPlan:
    transfer = Transfer(target)
    plan = transfer.plan(data, passphrase=PACK)
    decided = {p.number: p.nominal_id for p in plan.people if p.fate == "possible-duplicate"}
    trusted = plan.fingerprint  # as read out by the other laptop's user
    transfer.commit(plan, decided, justification="Exchange", resolutions=resolutions, trusted=trusted)
    return plan


def planned_meeting(demo: Workspace) -> tuple[int, list[int]]:
    meetings = Meetings(demo)
    meeting = next(m for m in meetings.all() if m.state is MeetingState.PLANNED)
    people = [r.nominal.id for r in Cases(demo).cohort(include_former=False)[:3]]
    for nid in people:
        meetings.add_item(meeting.id, f"Review {nid}", nominal_id=nid, reasons=["review due (test)"])
    return meeting.id, people


def chair_meeting(laptop: Workspace) -> int:
    return next(m.id for m in Meetings(laptop).all() if m.state is MeetingState.PLANNED)


def test_the_meetings_outcome_comes_back_to_the_coordinator(demo: Workspace, laptop: Workspace) -> None:
    meeting_id, people = planned_meeting(demo)
    merge(laptop, send(demo, meeting_id))

    # The chair runs the meeting on the laptop: one current member is de-selected, an action added.
    chair_id = chair_meeting(laptop)
    meetings, decisions = Meetings(laptop), Decisions(laptop)
    meetings.start(chair_id)
    Room(meetings.ws).add_attendee(chair_id, "Dr Example Chair", "Police", "Chair")
    first = meetings.agenda(chair_id)[0]
    assert first.nominal_id is not None
    decisions.decide(first.id, DecisionKind.DESELECT, reason_code=RemovalReason.MOVED_AWAY.value,
                     authority="DI Example (Police)", note="Moved out of the area")  # fmt: skip
    meetings.set_notes(first.id, "Moved away in October; housing confirmed.")
    raised = [a for a in Actions(laptop).open_actions() if a.pathway is Pathway.SCHEME]
    assert [a.description[:45] for a in raised] == ["Inform the PPO scheme in the receiving area, "]
    meetings.close(chair_id)
    assert Memberships(laptop).current_membership(first.nominal_id) is None

    partner = Transfer(laptop).partner_of_meeting(chair_id)
    assert partner == demo.vault.store_id  # the outcome goes back where the meeting came from
    back = send(laptop, chair_id, partner=partner)
    plan = Transfer(demo).plan(back, passphrase=PACK)
    summary = plan.summary()
    assert "1 decision" in summary and "1 de-selection" in summary and "1 action" in summary
    assert not plan.conflicts and not plan.people  # every person was known already
    Transfer(demo).commit(plan, justification="Outcome of the panel", trusted=plan.fingerprint)

    person = people[0]
    assert Memberships(demo).current_membership(person) is None  # de-selected on the coordinator's store too
    removed = demo.db.execute(
        "SELECT removal_reason, removal_authority FROM memberships WHERE nominal_id = ? "
        "AND removed_on IS NOT NULL ORDER BY id DESC",
        [person],
    ).fetchone()
    assert tuple(removed) == ("moved-away", "DI Example (Police)")
    assert Meetings(demo).get(meeting_id).state is MeetingState.CLOSED
    [decision] = Meetings(demo).decisions(meeting_id)
    assert decision.kind == "deselect" and decision.nominal_id == person
    item = next(i for i in Meetings(demo).agenda(meeting_id) if i.nominal_id == person)
    assert item.notes == "Moved away in October; housing confirmed." and decision.agenda_item_id == item.id
    travelled = [a.owner for a in Actions(demo).open_actions() if a.pathway is Pathway.SCHEME]
    assert travelled == ["PPO coordinator"]
    assert [a.name for a in Room(demo).attendance(meeting_id)] == ["Dr Example Chair"]
    # The audit names who changed it on the other laptop; both chains verify.
    merged = [e for e in demo.audit.search(kind="combination") if "memberships" not in e.summary]
    claimed = "the pack says by chair on"
    assert any("history event created" in e.summary and claimed in e.summary for e in merged)
    assert {e.user_id for e in merged} == {demo.user.id}  # who merged it here; who did it is the pack's claim
    assert demo.audit.verify().ok and laptop.audit.verify().ok


def test_merging_the_same_pack_twice_changes_nothing(demo: Workspace, laptop: Workspace) -> None:
    meeting_id, _ = planned_meeting(demo)
    data = send(demo, meeting_id)
    merge(laptop, data)
    snapshot = _state(laptop)
    again = merge(laptop, data)
    assert "nothing new" in again.summary()
    assert _state(laptop) == snapshot


def test_a_field_changed_on_both_laptops_goes_to_a_person(demo: Workspace, laptop: Workspace) -> None:
    meeting_id, _ = planned_meeting(demo)
    merge(laptop, send(demo, meeting_id))
    chair_id = chair_meeting(laptop)
    Meetings(laptop).set_quorum_note(chair_id, "Quorate: police, probation, council")
    Meetings(demo).set_quorum_note(meeting_id, "Quorate (coordinator's note)")
    Meetings(demo).set_minutes(Meetings(demo).agenda(meeting_id)[0].id, 25)  # no collision: applies
    partner = demo.vault.store_id
    back = send(laptop, chair_id, partner=partner)
    transfer = Transfer(demo)
    plan = transfer.plan(back, passphrase=PACK)
    [conflict] = plan.conflicts
    assert conflict.field == "quorum_note" and conflict.here == "Quorate (coordinator's note)"
    assert conflict.there == "Quorate: police, probation, council" and conflict.there_by.user == "chair"
    before = _state(demo)
    with pytest.raises(ServiceError, match="1 conflict"):
        transfer.commit(plan, justification="Outcome", trusted=plan.fingerprint)
    assert _state(demo) == before  # nothing half-merged
    there = {conflict.key: "there"}
    transfer.commit(plan, justification="Outcome", resolutions=there, trusted=plan.fingerprint)
    assert Meetings(demo).get(meeting_id).quorum_note == "Quorate: police, probation, council"
    # The choice travels back: the chair's laptop takes the settled value without asking again.
    reply = send(demo, meeting_id, partner=laptop.vault.store_id)
    plan = Transfer(laptop).plan(reply, passphrase=PACK)
    assert not plan.conflicts
    Transfer(laptop).commit(plan, justification="Settled", trusted=plan.fingerprint)
    assert Meetings(laptop).get(chair_id).quorum_note == "Quorate: police, probation, council"
    assert Meetings(laptop).agenda(chair_id)[0].minutes == 25


def test_since_the_last_exchange_a_pack_carries_only_what_changed(demo: Workspace, laptop: Workspace) -> None:
    meeting_id, _ = planned_meeting(demo)
    first = merge(laptop, send(demo, meeting_id)).opened.whole()
    chair_id = chair_meeting(laptop)
    back = send(laptop, chair_id, partner=demo.vault.store_id)
    merge(demo, back)  # the coordinator now knows what the chair's laptop has
    Meetings(demo).set_quorum_note(meeting_id, "Changed after the exchange")
    small = send(demo, meeting_id, partner=laptop.vault.store_id)
    plan = Transfer(laptop).plan(small, passphrase=PACK)
    records = list(plan.records())
    assert [r["t"] for r in records] == ["meetings"]  # type: ignore[index]
    size = len(json.dumps(records))  # (the chain details are a fixed few hundred bytes)
    assert size < len(json.dumps(first["records"])) / 4
    merge(laptop, small)
    assert Meetings(laptop).get(chair_id).quorum_note == "Changed after the exchange"


def test_packs_merged_out_of_order_reach_the_same_state(demo: Workspace, laptop: Workspace) -> None:
    meeting_id, _ = planned_meeting(demo)
    merge(laptop, send(demo, meeting_id))
    partner = laptop.vault.store_id
    merge(demo, send(laptop, chair_meeting(laptop), partner=demo.vault.store_id))
    Meetings(demo).set_quorum_note(meeting_id, "First")
    older = send(demo, meeting_id, partner=partner)
    Meetings(demo).set_quorum_note(meeting_id, "Second")
    newer = send(demo, meeting_id, partner=partner)
    merge(laptop, newer)
    merge(laptop, older)  # arrives late: it is already included
    assert Meetings(laptop).get(chair_meeting(laptop)).quorum_note == "Second"


def test_an_agenda_item_removed_stays_removed_whatever_arrives_later(
    demo: Workspace, laptop: Workspace
) -> None:
    meeting_id, _ = planned_meeting(demo)
    first = send(demo, meeting_id)
    merge(laptop, first)
    merge(demo, send(laptop, chair_meeting(laptop), partner=demo.vault.store_id))
    item = Meetings(demo).agenda(meeting_id)[-1]
    Meetings(demo).remove_item(item.id)
    removal = send(demo, meeting_id, partner=laptop.vault.store_id)
    merge(laptop, removal)
    assert len(Meetings(laptop).agenda(chair_meeting(laptop))) == 2
    merge(laptop, first)  # the first pack again: the item does not come back
    assert len(Meetings(laptop).agenda(chair_meeting(laptop))) == 2


def test_projections_on_the_chairs_laptop_are_recorded_on_the_coordinators(
    demo: Workspace, laptop: Workspace
) -> None:
    meeting_id, people = planned_meeting(demo)
    merge(laptop, send(demo, meeting_id))
    chair_id = chair_meeting(laptop)
    Meetings(laptop).record_projection(Meetings(laptop).agenda(chair_id)[0].id)
    back = send(laptop, chair_id, partner=demo.vault.store_id)
    merge(demo, back)
    merge(demo, back)  # once only
    shown = [
        e for e in demo.audit.search(kind="disclosure", nominal_id=people[0]) if "Projected" in e.summary
    ]
    assert len(shown) == 1 and "by chair" in shown[0].summary
    assert demo.audit.verify().ok


def test_a_pack_made_for_another_version_is_refused_clearly(demo: Workspace, laptop: Workspace) -> None:
    import ppo_desktop.transfer.pack as pack

    data = pack.seal({"format": 1, "from": {"store": "x", "user": "y"}, "people": []},
                     signing_key=pack.new_signing_key(), passphrase=PACK)  # fmt: skip
    with pytest.raises(ServiceError, match="different version"):
        Transfer(laptop).plan(data, passphrase=PACK)


def _state(ws: Workspace) -> dict[str, list[tuple[object, ...]]]:
    tables = ("nominals", "memberships", "meetings", "agenda_items", "decisions", "actions", "attendance")
    return {t: [tuple(r) for r in ws.db.execute(f"SELECT * FROM {t} ORDER BY id")] for t in tables}


def test_a_person_erased_on_one_laptop_is_put_to_review_on_the_other_not_half_erased(
    ws: Workspace, laptop: Workspace
) -> None:
    """Erasure is an administrator's act on each store: a pack does not erase (a final score sheet
    cannot be deleted but by erasure), nor leave a person half-deleted; the summary says so."""
    import datetime as dt

    from ppo_desktop.services.retention import Retention
    from tests.ppo_desktop.services.test_retention import _former

    person = _former(ws, "Gobbledygook-Erasetest", dt.date(2019, 3, 1))
    merge(laptop, send_people(ws, [person]))
    merge(ws, send(laptop, None, partner=ws.vault.store_id))
    before = _state(laptop)
    Retention(ws).erase(person, justification="Retention review (test)")
    plan = merge(laptop, send(ws, None, partner=laptop.vault.store_id))
    assert "1 erased on the other laptop (review under Retention here)" in plan.summary()
    assert _state(laptop) == before
    [due] = Retention(laptop).due()  # the rules here find them due too
    assert due.nominal_id == laptop.db.execute("SELECT id FROM nominals").fetchone()[0]
    assert laptop.audit.verify().ok


def meeting_under_way_on_both(demo: Workspace, laptop: Workspace) -> tuple[int, list[int], int]:
    """The coordinator's meeting sent to the chair's laptop and acknowledged, and started there: the
    coordinator's meeting, its people, and the chair's copy."""
    meeting_id, people = planned_meeting(demo)
    merge(laptop, send(demo, meeting_id))
    merge(demo, send(laptop, chair_meeting(laptop), partner=demo.vault.store_id))
    chair_id = chair_meeting(laptop)
    Meetings(laptop).start(chair_id)
    return meeting_id, people, chair_id


def test_an_item_taken_off_on_one_laptop_while_decided_on_the_other_loses_no_decision(
    demo: Workspace, laptop: Workspace
) -> None:
    meeting_id, people, chair_id = meeting_under_way_on_both(demo, laptop)
    last = Meetings(laptop).agenda(chair_id)[-1]
    Decisions(laptop).decide(last.id, DecisionKind.RETAIN, note="Engaging")
    Meetings(demo).remove_item(Meetings(demo).agenda(meeting_id)[-1].id)  # meanwhile, unaware
    merge(laptop, send(demo, meeting_id, partner=laptop.vault.store_id))
    assert len(Meetings(laptop).agenda(chair_id)) == 3  # its decision refers to it: it stays here
    merge(demo, send(laptop, chair_id, partner=demo.vault.store_id))
    [decision] = Meetings(demo).decisions(meeting_id)
    assert decision.nominal_id == people[-1] and decision.kind == "retain"  # the decision is kept
    # ...and the item comes back on the coordinator's laptop, the decision still on it: one record.
    back = next(i for i in Meetings(demo).agenda(meeting_id) if i.nominal_id == people[-1])
    assert decision.agenda_item_id == back.id and len(Meetings(demo).agenda(meeting_id)) == 3
    assert any("brought back" in e.summary for e in demo.audit.search(kind="combination", limit=20))


def test_an_item_taken_off_here_comes_back_when_a_decision_on_it_arrives_first(
    demo: Workspace, laptop: Workspace
) -> None:
    """The other order: the decision reaches the laptop that removed the item before anything else."""
    meeting_id, people, chair_id = meeting_under_way_on_both(demo, laptop)
    Decisions(laptop).decide(Meetings(laptop).agenda(chair_id)[-1].id, DecisionKind.RETAIN)
    Meetings(demo).remove_item(Meetings(demo).agenda(meeting_id)[-1].id)
    merge(demo, send(laptop, chair_id, partner=demo.vault.store_id))  # the decision, first
    [decision] = Meetings(demo).decisions(meeting_id)
    assert decision.agenda_item_id is not None and len(Meetings(demo).agenda(meeting_id)) == 3
    assert any("brought back" in e.summary for e in demo.audit.search(kind="combination", limit=20))
    merge(laptop, send(demo, meeting_id, partner=laptop.vault.store_id))
    merge(demo, send(laptop, chair_id, partner=demo.vault.store_id))
    assert len(Meetings(laptop).agenda(chair_id)) == len(Meetings(demo).agenda(meeting_id)) == 3


def send_people(source: Workspace, people: list[int]) -> bytes:
    transfer = Transfer(source)
    return transfer.export(people, passphrase=PACK, recipient="The other laptop", justification="Panel")
