"""A dry run that advances a step at a time, so a screen can show progress and stop it, and the
store is read on the thread that owns it (no worker needs its own connection)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, Generic, TypeVar

from ppo_desktop.i18n import _
from ppo_desktop.imports import mapping
from ppo_desktop.imports.mapping import Aliases
from ppo_desktop.imports.sources import Reading, Source, SourceRow
from ppo_desktop.services.workspace import ServiceError, Workspace

T = TypeVar("T")
P = TypeVar("P")
STEP = 1000


class ImportCancelled(Exception):
    pass


class Planning(Generic[T, P]):
    def __init__(
        self,
        source: Source,
        fate: Callable[[SourceRow], T],
        finish: Callable[[list[T]], P],
        tally: Callable[[T], str] | None = None,
    ) -> None:
        self._source = source
        self._fate = fate
        self._finish = finish
        self._fates: list[T] = []
        self._done = False
        self._tally = tally
        self.counts: Counter[str] = Counter()  # fates so far, by kind (a screen shows them as it goes)

    @property
    def notes(self) -> list[str]:
        """What reading the file has assumed or left out so far."""
        return self._source.notes

    @property
    def rows_read(self) -> int:
        return len(self._fates)

    def step(self, limit: int = STEP) -> bool:
        """Read up to ``limit`` more rows; True once the file is read to the end (then closed)."""
        if self._done:
            return True
        try:
            batch = [self._fate(row) for row in islice(self._source.rows, limit)]
        except BaseException:
            self._source.close()
            raise
        self._fates.extend(batch)
        if self._tally is not None:
            self.counts.update(map(self._tally, batch))
        if len(batch) < limit:
            self._done = True
            self._source.close()
        return self._done

    def result(self) -> P:
        if not self._done:
            raise RuntimeError(_("the dry run has not finished"))
        return self._finish(self._fates)

    def cancel(self) -> None:
        self._done = True
        self._source.close()

    def run(self, progress: Callable[[int], bool] | None = None) -> P:
        """To the end in one go; ``progress(rows_read)`` after each step, returning False cancels."""
        while not self.step():
            if progress is not None and not progress(self.rows_read):
                self.cancel()
                raise ImportCancelled
        if progress is not None:
            progress(self.rows_read)
        return self.result()


class Importer(Generic[T, P]):
    """What every importer offers: ``start`` a stepwise dry run (for a screen), or ``plan`` one to
    the end (for the command line and tests); the column mapping for its kind of file."""

    ws: Workspace
    kind: str  # the kind of file (its remembered mappings are kept under it)
    fields: Aliases  # each field, and the column headers it goes by

    def mapping_for(self, source: str, header: list[str]) -> dict[str, str]:
        """The mapping remembered for this kind of file from ``source``, else a guess."""
        return mapping.mapping_for(self.ws, self.kind, source, header, self.fields)

    def _open(
        self, path: Path, source: str, columns: dict[str, str] | None, required: Sequence[str],
        reading: Reading | None,
    ) -> tuple[Source, str, dict[str, str]]:  # fmt: skip
        """The file's rows with the mapping chosen (or remembered, or guessed) and checked."""
        return mapping.open_mapped(
            self.ws, self.kind, path, source, columns, self.fields, tuple(required), reading
        )

    def start(
        self,
        path: Path,
        *,
        source: str = "",
        columns: dict[str, str] | None = None,
        reading: Reading | None = None,
    ) -> Planning[T, P]:
        raise NotImplementedError

    def plan(
        self,
        path: Path,
        *,
        source: str = "",
        columns: dict[str, str] | None = None,
        reading: Reading | None = None,
        progress: Callable[[int], bool] | None = None,
    ) -> P:
        """Every row's fate; nothing is written. ``progress(rows_read)`` returning False cancels."""
        return self.start(path, source=source, columns=columns, reading=reading).run(progress)


def refuse_unless_ready(rejected: Sequence[Any], justification: str) -> None:
    """A counts or offences import goes ahead only with its reason and with no line rejected."""
    if not justification.strip():
        raise ServiceError(_("An import needs the reason it is being made (recorded in the audit log)."))
    if rejected:
        raise ServiceError(
            _(
                "{len} line(s) are rejected (first: {message}); fix the file and try again. Nothing was "
                "imported."
            ).format(len=len(rejected), message=rejected[0].message)
        )
