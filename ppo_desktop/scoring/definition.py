"""Matrix definitions as data: loaded from TOML, validated, hashed.

A definition has sections of five kinds:
  counts    rows of categories with points, counted in the evidence columns (Convicted / Admitted / Suspected)
  band      one number (entered, or derived such as the offence count) placed in a band with inclusive bounds
  choice    one option out of several, each with points
  flags     yes / no rows, each with points when yes
  factors   lifestyle factors (yes / no / not known); they score only when the section says so
  external  an outside score (ASSET, OGRS) within a range, added to the total when the section says so
Markers the source leaves unexplained ("X 6") carry an explicit *reading* (information, multiplier,
series threshold or cap) which the engine applies and the screen and the printed sheet state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ppo_desktop.data_files import Fields
from ppo_desktop.i18n import N_
from ppo_desktop.scoring.criteria import CriteriaError, Criterion, parse_all

SECTION_KINDS = ("counts", "band", "choice", "flags", "factors", "external")
READING_KINDS = ("information", "multiplier", "series_threshold", "cap")
STATUSES = ("draft", "active", "retired")
DERIVED = ("offence_count",)
FACTOR_VALUES = (N_("yes"), N_("no"), N_("unknown"))  # as recorded; said through _


class DefinitionError(ValueError):
    """A definition file is wrong; the message names the file, the field and the problem."""


@dataclass(frozen=True)
class EvidenceColumn:
    key: str
    label: str
    weight: float = 1.0


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    marker: str = ""


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    points: float
    group: str = ""
    marker: str = ""
    max_count: int | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Band:
    label: str
    points: float
    min: float
    max: float | None = None  # inclusive; None = no upper bound

    def contains(self, value: float) -> bool:
        return value >= self.min and (self.max is None or value <= self.max)

    @property
    def bounds(self) -> str:
        return f"{self.min:g}+" if self.max is None else f"{self.min:g}–{self.max:g}"


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    points: float


@dataclass(frozen=True)
class Reading:
    """How an unexplained marker on a row or group is read."""

    target: str  # a row or group key
    marker: str
    kind: str
    text: str
    value: float | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    kind: str
    rows: tuple[Row, ...] = ()
    groups: tuple[Group, ...] = ()
    bands: tuple[Band, ...] = ()
    options: tuple[Option, ...] = ()
    unit: str = ""
    derived: str = ""
    scores: bool = True
    counts_as_offences: bool = False
    minimum: float | None = None
    maximum: float | None = None
    max_points: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Definition:
    id: str
    version: str
    title: str
    source: str
    status: str
    effective_from: dt.date
    effective_to: dt.date | None
    marking: str
    columns: tuple[EvidenceColumn, ...]
    sections: tuple[Section, ...]
    readings: tuple[Reading, ...]
    criteria: tuple[Criterion, ...] = ()
    notes: tuple[str, ...] = ()
    path: str = field(default="", compare=False)

    @cached_property
    def hash(self) -> str:
        """Content hash over the parsed definition (layout and comments of the file do not count).

        Computed once per loaded definition: scoring runs on every keystroke."""
        body = asdict(self)
        body.pop("path")
        for criterion in body["criteria"]:  # fields added since: unset, they leave the hash as it was
            for condition in criterion["conditions"]:
                if condition.get("lapses_months") is None:
                    condition.pop("lapses_months", None)
        text = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def reading_for(self, target: str) -> Reading | None:
        return self._readings.get(target)

    @cached_property
    def tagged(self) -> tuple[str, ...]:
        """Every tag a row of a counts section carries (the criteria can test how many were counted)."""
        return tuple(dict.fromkeys(tag for tags in self.row_tags.values() for tag in tags))

    @cached_property
    def row_tags(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """Each counts row's tags, by (section, row)."""
        return {(s.key, r.key): r.tags for s in self.sections if s.kind == "counts" for r in s.rows}

    @cached_property
    def weighted_columns(self) -> tuple[tuple[str, float, str], ...]:
        """Each evidence column's key, weight and how a count in it is written ("×2" when weighted)."""
        return tuple(
            (c.key, c.weight, "×" + format(c.weight, "g") if c.weight != 1 else "") for c in self.columns
        )

    @cached_property
    def count_rows(self) -> dict[str, tuple[tuple[Row, tuple[str, str], tuple[Reading, ...], bool], ...]]:
        """Each section's rows, with their (section, row) key, their readings (the row's own, then its
        group's) and whether any of those reads a count (a series threshold): the engine's walk."""
        found = {}
        for s in self.sections:
            rows = []
            for r in s.rows:
                mine = (self.reading_for(r.key), self.reading_for(r.group) if r.group else None)
                readings = tuple(x for x in mine if x)
                reads_a_count = any(x.kind == "series_threshold" for x in readings)
                rows.append((r, (s.key, r.key), readings, reads_a_count))
            found[s.key] = tuple(rows)
        return found

    @cached_property
    def blank_lines(self) -> dict[tuple[str, str], Any]:
        """The engine's line for each counts row with nothing counted, made once (most rows of most
        sheets): (section, row) → its ``engine.Line``."""
        return {}

    @cached_property
    def _readings(self) -> dict[str, Reading]:
        """Each target's first reading (a pack of 100,000 sheets asks this for every row of each)."""
        found: dict[str, Reading] = {}
        for r in self.readings:
            found.setdefault(r.target, r)
        return found


