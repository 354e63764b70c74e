"""A zip file read only within stated limits, checked from its directory before any member is
unpacked: how much it unpacks to in all, how far any member expands, how many members — a 558 KB
workbook that unpacks to 4 GB, or a 1 MB backup bundle to 1 GB, is refused with the limit it broke."""

from __future__ import annotations

import zipfile
from pathlib import Path


class ZipRefused(ValueError):
    """The zip breaks a limit; ``str()`` names it (no contents)."""


class NotAZip(ZipRefused):
    """Not a zip file at all (damaged, or something else)."""


def check(
    path: Path, *, max_total: int, max_ratio: float, max_members: int, stored_only: bool = False
) -> list[zipfile.ZipInfo]:
    """The zip's members, or ZipRefused. ``stored_only``: every member kept as is (no compression),
    as the app writes its own bundles — then the file's own size bounds what it unpacks to."""
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise NotAZip(f"{path.name} is not a readable zip file ({type(exc).__name__}).") from None
    if len(members) > max_members:
        raise ZipRefused(f"{path.name} has {len(members)} parts; at most {max_members} are read.")
    if stored_only and any(m.compress_type != zipfile.ZIP_STORED for m in members):
        raise ZipRefused(f"{path.name} was not written by PPO Panel (a part is compressed); refused.")
    total = sum(m.file_size for m in members)
    if total > max_total:
        raise ZipRefused(
            f"{path.name} unpacks to {total / 1e6:,.0f} MB; at most {max_total / 1e6:,.0f} MB are read."
        )
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if ratio > max_ratio:
            raise ZipRefused(
                f"{path.name}: a part expands {ratio:,.0f} times (at most {max_ratio:,.0f}); refused."
            )
    return members
