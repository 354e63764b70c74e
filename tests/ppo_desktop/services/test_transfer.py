"""The encrypted transfer pack: coordinator's store → chair's laptop, by passphrase or public key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.session import create_store
from ppo_desktop.services.transfer import Transfer
from ppo_desktop.services.transfer_keys import TransferKeys
from ppo_desktop.services.workspace import ServiceError, Workspace

PACK_PASSPHRASE = "correct horse battery staple"
def _count(ws: Workspace, table: str) -> int:
    return int(ws.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _agenda(demo: Workspace) -> tuple[int, list[int]]:
    """The demo's planned meeting with three people on its agenda."""
    meetings = Meetings(demo)
    meeting = next(m for m in meetings.all() if m.state.value == "planned")
    people = [r.nominal.id for r in Cases(demo).cohort(include_former=False)[:3]]
    for nid in people:
        meetings.add_item(meeting.id, f"Review {nid}", nominal_id=nid, reasons=["review due (test)"])
    return meeting.id, people


def test_a_passphrase_pack_carries_cases_and_agenda_and_merges_once(
    demo: Workspace, laptop: Workspace
) -> None:
    meeting_id, people = _agenda(demo)
    data = Transfer(demo).export([], meeting_id=meeting_id, passphrase=PACK_PASSPHRASE,
                                 recipient="Demo Chair's laptop", justification="Panel on 1 Dec")  # fmt: skip
    families = [demo.row("nominals", nid, "n")["family_name"] for nid in people]
    assert not any(f.encode() in data for f in families)  # nothing readable in the file
    disclosure = demo.audit.search(kind="disclosure")[-1]
    assert disclosure.justification == "Panel on 1 Dec" and "3 people" in disclosure.summary

    transfer = Transfer(laptop)
    plan = transfer.plan(data, passphrase=PACK_PASSPHRASE)
    assert [p.fate for p in plan.people] == ["new"] * 3 and "and an agenda" in plan.summary()
    assert plan.first_exchange
    for compared in ("", "0000 0000 0000 0000 0000 0000 0000 0000"):  # not compared, or not the same
        with pytest.raises(ServiceError, match="first pack from this store: compare its fingerprint"):
            transfer.commit(plan, justification="Chair's copy for the panel", trusted=compared)
    assert _count(laptop, "nominals") == 0  # a new store's key is never taken silently
    transfer.commit(plan, justification="Chair's copy for the panel", trusted=plan.fingerprint)
    assert _count(laptop, "nominals") == 3
    finals = demo.db.execute(
        f"SELECT count(*) FROM score_sheets WHERE state = 'final' AND nominal_id IN ({','.join('?' * 3)})",
        people,
    ).fetchone()[0]
    assert _count(laptop, "score_sheets") == finals > 0
    marks = ",".join("?" * len(people))
    finals_sql = (
        f"SELECT inputs, breakdown FROM score_sheets WHERE state = 'final' AND nominal_id IN ({marks})"
    )
    sent = demo.db.execute(finals_sql, people).fetchall()
    arrived = laptop.db.execute("SELECT inputs, breakdown FROM score_sheets").fetchall()
    assert sorted(map(tuple, arrived)) == sorted(map(tuple, sent))  # the breakdown worked out again, the same
    merged = [e for e in laptop.audit.search(kind="combination") if e.entity == "score_sheets"]
    assert len(merged) == finals  # each entry keeps what a sheet was worked out from, as one finalised here
    assert all({"inputs", "total"} <= set(json.loads(e.after or "{}")) for e in merged)
    assert not any("breakdown" in json.loads(e.after or "{}") for e in merged)
    pncs = {r["pnc_id"] for r in laptop.db.query("SELECT pnc_id FROM nominals")}
    assert pncs == {demo.row("nominals", nid, "n")["pnc_id"] for nid in people}
    agenda = list(laptop.db.query("SELECT nominal_id FROM agenda_items ORDER BY position"))
    assert len(agenda) == 3 and all(a["nominal_id"] for a in agenda)
    assert Memberships(laptop).current_membership(agenda[0]["nominal_id"]) is not None
    assert laptop.audit.search(kind="combination")[-1].justification == "Chair's copy for the panel"

    before = {
        t: _count(laptop, t) for t in ("nominals", "memberships", "score_sheets", "meetings", "agenda_items")
    }
    again = transfer.plan(data, passphrase=PACK_PASSPHRASE)
    assert again.people == () and "nothing new for this laptop" in again.summary()  # known by origin
    transfer.commit(again, justification="Imported twice by mistake", trusted=again.fingerprint)
    assert {t: _count(laptop, t) for t in before} == before  # the same pack adds nothing twice


