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


def test_a_passphrase_change_killed_midway_leaves_old_or_new_never_neither(tmp_path: Path) -> None:
    from db.vault import Vault

    first, second = "first passphrase 1", "second passphrase 2"
    ws, _ = create_store(
        tmp_path / "p", user_id="admin", display_name="A", passphrase=first, partnership="T",
        device=DeviceSecrets(None), cost=KdfCost(n=2**10),
    )  # fmt: skip
    ws.close()
    store = tmp_path / "p.ppo"
    current = first
    for run in range(12):
        with subprocess.Popen(
            [sys.executable, "-m", "tests.faults.passwd_changer", str(store), current,
             second if current == first else first],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        ) as child:  # fmt: skip
            assert child.stdout is not None
            acknowledged = current
            for _ in range(1 + run % 4):
                line = child.stdout.readline().strip()
                assert line, "the changer stopped before it was killed"
                acknowledged = line
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        opened = []
        for candidate in (first, second):
            try:
                Vault.open(store, candidate, device=DeviceSecrets(None)).close()
                opened.append(candidate)
            except Exception:  # noqa: BLE001 - the other passphrase is expected to fail
                pass
        assert len(opened) == 1, f"run {run}: the store opened with {len(opened)} passphrases"
        assert opened[0] in (acknowledged, first if acknowledged == second else second)
        current = opened[0]
    assert not list(tmp_path.glob(".p.ppo.keys-*"))  # a half-written key file is cleared at the next open
