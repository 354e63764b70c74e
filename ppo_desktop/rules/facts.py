"""The facts a scheme's inclusion criteria read, and where each comes from.

A criterion's fact is known from the score sheet (the matrix's sections, rows, tags, total and
offence count), from the person (``age``), or else it is a *case fact* the coordinator records on
the case with the day it was recorded (NIM core nominal, ASBO, domestic incidents in 12 months,
lives in the borough…). Nothing is guessed: a fact nobody recorded is "not known".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from ppo_desktop.domain import CaseFact, Nominal
from ppo_desktop.rules.profiles import SchemeProfile
from ppo_desktop.scoring.catalogue import Catalogue
from ppo_desktop.scoring.catalogue import shipped as shipped_matrices
from ppo_desktop.scoring.criteria import Fact

PERSON_FACTS = frozenset({"age"})


@dataclass(frozen=True)
class FactSpec:
    key: str
    label: str
    kind: type  # bool or int
    lapses_months: int | None = None  # counted over a window: not known once the window has passed


def sheet_fact_names(profile: SchemeProfile, catalogue: Catalogue | None = None) -> frozenset[str]:
    """Every fact a score sheet on one of the profile's matrices can supply."""
    catalogue = catalogue or shipped_matrices()
    names = {"total", "offence_count"}
    for matrix_id in set(profile.matrices.values()):
        for defn in catalogue.all():
            if defn.id != matrix_id:
                continue
            for s in defn.sections:
                names.add(s.key)
                names.update(r.key for r in s.rows)
                names.update(f"tag:{t}" for r in s.rows for t in r.tags)
    return frozenset(names)


def case_fact_specs(profile: SchemeProfile) -> list[FactSpec]:
    """The facts the coordinator records for this profile's criteria, in the order they are asked."""
    computed = sheet_fact_names(profile) | PERSON_FACTS
    out: dict[str, FactSpec] = {}
    for criterion in profile.criteria:
        for c in criterion.conditions:
            if c.fact in computed or c.fact in out:
                continue
            kind = bool if c.op == "equals" and isinstance(c.value, bool) else int
            out[c.fact] = FactSpec(c.fact, c.label, kind, c.lapses_months)
    return list(out.values())


def case_fact_kinds(profile: SchemeProfile) -> dict[str, type]:
    return {f.key: f.kind for f in case_fact_specs(profile)}


def person_facts(
    nominal: Nominal, facts: Iterable[CaseFact], day: dt.date, lapses: Mapping[str, int] | None = None
) -> dict[str, Fact]:
    """What the criteria know of the person on ``day``: age and every recorded case fact that has not
    lapsed (``lapses``: fact → months; see ``lapsed``)."""
    out: dict[str, Fact] = {"age": nominal.age_on(day)}
    out.update({f.fact: f.value for f in facts if not lapsed(f, day, lapses or {})})
    return out


def lapsed(fact: CaseFact, day: dt.date, lapses: Mapping[str, int]) -> bool:
    """A count over a window (e.g. 12 months) describes the window up to the day it was recorded; once
    that much time has passed again, it describes none of the window before ``day`` (a local reading)."""
    months = lapses.get(fact.fact)
    return months is not None and fact.recorded_on + relativedelta(months=months) <= day


def lapsing(profile: SchemeProfile) -> dict[str, int]:
    """The profile's case facts that lapse, with their windows."""
    return {s.key: s.lapses_months for s in case_fact_specs(profile) if s.lapses_months}
