"""A store's files are for this account alone: made private at unlock when a loose umask or a shared
folder left them readable by others (issue 26: private file permissions, POSIX modes and Windows ACLs;
Windows through icacls, its answers faked here)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from db.file_privacy import exposure, make_private
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.services.session import unlock

pytestmark = pytest.mark.dateless

SHARED = r"""C:\Users\Public\panel.ppo NT AUTHORITY\SYSTEM:(I)(F)
                          BUILTIN\Administrators:(I)(F)
                          DESKTOP-7\kim:(I)(F)
                          BUILTIN\Users:(I)(RX)
                          Everyone:(DENY)(W)

Successfully processed 1 files; Failed processing 0 files
"""
PRIVATE = r"""C:\Users\kim\panel.ppo NT AUTHORITY\SYSTEM:(F)
                       BUILTIN\Administrators:(F)
                       DESKTOP-7\kim:(F)

Successfully processed 1 files; Failed processing 0 files
"""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes (Windows ACLs are tested below, faked)")
def test_a_store_readable_by_others_is_made_private_at_unlock_and_said_so(demo_store: Path) -> None:
    keys = demo_store.with_name(demo_store.name + ".keys")
    for f in (demo_store, keys):
        os.chmod(f, 0o644)  # as a copy made with a loose umask, or unpacked by hand
    assert exposure(demo_store) == "readable by other accounts (mode 644)"
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    try:
        assert _mode(demo_store) == _mode(keys) == 0o600
        said = [e.summary for e in ws.audit.search(limit=10) if "made private" in e.summary]
        loose = "was readable by other accounts (mode 644)"
        names = (demo_store.name, f"{demo_store.name}-shm", f"{demo_store.name}-wal", keys.name)
        assert said == ["Store files made private at unlock: " + "; ".join(f"{n} {loose}" for n in names)]
    finally:
        ws.close()
    again = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    try:
        assert sum("made private" in e.summary for e in again.audit.search(limit=50)) == 1  # once only
    finally:
        again.close()


def test_windows_acls_are_read_and_set_through_icacls() -> None:
    ran: list[list[str]] = []

    def icacls(listing: str) -> object:
        def run(command: Sequence[str]) -> str:
            ran.append(list(command))
            return listing

        return run

    shared = Path(r"C:\Users\Public\panel.ppo")
    said = exposure(shared, windows=True, run=icacls(SHARED), user="DESKTOP-7\\kim")  # type: ignore[arg-type]
    assert said == "readable by BUILTIN\\Users"  # a deny grants nothing; SYSTEM and Administrators trusted
    private = Path(r"C:\Users\kim\panel.ppo")
    assert exposure(private, windows=True, run=icacls(PRIVATE), user="kim") == ""  # type: ignore[arg-type]
    assert exposure(private, windows=True, run=icacls(PRIVATE), user="OTHER\\kim") != ""  # type: ignore[arg-type]
    make_private(shared, windows=True, run=icacls(""), user="DESKTOP-7\\kim")  # type: ignore[arg-type]
    assert ran[-1] == ["icacls", str(shared), "/inheritance:r", "/grant:r", "DESKTOP-7\\kim:F", "*S-1-5-18:F",
                       "*S-1-5-32-544:F"]  # fmt: skip
