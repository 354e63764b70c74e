"""Every file the app writes for a person (PDF, CSV, pack, audit export) is written the same way:
to a private temporary file (mode 0600) in the same folder, flushed to disk, then renamed into
place — so a full disk leaves the old file or nothing, never half a CSV. Never through a symbolic
link, never over a store's own files (the store, its key file, WAL, SHM or lock), and over an
existing file only when the person has said so (``overwrite``; ``--force`` headless)."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from ppo_desktop.i18n import _
from ppo_desktop.partial_files import PARTIAL, note_partial
from ppo_desktop.services.workspace import ServiceError

# The files that make up a store, whatever it is called (db.store_paths names them the same way).
STORE_ENDINGS = (".ppo", ".ppo.keys", ".ppo.keys.next", ".ppo.lock", ".ppo-wal", ".ppo-shm")


class OutputRefused(ServiceError):
    """The file cannot be written there; ``str()`` says why (no personal data in it)."""


class OutputExists(OutputRefused):
    """The file is already there: the person must say to replace it."""


def check_target(path: Path, *, overwrite: bool = False) -> Path:
    """The path to write, or OutputRefused naming the reason."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputRefused(
            _("{path} cannot be written: {strerror}.").format(path=path, strerror=exc.strerror)
        ) from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise OutputRefused(
            _("{path} is a symbolic link; choose the file itself, not a link to it.").format(path=path)
        )
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputRefused(_("{path} is a folder; give a file name inside it.").format(path=path))
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputRefused(
            _("{path} is not an ordinary file (a device or a pipe); choose a file.").format(path=path)
        )
    if path.name.lower().endswith(STORE_ENDINGS):
        raise OutputRefused(
            _("{name} is (or would replace) a store's own file; choose another name.").format(name=path.name)
        )
    if not path.parent.is_dir():
        raise OutputRefused(_("The folder {parent} does not exist.").format(parent=path.parent))
    if info is not None and not overwrite:
        raise OutputExists(f"{path} already exists; choose another name, or say to replace it (--force).")
    return path


def write_private(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` as described above (0600, whole or not at all)."""
    check_target(path, overwrite=overwrite)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=PARTIAL, dir=path.parent)
    note_partial(os.path.abspath(tmp), add=True)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if exc.errno == errno.ENOSPC:
            raise OutputRefused(
                _("The disk is full: nothing was written to {path}.").format(path=path)
            ) from None
        raise OutputRefused(
            _("{path} could not be written: {strerror}; nothing was written.").format(
                path=path, strerror=exc.strerror
            )
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        note_partial(os.path.abspath(tmp), add=False)
    if os.name == "posix":
        with contextlib.suppress(OSError):
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)


def suggested_name(title: str, suffix: str) -> str:
    """A file name that keeps a title's words ("Minutes — C&C - R&R panel, 05 Jan 2027.pdf"): only
    what no file system accepts (/ \\ : * ? " < > |) becomes " - "."""
    cleaned = re.sub(r'(\s*[/\\:*?"<>|]+\s*)+', " - ", title)
    return " ".join(cleaned.split()).strip(" .-") + suffix
