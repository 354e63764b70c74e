"""Where a store's three files live (cheap to import: no database libraries)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

STORE_SUFFIX = ".ppo"


@dataclass(frozen=True)
class VaultPaths:
    store: Path

    @property
    def keyfile(self) -> Path:
        return self.store.with_name(self.store.name + ".keys")

    @property
    def next_keyfile(self) -> Path:
        """The key file for a re-key in progress: it becomes the key file once the store is re-keyed."""
        return self.store.with_name(self.store.name + ".keys.next")

    @property
    def lock(self) -> Path:
        return self.store.with_name(self.store.name + ".lock")

    def all(self) -> tuple[Path, ...]:
        """Every file of the store (what an export must never overwrite)."""
        wal, shm = (self.store.with_name(self.store.name + x) for x in ("-wal", "-shm"))
        return (self.store, self.keyfile, self.next_keyfile, self.lock, wal, shm)

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> VaultPaths:
        p = Path(path).expanduser().absolute()
        return cls(p if p.suffix == STORE_SUFFIX else p.with_name(p.name + STORE_SUFFIX))
