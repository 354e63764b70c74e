"""kill -9 of a process writing in a loop: the store stays whole and keeps every acknowledged commit."""

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

pytestmark = [pytest.mark.slow, pytest.mark.dateless]  # processes killed: not in --fast; no dates

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


def test_kill_minus_nine_while_typing_a_note_offers_the_draft_back(demo_store: Path, qtbot: object) -> None:
    from PySide6.QtCore import Qt

    from ppo_desktop.demo import DEMO_PASSPHRASE
    from ppo_desktop.services.bundle import Services
    from ppo_desktop.services.meetings import Meetings
    from ui.context import AppContext
    from ui.meeting.console import ChairConsole
    from ui.tasks import SyncRunner

    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    meetings = Meetings(ws)
    meeting = next(m for m in meetings.all() if m.state.value == "planned")
    person = ws.db.execute("SELECT nominal_id FROM memberships WHERE removed_on IS NULL LIMIT 1").fetchone()[
        0
    ]
    item = meetings.add_item(meeting.id, "Review", nominal_id=person, reasons=["kill test"]).record
    ws.close()
    typed = "Partners agree engagement improved; housing referral made (fictional)."
    with subprocess.Popen(
        [sys.executable, "-m", "tests.faults.note_typist", str(demo_store), DEMO_PASSPHRASE,
         str(meeting.id), typed],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as child:  # fmt: skip
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "kept", "the console never kept the draft"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()

    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    assert Meetings(ws).item(item.id).notes == ""  # the note itself was never saved…
    console = ChairConsole(AppContext(Services(ws), SyncRunner()), meeting.id)
    qtbot.addWidget(console)  # type: ignore[attr-defined]
    console.show()
    console.go_to(0)
    assert console.offer.isVisible() and "closed unexpectedly" in console.offer.text.text()
    assert console.notes.toPlainText() == ""  # …and nothing is put back without asking
    qtbot.mouseClick(console.offer.restore, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert console.notes.toPlainText() == typed and Meetings(ws).item(item.id).notes == typed
    assert not console.offer.isVisible()
    assert console.drafts.get(f"agenda_item:{item.id}:notes") is None  # saved as the record: draft gone
    console.close()
    ws.close()


def test_an_output_killed_midway_leaves_no_plaintext_after_the_next_start(tmp_path: Path) -> None:
    """A crash mid-export left a hidden, complete plaintext ``.partial`` file; the next start of the
    app (or ppo-admin) removes it."""
    from ppo_desktop.partial_files import remove_leftovers

    target = tmp_path / "cohort.csv"
    command = [sys.executable, "-m", "tests.faults.exporter", str(target)]
    child = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=60)
    assert child.returncode == 9
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert len(left) == 1 and b"FICTIONAL" in left[0].read_bytes()  # what a crash leaves
    assert remove_leftovers() == 1  # what the next start does
    assert list(tmp_path.iterdir()) == [] and remove_leftovers() == 0