# -- loading -------------------------------------------------------------------------------
def load(path: Path) -> Definition:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(f"{path.name}: cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{path.name}: is not valid TOML ({exc})") from exc
    return parse(raw, path.name, str(path))


def parse(raw: dict[str, Any], name: str, path: str = "") -> Definition:
    p = Fields(raw, name, DefinitionError)
    status = p.choice("status", STATUSES)
    columns = tuple(
        EvidenceColumn(c.text("key"), c.text("label"), c.number("weight", 1.0)) for c in p.tables("columns")
    )
    if not columns:
        raise DefinitionError(f"{name}: columns: at least one evidence column is needed")
    sections = tuple(_section(s) for s in p.tables("sections"))
    _unique(name, "sections", [s.key for s in sections])
    row_keys = [r.key for s in sections for r in s.rows] + [g.key for s in sections for g in s.groups]
    _unique(name, "row and group keys", row_keys)
    readings = tuple(_reading(r, set(row_keys)) for r in p.tables("readings"))
    _check_markers_read(name, sections, readings)
    try:
        criteria = parse_all(raw.get("criteria"), f"{name}: criteria")
    except CriteriaError as exc:
        raise DefinitionError(str(exc)) from exc
    effective_to = p.optional_date("effective_to")
    return Definition(
        id=p.text("id"),
        version=p.text("version"),
        title=p.text("title"),
        source=p.text("source"),
        status=status,
        effective_from=p.date("effective_from"),
        effective_to=effective_to,
        marking=p.text("marking", "OFFICIAL-SENSITIVE"),
        columns=columns,
        sections=sections,
        readings=readings,
        criteria=criteria,
        notes=tuple(p.strings("notes")),
        path=path,
    )


def _section(p: Fields) -> Section:
    kind = p.choice("kind", SECTION_KINDS)
    groups = tuple(Group(g.text("key"), g.text("label"), g.text("marker", "")) for g in p.tables("groups"))
    group_keys = {g.key for g in groups}
    rows = tuple(_row(r, group_keys) for r in p.tables("rows"))
    bands = tuple(_band(b) for b in p.tables("bands"))
    options = tuple(Option(o.text("key"), o.text("label"), o.number("points")) for o in p.tables("options"))
    derived = p.text("derived", "")
    if derived and derived not in DERIVED:
        raise p.error("derived", f"must be one of {', '.join(DERIVED)}")
    section = Section(
        key=p.text("key"),
        title=p.text("title"),
        kind=kind,
        rows=rows,
        groups=groups,
        bands=bands,
        options=options,
        unit=p.text("unit", ""),
        derived=derived,
        scores=p.boolean("scores", True),
        counts_as_offences=p.boolean("counts_as_offences", False),
        minimum=p.optional_number("min"),
        maximum=p.optional_number("max"),
        max_points=p.optional_number("max_points"),
        note=p.text("note", ""),
    )
    needs = {"counts": rows, "flags": rows, "factors": rows, "band": bands, "choice": options}
    if kind in needs and not needs[kind]:
        raise p.error("kind", f"a '{kind}' section needs {'bands' if kind == 'band' else 'rows or options'}")
    if kind == "band":
        _check_bands(p, bands)
    if kind == "external" and (section.minimum is None or section.maximum is None):
        raise p.error("min", "an external score needs 'min' and 'max'")
    return section


def _row(p: Fields, groups: set[str]) -> Row:
    group = p.text("group", "")
    if group and group not in groups:
        raise p.error("group", f"names an unknown group {group!r}")
    max_count = p.optional_number("max_count")
    return Row(
        p.text("key"),
        p.text("label"),
        p.number("points", 0),
        group,
        p.text("marker", ""),
        None if max_count is None else int(max_count),
        tuple(p.strings("tags")),
    )


def _band(p: Fields) -> Band:
    return Band(p.text("label"), p.number("points"), p.number("min"), p.optional_number("max"))


def _check_bands(p: Fields, bands: tuple[Band, ...]) -> None:
    ordered = sorted(bands, key=lambda b: b.min)
    for low, high in zip(ordered, ordered[1:], strict=False):
        if low.max is None or low.max >= high.min:
            raise p.error("bands", f"bands {low.label!r} and {high.label!r} overlap")
    for b in bands:
        if b.max is not None and b.max < b.min:
            raise p.error("bands", f"band {b.label!r} has max below min")


def _reading(p: Fields, targets: set[str]) -> Reading:
    target = p.text("target")
    if target not in targets:
        raise p.error("target", f"names no row or group ({target!r})")
    kind = p.choice("kind", READING_KINDS)
    value = p.optional_number("value")
    if kind != "information" and value is None:
        raise p.error("value", f"a '{kind}' reading needs a value")
    return Reading(target, p.text("marker"), kind, p.text("text"), value)


def _check_markers_read(name: str, sections: tuple[Section, ...], readings: tuple[Reading, ...]) -> None:
    """Every marker the source prints must have a stated reading: never guess silently."""
    read = {r.target for r in readings}
    for s in sections:
        marked = [(g.key, g.marker) for g in s.groups] + [(r.key, r.marker) for r in s.rows]
        for key, marker in marked:
            if marker and key not in read:
                raise DefinitionError(
                    f"{name}: sections.{s.key}: marker {marker!r} on {key!r} has no reading; "
                    "add a [[readings]] entry saying how it is read"
                )


def _unique(name: str, what: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for k in keys:
        if k in seen:
            raise DefinitionError(f"{name}: {what}: {k!r} is used twice")
        seen.add(k)
