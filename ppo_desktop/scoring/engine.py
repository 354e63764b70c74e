"""The scoring engine: a pure function from (definition, inputs) to a breakdown.

Inputs are plain JSON-able data, one entry per section key:
  counts:   {row_key: {column_key: non-negative int}}
  band:     number or null (derived bands take no input)
  choice:   option key or null
  flags:    {row_key: true/false}
  factors:  {row_key: "yes" / "no" / "unknown"}
  external: number or null
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ppo_desktop.i18n import _
from ppo_desktop.scoring.criteria import CriterionResult, Fact, evaluate_all
from ppo_desktop.scoring.definition import FACTOR_VALUES, Definition, Reading, Row, Section

Inputs = Mapping[str, Any]


class InputError(ValueError):
    """The inputs do not fit the definition; the message names the section, row and column."""


@dataclass(frozen=True)
class Line:
    section: str
    key: str
    label: str
    points: float  # the row's points (or the band / option points that applied)
    score: float
    rule: str  # the rule text that produced the score
    counts: Mapping[str, int] = field(default_factory=dict)
    value: str = ""  # what was entered, for non-count lines


@dataclass(frozen=True)
class Breakdown:
    definition_id: str
    version: str
    definition_hash: str
    lines: tuple[Line, ...]
    subtotals: Mapping[str, float]
    total: float
    offence_count: int
    flags: tuple[CriterionResult, ...]
    readings: tuple[str, ...]
    facts: Mapping[str, Fact] = field(default_factory=dict)  # what criteria can test (see criteria.py)

    def line(self, key: str) -> Line:
        return next(ln for ln in self.lines if ln.key == key)

    def to_json(self, *, compact: bool = False) -> dict[str, Any]:
        """JSON for storage or output; ``compact`` leaves out lines with no count, value or score
        (a stored sheet can always be re-scored from its inputs)."""
        lines = [ln for ln in self.lines if not compact or ln.score or ln.value or any(ln.counts.values())]
        return {
            "definition": {"id": self.definition_id, "version": self.version, "hash": self.definition_hash},
            "total": self.total,
            "offence_count": self.offence_count,
            "subtotals": dict(self.subtotals),
            "lines": [
                {
                    "section": ln.section,
                    "key": ln.key,
                    "label": ln.label,
                    "points": ln.points,
                    "counts": dict(ln.counts),
                    "value": ln.value,
                    "score": ln.score,
                    "rule": ln.rule,
                }
                for ln in lines
            ],
            "flags": [{"key": f.key, "label": f.label, "met": f.met, "text": f.text} for f in self.flags],
            "readings": list(self.readings),
        }


def score(defn: Definition, inputs: Inputs) -> Breakdown:
    """Score ``inputs`` on ``defn``. Deterministic; raises InputError for inputs that do not fit."""
    validate(defn, inputs)
    lines: list[Line] = []
    subtotals: dict[str, float] = {}
    facts: dict[str, Fact] = {}
    # The rows counted on this sheet (a handful of a matrix's rows): offences and tags added up from them.
    counted = {
        (s.key, row): dict(cells)
        for s in defn.sections
        if s.kind == "counts"
        for row, cells in (inputs.get(s.key) or {}).items()
    }
    offence_count = 0
    tags = dict.fromkeys(defn.tagged, 0)
    for (section_key, row), cells in counted.items():
        n = sum(cells.values())
        offence_count += n if defn.section(section_key).counts_as_offences else 0
        for tag in defn.row_tags[section_key, row]:
            tags[tag] += n
    facts.update({f"tag:{tag}": n for tag, n in tags.items()})
    for section in defn.sections:
        section_lines = _score_section(defn, section, inputs, offence_count, facts, counted)
        raw = sum(ln.score for ln in section_lines)
        subtotal = raw if section.max_points is None else min(raw, section.max_points)
        if subtotal != raw:
            section_lines.append(
                Line(
                    section.key,
                    f"{section.key}:cap",
                    "Section cap",
                    0,
                    subtotal - raw,
                    f"section capped at {section.max_points:g} points",
                )
            )
        lines.extend(section_lines)
        subtotals[section.key] = subtotal if section.scores else 0.0
    total = sum(subtotals.values())
    facts.update({"total": total, "offence_count": offence_count})
    return Breakdown(
        definition_id=defn.id,
        version=defn.version,
        definition_hash=defn.hash,
        lines=tuple(lines),
        subtotals=subtotals,
        total=total,
        offence_count=offence_count,
        flags=evaluate_all(defn.criteria, facts),
        readings=tuple(f"{r.marker} ({r.target}): {r.text}" for r in defn.readings),
        facts=facts,
    )


def empty_inputs(defn: Definition) -> dict[str, Any]:
    """Inputs for a blank sheet."""
    out: dict[str, Any] = {}
    for s in defn.sections:
        if s.kind == "counts":
            out[s.key] = {}
        elif s.kind == "flags":
            out[s.key] = {r.key: False for r in s.rows}
        elif s.kind == "factors":
            out[s.key] = {r.key: "unknown" for r in s.rows}
        elif not s.derived:
            out[s.key] = None
    return out


# -- sections ------------------------------------------------------------------------------
def _score_section(
    defn: Definition,
    s: Section,
    inputs: Inputs,
    offence_count: int,
    facts: dict[str, Fact],
    counted: Mapping[tuple[str, str], dict[str, int]],
) -> list[Line]:
    if s.kind == "counts":
        return _score_counts(defn, s, counted)
    if s.kind == "band":
        value = float(offence_count) if s.derived == "offence_count" else inputs.get(s.key)
        facts[s.key] = value
        return [_score_band(s, value)]
    if s.kind == "choice":
        chosen = inputs.get(s.key)
        facts[s.key] = chosen
        option = next((o for o in s.options if o.key == chosen), None)
        if option is None:
            return [Line(s.key, s.key, s.title, 0, 0, "nothing chosen: 0 points", value="")]
        return [
            Line(
                s.key,
                s.key,
                s.title,
                option.points,
                option.points if s.scores else 0,
                f"{option.label}: {option.points:g} points",
                value=option.label,
            )
        ]
    if s.kind == "flags":
        out = []
        for r in s.rows:
            on = bool(inputs.get(s.key, {}).get(r.key, False))
            facts[r.key] = on
            out.append(
                Line(
                    s.key,
                    r.key,
                    r.label,
                    r.points,
                    r.points if on and s.scores else 0,
                    f"{'yes' if on else 'no'}: {r.points if on else 0:g} points",
                    value="yes" if on else "no",
                )
            )
        return out
    if s.kind == "factors":
        out = []
        for r in s.rows:
            answer = inputs.get(s.key, {}).get(r.key, "unknown")
            facts[r.key] = answer
            points = r.points if answer == "yes" and s.scores else 0
            rule = f"{answer}: {points:g} points" if s.scores else f"{answer}: recorded to inform, not scored"
            out.append(Line(s.key, r.key, r.label, r.points, points, rule, value=answer))
        return out
    value = inputs.get(s.key)  # external
    facts[s.key] = value
    if value is None:
        return [Line(s.key, s.key, s.title, 0, 0, "not entered: 0 points")]
    points = float(value) if s.scores else 0.0
    rule = (
        f"{s.title} {value:g} added to the total"
        if s.scores
        else f"{s.title} {value:g}: recorded, not scored"
    )
    return [Line(s.key, s.key, s.title, float(value), points, rule, value=f"{value:g}")]


def _score_counts(
    defn: Definition, s: Section, counted: Mapping[tuple[str, str], dict[str, int]]
) -> list[Line]:
    group_totals: dict[str, int] = {}
    if s.groups:
        for r in s.rows:
            if r.group:
                found = counted.get((s.key, r.key))
                group_totals[r.group] = group_totals.get(r.group, 0) + (sum(found.values()) if found else 0)
    blank = defn.blank_lines
    out = []
    for r, key, readings, reads_a_count in defn.count_rows[s.key]:
        counts = counted.get(key)
        if counts or reads_a_count:
            out.append(_count_line(defn, s, r, counts or {}, readings, group_totals))
        else:  # nothing counted, and nothing the readings say depends on a count: the same every time
            line = blank.get(key)
            if line is None:
                line = blank[key] = _count_line(defn, s, r, {}, readings, group_totals)
            out.append(line)
    return out


def _count_line(
    defn: Definition,
    s: Section,
    r: Row,
    counts: dict[str, int],
    readings: tuple[Reading, ...],
    group_totals: Mapping[str, int],
) -> Line:
    used = counts
    notes: list[str] = []
    factor = 1.0
    for reading in readings:
        target_total = group_totals[r.group] if reading.target == r.group else sum(counts.values())
        factor, used = _apply_reading(reading, factor, used, target_total, notes)
    columns = defn.weighted_columns
    if r.max_count is not None:
        used = _cap(used, r.max_count, [key for key, _weight, _shown in columns])
    taken = [used.get(key, 0) for key, _weight, _shown in columns]
    weighted = sum(n * weight for n, (_key, weight, _shown) in zip(taken, columns, strict=True))
    parts = " + ".join(f"{n}{shown}" for n, (_key, _weight, shown) in zip(taken, columns, strict=True))
    rule = f"{r.points:g} points × ({parts})" + (f" × {factor:g}" if factor != 1 else "")
    rule += "".join(f"; {n}" for n in notes)
    return Line(s.key, r.key, r.label, r.points, r.points * weighted * factor, rule, counts=counts)


def _apply_reading(
    reading: Reading,
    factor: float,
    used: dict[str, int],
    target_total: int,
    notes: list[str],
) -> tuple[float, dict[str, int]]:
    value = reading.value or 0
    if reading.kind == "information":
        notes.append(f"marker {reading.marker!r} read as information only")
    elif reading.kind == "multiplier":
        factor *= value
        notes.append(f"marker {reading.marker!r} read as a multiplier of {value:g}")
    elif reading.kind == "series_threshold":
        if target_total < value:
            used = {k: 0 for k in used}
            notes.append(
                f"marker {reading.marker!r}: series needs {value:g}+ offences, {target_total} recorded"
            )
        else:
            notes.append(f"marker {reading.marker!r}: series threshold of {value:g} met")
    elif reading.kind == "cap":
        used = _cap(used, int(value), list(used))
        notes.append(f"marker {reading.marker!r} read as a cap of {value:g} counted offences")
    return factor, used


def _cap(counts: Mapping[str, int], limit: int, order: list[str]) -> dict[str, int]:
    """Keep at most ``limit`` counts, taking the columns in order (convicted first)."""
    left = limit
    out = {}
    for key in order:
        take = min(counts.get(key, 0), left)
        out[key] = take
        left -= take
    return out


def _score_band(s: Section, value: Any) -> Line:
    if value is None:
        return Line(s.key, s.key, s.title, 0, 0, "not entered: 0 points")
    band = next((b for b in s.bands if b.contains(float(value))), None)
    shown = f"{float(value):g}"
    if band is None:
        return Line(
            s.key,
            s.key,
            s.title,
            0,
            0,
            f"{shown} {s.unit} is in no band: 0 points".replace("  ", " "),
            value=shown,
        )
    return Line(
        s.key,
        s.key,
        s.title,
        band.points,
        band.points if s.scores else 0,
        f"{shown} {s.unit} is in band '{band.label}' ({band.bounds}): {band.points:g} points".replace(
            "  ", " "
        ),
        value=shown,
    )


# -- validation ----------------------------------------------------------------------------
def validate(defn: Definition, inputs: Inputs) -> None:
    if not isinstance(inputs, Mapping):
        raise InputError(_("inputs must be an object with one entry per section"))
    known = {s.key: s for s in defn.sections}
    for key in inputs:
        if key not in known:
            raise InputError(
                _("inputs: {key!r} is not a section of {label}").format(key=key, label=defn.label)
            )
    columns = {c.key for c in defn.columns}
    for s in defn.sections:
        value = inputs.get(s.key)
        where = f"inputs.{s.key}"
        if value is None:
            continue
        if s.kind == "counts":
            rows = _mapping(value, where)
            row_keys = {r.key for r in s.rows}
            for row_key, cells in rows.items():
                if row_key not in row_keys:
                    raise InputError(
                        _("{where}: {row_key!r} is not a row of {title!r}").format(
                            where=where, row_key=row_key, title=s.title
                        )
                    )
                for col, n in _mapping(cells, f"{where}.{row_key}").items():
                    if col not in columns:
                        raise InputError(
                            _("{where}.{row_key}: {col!r} is not a column ({join})").format(
                                where=where,
                                row_key=row_key,
                                col=col,
                                join=", ".join(c.key for c in defn.columns),
                            )
                        )
                    if isinstance(n, bool) or not isinstance(n, int):
                        raise InputError(
                            _("{where}.{row_key}.{col}: count must be a whole number, not {n!r}").format(
                                where=where, row_key=row_key, col=col, n=n
                            )
                        )
                    if n < 0:
                        raise InputError(
                            _("{where}.{row_key}.{col}: count cannot be negative ({n})").format(
                                where=where, row_key=row_key, col=col, n=n
                            )
                        )
        elif s.kind in ("band", "external"):
            if s.derived:
                raise InputError(
                    _("{where}: is derived ({derived}) and takes no input").format(
                        where=where, derived=s.derived
                    )
                )
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(
                    _("{where}: must be a number, not {value!r}").format(where=where, value=value)
                )
            lo, hi = s.minimum, s.maximum
            if (lo is not None and value < lo) or (hi is not None and value > hi) or value < 0:
                raise InputError(
                    _("{where}: {value:g} is outside {value2:g}–{value3}").format(
                        where=where, value=value, value2=lo or 0, value3=hi if hi is not None else "∞"
                    )
                )
            _refuse_between_bands(s, float(value), where)
        elif s.kind == "choice":
            if value not in {o.key for o in s.options}:
                raise InputError(
                    _("{where}: {value!r} is not one of {join}").format(
                        where=where, value=value, join=", ".join(o.key for o in s.options)
                    )
                )
        elif s.kind == "flags":
            for row_key, on in _mapping(value, where).items():
                if row_key not in {r.key for r in s.rows} or not isinstance(on, bool):
                    raise InputError(
                        _("{where}.{row_key}: must be a known flag set to true or false").format(
                            where=where, row_key=row_key
                        )
                    )
        elif s.kind == "factors":
            for row_key, answer in _mapping(value, where).items():
                if row_key not in {r.key for r in s.rows}:
                    raise InputError(
                        _("{where}: {row_key!r} is not a factor of {title!r}").format(
                            where=where, row_key=row_key, title=s.title
                        )
                    )
                if answer not in FACTOR_VALUES:
                    raise InputError(
                        _("{where}.{row_key}: must be one of {join}").format(
                            where=where, row_key=row_key, join=", ".join(FACTOR_VALUES)
                        )
                    )


def _refuse_between_bands(s: Section, value: float, where: str) -> None:
    """A value in the gap between two bands (28.5 days between 0–28 and 29–56) would score nothing
    without a word: it is refused, naming both bands (the unit is counted in whole numbers)."""
    if any(b.contains(value) for b in s.bands):
        return
    below = [b for b in s.bands if b.max is not None and b.max < value]
    above = [b for b in s.bands if b.min > value]
    if below and above:
        lo = max(below, key=lambda b: b.max or 0.0)
        hi = min(above, key=lambda b: b.min)
        unit = f" {s.unit}" if s.unit else ""
        raise InputError(
            _(
                "{title}: {value:g}{unit} falls between the bands '{label}' ({bounds}) and '{label2}' "
                "({bounds2}); enter a whole number"
            ).format(
                title=s.title,
                value=value,
                unit=unit,
                label=lo.label,
                bounds=lo.bounds,
                label2=hi.label,
                bounds2=hi.bounds,
            )
        )


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(_("{where}: must be an object").format(where=where))
    return value
