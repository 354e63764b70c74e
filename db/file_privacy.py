"""Whether a store's files can be read by other accounts on this computer, and making them private.

The files are encrypted, but a copy is what an offline attack on a passphrase starts from, so only
the account that uses the store should be able to read them: on POSIX, mode 0600 (a copy made with a
loose umask, or unpacked by hand, may be 0644); on Windows, an ACL granting no one but this account,
SYSTEM and the Administrators group (a store put in a shared or public folder inherits that folder's
ACL). Windows is read and set through ``icacls``; ``run`` is injected so both paths are tested here.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

Run = Callable[[Sequence[str]], str]  # runs a command, returns its output (raises OSError on failure)
# Principals a private file may name on Windows besides its owner (in English and as SIDs).
TRUSTED = ("NT AUTHORITY\\SYSTEM", "BUILTIN\\Administrators", "S-1-5-18", "S-1-5-32-544", "CREATOR OWNER")
READS = re.compile(r"\((?:[^)]*)\)")


def _run(command: Sequence[str]) -> str:
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    done = subprocess.run(list(command), capture_output=True, text=True, check=False, timeout=30,
                          creationflags=flags)  # fmt: skip
    if done.returncode != 0:
        raise OSError(done.returncode, (done.stderr or done.stdout).strip() or "icacls failed")
    return done.stdout


def exposure(path: Path, *, windows: bool | None = None, run: Run = _run, user: str | None = None) -> str:
    """Who else can read ``path``, in words ("" when only this account can)."""
    windows = os.name == "nt" if windows is None else windows
    if not windows:
        mode = stat.S_IMODE(path.stat().st_mode)
        return f"readable by other accounts (mode {mode:o})" if mode & 0o077 else ""
    others = _others(run(["icacls", str(path)]), path, user or _windows_user())
    return f"readable by {', '.join(others)}" if others else ""


def make_private(
    path: Path, *, windows: bool | None = None, run: Run = _run, user: str | None = None
) -> None:
    """Only this account may read or write ``path`` (on Windows: SYSTEM and the Administrators too)."""
    windows = os.name == "nt" if windows is None else windows
    if not windows:
        os.chmod(path, 0o600)
        return
    account = user or _windows_user()
    run(["icacls", str(path), "/inheritance:r", "/grant:r", f"{account}:F", "*S-1-5-18:F",
         "*S-1-5-32-544:F"])  # fmt: skip


def _others(listing: str, path: Path, user: str) -> list[str]:
    """The principals an ``icacls`` listing grants anything to, other than the user and TRUSTED."""
    found = []
    text = listing.replace(str(path), "", 1)
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("Successfully processed") or ":" not in line:
            continue
        principal, rights = (part.strip() for part in line.rsplit(":", 1))
        if not READS.search(rights) or "DENY" in rights.upper():
            continue
        bare = "\\" not in user  # a user known without its domain matches it in any
        if principal.lower() == user.lower() or (bare and principal.split("\\")[-1].lower() == user.lower()):
            continue  # this account
        if any(principal.lower() == t.lower() for t in TRUSTED):
            continue
        found.append(principal)
    return found


def _windows_user() -> str:
    domain, name = os.environ.get("USERDOMAIN", ""), os.environ.get("USERNAME", "")
    return f"{domain}\\{name}" if domain else name
