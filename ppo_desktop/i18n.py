"""The language the app speaks to its user: English, or Welsh (Cymraeg), chosen per user.

One catalogue per language, ``resources/translations/<code>.po`` (gettext's format, read by Babel as
it is: no compiled file is kept), for the screens and the Qt-free core alike. Every string a person
reads goes through ``_`` (or ``ngettext`` where it counts something: Welsh has six plural forms),
and dates through ``format_date``. A string not yet translated reads in English, never blank.
``./dev translations`` finds every marked string in the code and brings the catalogues up to date.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ppo_desktop import paths

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

ENGLISH = "en"
LANGUAGES = {ENGLISH: "English", "cy": "Cymraeg (Welsh)"}  # code → its own name


@dataclass
class _Speaking:
    code: str = ENGLISH


_now = _Speaking()
# A document being built in two languages, on this thread only (documents render on a worker while the
# screens go on speaking the user's language on theirs).
_here = threading.local()


def use(code: str) -> None:
    """Speak ``code`` from now on (the screens built after this read it); an unknown code is English."""
    _now.code = code if code in LANGUAGES else ENGLISH


def current() -> str:
    return _now.code


@contextmanager
def bilingual(first: str = "cy", second: str = ENGLISH) -> Iterator[None]:
    """On this thread, every string said in both languages, ``first`` first ("Presenoldeb /
    Attendance"), and dates in ``first``'s words: for the documents of a scheme that prints them in
    Welsh and English. Placeholders stand in both halves, so a template formats as one."""
    before = getattr(_here, "pair", None)
    _here.pair = (first, second)
    try:
        yield
    finally:
        _here.pair = before


def _pair() -> tuple[str, str] | None:
    pair: tuple[str, str] | None = getattr(_here, "pair", None)
    return pair


def _(text: str) -> str:
    """``text`` in the language in use (itself, in English or where it is not yet translated)."""
    if (pair := _pair()) is not None:
        return _both(_said(text, pair[0]), _said(text, pair[1]))
    return _said(text, _now.code)


def ngettext(one: str, many: str, n: int) -> str:
    """The form of ``one`` / ``many`` for a count of ``n`` in the language in use (its own plural
    forms: Welsh has zero, one, two, few, many and other)."""
    if (pair := _pair()) is not None:
        return _both(_counted(one, many, n, pair[0]), _counted(one, many, n, pair[1]))
    return _counted(one, many, n, _now.code)


def in_every_language(text: str) -> list[str]:
    """``text`` as each language says it (itself first): for reading back words stored as some user
    said them, such as the marker a planned agenda item's reasons were written with."""
    said = [_said(text, code) for code in LANGUAGES]
    return list(dict.fromkeys(said))


def _both(first: str, second: str) -> str:
    return first if first == second else f"{first} / {second}"


def _said(text: str, code: str) -> str:
    if code == ENGLISH:
        return text
    found = catalogue(code).get(text)
    return found.string if found is not None and isinstance(found.string, str) and found.string else text


def _counted(one: str, many: str, n: int, code: str) -> str:
    english = one if n == 1 else many
    if code == ENGLISH:
        return english
    found = catalogue(code).get((one, many))
    if found is None or not isinstance(found.string, tuple):
        return english
    index = _plural_index(catalogue(code).plural_expr, n)
    chosen = found.string[index] if index < len(found.string) else ""
    return chosen or english


def _dates() -> str:
    """The language dates are written in: the document's first language, or the user's."""
    pair = _pair()
    return pair[0] if pair is not None else _now.code


def format_date(day: dt.date | None, *, year: bool = True) -> str:
    """A day as the reader writes it ("07 Dec 2026"; "7 Rhag 2026"; without the year "07 Dec")."""
    if day is None:
        return ""
    if (code := _dates()) == ENGLISH:
        return f"{day:%d %b %Y}" if year else f"{day:%d %b}"
    from babel.dates import format_date as babel_date  # only when another language is in use

    return babel_date(day, "d MMM y" if year else "d MMM", locale=code)


def format_month(day: dt.date) -> str:
    """A month as the reader writes it ("Dec 2026"; "Rhag 2026")."""
    if (code := _dates()) == ENGLISH:
        return f"{day:%b %Y}"
    from babel.dates import format_date as babel_date

    return babel_date(day, "MMM y", locale=code)


def format_long_date(day: dt.date) -> str:
    """A day written out ("Monday 07 December 2026"; "Dydd Llun 7 Rhagfyr 2026")."""
    if (code := _dates()) == ENGLISH:
        return f"{day:%A %d %B %Y}"
    from babel.dates import format_date as babel_date

    return babel_date(day, "EEEE d MMMM y", locale=code)


@cache
def catalogue(code: str) -> Catalog:
    from babel.messages.pofile import read_po  # read once, the first time another language is used

    with paths.resource("translations").joinpath(f"{code}.po").open("rb") as f:
        return read_po(f, locale=code)


def N_(text: str) -> str:  # noqa: N802 - gettext's own name for it
    """Marks ``text`` for translation where it is defined (a label kept as data); ``_`` translates
    it where it is shown."""
    return text


def _plural_index(expression: str, n: int) -> int:
    """The catalogue's own Plural-Forms expression (C syntax, as gettext writes it) for ``n``."""
    return int(_plural_rule(expression)(n))


@cache
def _plural_rule(expression: str) -> Callable[[int], int]:
    """The expression made into a function once (the cohort's count is said on every keystroke), by
    the standard library's gettext, which refuses anything but arithmetic on n."""
    return gettext.c2py(expression)


def extract_labels(
    fileobj: Any, keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extractor for a bundled TOML file: every ``label = "…"`` is a word a person reads (the
    projector policy's fields, shown in Settings), so the catalogue has it to translate."""
    for number, line in enumerate(fileobj.read().decode("utf-8").splitlines(), start=1):
        found = re.match(r'\s*label\s*=\s*"([^"]+)"', line)
        if found:
            yield number, "N_", found.group(1), []


def _install() -> None:
    """The vault's messages (db/ imports nothing above it) are said through this catalogue too."""
    import db.errors

    db.errors.say = _


_install()
