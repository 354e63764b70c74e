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


def demo_store() -> Path:
    return data_dir() / "demo" / "demo-partnership.ppo"


def store_exists(path: str | os.PathLike[str]) -> bool:
    """Whether a store file is there (without loading the database libraries)."""
    from db.store_paths import VaultPaths

    return VaultPaths.of(path).store.exists()
