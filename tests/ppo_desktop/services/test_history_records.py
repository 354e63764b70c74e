"""Nominations, custodial sentences and case facts as events in the person's history (issue 22,
deliver 1): recorded as events, derived into their tables by the projection alone, carried between
laptops as events (case facts travel for the first time), and turned from an older store's rows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database

from db.history_migration import MIGRATED, events_from_records
from ppo_desktop.domain import Basis, NominationState, Strand
from ppo_desktop.rules.history import Event, EventKind, derive, timeline
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.custody import Custody
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.person_history import PersonHistory, event
from ppo_desktop.services.settings import Settings
from ppo_desktop.services.workspace import ServiceError, Workspace
from tests.ppo_desktop.exchange.test_two_laptops import merge, send_people

RR = Strand.REHABILITATE_RESETTLE


def _person(ws: Workspace) -> int:
    return next(r.nominal.id for r in Cases(ws).cohort(include_former=True))


def _kinds(ws: Workspace, nid: int) -> list[EventKind]:
    return [e.kind for e in PersonHistory(ws).events(nid)]


def test_nominations_sentences_and_facts_are_events_and_their_tables_are_derived(demo: Workspace) -> None:
    Settings(demo).set_profile("staffordshire-2005")  # (its inclusion criteria read recorded facts)
    nid = _person(demo)
    today = demo.today()
    made = Nominations(demo).nominate(nid, agency="Probation", nominator="PO Example", strand=RR,
                                      basis=Basis.PROLIFIC, reason="Test", on=today).record  # fmt: skip
    Custody(demo).record_sentence(nid, starts_on=today, days=800)
    Custody(demo).record_fact(nid, "dv_incidents_12m", 0)  # a known nought is not "not known"
    kinds = _kinds(demo, nid)
    assert {EventKind.NOMINATED, EventKind.SENTENCED, EventKind.FACT} <= set(kinds)
    assert [(f.fact, f.value) for f in Custody(demo).facts(nid)] == [("dv_incidents_12m", 0)]

    # The tables are what the events derive: a row changed behind the projection's back is put right.
    demo.db.execute("UPDATE nominations SET state = 'declined', reason = 'x' WHERE id = ?", [made.id])
    demo.db.execute("DELETE FROM sentences WHERE nominal_id = ?", [nid])
    demo.db.execute("DELETE FROM case_facts WHERE nominal_id = ?", [nid])
    PersonHistory(demo).project(nid)
    assert Nominations(demo).get(made.id).reason == "Test"  # the same row (its id is kept)
    assert Nominations(demo).get(made.id).state is NominationState.OPEN
    assert any(s.length_days == 800 for s in Custody(demo).sentences(nid))
    assert [(f.fact, f.value) for f in Custody(demo).facts(nid)] == [("dv_incidents_12m", 0)]

    # Declined, then forgotten: each is an event, audited in its transaction; nothing is rewritten.
    Nominations(demo).set_state(made.id, NominationState.DECLINED, justification="Not prolific (test)")
    Custody(demo).record_fact(nid, "dv_incidents_12m", None)
    assert Nominations(demo).get(made.id).state is NominationState.DECLINED
    assert Custody(demo).facts(nid) == []
    assert _kinds(demo, nid)[-2:] == [EventKind.NOMINATION_SETTLED, EventKind.FACT]
    entries = [e.summary for e in demo.audit.search(nominal_id=nid, limit=3)]
    assert any("Nomination declined" in s for s in entries) and any("forgotten" in s for s in entries)
    case = Cases(demo).case_file(nid)
    lines = [t for t in timeline(case.events, case.state) if t.event.kind is EventKind.NOMINATION_SETTLED]
    assert lines and lines[0].details.startswith("now declined: Nominated of")


def test_a_nomination_cannot_be_settled_twice_or_marked_selected_by_hand(demo: Workspace) -> None:
    nid = _person(demo)
    made = Nominations(demo).nominate(nid, agency="Police", nominator="DS Example", strand=RR,
                                      basis=Basis.PROLIFIC, reason="Test").record  # fmt: skip
    Nominations(demo).set_state(made.id, NominationState.WITHDRAWN)
    with pytest.raises(ServiceError, match="withdrawn already"):
        Nominations(demo).set_state(made.id, NominationState.WITHDRAWN)
    with pytest.raises(ServiceError, match="a selection settles it"):
        Nominations(demo).set_state(made.id, NominationState.SELECTED)


def test_a_case_fact_and_a_nomination_reach_the_other_laptop_as_events(
    demo: Workspace, laptop: Workspace
) -> None:
    """Before, case facts did not travel at all, and nominations travelled as rows beside the
    history; now both arrive as the person's events and the chair's laptop derives the same."""
    Settings(demo).set_profile("staffordshire-2005")
    nid = _person(demo)
    Custody(demo).record_fact(nid, "dv_incidents_12m", 5)
    Nominations(demo).nominate(nid, agency="Police", nominator="DS Example", strand=RR,
                               basis=Basis.PROLIFIC, reason="Exchange test")  # fmt: skip
    merge(laptop, send_people(demo, [nid]))
    family = demo.db.execute("SELECT family_name FROM nominals WHERE id = ?", [nid]).fetchone()[0]
    there = laptop.db.execute("SELECT id FROM nominals WHERE family_name = ?", [family]).fetchone()[0]
    assert [(f.fact, f.value) for f in Custody(laptop).facts(there)] == [("dv_incidents_12m", 5)]
    reasons = [n.reason for n in Cases(laptop).case_file(there).nominations]
    assert "Exchange test" in reasons
    here = Cases(demo).case_file(nid)
    assert sorted(n.reason for n in here.nominations) == sorted(reasons)
    assert sorted(s.starts_on for s in Custody(demo).sentences(nid)) == sorted(
        s.starts_on for s in Custody(laptop).sentences(there)
    )


def _old_store() -> Database:
    db = Database(memory=True)
    db.executescript("""
        CREATE TABLE nominations (id INTEGER PRIMARY KEY, nominal_id INTEGER, agency TEXT, nominator TEXT,
            nominated_on TEXT, basis TEXT, strand TEXT, reason TEXT, state TEXT, event_key TEXT);
        CREATE TABLE sentences (id INTEGER PRIMARY KEY, nominal_id INTEGER, starts_on TEXT,
            length_months INTEGER, length_days INTEGER, release_on TEXT, secure_hospital INTEGER,
            recorded_on TEXT, note TEXT,
            length_years INTEGER, ends_on TEXT, no_fixed_term INTEGER, event_key TEXT);
        CREATE TABLE case_facts (nominal_id INTEGER, fact TEXT, value TEXT, recorded_on TEXT,
            recorded_by TEXT);
        CREATE TABLE person_events (id INTEGER PRIMARY KEY, nominal_id INTEGER, key TEXT, kind TEXT,
            occurred_on TEXT, recorded_at TEXT, recorded_by TEXT, strand TEXT, basis TEXT, status TEXT,
            decision_id INTEGER, details TEXT);
        INSERT INTO nominations VALUES
          (7, 1, 'Police', 'DS Example', '2024-02-01', 'prolific', 'C&C', 'Burglaries', 'declined', NULL),
          (8, 1, 'Probation', 'PO Example', '2024-03-01', 'priority', 'R&R', 'Risk', 'open', NULL);
        INSERT INTO sentences VALUES
          (3, 1, '2024-04-01', 0, 800, '2026-01-01', 0, '2024-04-02', 'Crown Court', 0, NULL, 0, NULL),
          (4, 1, '2024-05-01', 0, 0, NULL, 1, '2024-05-02', '', 0, NULL, 1, NULL);
        INSERT INTO case_facts VALUES (1, 'asbo', 'false', '2024-06-01', 'k.coord'),
                                      (1, 'dv_incidents_12m', '3', '2024-06-02', 'k.coord');
    """)  # fmt: skip
    return db


def test_an_older_store_s_rows_become_events_that_derive_the_same_rows() -> None:
    db = _old_store()
    before = {t: list(db.query(f"SELECT * FROM {t} ORDER BY rowid")) for t in ("nominations", "sentences")}
    events_from_records(db)
    history = [event(r) for r in db.query("SELECT * FROM person_events")]
    assert all(e.recorded_by == MIGRATED for e in history)
    state = derive(history, nominal_id=1)
    keys = {r["id"]: r["event_key"] for r in db.query("SELECT id, event_key FROM nominations")}
    derived = dict(state.nominations)
    for row in before["nominations"]:
        n = derived[keys[row["id"]]]  # each row now names the event it comes from (its id is kept)
        assert (n.agency, n.nominated_on.isoformat(), n.strand.value, n.state.value) == (
            row["agency"], row["nominated_on"], row["strand"], row["state"]
        )  # fmt: skip
    sentences = [s for _, s in state.sentences]
    shown = [
        (s.starts_on.isoformat(), s.length_days, s.no_fixed_term, s.secure_hospital, s.note)
        for s in sentences
    ]
    assert shown == [("2024-04-01", 800, False, False, "Crown Court"), ("2024-05-01", 0, True, True, "")]
    assert sentences[0].recorded_on == dt.date(2024, 4, 2)
    assert [(f.fact, f.value, f.recorded_on, f.recorded_by) for f in state.facts] == [
        ("asbo", False, dt.date(2024, 6, 1), "k.coord"),
        ("dv_incidents_12m", 3, dt.date(2024, 6, 2), "k.coord"),
    ]


def test_records_turned_into_events_on_both_laptops_count_once_and_later_events_find_them() -> None:
    """Both laptops held the same nomination before the upgrade: each turns it into an event with a
    key of its own. Once exchanged, the first in order stands; a settlement recorded on the other
    laptop, naming the one left out, still settles it (and a withdrawal still withdraws)."""
    one, other = _old_store(), _old_store()
    events_from_records(one)
    events_from_records(other)
    mine = [event(r) for r in one.query("SELECT * FROM person_events")]
    theirs = [event(r) for r in other.query("SELECT * FROM person_events")]
    both = mine + theirs
    left_out = max(
        (e for e in both if e.kind is EventKind.NOMINATED and e.text("agency") == "Probation"),
        key=lambda e: e.key,
    )
    fact = max(
        (e for e in both if e.kind is EventKind.FACT and e.text("fact") == "asbo"), key=lambda e: e.key
    )
    later = [
        Event(EventKind.NOMINATION_SETTLED, dt.date(2024, 7, 1), "z1", "2024-07-01T10:00:00", "k.coord",
              details={"nomination": left_out.key, "state": "withdrawn"}),
        Event(EventKind.WITHDRAWN, dt.date(2024, 7, 1), "z2", "2024-07-01T10:01:00", "k.coord",
              details={"withdraws": fact.key}),
    ]  # fmt: skip
    state = derive([*both, *later], nominal_id=1)
    assert sorted(n.state.value for _, n in state.nominations) == ["declined", "withdrawn"]
    assert len(state.sentences) == 2 and [f.fact for f in state.facts] == ["dv_incidents_12m"]
    assert not state.ignored


def test_an_event_whose_details_cannot_be_read_is_set_aside_not_a_broken_screen() -> None:
    """Were one to reach the store (the pack's door refuses them), the history is still derived and
    the case's timeline says why the event does not count."""
    events = [
        Event(EventKind.NOMINATED, dt.date(2024, 1, 1), "a", strand=RR, basis=Basis.PROLIFIC,
              details={"agency": "Police", "state": "exploded"}),
        Event(EventKind.SENTENCED, dt.date(2024, 2, 1), "b", details={"years": "ten"}),
        Event(EventKind.AMBER, dt.date(2024, 3, 1), "c", details={"release_on": "soon"}),
        Event(EventKind.FACT, dt.date(2024, 4, 1), "d", details={"fact": "asbo", "value": [1]}),
    ]  # fmt: skip
    state = derive(events)
    assert state.nominations == () and state.sentences == () and state.facts == ()
    assert [k for k, _ in state.ignored] == ["a", "b", "c", "d"]
    assert all(line.standing.startswith("set aside: its ") for line in timeline(events, state))


def test_a_pack_s_history_event_with_unreadable_details_is_refused_at_the_door() -> None:
    from ppo_desktop.transfer.checks import _domain
    from ppo_desktop.transfer.pack import PackError

    for details in ('{"release_on": "soon"}', "not json", '{"outcomes": ["gone-to-the-moon"]}'):
        with pytest.raises(PackError, match="history event's details are damaged"):
            _domain("person_events", {"details": details}, "record 1 of the pack")
