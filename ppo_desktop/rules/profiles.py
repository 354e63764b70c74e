"""Scheme profiles: each seed scheme's rules as data (matrix, criteria, cadence, capacity, reasons)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from ppo_desktop import paths
from ppo_desktop.data_files import Fields
from ppo_desktop.domain import PPO_STRANDS, RemovalReason, Status, Strand
from ppo_desktop.scoring.catalogue import Catalogue
from ppo_desktop.scoring.criteria import CriteriaError, Criterion, parse_all

DEFAULT_PROFILE = "thurrock-2009"
T = TypeVar("T")


class ProfileError(ValueError):
    pass


LOCAL_CHOICE = "local choice"
SOURCED = ("review_months", "tie_break", "two_year_review", "licence_final_third")  # each needs its source


@dataclass(frozen=True)
class Capacity:
    """How many people a strand (or a group of strands together) should hold, and where the numbers
    come from (a seed paragraph, or "local choice")."""

    min: int
    max: int | None
    source: str = LOCAL_CHOICE
    strands: tuple[Strand, ...] = ()

    @property
    def text(self) -> str:
        who = " + ".join(s.value for s in self.strands)
        parts = ([f"at least {self.min}"] if self.min else []) + ([f"at most {self.max}"] if self.max else [])
        limits = ", ".join(parts) or "no limits"
        return f"{who}: {limits} ({self.source})"


# The numbers a profile may leave out, with the value and the source used then.
DEFAULTS: dict[str, tuple[int, str]] = {
    "no_activity_months": (6, "002 item 1 (2009 guidance; 12 months before it)"),
    "amber_custody_years": (2, "000 §6.2 (amber list); 002 item 3"),
    "remove_custody_years": (10, "000 §6.2; 002 item 3"),
    "reconsider_months_before_release": (3, "000 §6; 002 item 3"),
    "short_sentence_months": (12, "002 §4.4–4.5 (priority for those sentenced to under 12 months)"),
    "transfer_near_18_months": (6, LOCAL_CHOICE),
    "retention_years": (6, LOCAL_CHOICE),
}


# How the app reads rules the seeds state without these details: each is a local choice, said so.
LOCAL_READINGS = (
    "The six months without arrest or intelligence count from the latest of either, or from the start "
    "of the time on the scheme; not proposed while the person is in custody",
    "A review is shown as overdue more than 31 days after it fell due",
    "Short-sentence releases are proposed from three months before to one month after release",
    "The amber list is reconsidered at once when release is nearer than the reconsideration period",
    "Removal in full after a sentence over the removal threshold applies to P&D as to the other strands",
    "A re-selection within 12 months of leaving is flagged",
)


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
class EntryRule:
    """Who may enter an IOM cohort, as the profile states it: a counted offence (in the IOM score's
    window, with an outcome it counts) of one of ``categories`` (none listed: any), and an IOM score
    of at least ``min_score``. Said in ``text``, with where it comes from."""

    strand: Strand
    text: str
    source: str
    categories: tuple[str, ...] = ()
    min_score: int = 0

    def read(self, counted: tuple[tuple[str, str], ...], total: int) -> tuple[bool, str]:
        """Whether a person meets it, from their counted offences ((category, date) pairs) and their
        IOM score; and why, in words (never a guess: no offence counted is "does not")."""
        found = [(c, on) for c, on in counted if not self.categories or c in self.categories]
        kinds = ", ".join(sorted({c for c, _on in found}))
        why = f"{len(found)} counted offence(s) of {kinds}" if found else "no counted offence of " + (
            ", ".join(self.categories) if self.categories else "any kind"
        )
        if self.min_score:
            why += f"; score {total} (needs {self.min_score})"
        return bool(found) and total >= self.min_score, why


@dataclass(frozen=True)
class SchemeProfile:
    id: str
    name: str
    source: str
    matrices: dict[Strand, str]
    review_months: dict[Strand, int]
    capacity: dict[Strand, Capacity]  # per strand; ``capacity_groups`` for strands counted together
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
    transfer_near_18_months: int = 6
    capacity_groups: tuple[Capacity, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)  # a number's key → where it comes from
    move_criteria: dict[Strand, tuple[str, ...]] = field(default_factory=dict)  # 000 §5.3 for R&R
    # How often each strand's people are scored again (000 §5.1–5.2: six-monthly); none stated, none kept
    rescore_months: dict[Strand, int] = field(default_factory=dict)
    # Who places someone on each strand's list, where the scheme says (Staffordshire 001 ¶21, ¶27)
    placed_by: dict[Strand, str] = field(default_factory=dict)
    # The scheme's own name for a strand (London: "Catch & Bring to Justice", 004), else the usual one
    strand_names: dict[Strand, str] = field(default_factory=dict)
    # The lists the scheme runs: the PPO strands, or an IOM scheme's Fixed, Flex and Free cohorts
    strands: tuple[Strand, ...] = PPO_STRANDS
    entry_rules: dict[Strand, EntryRule] = field(default_factory=dict)  # an IOM cohort's, as stated
    # The agenda proposes an exit review when a licence enters its final third (IOM guidance, 2025)
    licence_final_third: bool = False

    def strand_name(self, strand: Strand) -> str:
        return self.strand_names.get(strand, strand.long_name)

    def source_of(self, key: str) -> str:
        return self.sources.get(key, LOCAL_CHOICE)

    def rules_text(self) -> list[str]:
        """Each number the profile uses, with its source, for the screen (never a local choice
        presented as the scheme's rule)."""
        cadence = ", ".join(f"{s.value} every {self.review_months[s]} months" for s in self.strands)
        out = [f"Reviews: {cadence} ({self.source_of('review_months')})."]
        for strand in self.strands:
            if strand in self.capacity:
                out.append(f"Capacity {self.capacity[strand].text}.")
            if strand in self.entry_rules:
                rule = self.entry_rules[strand]
                out.append(f"{strand.value} cohort: {rule.text} ({rule.source}).")
        out += [f"Capacity {g.text}." for g in self.capacity_groups]
        for key, label in (
            ("no_activity_months", "No arrest and no intelligence for {} months → consider de-selection"),
            ("amber_custody_years", "Custody over {} years → amber list"),
            ("remove_custody_years", "Custody over {} years → removed in full"),
            ("reconsider_months_before_release", "Amber list reconsidered {} months before release"),
            ("short_sentence_months", "Sentences under {} months: priority on release"),
            ("transfer_near_18_months", "P&D within {} months of 18 and escalating → consider C&C"),
        ):
            if key != "transfer_near_18_months" or Strand.PREVENT_DETER in self.strands:
                out.append(f"{label.format(getattr(self, key))} ({self.source_of(key)}).")
        if self.licence_final_third:
            out.append(f"A licence's final third → exit review ({self.source_of('licence_final_third')}).")
        for strand, who in self.placed_by.items():
            out.append(f"Placed on the {strand.value} list by {who}.")
        if self.rescore_months:
            every = ", ".join(f"{s.value} every {n} months" for s, n in self.rescore_months.items())
            out.append(f"Scored again: {every} ({self.source_of('rescore_months')}).")
        if self.two_year_review:
            out.append(f"Two-year review of everyone on the scheme ({self.source_of('two_year_review')}).")
        out.append(f"Ties: {self.tie_break} ({self.source_of('tie_break')}).")
        out += [f"{text} ({LOCAL_CHOICE})." for text in LOCAL_READINGS]
        return out

    def score_series(self) -> tuple[ScoreTarget, ...]:
        """The targets the profile states, else one series per matrix at its strands' review cadence."""
        if self.targets:
            return self.targets
        by_matrix: dict[str, list[Strand]] = {}
        for strand in self.strands:
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


def _read(path: Path, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """A profile's table; one ``based_on`` another (in the same folder) is that one with its own
    keys over it — tables merged key by key, everything else replaced whole."""
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path.name}: is not valid TOML ({exc})") from exc
    except OSError as exc:
        raise ProfileError(f"{path.name}: cannot be read ({exc.strerror})") from exc
    base = raw.pop("based_on", None)
    if base is None:
        return raw
    if not isinstance(base, str) or base in seen or base == path.stem:
        raise ProfileError(f"{path.name}: based_on: {base!r} is not another profile's id")
    return _over(_read(path.with_name(f"{base}.toml"), (*seen, path.stem)), raw)


def _over(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in own.items():
        both = isinstance(value, dict) and isinstance(base.get(key), dict)
        merged[key] = _over(base[key], value) if both else value
    return merged


def load(path: Path, catalogue: Catalogue | None = None) -> SchemeProfile:
    raw = _read(path)
    f = Fields(raw, path.name, ProfileError)
    strands = _strands(f, "strands", tuple(Strand)) if "strands" in f.raw else PPO_STRANDS
    matrices = _per_strand(f, "matrices", str, strands)
    if catalogue is not None:
        for strand, matrix in matrices.items():
            if not any(d.id == matrix for d in catalogue.all()):
                raise ProfileError(f"{path.name}: matrices.{strand.value}: no matrix definition {matrix!r}")
    caps = {
        strand: _capacity(Fields(table, f"{path.name}: capacity.{strand.value}", ProfileError), (strand,))
        for strand, table in _per_strand(f, "capacity", dict, strands).items()
    }
    groups = []
    for g in f.tables("capacity_groups"):
        together = _strands(g, "strands", strands)
        if len(together) < 2:
            raise g.error("strands", "must list two or more strands")
        groups.append(_capacity(g, together))
    sources = f.raw.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(v, str) and v.strip() for v in sources.values()):
        raise f.error("sources", 'must be a table of non-empty texts ("000 §6.1" or "local choice")')
    stated = {k for k, v in f.raw.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    stated |= {k for k in SOURCED if k in f.raw}
    unsourced = sorted(stated - set(sources))
    if unsourced:
        raise f.error("sources", f"says nothing of where {', '.join(unsourced)} come(s) from")
    sources = {**{k: src for k, (_v, src) in DEFAULTS.items() if k not in f.raw}, **sources}
    move_criteria = {s: tuple(v) for s, v in _per_strand(f, "move_criteria", list, strands).items()}
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
    months = {k: int(v) for k, v in _per_strand(f, "review_months", int, strands).items()}
    targets = []
    for t in f.tables("score_targets"):
        scored = _strands(t, "strands", strands)
        matrix = t.text("matrix")
        if catalogue is not None and not any(d.id == matrix for d in catalogue.all()):
            raise t.error("matrix", f"no matrix definition {matrix!r}")
        targets.append(
            ScoreTarget(
                t.text("label"),
                matrix,
                scored,
                int(t.number("every_months", 6)),
                t.optional_number("baseline"),
            )
        )
    if set(months) != set(strands):
        raise f.error("review_months", f"needs a cadence for each of {', '.join(s.value for s in strands)}")
    entry_rules = {}
    for c in f.tables("entry_rules"):
        (strand,) = _strands(c, "strand", strands, one=True)
        minimum = c.number("min_score", 0)
        entry_rules[strand] = EntryRule(
            strand, c.text("text"), c.text("source"), tuple(c.strings("categories")), int(minimum)
        )
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
        transfer_near_18_months=int(f.number("transfer_near_18_months", 6)),
        capacity_groups=tuple(groups),
        sources=sources,
        move_criteria=move_criteria,
        rescore_months={k: int(v) for k, v in _per_strand(f, "rescore_months", int, strands).items()},
        placed_by=_per_strand(f, "placed_by", str, strands),
        strand_names=_per_strand(f, "strand_names", str, strands),
        strands=strands,
        entry_rules=entry_rules,
        licence_final_third=f.boolean("licence_final_third", False),
    )


def _capacity(c: Fields, strands: tuple[Strand, ...]) -> Capacity:
    cap = Capacity(
        int(c.number("min")),
        None if c.optional_number("max") is None else int(c.number("max")),
        c.text("source"),
        strands,
    )
    if cap.max is not None and cap.min > cap.max:
        raise c.error("min", "is above max")
    return cap


def _per_strand(f: Fields, key: str, kind: type[T], strands: tuple[Strand, ...]) -> dict[Strand, T]:
    named = ", ".join(f'"{s.value}"' for s in strands)
    table = f.raw.get(key, {})
    if not isinstance(table, dict):
        raise f.error(key, f"must be a table keyed by strand ({named})")
    out: dict[Strand, T] = {}
    for name, value in table.items():
        if name not in {s.value for s in strands}:
            raise f.error(f"{key}.{name}", f"is not a strand this scheme runs ({named})")
        if not isinstance(value, kind) or isinstance(value, bool):
            raise f.error(f"{key}.{name}", f"must be a {kind.__name__}")
        out[Strand(name)] = value
    return out


def _strands(f: Fields, key: str, allowed: tuple[Strand, ...], *, one: bool = False) -> tuple[Strand, ...]:
    """The strands ``key`` names (one, where ``one``): each a strand the scheme runs."""
    named = [f.text(key)] if one else f.strings(key)
    known = {s.value for s in allowed}
    if not named or any(n not in known for n in named) or len(set(named)) != len(named):
        raise f.error(key, f"must name strands the scheme runs, once each ({', '.join(sorted(known))})")
    return tuple(Strand(n) for n in named)


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
