"""The shipped matrix definitions, found in ``resources/matrices`` and looked up by id and version."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from ppo_desktop import clock, paths
from ppo_desktop.scoring.definition import Definition, DefinitionError, load


class Catalogue:
    def __init__(self, definitions: list[Definition]) -> None:
        self._all: dict[tuple[str, str], Definition] = {}
        for d in definitions:
            if (d.id, d.version) in self._all:
                raise DefinitionError(f"{Path(d.path).name}: {d.label} is defined twice")
            self._all[(d.id, d.version)] = d

    @classmethod
    def from_folder(cls, folder: Path) -> Catalogue:
        return cls([load(p) for p in sorted(folder.glob("*.toml"))])

    def all(self) -> list[Definition]:
        return sorted(self._all.values(), key=lambda d: (d.id, d.version))

    def get(self, definition_id: str, version: str | None = None, *, on: dt.date | None = None) -> Definition:
        """A given version, or the active one in force ``on`` a day (today by default)."""
        if version is not None:
            try:
                return self._all[(definition_id, version)]
            except KeyError:
                raise DefinitionError(f"No matrix definition {definition_id} v{version}.") from None
        day = on or clock.today()
        active = [
            d
            for d in self._all.values()
            if d.id == definition_id
            and d.status == "active"
            and d.effective_from <= day
            and (d.effective_to is None or day <= d.effective_to)
        ]
        if not active:
            raise DefinitionError(
                f"No active matrix definition {definition_id!r} in force on {day:%d %b %Y}."
            )
        return max(active, key=lambda d: (d.effective_from, _version_key(d.version)))


@cache
def shipped() -> Catalogue:
    return Catalogue.from_folder(paths.resource("matrices"))


def _version_key(version: str) -> tuple[int, ...]:
    """ "1.10" after "1.9": versions compare part by part as numbers."""
    return tuple(int(p) if p.isdigit() else -1 for p in version.split("."))
