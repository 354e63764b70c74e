"""Declared criteria ("nominate when ASSET > 21 or risk of serious harm") evaluated over facts.

Used by matrix definitions (flags on a sheet) and by scheme profiles (inclusion criteria). A fact
that is not known makes a condition *unknown*, never silently false.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Fact = float | int | bool | str | None
OPERATORS = ("above", "at_least", "below", "at_most", "equals", "one_of")


class CriteriaError(ValueError):
    pass


@dataclass(frozen=True)
class Condition:
    fact: str
    op: str
    value: Fact | tuple[Fact, ...]  # a tuple for one_of (a rating among several: "high" or "very high")
    label: str
    # A fact counted over a window ("domestic incidents in 12 months") lapses that long after it was
    # recorded: it is then not known until recorded again
    lapses_months: int | None = None

    def evaluate(self, facts: Mapping[str, Fact]) -> tuple[bool | None, str]:
        got = facts.get(self.fact)
        if got is None:
            return None, f"{self.label} not known"
        if self.op == "equals":
            ok = got == self.value
            return ok, f"{self.label}: {_show(got)}"
        if self.op == "one_of":
            assert isinstance(self.value, tuple)
            return got in self.value, f"{self.label}: {_show(got)}"
        if isinstance(got, bool | str) or not isinstance(self.value, int | float):
            return None, f"{self.label}: {_show(got)} is not a number"
        ok = {
            "above": got > self.value,
            "at_least": got >= self.value,
            "below": got < self.value,
            "at_most": got <= self.value,
        }[self.op]
        symbol = {"above": ">", "at_least": "≥", "below": "<", "at_most": "≤"}[self.op]
        return ok, f"{self.label} {_show(got)} (needs {symbol} {_show(self.value)})"


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    conditions: tuple[Condition, ...]
    mode: str  # "all" or "any"
    advisory: bool = False  # shown, but never blocks (e.g. "for most, drug or alcohol motivated")


@dataclass(frozen=True)
class CriterionResult:
    key: str
    label: str
    met: bool | None
    reasons: tuple[str, ...]
    advisory: bool = False

    @property
    def text(self) -> str:
        verdict = {True: "yes", False: "no", None: "not known"}[self.met]
        return f"{self.label}: {verdict} — {'; '.join(self.reasons)}"


def evaluate(criterion: Criterion, facts: Mapping[str, Fact]) -> CriterionResult:
    results = [c.evaluate(facts) for c in criterion.conditions]
    verdicts = [r[0] for r in results]
    if criterion.mode == "all":
        met: bool | None = False if False in verdicts else (None if None in verdicts else True)
        reasons = [text for ok, text in results if ok is not True] or [text for _ok, text in results]
    else:
        met = True if True in verdicts else (None if None in verdicts else False)
        reasons = [text for ok, text in results if ok is True] or [text for _ok, text in results]
    return CriterionResult(criterion.key, criterion.label, met, tuple(reasons), criterion.advisory)


def parse(raw: Any, where: str) -> Criterion:
    """Build a criterion from its TOML table; errors name ``where`` (file and field)."""
    if not isinstance(raw, dict):
        raise CriteriaError(f"{where}: must be a table")
    key, label = raw.get("key"), raw.get("label")
    if not isinstance(key, str) or not isinstance(label, str):
        raise CriteriaError(f"{where}: needs 'key' and 'label' strings")
    modes = [m for m in ("all_of", "any_of") if m in raw]
    if len(modes) != 1:
        raise CriteriaError(f"{where}: needs exactly one of 'all_of' or 'any_of'")
    items = raw[modes[0]]
    if not isinstance(items, list) or not items:
        raise CriteriaError(f"{where}.{modes[0]}: must be a non-empty list of conditions")
    return Criterion(
        key,
        label,
        tuple(_condition(c, f"{where}.{modes[0]}[{i}]") for i, c in enumerate(items)),
        "all" if modes[0] == "all_of" else "any",
        bool(raw.get("advisory", False)),
    )


def parse_all(raw: Any, where: str) -> tuple[Criterion, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CriteriaError(f"{where}: must be a list of tables")
    return tuple(parse(item, f"{where}[{i}]") for i, item in enumerate(raw))


def _condition(raw: Any, where: str) -> Condition:
    if not isinstance(raw, dict) or not isinstance(raw.get("fact"), str):
        raise CriteriaError(f"{where}: needs a 'fact' name")
    ops = [op for op in OPERATORS if op in raw]
    if len(ops) != 1:
        raise CriteriaError(f"{where}: needs exactly one of {', '.join(OPERATORS)}")
    value = raw[ops[0]]
    if ops[0] == "one_of":
        listed = isinstance(value, list) and all(isinstance(v, str | int | float) for v in value)
        if not listed or not value:
            raise CriteriaError(f"{where}.one_of: must be a list of the values that meet it")
        value = tuple(value)
    elif ops[0] != "equals" and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise CriteriaError(f"{where}.{ops[0]}: must be a number")
    lapses = raw.get("lapses_months")
    if lapses is not None and (isinstance(lapses, bool) or not isinstance(lapses, int) or lapses < 1):
        raise CriteriaError(f"{where}.lapses_months: must be a whole number of months (1 or more)")
    return Condition(raw["fact"], ops[0], value, str(raw.get("label", raw["fact"])), lapses)


def _show(value: Fact) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def evaluate_all(criteria: Sequence[Criterion], facts: Mapping[str, Fact]) -> tuple[CriterionResult, ...]:
    return tuple(evaluate(c, facts) for c in criteria)
