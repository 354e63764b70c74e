"""The audit chain witnessed outside the laptop (issue 23, deliver 4): a store put back to an earlier
copy, or its log cut, passes every check on its own laptop (no keyring here; the anchors travel with
the copy) — the partner laptop that saw its log finds it, and both laptops report it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from ppo_desktop import cli
from ppo_desktop.demo import DEMO_PASSPHRASE, DEMO_USER
from ppo_desktop.domain import MeetingState
from ppo_desktop.services import integrity, witness
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.documents import Documents
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.session import unlock
from ppo_desktop.services.transfer import Transfer
from ppo_desktop.services.transfer_keys import TransferKeys
from ppo_desktop.services.workspace import ServiceError, Workspace
from ppo_desktop.transfer.pack import PackError
from tests.ppo_desktop.documents.test_minutes_record import text_of
from tests.ppo_desktop.exchange.test_two_laptops import PACK, merge, planned_meeting, send


def _open(store: Path) -> Workspace:
    return unlock(store, DEMO_PASSPHRASE, device=DeviceSecrets(None))


def _save(store: Path, to: Path) -> Path:
    to.mkdir()
    for f in store.parent.glob(f"{store.name}*"):
        if not f.name.endswith(".lock"):
            shutil.copy2(f, to / f.name)
    return to


def _put_back(saved: Path, store: Path) -> None:
    for f in store.parent.glob(f"{store.name}*"):
        if not f.name.endswith(".lock"):
            f.unlink()
    for f in saved.iterdir():
        shutil.copy2(f, store.parent / f.name)


def _grow(ws: Workspace, entries: int) -> None:
    """Ordinary work after the copy is put back: the log grows past the head the partner saw."""
    start = ws.audit.anchor()["seq"]
    n = 0
    while ws.audit.anchor()["seq"] < start + entries:
        n += 1
        Cases(ws).add_nominal(NominalDraft(f"Grow{n}", "Fictional"))


def test_a_store_put_back_and_grown_again_is_found_by_the_partner_it_sent_to(
    demo_store: Path, laptop: Workspace, tmp_path: Path
) -> None:
    coord = _open(demo_store)
    TransferKeys(coord).signing_fingerprint()  # its key read out once (made then): the copy keeps it
    coord.close()
    saved = _save(demo_store, tmp_path / "saved")
    coord = _open(demo_store)
    _grow(coord, 40)  # a week's work after the copy was made
    meeting_id, _ = planned_meeting(coord)
    merge(laptop, send(coord, meeting_id))
    seen = coord.audit.anchor()["seq"]
    coord.close()

    _put_back(saved, demo_store)  # an earlier copy, its key file with it: the anchors agree
    coord = _open(demo_store)
    assert not coord.blocked  # nothing on this laptop can tell
    _grow(coord, seen - coord.audit.anchor()["seq"] + 10)
    assert coord.audit.anchor()["seq"] > seen  # not shorter: only the shared marks show it
    meeting_id, _ = planned_meeting(coord)
    plan = Transfer(laptop).plan(send(coord, meeting_id), passphrase=PACK)
    coord.close()

    assert plan.rollbacks and "differs from what this laptop saw" in plan.rollbacks[0]
    assert "WARNING — The store of" in plan.summary()


def test_a_rollback_found_is_reported_on_both_laptops_and_blocks_the_rolled_back_store(
    demo_store: Path, laptop: Workspace, tmp_path: Path
) -> None:
    coord = _open(demo_store)
    meeting_id, _ = planned_meeting(coord)
    merge(laptop, send(coord, meeting_id))
    chair_id = next(m.id for m in Meetings(laptop).all() if m.state is MeetingState.PLANNED)
    merge(coord, send(laptop, chair_id, partner=coord.vault.store_id))  # asks to see coord's head
    coord.close()
    saved = _save(demo_store, tmp_path / "saved")  # a copy that knows the chair's laptop
    coord = _open(demo_store)
    merge(laptop, send(coord, partner=laptop.vault.store_id))  # shows the entry asked for: all well
    assert not witness.Witness(laptop).findings()
    merge(coord, send(laptop, partner=coord.vault.store_id))  # a second round: coord acknowledges it
    merge(laptop, send(coord, partner=laptop.vault.store_id))
    assert not witness.Witness(laptop).findings()
    coord.close()

    _put_back(saved, demo_store)
    coord = _open(demo_store)
    assert not coord.blocked
    plan = merge(laptop, send(coord, partner=laptop.vault.store_id))
    assert any("no longer holds a pack it had merged" in r for r in plan.rollbacks)
    found = witness.Witness(laptop).findings(about="partner", open_only=True)
    assert "forgot" in {f.kind for f in found} and not laptop.blocked  # reported here, not blocking
    entries = laptop.audit.search(kind="session")
    assert any(e.summary.startswith("Rollback found: The store of") for e in entries)

    told = merge(coord, send(laptop, partner=coord.vault.store_id))  # what the laptop found goes back
    assert any(r.startswith("This store was rolled back or cut") for r in told.rollbacks)
    coord.close()
    coord = _open(demo_store)  # at the next unlock it is a failed check like any other
    assert "This store was rolled back or cut" in coord.blocked
    integrity.acknowledge(coord, "Restored from last week's backup after the disk failed")
    coord.close()
    coord = _open(demo_store)
    assert not coord.blocked
    assert coord.audit.verify().ok
    coord.close()


def test_a_partner_whose_log_is_shorter_is_found_at_once(demo: Workspace, laptop: Workspace) -> None:
    meeting_id = planned_meeting(demo)[0]
    merge(laptop, send(demo, meeting_id))
    assert not Transfer(laptop).plan(send(demo, meeting_id), passphrase=PACK).rollbacks  # grown: well
    [head] = laptop.db.execute("SELECT max(seq) FROM witnessed_heads").fetchone()  # what it saw
    demo.db.execute("DROP TRIGGER audit_no_delete")  # the tail cut, as a data-key holder would
    demo.db.execute("DELETE FROM audit WHERE seq > ?", [head - 3])
    demo.vault.set_anchor(demo.audit.anchor())  # and the anchor re-sealed
    forged = witness.Witness(demo).outgoing(None)
    assert forged["head"]["seq"] == head - 3
    plan_rollbacks = witness.Witness(laptop).preview(
        demo.vault.store_id, "Demo", witness.parse(forged), None
    )
    assert plan_rollbacks == [
        f"The store of Demo was rolled back or cut: its audit log is shorter than when this laptop "
        f"last saw it (entry {head} is gone)"
    ]


def test_the_minutes_print_the_chain_at_the_close_and_verify_checks_it(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    coord = _open(demo_store)
    meetings = Meetings(coord)
    meeting = next(m for m in meetings.all() if m.state is MeetingState.PLANNED)
    meetings.start(meeting.id)
    coord.close()
    saved = _save(demo_store, tmp_path / "saved")
    coord = _open(demo_store)
    Meetings(coord).close(meeting.id)
    printed = coord.audit.closing_head("meeting", meeting.id, "Meeting closed")
    text = " ".join(text_of(Documents(coord).minutes(meeting.id).pdf).split())
    coord.close()
    assert f"Audit log at the meeting's close: entry {printed}." in text
    assert f"ppo-admin verify --witness {printed}" in text

    monkeypatch.setenv("PPO_PASSPHRASE", DEMO_PASSPHRASE)
    verify = ["verify", str(demo_store), "--user", DEMO_USER, "--witness"]
    assert cli.main([*verify, printed]) == 0
    assert "printed head: held" in capsys.readouterr().out
    assert cli.main([*verify, printed.split(":")[1]]) == 0  # a footer's MAC alone is found too
    capsys.readouterr()

    _put_back(saved, demo_store)  # the store from before the close put back
    assert cli.main([*verify, printed]) == 1
    assert "printed head: NOT HELD — entry" in capsys.readouterr().out
    assert cli.main([*verify, "12:3f9a"]) != 0  # too short to mean anything: said, not a traceback
    assert "at least 16 characters" in capsys.readouterr().err


@pytest.mark.parametrize(
    "chain",
    [
        "head",
        {"head": {"seq": True, "mac": ""}, "found": []},
        {"head": {"seq": 3, "mac": "x" * 64}, "found": []},
        {"head": {"seq": 3, "mac": ""}, "found": [{"seq": 1, "kind": "exploded"}]},
        {"head": {"seq": 3, "mac": ""}, "found": [], "marks": [[1, "a" * 16]] * 10_000},
        {"head": {"seq": 3, "mac": ""}, "found": [], "marks": [[1, "<b>" * 5 + "a"]]},
        {"head": {"seq": 3, "mac": ""}, "found": [], "proof": {"seq": -1, "mac": None}},
        {"head": {"seq": 3, "mac": ""}, "found": [], "extra": 1},
    ],
)
def test_damaged_chain_details_are_refused_with_a_sentence(chain: object) -> None:
    with pytest.raises(PackError, match="audit chain details are damaged"):
        witness.parse(chain)


def test_a_printed_head_that_is_not_one_is_said_so(demo: Workspace) -> None:
    with pytest.raises(ServiceError, match="entry number and at least 16"):
        witness.check_printed(demo, "the head")
    assert witness.check_printed(demo, f"999999:{'0' * 16}") == (
        "entry 999999 is missing from the audit log (it was cut or put back)"
    )
