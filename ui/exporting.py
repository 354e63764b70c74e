"""Writing an export the person asked for: the disclosure is recorded by ``produce`` before the bytes
exist; the outcome comes back as words for the screen's status line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ppo_desktop.output_files import check_target, write_private
from ppo_desktop.services import ServiceError


def write_disclosed(path: Path, produce: Callable[[], bytes]) -> tuple[bool, str]:
    """The save dialog has already asked before replacing a file; links and a store's own files are
    still refused, and the file is written privately and whole (ppo_desktop.output_files)."""
    try:
        check_target(path, overwrite=True)
        write_private(path, produce(), overwrite=True)
    except ServiceError as exc:
        return False, str(exc)
    except OSError as exc:
        return False, f"Could not save to {path}: {exc.strerror}"
    return True, f"Exported to {path} (not encrypted); the disclosure is in the audit log."
