"""A transfer merge against faults: a pack cut short, a store that cannot grow, kill -9 halfway.
Nothing is half-merged, nothing is lost, and the person is told in a sentence."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop.services.session import create_store, unlock
from ppo_desktop.services.transfer import Transfer
from ppo_desktop.services.workspace import NotSaved, ServiceError, Workspace
from tests.ppo_desktop.exchange.test_two_laptops import PACK, planned_meeting, send

pytestmark = [pytest.mark.slow, pytest.mark.dateless]  # processes killed: not in --fast; no dates

ROOT = Path(__file__).resolve().parents[2]
CHAIR_PASS = "chair passphrase 1"


def _counts(ws: Workspace) -> tuple[int, ...]:
    tables = ("nominals", "memberships", "score_sheets", "meetings", "agenda_items", "audit", "sync_fields")
    return tuple(ws.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


def test_a_pack_cut_short_is_refused_and_changes_nothing(demo: Workspace, laptop: Workspace) -> None:
    meeting_id, _ = planned_meeting(demo)
    data = send(demo, meeting_id)
    before = _counts(laptop)
    for cut in (len(data) // 2, len(data) - 1, 40):
        with pytest.raises(ServiceError, match="cut short|signature does not match|damaged"):
            Transfer(laptop).plan(data[:cut], passphrase=PACK)
    assert _counts(laptop) == before


def test_a_store_that_cannot_grow_rolls_the_whole_merge_back(demo: Workspace, laptop: Workspace) -> None:
    meeting_id, people = planned_meeting(demo)
    data = send(demo, meeting_id)
    transfer = Transfer(laptop)
    plan = transfer.plan(data, passphrase=PACK)
    before = _counts(laptop)
    pages = laptop.db.execute("PRAGMA page_count").fetchone()[0]
    laptop.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # nearly full: room for a little only
    with pytest.raises(NotSaved, match="disk is full"):
        transfer.commit(plan, justification="Chair's copy", trusted=plan.fingerprint)
    assert _counts(laptop) == before  # not one record of it
    assert laptop.vault.integrity_check() == [] and laptop.audit.verify().ok
    laptop.db.execute("PRAGMA max_page_count = 1073741823")  # space freed: the same pack merges whole
    plan = transfer.plan(data, passphrase=PACK)
    transfer.commit(plan, justification="Chair's copy", trusted=plan.fingerprint)
    assert laptop.db.execute("SELECT count(*) FROM nominals").fetchone()[0] == len(people)


def test_kill_minus_nine_during_a_merge_leaves_nothing_half_merged(
    demo: Workspace, tmp_path: Path, cost: KdfCost
) -> None:
    meeting_id, people = planned_meeting(demo)
    pack_file = tmp_path / "panel.ppopack"
    pack_file.write_bytes(send(demo, meeting_id))
    chair, _ = create_store(
        tmp_path / "killed", user_id="chair", display_name="Demo Chair", passphrase=CHAIR_PASS,
        partnership="Fictionshire (DEMO)", device=DeviceSecrets(None), cost=cost,
    )  # fmt: skip
    store = chair.vault.paths.store
    chair.close()
    for after in (1, 5, 20):  # early, and well into the records
        with subprocess.Popen(
            [sys.executable, "-m", "tests.faults.merger", str(store), CHAIR_PASS, str(pack_file), PACK,
             str(after)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        ) as child:  # fmt: skip
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "midway"
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        ws = unlock(store, CHAIR_PASS, device=DeviceSecrets(None))
        try:
            assert ws.vault.integrity_check() == [] and ws.audit.verify().ok
            assert ws.db.execute("SELECT count(*) FROM nominals").fetchone()[0] == 0
            assert ws.db.execute("SELECT count(*) FROM transfer_origins").fetchone()[0] == 0
            assert ws.db.execute("SELECT applying FROM sync_clock").fetchone()[0] == 0
        finally:
            ws.close()
    ws = unlock(store, CHAIR_PASS, device=DeviceSecrets(None))
    try:  # and the same pack then merges whole
        again = Transfer(ws).plan(pack_file.read_bytes(), passphrase=PACK)
        Transfer(ws).commit(again, justification="Again", trusted=again.fingerprint)
        assert ws.db.execute("SELECT count(*) FROM nominals").fetchone()[0] == len(people)
    finally:
        ws.close()
