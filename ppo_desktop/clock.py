"""The one place the app reads the time: the system clock, replaceable as a whole (tests freeze it).

Every service takes its clock from its ``Workspace``; code with no workspace (the demo builder,
matrix look-ups, bulk audit entries) asks here. Nothing else calls ``date.today()`` or
``datetime.now()`` — a test walks the source to keep it so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Clock = Callable[[], dt.datetime]


def system_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_source: Clock = system_now


def now() -> dt.datetime:
    """The current time (UTC), from the installed source."""
    return _source()


def today() -> dt.date:
    return now().date()


@contextmanager
def installed(source: Clock) -> Iterator[None]:
    """Use ``source`` as the clock for the duration (tests: a fixed instant)."""
    global _source
    previous, _source = _source, source
    try:
        yield
    finally:
        _source = previous
