"""Who was in the room for each item (issue 27, deliver 3): arrivals, departures and stepping out for
an item, recorded at the item; each showing to the room names who saw it; the minutes say who was
not in the room and whether the confidentiality statement was read; it all travels to the other
laptop."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ppo_desktop.domain import MeetingState, Move
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.documents import Documents
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.room import Room
from ppo_desktop.services.workspace import ServiceError, Workspace
from tests.ppo_desktop.documents.test_minutes_record import text_of
from tests.ppo_desktop.exchange.test_two_laptops import merge, send

PEOPLE = (("DS Example", "Police"), ("Ms Sample", "Probation"), ("Mr Mock", "Council"), ("Dr Late", "Health"))


def _meeting(ws: Workspace) -> tuple[int, list[int], dict[str, int]]:
    meetings = Meetings(ws)
    meeting = meetings.plan("Panel", dt.date(2026, 12, 1)).record
    items = []
    for n in range(1, 5):
        nid = Cases(ws).add_nominal(NominalDraft(f"Roomtest{n}", "Fictional")).record.id
        items.append(meetings.add_item(meeting.id, f"Person {n}", nominal_id=nid, reasons=["x"]).record.id)
    for name, agency in PEOPLE:
        Room(meetings.ws).add_attendee(meeting.id, name, agency)
    Room(meetings.ws).add_attendee(meeting.id, "Mr Apology", "Fire", present=False)
    meetings.start(meeting.id)
    who = {a.name: a.id for a in Room(meetings.ws).attendance(meeting.id)}
    return meeting.id, items, who


def _present(room: Room, item_id: int) -> list[str]:
    return sorted(a.name for a in room.present_for(item_id))


def test_who_was_in_the_room_follows_the_comings_and_goings(ws: Workspace) -> None:
    meeting_id, items, who = _meeting(ws)
    room = Room(ws)
    everyone = sorted(name for name, _ in PEOPLE)
    room.record(items[1], who["Dr Late"], Move.ARRIVED)  # came in before item 2
    room.record(items[1], who["Ms Sample"], Move.STEPPED_OUT)  # an interest declared in item 2
    room.record(items[2], who["Mr Mock"], Move.LEFT)  # gone before item 3
    room.record(items[3], who["Mr Mock"], Move.ARRIVED)  # back for item 4
    assert _present(room, items[0]) == sorted(set(everyone) - {"Dr Late"})
    assert _present(room, items[1]) == sorted(set(everyone) - {"Ms Sample"})
    assert _present(room, items[2]) == sorted(set(everyone) - {"Mr Mock"})
    assert _present(room, items[3]) == everyone

    Meetings(ws).record_projection(items[1])  # the disclosure names its recipients
    entry = next(e for e in ws.audit.search(kind="disclosure") if e.summary.startswith("Projected"))
    assert sorted(json.loads(entry.after or "{}")["present"]) == sorted(
        f"{n} ({a})" for n, a in PEOPLE if n != "Ms Sample"
    )

    for item_id in items:
        Meetings(ws).set_notes(item_id, "Discussed (test)")
    room.confidentiality_read(meeting_id)
    with pytest.raises(ServiceError, match="already recorded"):
        room.confidentiality_read(meeting_id)
    text = " ".join(text_of(Documents(ws).minutes(meeting_id).pdf).split())
    assert "confidentiality statement was read to the meeting and acknowledged at 09:30" in text
    assert "Not in the room Dr Late (Health): not yet arrived" in text
    assert "Ms Sample (Probation): stepped out for the item" in text
    assert "Mr Mock (Council): had left the meeting" in text


def test_comings_and_goings_are_refused_where_they_cannot_be(ws: Workspace) -> None:
    meeting_id, items, who = _meeting(ws)
    room = Room(ws)
    apology = next(a.id for a in Room(ws).attendance(meeting_id) if not a.present)
    with pytest.raises(ServiceError, match="recorded as attending"):
        room.record(items[0], apology, Move.LEFT)
    other = Meetings(ws).plan("Another panel", dt.date(2026, 12, 8)).record
    Room(ws).add_attendee(other.id, "Ms Elsewhere", "Police")
    elsewhere = Room(ws).attendance(other.id)[0].id
    with pytest.raises(ServiceError, match="recorded as attending"):
        room.record(items[0], elsewhere, Move.LEFT)
    Meetings(ws).close(meeting_id)
    with pytest.raises(ServiceError, match="in progress"):
        room.record(items[0], who["DS Example"], Move.LEFT)
    text = " ".join(text_of(Documents(ws).minutes(meeting_id).pdf).split())
    assert "not recorded as read" in text


def test_who_was_in_the_room_travels_to_the_other_laptop(demo: Workspace, laptop: Workspace) -> None:
    meetings = Meetings(demo)
    meeting = next(m for m in meetings.all() if m.state is MeetingState.PLANNED)
    nid = Cases(demo).cohort(include_former=False)[0].nominal.id
    meetings.add_item(meeting.id, "Review", nominal_id=nid, reasons=["review due (test)"])
    Room(meetings.ws).add_attendee(meeting.id, "DS Example", "Police")
    Room(meetings.ws).add_attendee(meeting.id, "Ms Sample", "Probation")
    merge(laptop, send(demo, meeting.id))

    chair = Meetings(laptop)
    chair_id = next(m.id for m in chair.all() if m.state is MeetingState.PLANNED)
    chair.start(chair_id)
    item = next(i for i in chair.agenda(chair_id) if i.nominal_id is not None)
    sample = next(a.id for a in Room(chair.ws).attendance(chair_id) if a.name == "Ms Sample")
    Room(laptop).confidentiality_read(chair_id)
    Room(laptop).record(item.id, sample, Move.STEPPED_OUT)
    chair.close(chair_id)
    merge(demo, send(laptop, chair_id, partner=demo.vault.store_id))

    back = next(i for i in meetings.agenda(meeting.id) if i.nominal_id == nid)
    assert [a.name for a in Room(demo).present_for(back.id)] == ["DS Example"]
    assert meetings.get(meeting.id).confidentiality_read_at != ""