def test_bad_packs_are_refused_and_change_nothing(demo: Workspace, laptop: Workspace) -> None:
    data = Transfer(demo).export([1], passphrase=PACK_PASSPHRASE, recipient="x", justification="y")
    transfer = Transfer(laptop)
    with pytest.raises(ServiceError, match="Wrong passphrase"):
        transfer.plan(data, passphrase="not the passphrase at all")
    damaged = data[:-40] + bytes(b ^ 0xFF for b in data[-40:])
    with pytest.raises(ServiceError, match="signature does not match"):
        transfer.plan(damaged, passphrase=PACK_PASSPHRASE)
    with pytest.raises(ServiceError, match="not a PPO Panel transfer pack"):
        transfer.plan(b"PK\x03\x04 a zip file", passphrase=PACK_PASSPHRASE)
    with pytest.raises(ServiceError, match="at least 12 characters"):
        Transfer(demo).export([1], passphrase="short", recipient="x", justification="y")
    with pytest.raises(ServiceError, match="recipient and the reason"):
        Transfer(demo).export([1], passphrase=PACK_PASSPHRASE, recipient="", justification="")
    assert _count(laptop, "nominals") == 0


def test_a_pack_for_a_public_key_opens_only_in_that_store(
    demo: Workspace, laptop: Workspace, tmp_path: Path, no_device: DeviceSecrets, cost: KdfCost
) -> None:
    key = TransferKeys(laptop).public_key()
    assert key.startswith("ppo-pk1:") and TransferKeys(laptop).public_key() == key  # made once, kept
    data = Transfer(demo).export([1, 2], recipient_key=key, recipient="Chair", justification="Panel")
    assert len(Transfer(laptop).plan(data).people) == 2
    other, _ = create_store(
        tmp_path / "other", user_id="x", display_name="Other", passphrase="other passphrase 1",
        partnership="Other (TEST)", device=no_device, cost=cost,
    )  # fmt: skip
    try:
        TransferKeys(other).public_key()
        with pytest.raises(ServiceError, match="sealed for another store"):
            Transfer(other).plan(data)
    finally:
        other.close()
    with pytest.raises(ServiceError, match="not a PPO Panel public key"):
        Transfer(demo).export([1], recipient_key="ssh-ed25519 AAAA", recipient="x", justification="y")


def test_possible_duplicates_are_decided_by_a_person(demo: Workspace, laptop: Workspace) -> None:
    source = Cases(demo).nominal(1)
    assert source.dob is not None
    local = Cases(laptop).add_nominal(
        NominalDraft(source.family_name + "e", source.given_names, dob=source.dob)  # a spelling slip
    ).record
    data = Transfer(demo).export([1], passphrase=PACK_PASSPHRASE, recipient="x", justification="y")
    transfer = Transfer(laptop)
    plan = transfer.plan(data, passphrase=PACK_PASSPHRASE)
    assert plan.people[0].fate == "possible-duplicate" and plan.people[0].nominal_id == local.id
    with pytest.raises(ServiceError, match="need a person's decision"):
        transfer.commit(plan, justification="Panel", trusted=plan.fingerprint)
    assert _count(laptop, "memberships") == 0
    transfer.commit(plan, {1: local.id}, justification="Panel", trusted=plan.fingerprint)
    assert _count(laptop, "nominals") == 1 and _count(laptop, "memberships") >= 1


