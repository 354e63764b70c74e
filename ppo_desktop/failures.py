"""The last-resort description of an error nobody expected: what kind of error and where in the code,
never its message or values (an error raised while handling a record can carry a name or a date of
birth in its text)."""

from __future__ import annotations

import traceback
from pathlib import Path

PROJECT = ("ppo_desktop", "ui", "db")


def describe(exc: BaseException) -> str:
    """E.g. "KeyError in ppo_desktop/transfer/pack.py:142 (open_pack)": type and the innermost frame
    of the app's own code."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if any(f"/{p}/" in f.filename.replace("\\", "/") for p in PROJECT)]
    where = (ours or frames)[-1] if (ours or frames) else None
    if where is None:
        return type(exc).__name__
    parts = Path(where.filename).parts
    short = "/".join(parts[-3:]) if len(parts) >= 3 else where.filename
    return f"{type(exc).__name__} in {short}:{where.lineno} ({where.name})"


def locations(exc: BaseException) -> str:
    """The code locations of the whole trace, one per line, without any message text."""
    return "\n".join(
        f"  {f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(exc.__traceback__)
    )
