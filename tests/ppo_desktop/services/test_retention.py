"""Retention review and erasure: who is due, who may erase, what is left afterwards (nothing of the
person but digests), and that the audit chain still proves itself — and notices forged blanking."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ppo_desktop.audit import REDACTED
from ppo_desktop.domain import Basis, RemovalReason, Role, Status, Strand
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.retention import Retention
from ppo_desktop.services.room import Room
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import PermissionDenied, ServiceError, Workspace

FAMILY = "Gobbledygook-Retentiontest"


def _former(ws: Workspace, family: str, removed: dt.date) -> int:
    cases = Cases(ws)
    draft = NominalDraft(family, "Fictional", address=f"1 {family} Row, Fictionshire")
    nominal = cases.add_nominal(draft).record
    memberships = Memberships(ws)
    joined = removed - dt.timedelta(days=400)
    membership = memberships.select(nominal.id, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS,
                               on=joined, authority="Test panel").record  # fmt: skip
    sheets = ScoreSheets(ws)
    sheet = sheets.start(nominal.id).record
    sheets.finalise(sheet.id)
    cases.open_case(nominal.id, purpose="Review")
    memberships.remove(membership.id, RemovalReason.STOPPED_OFFENDING, authority="Test chair", on=removed)
    return nominal.id


def _texts(ws: Workspace) -> str:
    """Every text value in every table, joined: what a search of the decrypted store would find."""
    tables = [r[0] for r in ws.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return "\n".join(
        str(v)
        for t in tables
        for row in ws.db.execute(f"SELECT * FROM {t}")
        for v in row
        if isinstance(v, str)
    )


def test_who_is_due_for_review(ws: Workspace) -> None:
    old = _former(ws, FAMILY, dt.date(2019, 3, 1))
    recent = _former(ws, "Recentlygone", dt.date(2025, 6, 1))
    current = Cases(ws).add_nominal(NominalDraft("Stillhere", "Fictional")).record
    due = Retention(ws).due()
    assert [c.nominal_id for c in due] == [old] and "people off the scheme are kept 6 years" in due[0].why
    assert recent not in {c.nominal_id for c in due} and current.id not in {c.nominal_id for c in due}


def test_erasure_leaves_nothing_of_the_person_and_the_chain_still_verifies(
    ws: Workspace, tmp_path: Path
) -> None:
    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    meeting = Meetings(ws).plan("Panel", dt.date(2019, 2, 1)).record
    title = f"{FAMILY.upper()}, Fictional"
    item = Meetings(ws).add_item(meeting.id, title, nominal_id=nid, reasons=["x"]).record
    assert FAMILY in _texts(ws)
    retention = Retention(ws)
    with pytest.raises(ServiceError, match="needs its reason"):
        retention.erase(nid, justification=" ")
    survivor = _former(ws, "Recentlygone", dt.date(2025, 6, 1))
    with pytest.raises(ServiceError, match="not due for erasure"):
        retention.erase(survivor, justification="Retention review")
    retention.erase(nid, justification="Retention review 2026, agreed by the DPO")
    assert FAMILY not in _texts(ws) and f"1 {FAMILY} Row" not in _texts(ws)
    assert Meetings(ws).item(item.id).title == "(erased)" and Meetings(ws).item(item.id).nominal_id is None
    report = ws.audit.verify()
    assert report.ok, report
    entries = ws.audit.search(nominal_id=nid)
    erasure = entries[0]
    assert erasure.kind == "erasure" and erasure.summary == "Record erased after the retention review"
    assert json.loads(erasure.after or "{}")["audit_entries_redacted"] == len(entries) - 1
    assert all(e.summary == REDACTED and e.before is None and e.after is None for e in entries[1:])
    wal = Path(f"{ws.vault.paths.store}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # no copy of the old pages beside the store


def test_only_an_administrator_erases(ws: Workspace) -> None:
    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    user = Users(ws).add("coord", "Coordinator", Role.COORDINATOR, "coordinator passphrase 1").record
    with pytest.raises(PermissionDenied):
        Retention(Workspace(ws.vault, user)).erase(nid, justification="Retention review")


def test_blanking_entries_without_an_erasure_is_noticed(ws: Workspace) -> None:
    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    ws.db.execute("DROP TRIGGER audit_no_update")  # what an attacker with the key could do
    ws.db.execute("INSERT INTO erasing VALUES (?)", [nid])
    redacted, _ = ws.audit.redact(nid)
    assert redacted > 0
    report = ws.audit.verify()
    assert not report.ok and "blanked without an erasure" in report.problem
    seq = ws.db.execute("SELECT min(seq) FROM audit WHERE nominal_id = ?", [nid]).fetchone()[0]
    ws.db.execute("UPDATE audit SET summary = 'something else' WHERE seq = ?", [seq])
    assert "altered" in ws.audit.verify().problem


def test_the_store_refuses_to_blank_entries_outside_an_erasure(ws: Workspace) -> None:
    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    with pytest.raises(Exception, match="append-only"):
        ws.audit.redact(nid)


def test_every_table_about_people_is_erased_with_the_person() -> None:
    """A table added with a person in it (a nominal_id column) must be in the erasure too, or be one
    the erasure handles otherwise — else an erased person leaves records behind (or fails on a key)."""
    import sqlcipher3
    from sqlite_utils import Database

    from db import migrations
    from ppo_desktop.services.retention import PERSON_TABLES

    db = Database(sqlcipher3.connect(":memory:"))
    migrations.apply(db)
    about_people = {t for t in db.table_names() if "nominal_id" in {c.name for c in db[t].columns}}
    handled_otherwise = {"agenda_items": "kept, anonymised", "audit": "redacted to digests",
                         "erasing": "the erasure's own marker",
                         "merging": "a merge's own marker, empty outside it"}  # fmt: skip
    assert about_people - set(PERSON_TABLES) - set(handled_otherwise) == set()


# -- the schedule (issue 27, deliver 2) --------------------------------------------------------------


def _due(ws: Workspace, on: dt.date, record_class: str) -> list[int]:
    return [d.record_id for d in Retention(ws).review(on).of(record_class)]


def test_the_schedule_is_data_each_period_with_its_source_changed_only_by_an_administrator(
    ws: Workspace,
) -> None:
    retention = Retention(ws)
    schedule = {p.record_class: p for p in retention.schedule()}
    assert list(schedule) == ["people_off_scheme", "people_not_selected", "meetings", "score_sheets", "audit"]
    assert schedule["people_off_scheme"].months == 12 * ws.profile().retention_years
    assert all(p.source for p in schedule.values())
    retention.set_period("meetings", 36, "Fictionshire information policy §4.2")
    assert str(retention.period("meetings")).startswith(
        "Meeting records of closed meetings: 3 years (Fictionshire information policy §4.2)"
    )
    [entry] = [e for e in ws.audit.search() if e.entity == "setting"][:1]
    assert entry.summary == "Retention period changed: Meeting records of closed meetings"
    with pytest.raises(ServiceError, match="where the period comes from"):
        retention.set_period("audit", 12, " ")
    with pytest.raises(ServiceError, match="between 1 month"):
        retention.set_period("audit", 0, "local choice")
    user = Users(ws).add("coord", "Coordinator", Role.COORDINATOR, "coordinator passphrase 1").record
    with pytest.raises(PermissionDenied):
        Retention(Workspace(ws.vault, user)).set_period("audit", 12, "local choice")


def test_each_class_is_due_the_day_after_its_period_ends(ws: Workspace) -> None:
    from ppo_desktop.domain import NominationState
    from ppo_desktop.services.nominations import Nominations

    former = _former(ws, FAMILY, dt.date(2019, 3, 1))  # off the scheme: 6 years
    assert _due(ws, dt.date(2025, 3, 1), "people_off_scheme") == []
    assert _due(ws, dt.date(2025, 3, 2), "people_off_scheme") == [former]

    never = Cases(ws).add_nominal(NominalDraft("Nevertaken-Retentiontest", "Fictional")).record.id
    nominations = Nominations(ws)
    made = nominations.nominate(never, agency="Police", nominator="DS Example", strand=Strand.CATCH_CONVICT,
                                basis=Basis.PROLIFIC, reason="Test", on=dt.date(2024, 11, 24))  # fmt: skip
    nominations.set_state(made.record.id, NominationState.DECLINED, justification="Not selected")
    assert _due(ws, dt.date(2026, 11, 24), "people_not_selected") == []  # 24 months, a local choice
    assert _due(ws, dt.date(2026, 11, 25), "people_not_selected") == [never]

    meetings = Meetings(ws)
    meeting = meetings.plan("Panel", dt.date(2020, 6, 1)).record
    Room(meetings.ws).add_attendee(meeting.id, "DS Example", "Police", "Member")
    meetings.start(meeting.id)
    meetings.close(meeting.id)
    assert _due(ws, dt.date(2026, 6, 1), "meetings") == []  # 72 months
    assert _due(ws, dt.date(2026, 6, 2), "meetings") == [meeting.id]

    sheets = ScoreSheets(ws)
    [earlier] = [s.id for s in sheets.history(former)]  # scored today (24 Nov 2026), final
    assert _due(ws, dt.date(2029, 11, 25), "score_sheets") == []  # no later sheet: it stays
    first = sheets.start(former).record
    sheets.finalise(first.id)
    assert _due(ws, dt.date(2029, 11, 24), "score_sheets") == []  # 36 months
    assert _due(ws, dt.date(2029, 11, 25), "score_sheets") == [earlier]  # superseded, and old

    newest = ws.audit.anchor()["seq"]  # every entry here was written on 24 Nov 2026
    assert _due(ws, dt.date(2032, 11, 24), "audit") == []  # 72 months
    assert _due(ws, dt.date(2032, 11, 25), "audit") == [newest]


def test_a_legal_hold_keeps_a_person_out_of_every_class_until_lifted(ws: Workspace) -> None:
    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    retention = Retention(ws)
    with pytest.raises(ServiceError, match="needs its reason"):
        retention.hold(nid, "")
    retention.hold(nid, "Civil claim, Fictionshire County Court (test)")
    assert retention.due() == [] and [d.record_id for d in retention.review().held] == [nid]
    with pytest.raises(ServiceError, match="under a legal hold"):
        retention.erase(nid, justification="Retention review")
    with pytest.raises(ServiceError, match="already under a legal hold"):
        retention.hold(nid, "Again")
    retention.lift(nid, "Claim settled (test)")
    assert [d.record_id for d in retention.due()] == [nid]
    retention.erase(nid, justification="Retention review")
    assert ws.db.execute("SELECT count(*) FROM legal_holds").fetchone()[0] == 0  # erased with them
    assert ws.audit.verify().ok


def test_erasing_a_class_takes_only_what_is_due_and_the_chain_still_verifies(ws: Workspace) -> None:
    meetings, sheets, retention = Meetings(ws), ScoreSheets(ws), Retention(ws)
    old = meetings.plan("Panel", dt.date(2019, 6, 1)).record
    recent = meetings.plan("Panel", dt.date(2026, 6, 1)).record
    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    for m in (old, recent):
        Room(meetings.ws).add_attendee(m.id, "Dr Example Chair", "Police", "Chair")
        item = meetings.add_item(m.id, "Review", nominal_id=nid, reasons=["x"]).record
        meetings.set_notes(item.id, "Notes about Fictional (test)")
        meetings.start(m.id)
        meetings.close(m.id)
    retention.hold(nid, "Inquiry (test)")
    assert _due(ws, ws.today(), "meetings") == []  # a held person's meeting stays whole
    retention.lift(nid, "Inquiry closed (test)")
    retention.erase_class("meetings", justification="Retention review 2026")
    assert [a.name for a in Room(meetings.ws).attendance(recent.id)] == ["Dr Example Chair"]
    assert Room(meetings.ws).attendance(old.id) == [] and all(i.notes == "" for i in meetings.agenda(old.id))

    for _ in range(2):
        sheets.finalise(sheets.start(nid).record.id)
    kept = sheets.history(nid)[0].id
    with pytest.raises(ServiceError, match="Nothing in that class is due"):
        retention.erase_class("score_sheets", justification="Retention review")

    retention.set_period("audit", 1, "local choice (test)")
    retention.set_period("score_sheets", 1, "local choice (test)")
    later = Retention(Workspace(ws.vault, ws.user, clock=lambda: dt.datetime(2027, 1, 5, tzinfo=dt.UTC)))
    assert len(later.review().of("score_sheets")) == 2  # the two superseded, not the latest
    later.erase_class("score_sheets", justification="Retention review 2027")
    assert [s.id for s in sheets.history(nid)] == [kept]  # final sheets go only by the schedule
    upto = later.review().of("audit")[0].record_id
    later.erase_class("audit", justification="Retention review 2027")
    report = ws.audit.verify()
    assert report.ok, report
    blanked = ws.db.execute("SELECT count(*), max(seq) FROM audit WHERE digests IS NOT NULL").fetchone()
    assert blanked[0] > 0 and blanked[1] <= upto
    assert FAMILY.upper() not in " ".join(e.summary for e in ws.audit.search(limit=10_000) if e.seq <= upto)
    with pytest.raises(ServiceError, match="one at a time"):
        retention.erase_class("people_off_scheme", justification="Retention review")
    # An entry after the erased range, blanked by hand, is not explained by it.
    Cases(ws).add_nominal(NominalDraft("Afterwards", "Fictional"))
    ws.db.execute("DROP TRIGGER audit_no_update")
    ws.db.execute("INSERT INTO erasing_audit VALUES (?)", [upto + 5])
    ws.audit.redact_before(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert "blanked without an erasure" in ws.audit.verify().problem


def test_the_yearly_reminder_is_proposed_for_the_agenda_until_a_review_is_run(ws: Workspace) -> None:
    from ppo_desktop.rules.agenda import RETENTION_REVIEW

    meetings = Meetings(ws)
    meeting = meetings.plan("Panel", dt.date(2026, 12, 1)).record
    [proposal] = [p for p in meetings.proposals(meeting.id) if p.title == RETENTION_REVIEW]
    assert proposal.nominal_id is None and "none recorded" in proposal.reasons[0]
    Retention(ws).dry_run()
    assert [e.summary for e in ws.audit.search() if e.entity == "retention"] == ["Retention dry run"]
    assert not [p for p in meetings.proposals(meeting.id) if p.title == RETENTION_REVIEW]
    a_year_on = meetings.plan("Panel", dt.date(2027, 11, 24)).record
    [again] = [p for p in meetings.proposals(a_year_on.id) if p.title == RETENTION_REVIEW]
    assert "last 24 Nov 2026" in again.reasons[0]


def test_the_command_line_shows_the_schedule_and_places_a_hold_without_printing_names(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ppo_desktop import cli
    from tests.ppo_desktop.conftest import ADMIN_PASS

    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    ref = Cases(ws).nominal(nid).ref
    store = ws.vault.paths.store
    ws.close()
    monkeypatch.setenv("PPO_PASSPHRASE", ADMIN_PASS)
    base = ["retention", str(store), "--user", "admin"]
    assert cli.main([*base, "--hold", ref, "--why", "Inquiry (test)", "--set", "meetings=36",
                     "--source", "Fictionshire policy §4"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "Meeting records of closed meetings: 3 years (Fictionshire policy §4)" in out
    assert f"people_off_scheme: {ref} — off the scheme since 01 Mar 2019" in out and "[legal hold]" in out
    assert FAMILY.upper() not in out.upper()
    assert cli.main([*base, "--set", "meetings=many"]) != 0
    assert "CLASS=MONTHS" in capsys.readouterr().err