def test_round_trip_of_the_whole_cohort_gives_the_same_cohort(demo: Workspace, laptop: Workspace) -> None:
    def cohort(ws: Workspace) -> set[tuple[object, ...]]:
        return {
            (
                r.nominal.pnc_id,
                r.nominal.family_name,
                r.membership.strand,
                r.membership.status,
                r.membership.added_on,
                r.membership.next_review_on,
                r.latest_score,
            )  # fmt: skip
            for r in Cases(ws).cohort(include_former=False)
            if r.membership is not None
        }

    people = [r.nominal.id for r in Cases(demo).cohort(include_former=False)]
    data = Transfer(demo).export(
        people, passphrase=PACK_PASSPHRASE, recipient="New laptop", justification="Move"
    )
    transfer = Transfer(laptop)
    moved = transfer.plan(data, passphrase=PACK_PASSPHRASE)
    transfer.commit(moved, justification="Move", trusted=moved.fingerprint)
    assert cohort(laptop) == cohort(demo) and len(cohort(laptop)) == len(people)


def test_a_merge_runs_on_a_worker_thread_of_its_own_and_a_stop_merges_nothing(
    demo: Workspace, laptop: Workspace
) -> None:
    """Issue 23: a merge (a whole store's pack takes a minute) runs on a worker with a connection of
    its own, says how far it has got, and stopped part-way leaves nothing — not even the pinned key."""
    import threading

    from ppo_desktop.services.workspace import Stopped

    meeting_id, people = _agenda(demo)
    data = Transfer(demo).export([], meeting_id=meeting_id, passphrase=PACK_PASSPHRASE,
                                 recipient="Demo Chair's laptop", justification="Panel on 1 Dec")  # fmt: skip
    transfer = Transfer(laptop)
    heard: list[tuple[str, str]] = []

    def run_on_a_thread(job: object) -> object:
        box: dict[str, object] = {}
        worker = threading.Thread(target=lambda: box.update(value=job()) if callable(job) else None)
        worker.start()
        worker.join(timeout=60)
        return box.get("value")

    def listen(stage: str, _done: int, _total: int) -> None:
        heard.append((threading.current_thread().name, stage))

    plan = run_on_a_thread(transfer.planning(data, passphrase=PACK_PASSPHRASE, progress=listen))
    assert plan is not None and [p.fate for p in plan.people] == ["new"] * 3  # type: ignore[attr-defined]
    assert heard and all(name != "MainThread" for name, _ in heard)
    assert "Opening the pack" in {stage for _, stage in heard}

    def stop_when_writing(stage: str, _done: int, _total: int) -> None:
        if stage == "Merging records":
            raise Stopped("Stopped before it finished: nothing was changed.")

    entries = _count(laptop, "audit")
    stopped = transfer.merging(plan, justification="Chair's copy", trusted=plan.fingerprint,  # type: ignore[attr-defined]
                               progress=stop_when_writing)  # fmt: skip
    with pytest.raises(Stopped):
        stopped()
    assert _count(laptop, "nominals") == 0 and _count(laptop, "audit") == entries
    assert laptop.setting(f"transfer_pin:{demo.vault.store_id}") == ""  # the key is not pinned either

    anchored = laptop.vault.anchor.get("seq", 0)
    merged = run_on_a_thread(transfer.merging(plan, justification="Chair's copy", trusted=plan.fingerprint))  # type: ignore[attr-defined]
    assert merged is not None and _count(laptop, "nominals") == 3  # seen at once by this thread's connection
    assert laptop.audit.search(kind="combination")[-1].justification == "Chair's copy"
    assert laptop.vault.anchor.get("seq", 0) == anchored  # the worker never moves the anchor…
    laptop.advance_anchor()
    assert laptop.vault.anchor["seq"] == laptop.audit.anchor()["seq"] > anchored  # …the store's thread does
    assert laptop.audit.verify().ok
