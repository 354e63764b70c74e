"""Scheme profiles: each seed scheme's rules as data (matrix, criteria, cadence, capacity, reasons)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from ppo_desktop import paths
from ppo_desktop.data_files import Fields
from ppo_desktop.domain import RemovalReason, Status, Strand
from ppo_desktop.scoring.catalogue import Catalogue
from ppo_desktop.scoring.criteria import CriteriaError, Criterion, parse_all

DEFAULT_PROFILE = "thurrock-2009"
T = TypeVar("T")


class ProfileError(ValueError):
    pass


@dataclass(frozen=True)
class Capacity:
    min: int
    max: int


@dataclass(frozen=True)
class ReasonCode:
    code: RemovalReason
    label: str


@dataclass(frozen=True)
class ScoreTarget:
    """A cohort score the partnership tracks per review round (Thurrock: 788 and 443, 000 §9)."""

    label: str
    matrix: str
    strands: tuple[Strand, ...]
    every_months: int
    baseline: float | None = None


@dataclass(frozen=True)
class SchemeProfile:
    id: str
    name: str
    source: str
    matrices: dict[Strand, str]
    review_months: dict[Strand, int]
    capacity: dict[Strand, Capacity]
    removal_reasons: tuple[ReasonCode, ...]
    statuses: tuple[Status, ...]
    criteria: tuple[Criterion, ...]
    tie_break: str
    two_year_review: bool = True
    no_activity_months: int = 6
    amber_custody_years: int = 2
    remove_custody_years: int = 10
    reconsider_months_before_release: int = 3
    short_sentence_months: int = 12
    iom_cohorts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    retention_years: int = 6
    targets: tuple[ScoreTarget, ...] = ()

    def score_series(self) -> tuple[ScoreTarget, ...]:
        """The targets the profile states, else one series per matrix at its strands' review cadence."""
        if self.targets:
            return self.targets
        by_matrix: dict[str, list[Strand]] = {}
        for strand in Strand:
            if strand in self.matrices:
                by_matrix.setdefault(self.matrices[strand], []).append(strand)
        return tuple(
            ScoreTarget(
                f"Cohort score: {', '.join(s.value for s in strands)}",
                matrix,
                tuple(strands),
                min(self.review_months[s] for s in strands),
            )
            for matrix, strands in by_matrix.items()
        )


def load(path: Path, catalogue: Catalogue | None = None) -> SchemeProfile:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path.name}: is not valid TOML ({exc})") from exc
    f = Fields(raw, path.name, ProfileError)
    matrices = _per_strand(f, "matrices", str)
    if catalogue is not None:
        for strand, matrix in matrices.items():
            if not any(d.id == matrix for d in catalogue.all()):
                raise ProfileError(f"{path.name}: matrices.{strand.value}: no matrix definition {matrix!r}")
    caps = {}
    for strand, table in _per_strand(f, "capacity", dict).items():
        c = Fields(table, f"{path.name}: capacity.{strand.value}", ProfileError)
        cap = Capacity(int(c.number("min")), int(c.number("max")))
        if cap.min > cap.max:
            raise ProfileError(f"{path.name}: capacity.{strand.value}: min is above max")
        caps[strand] = cap
    reasons = []
    for r in f.tables("removal_reasons"):
        code = r.text("code")
        if code not in {x.value for x in RemovalReason}:
            raise r.error("code", f"{code!r} is not a known reason code")
        reasons.append(ReasonCode(RemovalReason(code), r.text("label")))
    statuses = []
    for s in f.strings("statuses"):
        if s not in {x.value for x in Status}:
            raise f.error("statuses", f"{s!r} is not one of the six statuses")
        statuses.append(Status(s))
    try:
        criteria = parse_all(raw.get("criteria"), f"{path.name}: criteria")
    except CriteriaError as exc:
        raise ProfileError(str(exc)) from exc
    months = {k: int(v) for k, v in _per_strand(f, "review_months", int).items()}
    targets = []
    for t in f.tables("score_targets"):
        strands = t.strings("strands")
        if not strands or any(s not in {x.value for x in Strand} for s in strands):
            raise t.error("strands", "must list strands (P&D, C&C, R&R)")
        matrix = t.text("matrix")
        if catalogue is not None and not any(d.id == matrix for d in catalogue.all()):
            raise t.error("matrix", f"no matrix definition {matrix!r}")
        targets.append(
            ScoreTarget(
                t.text("label"),
                matrix,
                tuple(Strand(s) for s in strands),
                int(t.number("every_months", 6)),
                t.optional_number("baseline"),
            )
        )
    if set(months) != set(Strand):
        raise f.error("review_months", "needs a cadence for each of P&D, C&C and R&R")
    return SchemeProfile(
        id=f.text("id"),
        name=f.text("name"),
        source=f.text("source"),
        matrices=matrices,
        review_months=months,
        capacity=caps,
        removal_reasons=tuple(reasons),
        statuses=tuple(statuses) or tuple(Status),
        criteria=criteria,
        tie_break=f.text("tie_break"),
        two_year_review=f.boolean("two_year_review", True),
        no_activity_months=int(f.number("no_activity_months", 6)),
        amber_custody_years=int(f.number("amber_custody_years", 2)),
        remove_custody_years=int(f.number("remove_custody_years", 10)),
        reconsider_months_before_release=int(f.number("reconsider_months_before_release", 3)),
        short_sentence_months=int(f.number("short_sentence_months", 12)),
        iom_cohorts=tuple(f.strings("iom_cohorts")),
        notes=tuple(f.strings("notes")),
        retention_years=int(f.number("retention_years", 6)),
        targets=tuple(targets),
    )


def _per_strand(f: Fields, key: str, kind: type[T]) -> dict[Strand, T]:
    table = f.raw.get(key, {})
    if not isinstance(table, dict):
        raise f.error(key, 'must be a table keyed by strand ("P&D", "C&C", "R&R")')
    out: dict[Strand, T] = {}
    for name, value in table.items():
        if name not in {s.value for s in Strand}:
            raise f.error(f"{key}.{name}", "is not a strand (P&D, C&C or R&R)")
        if not isinstance(value, kind) or isinstance(value, bool):
            raise f.error(f"{key}.{name}", f"must be a {kind.__name__}")
        out[Strand(name)] = value
    return out


@cache
def shipped() -> dict[str, SchemeProfile]:
    from ppo_desktop.scoring.catalogue import shipped as matrices

    profiles = [load(p, matrices()) for p in sorted(paths.resource("profiles").glob("*.toml"))]
    return {p.id: p for p in profiles}


def get(profile_id: str) -> SchemeProfile:
    try:
        return shipped()[profile_id]
    except KeyError:
        raise ProfileError(f"No scheme profile {profile_id!r}.") from None
