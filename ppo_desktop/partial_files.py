"""Outputs being written are listed while they are partial, so that a crash (kill -9, power) cannot
leave one behind for good: a partial file is the whole plaintext under a hidden name, and the next
start removes it. Light on purpose: the app calls it before its first window."""

from __future__ import annotations

import contextlib
from pathlib import Path

from ppo_desktop import paths

PARTIAL = ".partial"


def _pending_note() -> Path:
    """Where the temporary files being written are listed, so that a crash cannot leave one behind
    for good: the next start removes them (``remove_leftovers``). Paths only, no contents."""
    return paths.state_dir() / "outputs-in-progress"


def note_partial(tmp: str, *, add: bool) -> None:
    note = _pending_note()
    with contextlib.suppress(OSError):
        listed = set(note.read_text(encoding="utf-8").splitlines()) if note.exists() else set()
        listed = listed | {tmp} if add else listed - {tmp}
        note.parent.mkdir(parents=True, exist_ok=True)
        note.write_text("".join(f"{p}\n" for p in sorted(listed)), encoding="utf-8")


def remove_leftovers() -> int:
    """At start-up: delete the partly written outputs a crash (kill -9, power) left behind — full
    plaintext, with a hidden name. Returns how many were removed."""
    note = _pending_note()
    try:
        listed = note.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    removed = 0
    for line in listed:
        leftover = Path(line)
        if leftover.name.startswith(".") and leftover.name.endswith(PARTIAL) and leftover.is_file():
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed += 1
    with contextlib.suppress(OSError):
        note.unlink()
    return removed
