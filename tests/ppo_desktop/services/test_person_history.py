"""A person's history (issue 22): the less common paths, through the services as the panel reaches
them, each rule at its edges; and a model-based property test of the derivation against a small
reference model written here, independently of ``rules/history.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from db.history_migration import events_from_spells
from ppo_desktop.domain import (
    PPO_STRANDS,
    Basis,
    DecisionKind,
    Membership,
    NominationState,
    Sentence,
    Status,
    Strand,
)
from ppo_desktop.rules.history import Event, EventKind, Stage, derive
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.performance import Performance
from ppo_desktop.services.pools import Pools
from ppo_desktop.services.settings import Settings
from ppo_desktop.services.workspace import ServiceError
from tests.ppo_desktop.rules.test_lifecycle import START, Panel, kinds


@pytest.fixture
def panel(tmp_path: Path) -> Iterator[Panel]:
    p = Panel(tmp_path)
    yield p
    p.ws.close()


def _off_the_scheme(panel: Panel, nid: int, day: dt.date) -> None:
    assert panel.memberships.current_membership(nid) is None
    assert all(not m.current for m in panel.cases.case_file(nid).memberships)
    assert panel.cases.history(nid).stage is Stage.OFF
    assert nid not in {r.nominal.id for r in panel.cases.cohort(include_former=False)}
    assert not [k for k in kinds(panel, nid, day) if k != "actions"]


def test_moved_to_rr_then_deselected_leaves_the_scheme(panel: Panel) -> None:
    nid = panel.person("Moved")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    panel.decide(nid, dt.date(2024, 3, 1), DecisionKind.MOVE_STRAND, strand=Strand.REHABILITATE_RESETTLE,
                 move_criteria=("Working",))  # fmt: skip
    memberships = panel.cases.case_file(nid).memberships
    assert {(m.strand, m.is_lead, m.current) for m in memberships} == {
        (Strand.CATCH_CONVICT, False, True), (Strand.REHABILITATE_RESETTLE, True, True)}  # fmt: skip
    panel.decide(nid, dt.date(2024, 6, 1), DecisionKind.DESELECT, reason_code="moved-away", authority="DI")
    for day in (dt.date(2024, 6, 2), dt.date(2026, 2, 1)):  # later: no review, no two-year, no six-month
        _off_the_scheme(panel, nid, day)
    with pytest.raises(ServiceError, match="not on the scheme, so cannot be retained"):
        panel.decide(nid, dt.date(2024, 7, 1), DecisionKind.RETAIN)
    panel.on(dt.date(2024, 8, 1))
    assert nid not in {row.entry.nominal_id for row in Pools(panel.ws).pool(Strand.CATCH_CONVICT).rows}
    panel.decide(nid, dt.date(2025, 1, 1), DecisionKind.SELECT, strand=Strand.CATCH_CONVICT,
                 basis=Basis.PROLIFIC, status=Status.OFFENDING_CJS)  # fmt: skip
    state = panel.cases.history(nid)
    assert [(p.started_on, p.ended_on) for p in state.periods] == [
        (START, dt.date(2024, 6, 1)), (dt.date(2025, 1, 1), None)]  # fmt: skip
    assert state.soon_reselected  # within 12 months of leaving
    with pytest.raises(ServiceError, match="already on the scheme"):
        panel.decide(nid, dt.date(2025, 2, 1), DecisionKind.SELECT, strand=Strand.REHABILITATE_RESETTLE,
                     basis=Basis.PROLIFIC)  # fmt: skip


def test_an_undone_deselection_puts_every_strand_back(panel: Panel) -> None:
    nid = panel.person("Undone")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    panel.decide(nid, dt.date(2024, 3, 1), DecisionKind.MOVE_STRAND, strand=Strand.REHABILITATE_RESETTLE,
                 move_criteria=("Working",))  # fmt: skip
    decision = panel.decide(nid, dt.date(2024, 6, 1), DecisionKind.DESELECT, reason_code="moved-away",
                            authority="DI", close=False)  # fmt: skip
    panel.decisions.undo(decision)
    assert {m.strand for m in panel.cases.case_file(nid).memberships if m.current} == {
        Strand.CATCH_CONVICT, Strand.REHABILITATE_RESETTLE}  # fmt: skip
    assert panel.memberships.current_membership(nid).strand is Strand.REHABILITATE_RESETTLE  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("release", "due"),
    [
        (dt.date(2024, 8, 1), dt.date(2024, 6, 1)),  # under 3 months away: reconsidered at once
        (dt.date(2024, 9, 1), dt.date(2024, 6, 1)),  # exactly 3 months: at once too
        (dt.date(2024, 9, 30), dt.date(2024, 6, 30)),
        (dt.date(2025, 3, 1), dt.date(2024, 12, 1)),  # 3 months before release
    ],
)
def test_the_amber_list_is_reconsidered_three_months_before_release_or_at_once(
    panel: Panel, release: dt.date, due: dt.date
) -> None:
    nid = panel.person("Amber")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    panel.decide(nid, dt.date(2024, 6, 1), DecisionKind.AMBER, release_on=release, authority="DI")
    first = max(due, dt.date(2024, 6, 2))  # not the meeting that placed them
    assert "amber-release" not in kinds(panel, nid, first - dt.timedelta(days=1))
    assert "amber-release" in kinds(panel, nid, first)
    assert "OVERDUE" in panel.reasons(release + dt.timedelta(days=1), nid)
    # While on the list: out of the cohort, the pool and capacity; no two-year or six-month review.
    assert panel.memberships.current_membership(nid) is None
    assert set(kinds(panel, nid, START + dt.timedelta(days=800))) == {"amber-release"}
    panel.on(dt.date(2024, 7, 1))
    assert nid not in {r.entry.nominal_id for r in Pools(panel.ws).pool(Strand.CATCH_CONVICT).rows}
    sizes = Performance(panel.ws).report().table("capacity")
    row = next(r for r in sizes.rows if r[0] == Strand.CATCH_CONVICT.long_name)
    assert (row[1], row[2]) == (0, 1)  # cohort 0, amber list 1: reported apart
    # The reconsideration de-selects (with reason and authority), or re-selects.
    panel.decide(nid, release + dt.timedelta(days=5), DecisionKind.DESELECT, reason_code="stopped-offending",
                 authority="DI and agencies", risk_assessment="Probation OASys, 2 weeks before")  # fmt: skip
    _off_the_scheme(panel, nid, release + dt.timedelta(days=40))
    membership = panel.cases.case_file(nid).memberships[0]
    assert (membership.removed_on, membership.amber_until, membership.removal_authority) == (
        dt.date(2024, 6, 1), release + dt.timedelta(days=5), "DI and agencies")  # fmt: skip


@pytest.mark.parametrize(
    ("given", "over_2", "over_10", "under_12m"),
    [
        ({"days": 800}, True, False, False),
        ({"days": 730}, False, False, False),
        ({"days": 4000}, True, True, False),
        ({"days": 366}, False, False, False),
        ({"days": 364}, False, False, True),
        ({"months": 23, "days": 31}, True, False, False),  # 1 Mar 2024 + 23 months + 31 days = 4 Mar 2026
        ({"months": 23, "days": 28}, False, False, False),  # = 1 Mar 2026: exactly two years
        ({"years": 2, "days": 1}, True, False, False),
        ({"ends_on": dt.date(2026, 3, 2)}, True, False, False),
    ],
)
def test_sentence_lengths_compare_real_end_dates(
    given: dict[str, object], over_2: bool, over_10: bool, under_12m: bool
) -> None:
    s = Sentence(0, 1, dt.date(2024, 3, 1), length_months=int(given.get("months", 0)),  # type: ignore[arg-type]
                 length_days=int(given.get("days", 0)), length_years=int(given.get("years", 0)),  # type: ignore[arg-type]
                 ends_on=given.get("ends_on"))  # type: ignore[arg-type]  # fmt: skip
    assert (s.longer_than(years=2), s.longer_than(years=10), s.shorter_than(months=12)) == (
        over_2, over_10, under_12m)  # fmt: skip


def test_sentences_in_days_reach_the_agenda_and_hospital_orders_without_a_term_are_recordable(
    panel: Panel,
) -> None:
    days, hospital = panel.person("Days"), panel.person("Hospital")
    for nid in (days, hospital):
        panel.select(nid, Strand.CATCH_CONVICT, START)
    panel.on(dt.date(2024, 5, 1))
    panel.custody.record_sentence(days, starts_on=dt.date(2024, 5, 1), days=4000)
    with pytest.raises(ServiceError, match="Only a secure hospital order"):
        panel.custody.record_sentence(hospital, starts_on=dt.date(2024, 5, 1), no_fixed_term=True)
    with pytest.raises(ServiceError, match="one of"):
        panel.custody.record_sentence(hospital, starts_on=dt.date(2024, 5, 1), months=3, no_fixed_term=True,
                                    secure_hospital=True)  # fmt: skip
    panel.custody.record_sentence(
        hospital, starts_on=dt.date(2024, 5, 1), no_fixed_term=True, secure_hospital=True
    )
    assert "removal in full is proposed" in panel.reasons(dt.date(2024, 6, 1), days)
    assert "no fixed term" in panel.reasons(dt.date(2024, 6, 1), hospital)


def test_a_late_reported_older_arrest_does_not_replace_a_newer_one(panel: Panel) -> None:
    nid = panel.person("Late")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    panel.on(dt.date(2024, 9, 1))
    panel.memberships.record_activity(nid, arrest_on=dt.date(2024, 8, 1))
    panel.on(dt.date(2024, 10, 1))
    panel.memberships.record_activity(nid, arrest_on=dt.date(2024, 5, 1))  # reported late
    assert panel.cases.history(nid).last_arrest_on == dt.date(2024, 8, 1)
    assert "no-activity" not in kinds(panel, nid, dt.date(2025, 1, 31))
    assert "no-activity" in kinds(panel, nid, dt.date(2025, 2, 1))  # six months from 1 Aug
    key = next(e.key for e in panel.cases.people.events(nid) if e.on == dt.date(2024, 8, 1))
    panel.memberships.withdraw(nid, key, why="recorded against the wrong person")
    assert panel.cases.history(nid).last_arrest_on == dt.date(2024, 5, 1)


def test_average_months_on_scheme_counts_the_person_not_the_strand(panel: Panel) -> None:
    nid = panel.person("Longtime")
    panel.select(nid, Strand.CATCH_CONVICT, START)  # 10 Jan 2024
    panel.decide(nid, dt.date(2025, 6, 10), DecisionKind.MOVE_STRAND, strand=Strand.REHABILITATE_RESETTLE,
                 move_criteria=("Working",))  # fmt: skip
    panel.on(dt.date(2025, 7, 10))
    sizes = Performance(panel.ws).report().table("capacity")
    row = next(r for r in sizes.rows if r[0] == Strand.REHABILITATE_RESETTLE.long_name)
    assert row[1] == 1 and 17.9 < float(str(row[-1])) < 18.1  # 18 months, not the 1 month on R&R


def test_an_old_store_s_spells_become_events_and_the_left_open_spell_closes() -> None:
    """Schema step 15 on the records the old model wrote: C&C left open (non-lead) after a move to
    R&R and a de-selection; an amber membership held open; a retained review."""
    db = Database(memory=True)
    db.executescript("""
        CREATE TABLE nominals (id INTEGER PRIMARY KEY, last_arrest_on TEXT, last_intelligence_on TEXT);
        CREATE TABLE memberships (id INTEGER PRIMARY KEY, nominal_id INTEGER, strand TEXT, basis TEXT,
            is_lead INTEGER, status TEXT, added_on TEXT, next_review_on TEXT, custody_on TEXT,
            release_on TEXT, amber INTEGER, amber_on TEXT, removed_on TEXT, removal_reason TEXT,
            removal_note TEXT,
            removal_authority TEXT, removal_outcomes TEXT);
        CREATE TABLE decisions (id INTEGER PRIMARY KEY, nominal_id INTEGER, kind TEXT, decided_on TEXT,
            undone_at TEXT);
        CREATE TABLE person_events (id INTEGER PRIMARY KEY, nominal_id INTEGER, key TEXT, kind TEXT,
            occurred_on TEXT, recorded_at TEXT, recorded_by TEXT, strand TEXT, basis TEXT, status TEXT,
            decision_id INTEGER, details TEXT);
        INSERT INTO nominals VALUES (1, '2024-05-01', NULL), (2, NULL, NULL);
        INSERT INTO memberships VALUES
          (1, 1, 'C&C', 'prolific', 0, 'offending-cjs', '2024-01-10', NULL, NULL, NULL, 0, NULL, NULL, NULL,
           NULL, NULL, '[]'),
          (2, 1, 'R&R', 'prolific', 1, 'offending-cjs', '2024-03-01', NULL, NULL, NULL, 0, NULL, '2024-06-01',
           'moved-away', '', 'DI', '[]'),
          (3, 2, 'C&C', 'priority', 1, 'custody', '2024-01-10', '2026-03-01', '2024-02-01', '2026-06-01', 1,
           '2024-02-01', NULL, NULL, NULL, NULL, '[]');
        INSERT INTO decisions VALUES (1, 1, 'retain', '2024-04-01', NULL);
    """)  # fmt: skip
    events_from_spells(db)

    def history(nid: int) -> list[Event]:
        found = db.query("SELECT * FROM person_events WHERE nominal_id = ?", [nid])
        from ppo_desktop.services.person_history import event

        return [event(r) for r in found]

    moved = derive(history(1))
    assert moved.stage is Stage.OFF and not [m for m in moved.memberships if m.current]
    assert moved.last_arrest_on == dt.date(2024, 5, 1) and dt.date(2024, 4, 1) in moved.reviewed_on
    amber = derive(history(2))
    assert amber.stage is Stage.AMBER and amber.amber is not None
    assert amber.amber.release_on == dt.date(2026, 6, 1) and amber.period is None


# -- the model-based property test ---------------------------------------------------------------
STRANDS = list(PPO_STRANDS)  # the lists the default profile runs
DAY0 = dt.date(2020, 1, 1)
KINDS = [EventKind.SELECTED, EventKind.MOVED, EventKind.RETAINED, EventKind.DEFERRED, EventKind.AMBER,
         EventKind.DESELECTED, EventKind.ARRESTED, EventKind.INTELLIGENCE, EventKind.RELEASED,
         EventKind.NOMINATED, EventKind.NOMINATION_SETTLED, EventKind.SENTENCED, EventKind.FACT]  # fmt: skip


@st.composite
def histories(draw: st.DrawFn) -> list[Event]:
    out = []
    for n in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(KINDS))
        on = DAY0 + dt.timedelta(days=draw(st.integers(0, 6 * 365)))
        details: dict[str, object] = {}
        if kind is EventKind.NOMINATION_SETTLED:  # of an event drawn before it (perhaps not a nomination)
            named = out[draw(st.integers(0, len(out) - 1))].key if out else "none"
            details.update(nomination=named, state=draw(st.sampled_from(["declined", "withdrawn", "open"])))
        if kind is EventKind.FACT:
            details["fact"] = draw(st.sampled_from(["nim_core", "dv_incidents_12m"]))
            if draw(st.booleans()):  # else forgotten
                details["value"] = draw(st.one_of(st.booleans(), st.integers(0, 9)))
        if kind is EventKind.SENTENCED:
            details["days"] = draw(st.integers(1, 4000))
        if kind is EventKind.AMBER:
            details["release_on"] = (on + dt.timedelta(days=draw(st.integers(-10, 2000)))).isoformat()
        if kind is EventKind.DESELECTED:
            details["reason"] = "other"
        recorded = draw(st.integers(0, 3))  # late reporting: recorded up to days after, in any order
        key, at = f"{draw(st.integers(0, 99)):02d}-{n}", f"{on + dt.timedelta(days=recorded)}"
        strand = draw(st.sampled_from(STRANDS))
        out.append(Event(kind, on, key, at, strand=strand, basis=Basis.PROLIFIC, details=details))
    return out


def reference(events: list[Event]) -> dict[str, object]:
    """The reference model: a plain reading of the rules, written without the machine."""
    stage, lead, strands, periods, arrest = "off", None, set[Strand](), list[list[object]](), None
    nominations: dict[str, str] = {}
    facts: dict[object, object] = {}
    sentences: list[str] = []
    for e in sorted(events, key=lambda e: (e.on, e.recorded_at, e.key)):
        if e.kind is EventKind.NOMINATED:
            nominations[e.key] = "open"
        elif e.kind is EventKind.NOMINATION_SETTLED:
            if nominations.get(str(e.details["nomination"])) not in (None, e.details["state"]):
                nominations[str(e.details["nomination"])] = str(e.details["state"])
        elif e.kind is EventKind.FACT:
            if "value" in e.details:
                facts[e.details["fact"]] = e.details["value"]
            else:
                facts.pop(e.details["fact"], None)
        elif e.kind is EventKind.SENTENCED:
            sentences.append(e.key)
        elif e.kind is EventKind.ARRESTED:
            arrest = e.on if arrest is None else max(arrest, e.on)
        elif e.kind is EventKind.SELECTED and stage != "on":
            stage, lead, strands = "on", e.strand, {e.strand}
            nominations = {k: "selected" if v == "open" else v for k, v in nominations.items()}
            periods.append([e.on, None])
        elif e.kind is EventKind.MOVED and stage == "on" and e.strand != lead:
            if lead is Strand.PREVENT_DETER:
                strands.discard(lead)
            strands.add(e.strand)
            lead = e.strand
        elif e.kind is EventKind.AMBER and stage == "on" and e.details["release_on"] > e.on.isoformat():
            stage, lead, strands = "amber", None, set()
            periods[-1][1] = e.on
        elif e.kind is EventKind.DESELECTED and stage in ("on", "amber"):
            if stage == "on":
                periods[-1][1] = e.on
            stage, lead, strands = "off", None, set()
    return {"stage": stage, "lead": lead, "strands": strands, "periods": [tuple(p) for p in periods],
            "arrest": arrest, "nominations": nominations, "facts": facts, "sentences": sentences}  # fmt: skip


@pytest.mark.slow  # 200 histories: a second or more
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(histories())
def test_the_derivation_matches_the_reference_model(events: list[Event]) -> None:
    state = derive(events, review_months={s: 6 for s in Strand})
    expected = reference(events)
    open_strands = {m.strand for m in state.memberships if m.current}
    assert state.stage.value == expected["stage"]
    assert state.lead == expected["lead"] and open_strands == expected["strands"]
    assert [(p.started_on, p.ended_on) for p in state.periods] == expected["periods"]
    assert state.last_arrest_on == expected["arrest"]
    assert {k: n.state.value for k, n in state.nominations} == expected["nominations"]
    assert {f.fact: f.value for f in state.facts} == expected["facts"]
    assert [k for k, _ in state.sentences] == expected["sentences"]
    # Invariants: off the scheme, nothing open and nothing due; periods never overlap.
    if state.stage is not Stage.ON:
        assert not open_strands and state.next_review_on is None and state.two_year_review_due() is None
    for before, after in zip(state.periods, state.periods[1:], strict=False):
        assert before.ended_on is not None and before.ended_on <= after.started_on
    # Any order of recording gives the same state (events are dated, not queued).
    assert derive(list(reversed(events)), review_months={s: 6 for s in Strand}) == state


STEPS = ["select", "move", "retain", "amber", "deselect", "arrest", "sentence", "nominate", "fact", "undo"]


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@pytest.mark.slow
@given(steps=st.lists(st.tuples(st.sampled_from(STEPS), st.integers(1, 120)), max_size=10))
def test_the_stored_spells_are_always_the_derivation_of_the_stored_events(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int]]
) -> None:
    """Through the services, any sequence of a person's decisions and facts (refused ones included):
    what is stored equals what the events derive, and a de-selected person has nothing open."""
    panel = Panel(tmp_path_factory.mktemp("history"))
    try:
        Settings(panel.ws).set_profile("staffordshire-2005")  # (its inclusion criteria read recorded facts)
        moving = tuple(panel.ws.profile().move_criteria.get(Strand.REHABILITATE_RESETTLE) or ())[:1]
        nid, day, decided = panel.person("Random"), START, []
        for what, gap in steps:
            day += dt.timedelta(days=gap)
            panel.on(day)
            try:
                if what == "select":
                    decided.append(panel.decide(nid, day, DecisionKind.SELECT, strand=Strand.CATCH_CONVICT,
                                                basis=Basis.PROLIFIC, authority="DI",
                                                close=gap % 2 == 0))  # fmt: skip
                elif what == "undo" and decided:
                    panel.decisions.undo(decided.pop())
                elif what == "nominate":
                    nominated = day - dt.timedelta(days=gap % 30)
                    Nominations(panel.ws).nominate(nid, agency="Police", nominator="DS Example",
                                                   strand=Strand.CATCH_CONVICT, basis=Basis.PROLIFIC,
                                                   reason="Test", on=nominated)  # fmt: skip
                elif what == "fact":
                    panel.custody.record_fact(nid, "dv_incidents_12m", gap % 7 if gap % 5 else None)
                elif what == "move":
                    panel.decide(nid, day, DecisionKind.MOVE_STRAND, strand=Strand.REHABILITATE_RESETTLE,
                                 move_criteria=moving, authority="DI")  # fmt: skip
                elif what == "retain":
                    panel.decide(nid, day, DecisionKind.RETAIN)
                elif what == "amber":
                    panel.decide(nid, day, DecisionKind.AMBER, release_on=day + dt.timedelta(days=gap * 9),
                                 authority="DI")  # fmt: skip
                elif what == "deselect":
                    panel.decide(nid, day, DecisionKind.DESELECT, reason_code="moved-away", authority="DI")
                elif what == "arrest":
                    panel.memberships.record_activity(nid, arrest_on=day - dt.timedelta(days=gap))
                else:
                    panel.custody.record_sentence(nid, starts_on=day, days=gap * 10)
            except ServiceError:
                pass  # refused with a sentence; nothing half-written (checked below)

        def shape(memberships: tuple[Membership, ...]) -> list[tuple[object, ...]]:
            return sorted((m.strand, m.is_lead, m.added_on, m.removed_on, m.amber) for m in memberships)

        state = panel.cases.history(nid)
        case = panel.cases.case_file(nid)
        assert shape(case.memberships) == shape(state.memberships)
        assert sorted((n.nominated_on, n.state) for n in case.nominations) == sorted(
            (n.nominated_on, n.state) for _, n in state.nominations
        )
        assert [(f.fact, f.value) for f in panel.custody.facts(nid)] == [
            (f.fact, f.value) for f in state.facts
        ]
        assert sorted(s.starts_on for s in panel.custody.sentences(nid)) == sorted(
            s.starts_on for _, s in state.sentences
        )
        if state.period is not None:  # a selection settles every nomination made before it
            before = [n for _, n in state.nominations if n.nominated_on < state.period.started_on]
            assert all(n.state is not NominationState.OPEN for n in before)
        assert not state.ignored  # the services never store an event the machine refuses
        if state.stage is Stage.OFF:
            assert panel.memberships.current_membership(nid) is None
        rows = panel.ws.db.execute("SELECT count(*) FROM person_events WHERE nominal_id = ?", [nid])
        recorded = rows.fetchone()
        audited = panel.ws.db.execute(
            "SELECT count(*) FROM audit WHERE entity = 'person_event' AND nominal_id = ?", [nid]
        ).fetchone()
        assert recorded[0] == audited[0]  # every event recorded is audited, in its transaction
    finally:
        panel.ws.close()


def test_a_new_store_has_no_schema_upgrade_to_derive(demo_store: Path) -> None:
    """The 'derive everything again' step is for stores that had strand spells before the history
    existed; a store made today has nothing to convert, and its first unlock says nothing of an
    upgrade (it did: 'derived again from 70 people's histories (schema upgrade)' in the new demo)."""
    from db.device import DeviceSecrets
    from ppo_desktop.demo import DEMO_PASSPHRASE
    from ppo_desktop.services.session import unlock

    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))  # its first unlock (a fresh copy)
    try:
        assert ws.setting("history.derive", "") == ""
        assert not [e for e in ws.audit.search(limit=5000) if "schema upgrade" in e.summary]
        assert ws.db.execute("SELECT count(*) FROM memberships").fetchone()[0] > 0  # the demo's, derived
        assert ws.blocked == "" and ws.vault.anchor["seq"] == ws.audit.anchor()["seq"]  # moved at the end
    finally:
        ws.close()
