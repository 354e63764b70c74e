"""How long to refuse further unlock attempts after wrong passphrases (slows guessing at the keyboard;
the scrypt cost already slows it everywhere else)."""

from __future__ import annotations

FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300


def wait_after(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong attempts in a row: none for the first three, then
    2, 4, 8 … seconds, never more than five minutes."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_WAIT_SECONDS, 2 ** (failures - FREE_ATTEMPTS + 1)))
