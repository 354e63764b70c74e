"""Writing an export the person asked for: the disclosure is recorded by ``produce`` before the bytes
exist; the outcome comes back as words for the screen's status line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ppo_desktop.services import ServiceError


def write_disclosed(path: Path, produce: Callable[[], bytes]) -> tuple[bool, str]:
    try:
        path.write_bytes(produce())
    except ServiceError as exc:
        return False, str(exc)
    except OSError as exc:
        return False, f"Could not save to {path}: {exc.strerror}"
    return True, f"Exported to {path} (not encrypted); the disclosure is in the audit log."
