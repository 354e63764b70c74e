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
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from ppo_desktop import paths

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

ENGLISH = "en"
LANGUAGES = {ENGLISH: "English", "cy": "Cymraeg (Welsh)"}  # code → its own name


@dataclass
class _Speaking:
    code: str = ENGLISH


_now = _Speaking()


def use(code: str) -> None:
    """Speak ``code`` from now on (the screens built after this read it); an unknown code is English."""
    _now.code = code if code in LANGUAGES else ENGLISH


def current() -> str:
    return _now.code


def _(text: str) -> str:
    """``text`` in the language in use (itself, in English or where it is not yet translated)."""
    if _now.code == ENGLISH:
        return text
    found = catalogue(_now.code).get(text)
    return found.string if found is not None and isinstance(found.string, str) and found.string else text


def ngettext(one: str, many: str, n: int) -> str:
    """The form of ``one`` / ``many`` for a count of ``n`` in the language in use (its own plural
    forms: Welsh has zero, one, two, few, many and other)."""
    english = one if n == 1 else many
    if _now.code == ENGLISH:
        return english
    found = catalogue(_now.code).get((one, many))
    if found is None or not isinstance(found.string, tuple):
        return english
    form = catalogue(_now.code).plural_expr
    index = _plural_index(form, n)
    chosen = found.string[index] if index < len(found.string) else ""
    return chosen or english


def format_date(day: dt.date | None, *, year: bool = True) -> str:
    """A day as the reader writes it ("07 Dec 2026"; "7 Rhag 2026"; without the year "07 Dec")."""
    if day is None:
        return ""
    if _now.code == ENGLISH:
        return f"{day:%d %b %Y}" if year else f"{day:%d %b}"
    from babel.dates import format_date as babel_date  # only when another language is in use

    return babel_date(day, "d MMM y" if year else "d MMM", locale=_now.code)


def format_month(day: dt.date) -> str:
    """A month as the reader writes it ("Dec 2026"; "Rhag 2026")."""
    if _now.code == ENGLISH:
        return f"{day:%b %Y}"
    from babel.dates import format_date as babel_date

    return babel_date(day, "MMM y", locale=_now.code)


def format_long_date(day: dt.date) -> str:
    """A day written out ("Monday 07 December 2026"; "Dydd Llun 7 Rhagfyr 2026")."""
    if _now.code == ENGLISH:
        return f"{day:%A %d %B %Y}"
    from babel.dates import format_date as babel_date

    return babel_date(day, "EEEE d MMMM y", locale=_now.code)


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
