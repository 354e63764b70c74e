"""Recency, frequency, gravity (and victims) — the scores today's IOM panels select by — computed
"as at" any date from a person's dated offences, never stored: the same offences give the score on
the day of the meeting, on entry to the cohort and on exit. The weights, windows, gravity table and
bands are data (``resources/scores/*.toml``, versioned); no weights are published nationally, so the
shipped definition is a documented example. Every score explains itself: which offences counted,
with which points.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from ppo_desktop import paths
from ppo_desktop.i18n import _, format_date, ngettext


class RfgDefinitionError(ValueError):
    """A scores definition that cannot be used; ``str()`` names the file and the field."""


@dataclass(frozen=True)
class Offence:
    on: dt.date
    category: str
    outcome: str
    victims: int = 0
    code: str = ""  # the Home Office offence code, where recorded


@dataclass(frozen=True)
class RfgDefinition:
    id: str
    version: str
    title: str
    source: str
    window_months: int
    counts: frozenset[str]
    recency: tuple[tuple[int, int], ...]  # (within days, points), nearest first
    frequency_each: int
    frequency_cap: int
    victims_each: int
    victims_cap: int
    gravity: Mapping[str, int]
    bands: tuple[tuple[str, int], ...]  # (label, minimum), highest first

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"

    @property
    def counts_text(self) -> str:
        return " / ".join(sorted(self.counts))


@dataclass(frozen=True)
class RfgScore:
    day: dt.date
    recency: int
    frequency: int
    gravity: int
    victims: int
    band: str
    counted: tuple[Offence, ...]  # the offences that scored, oldest first
    lines: tuple[str, ...]  # the score explained, one line per part

    @property
    def total(self) -> int:
        return self.recency + self.frequency + self.gravity + self.victims


def score_as_at(definition: RfgDefinition, offences: Iterable[Offence], day: dt.date) -> RfgScore:
    """The score on ``day``: offences after it do not exist yet; those before the window, or with an
    outcome the definition does not count, do not count."""
    start = day - relativedelta(months=definition.window_months)
    counted = tuple(sorted(
        (o for o in offences if start < o.on <= day and o.outcome in definition.counts), key=lambda o: o.on
    ))  # fmt: skip
    lines = [ngettext(
        "{n} offence counted: {outcomes} between {start} and {end} ({matrix})",
        "{n} offences counted: {outcomes} between {start} and {end} ({matrix})",
        len(counted),
    ).format(n=len(counted), outcomes=definition.counts_text, start=format_date(start + dt.timedelta(days=1)),
             end=format_date(day), matrix=definition.label)]  # fmt: skip
    recency = 0
    if counted:
        since = (day - counted[-1].on).days
        recency = next((points for within, points in definition.recency if since <= within), 0)
        lines.append(ngettext(
            "Recency {points}: the latest on {day}, {n} day before",
            "Recency {points}: the latest on {day}, {n} days before",
            since,
        ).format(points=recency, day=format_date(counted[-1].on), n=since))  # fmt: skip
    frequency = min(definition.frequency_cap, definition.frequency_each * len(counted))
    lines.append(_("Frequency {points}: {n} × {each} (at most {cap})").format(
        points=frequency, n=len(counted), each=definition.frequency_each, cap=definition.frequency_cap
    ))  # fmt: skip
    weights = [definition.gravity.get(o.category, definition.gravity.get("other", 0)) for o in counted]
    gravity = sum(weights)
    parts = ", ".join(f"{o.category} {w}" for o, w in zip(counted, weights, strict=True))
    lines.append(_("Gravity {points}: {parts}").format(points=gravity, parts=parts or _("none")))
    named = sum(max(0, o.victims) for o in counted)
    victims = min(definition.victims_cap, definition.victims_each * named)
    lines.append(_("Victims {points}: {n} × {each} (at most {cap})").format(
        points=victims, n=named, each=definition.victims_each, cap=definition.victims_cap
    ))  # fmt: skip
    total = recency + frequency + gravity + victims
    band = next((label for label, minimum in definition.bands if total >= minimum), "")
    lines.append(_("Total {points}: {band}").format(points=total, band=band))
    return RfgScore(day, recency, frequency, gravity, victims, band, counted, tuple(lines))


def load(path: Path) -> RfgDefinition:
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RfgDefinitionError(f"{path.name}: cannot be read ({exc})") from None

    def need(key: str, kind: type) -> Any:
        value = raw.get(key)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise RfgDefinitionError(f"{path.name}: {key} must be a {kind.__name__}")
        return value

    def number(table: Mapping[str, Any], key: str, where: str) -> int:
        value = table.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RfgDefinitionError(f"{path.name}: {where}.{key} must be a whole number, 0 or more")
        return value

    recency = tuple(
        (number(r, "within_days", "recency"), number(r, "points", "recency")) for r in need("recency", list)
    )
    if [d for d, _p in recency] != sorted(d for d, _p in recency):
        raise RfgDefinitionError(f"{path.name}: recency bands must run from the nearest to the furthest")
    bands = tuple((str(b.get("label", "")), number(b, "min", "bands")) for b in need("bands", list))
    if [m for _l, m in bands] != sorted((m for _l, m in bands), reverse=True):
        raise RfgDefinitionError(f"{path.name}: bands must run from the highest minimum to the lowest")
    gravity = need("gravity", dict)
    frequency, victims = need("frequency", dict), need("victims", dict)
    return RfgDefinition(
        id=need("id", str), version=need("version", str), title=need("title", str),
        source=need("source", str), window_months=number(raw, "window_months", "definition"),
        counts=frozenset(need("counts", list)), recency=recency,
        frequency_each=number(frequency, "points_each", "frequency"),
        frequency_cap=number(frequency, "cap", "frequency"),
        victims_each=number(victims, "points_each", "victims"), victims_cap=number(victims, "cap", "victims"),
        gravity={str(k): number(gravity, k, "gravity") for k in gravity}, bands=bands,
    )  # fmt: skip


@cache
def shipped() -> dict[str, RfgDefinition]:
    found = [load(p) for p in sorted(paths.resource("scores").glob("*.toml"))]
    return {d.id: d for d in found}
