"""One resolver for bundled resources and per-user folders (source tree, installed, frozen)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "PPO Panel"


def resources() -> Path:
    """The ``resources/`` folder: beside the packages, or inside a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources().joinpath(*parts)


def data_dir() -> Path:
    """Where stores live by default (the user's private data folder)."""
    import platformdirs  # (loaded when asked: not on the way to the first window)

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Per-user working notes (no personal data: paths only)."""
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def demo_store() -> Path:
    return data_dir() / "demo" / "demo-partnership.ppo"


def store_file(path: str | os.PathLike[str]) -> Path:
    """The store's own file for a path given with or without its suffix (absolute)."""
    from db.store_paths import VaultPaths

    return VaultPaths.of(path).store


def _last_store_note() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "last-store"


def remembered_store() -> Path | None:
    """The store this account last opened or created (a path only, no data), if it is still there."""
    try:
        text = _last_store_note().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text) if text and store_exists(text) else None


def remember_store(path: str | os.PathLike[str]) -> None:
    """Note the store opened, so that the next launch without ``--store`` opens it again."""
    note = _last_store_note()
    try:
        note.parent.mkdir(parents=True, exist_ok=True)
        note.write_text(str(store_file(path)) + "\n", encoding="utf-8")
    except OSError:
        pass  # a convenience: the store itself is not affected


def remembered_language() -> str:
    """The language the last person to unlock here chose (the unlock dialog speaks it); English
    until someone chose another. A language code only, no data."""
    try:
        return _config_note("language").read_text(encoding="utf-8").strip() or "en"
    except (OSError, UnicodeDecodeError):
        return "en"


def remember_language(code: str) -> None:
    note = _config_note("language")
    try:
        note.parent.mkdir(parents=True, exist_ok=True)
        note.write_text(code + "\n", encoding="utf-8")
    except OSError:
        pass  # a convenience: the next unlock dialog speaks English


def _config_note(name: str) -> Path:
    return _last_store_note().with_name(name)


def store_exists(path: str | os.PathLike[str]) -> bool:
    """Whether a store file is there (without loading the database libraries)."""
    from db.store_paths import VaultPaths

    return VaultPaths.of(path).store.exists()
