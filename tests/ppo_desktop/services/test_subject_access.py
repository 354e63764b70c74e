"""Subject access (DPA 2018 s.45): the pack holds everything the store holds about a person — every
table that names people, found by the schema — what other records say of them, and who consulted
their data; restrictions (s.45(4)) and third-party redactions are applied and recorded."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from ppo_desktop.domain import MeetingState, Role, User
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.subject_access import NOT_IN_A_PACK, SubjectAccess
from ppo_desktop.services.workspace import PermissionDenied, ServiceError, Workspace


def busiest(ws: Workspace) -> int:
    """The person with the most records about them (the hardest pack to get right)."""
    return int(ws.db.execute(
        "SELECT nominal_id FROM audit WHERE nominal_id IS NOT NULL GROUP BY nominal_id ORDER BY count(*) DESC"
    ).fetchone()[0])  # fmt: skip


def test_the_pack_holds_everything_held_about_the_person(demo: Workspace) -> None:
    """Compared table by table with the store itself: a table about people added later is in the pack
    without anyone remembering to add it (the tables are found by their nominal_id column)."""
    nid = busiest(demo)
    access = SubjectAccess(demo)
    with_people = {
        name for (name,) in demo.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if "nominal_id" in {c[1] for c in demo.db.execute(f'PRAGMA table_info("{name}")')}
    }  # fmt: skip
    assert set(access.person_tables()) == with_people - set(NOT_IN_A_PACK) - {"audit"}
    held = access.gather(nid)
    for table in access.person_tables():
        count = demo.db.execute(f'SELECT count(*) FROM "{table}" WHERE nominal_id = ?', [nid]).fetchone()[0]
        assert len(held["records"][table]) == count, table
    audited = demo.db.execute("SELECT count(*) FROM audit WHERE nominal_id = ?", [nid]).fetchone()[0]
    assert len(held["audit"]) == audited > 0
    demo.db.execute("CREATE TABLE later_notes (id INTEGER PRIMARY KEY, nominal_id INTEGER, text TEXT)")
    demo.db.execute("INSERT INTO later_notes (nominal_id, text) VALUES (?, 'added later')", [nid])
    assert access.gather(nid)["records"]["later_notes"][0]["text"] == "added later"


def test_what_other_records_say_of_the_person_is_in_the_pack(demo: Workspace) -> None:
    nid, other = busiest(demo), demo.db.execute("SELECT id FROM nominals ORDER BY id DESC").fetchone()[0]
    name = demo.db.execute("SELECT family_name FROM nominals WHERE id = ?", [nid]).fetchone()[0]
    meetings = Meetings(demo)
    planned = next(m for m in meetings.all() if m.state is MeetingState.PLANNED)
    item = meetings.add_item(planned.id, "Other person", nominal_id=other).record
    meetings.set_notes(item.id, f"Associates with {name.title()} at the garage")
    mentions = SubjectAccess(demo).gather(nid)["mentions"]
    assert [(m["table"], m["id"]) for m in mentions if "garage" in m["text"]] == [("agenda_items", item.id)]


def test_a_restriction_withholds_and_is_recorded_and_a_redaction_hides_a_third_party(demo: Workspace) -> None:
    from ppo_desktop.domain import Pathway
    from ppo_desktop.services.actions import Actions

    decided = demo.db.execute("SELECT nominal_id, max(id) FROM decisions GROUP BY nominal_id")
    nid, decision = decided.fetchone()
    access = SubjectAccess(demo)
    Actions(demo).add(nid, pathway=Pathway.HEALTH, description="GP appointment", agency="Health",
                      owner="Nurse Fictional-Thirdparty", due_on=None)  # fmt: skip
    with pytest.raises(ServiceError, match="s.45\\(4\\) ground"):
        access.restrict(nid, ground="z", withheld=f"decisions:{decision}", reason="x")
    soon, gone = demo.today() + dt.timedelta(days=90), demo.today() - dt.timedelta(days=1)
    access.restrict(nid, ground="b", withheld=f"decisions:{decision}", reason="An investigation", until=soon)
    access.restrict(nid, ground="e", withheld="actions", reason="Expired", until=gone)
    redact = {"Fictional-Thirdparty": "a nurse: a third party"}
    pack = access.pack(nid, requested_on=demo.today(), redact=redact)
    given = pack.for_person
    assert decision not in {d["id"] for d in given["records"]["decisions"]}  # withheld: not even mentioned
    assert given["records"]["actions"] and "access_restrictions" not in given["records"]  # the DPO's only
    bundle = json.loads(pack.bundle)
    [rule] = bundle["restrictions"]  # the expired one is not in force
    assert bundle["withheld"] == [{"table": "decisions", "id": decision, "restriction": rule["id"]}]
    assert rule["ground"] == "b" and "prevention, detection" in rule["ground_text"]
    assert "Fictional-Thirdparty" not in json.dumps(given) and "Nurse [redacted]" in json.dumps(given)
    assert "Fictional-Thirdparty" not in json.dumps(bundle)
    last = demo.audit.entries(limit=1)[0]
    assert last.kind == "disclosure"
    assert "(1 record(s) withheld under s.45(4), 1 redaction(s))" in last.summary
    assert '"redaction_reasons": ["a nurse: a third party"]' in (last.after or "")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(access.pdf(pack))).pages)
    assert str(given["person"]["family_name"]).upper() in text
    assert "Who consulted or disclosed your information" in text and "Fictional-Thirdparty" not in text


def test_only_an_administrator_makes_a_pack(demo: Workspace) -> None:
    demo.user = User("demo.coordinator", "Demo Coordinator", Role.COORDINATOR)
    with pytest.raises(PermissionDenied, match="administrator"):
        SubjectAccess(demo).pack(busiest(demo), requested_on=demo.today())


def test_offences_are_recorded_scored_as_at_a_date_and_in_the_subject_access_pack(demo: Workspace) -> None:
    from ppo_desktop.services.cases import Cases, NominalDraft
    from ppo_desktop.services.offences import Offences

    nid = Cases(demo).add_nominal(NominalDraft("Offenceless", "Newcomer")).record.id  # (the demo's have some)
    offences = Offences(demo)
    with pytest.raises(ServiceError, match="outcome must be one of"):
        offences.record(nid, on=demo.today(), category="burglary", outcome="rumoured")
    with pytest.raises(ServiceError, match="future"):
        offences.record(nid, on=demo.today() + dt.timedelta(days=1), category="burglary", outcome="convicted")
    offences.record(nid, on=demo.today() - dt.timedelta(days=10), category="Burglary", outcome="convicted",
                    victims=1, code="028/01")  # fmt: skip
    score = offences.score(nid, demo.today())
    assert (score.recency, score.frequency, score.gravity, score.victims) == (30, 5, 8, 3)  # by hand
    assert offences.scores(demo.today())[nid] == score
    assert nid not in offences.scores(demo.today() - dt.timedelta(days=11))  # as at before it: nothing yet
    assert demo.audit.entries(limit=1)[0].summary == "Offence recorded: burglary"
    held = SubjectAccess(demo).gather(nid)["records"]["offences"]
    assert [(o["category"], o["code"]) for o in held] == [("burglary", "028/01")]
