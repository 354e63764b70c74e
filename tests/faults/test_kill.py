"""kill -9 of a process writing in a loop: the store stays whole and keeps every acknowledged commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop.services.session import create_store, unlock

PASS = "kill test passphrase"
ROOT = Path(__file__).resolve().parents[2]


def test_kill_minus_nine_loses_no_acknowledged_commit(tmp_path: Path) -> None:
    ws, _ = create_store(
        tmp_path / "k",
        user_id="admin",
        display_name="A",
        passphrase=PASS,
        partnership="T",
        device=DeviceSecrets(None),
        cost=KdfCost(n=2**10),
    )
    ws.close()
    store = tmp_path / "k.ppo"
    acknowledged: set[int] = set()
    for run in range(25):
        with subprocess.Popen(
            [sys.executable, "-m", "tests.faults.writer", str(store), PASS],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        ) as child:
            assert child.stdout is not None
            for _ in range(3 + run % 7):  # a different point in the loop each run
                line = child.stdout.readline()
                assert line, "the writer stopped before it was killed"
                acknowledged.add(int(line))
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
    ws = unlock(store, PASS, device=DeviceSecrets(None))
    try:
        assert ws.vault.integrity_check() == []
        assert ws.audit.verify().ok
        present = {r[0] for r in ws.db.execute("SELECT id FROM nominals")}
        assert acknowledged <= present
    finally:
        ws.close()
