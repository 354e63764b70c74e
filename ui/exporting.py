"""Writing an export the person asked for: the disclosure is recorded by ``produce`` before the bytes
exist; the outcome comes back as words for the screen's status line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ppo_desktop.output_files import check_target, write_private
from ppo_desktop.services import Changes, ServiceError
from ppo_desktop.services.documents import DISCLOSED


def write_disclosed(path: Path, produce: Callable[[], bytes]) -> tuple[Changes | None, str]:
    """The save dialog has already asked before replacing a file; links and a store's own files are
    still refused, and the file is written privately and whole (ppo_desktop.output_files). Returns
    what the disclosure changed (None if nothing was written) and words for the status line."""
    try:
        check_target(path, overwrite=True)
        write_private(path, produce(), overwrite=True)
    except ServiceError as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"Could not save to {path}: {exc.strerror}"
    return DISCLOSED, f"Exported to {path} (not encrypted); the disclosure is in the audit log."
