"""Writing an export the person asked for: the disclosure is recorded by ``produce`` before the bytes
exist; the outcome comes back as words for the screen's status line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ppo_desktop.i18n import _
from ppo_desktop.output_files import check_target, write_private
from ppo_desktop.services import Changes
from ppo_desktop.services.documents import DISCLOSED
from ui.context import Said, attempt


def write_disclosed(path: Path, produce: Callable[[], bytes]) -> tuple[Changes | None, str]:
    """The save dialog has already asked before replacing a file; links and a store's own files are
    still refused, and the file is written privately and whole (ppo_desktop.output_files). Returns
    what the disclosure changed (None if nothing was written) and words for the status line."""
    refused: list[str] = []
    try:
        if attempt(lambda: write_private(check_target(path, overwrite=True), produce(), overwrite=True),
                   Said(refused.append)) is None:  # fmt: skip
            return None, refused[0]
    except OSError as exc:
        return None, _("Could not save to {path}: {why}").format(path=path, why=exc.strerror)
    return DISCLOSED, _("Exported to {path} (not encrypted); the disclosure is in the audit log.").format(
        path=path
    )
