"""Re-offending cohort years: the Home Office's ceiling for each year, the people in that year's
cohort, and their convictions entered per person per quarter (seed 003 §2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Nominal, Role
from ppo_desktop.i18n import _
from ppo_desktop.performance.ceiling import CeilingYear, percent, plain
from ppo_desktop.services import rows
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Topic, Workspace

EDITORS = (Role.ADMINISTRATOR, Role.COORDINATOR)
AVERAGE_MONTH_DAYS = Decimal("30.436875")  # 365.2425 / 12


@dataclass(frozen=True)
class CohortYear:
    id: int
    label: str
    starts_on: dt.date
    baseline: int
    ceiling_pct: Decimal
    stretch_pct: Decimal | None = None
    months_on_scheme: Decimal | None = None  # as the Home Office gave it; else worked out
    note: str = ""

    @property
    def ends_on(self) -> dt.date:
        return self.starts_on + relativedelta(years=1, days=-1)


class CohortYears:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def all(self) -> list[CohortYear]:
        return [_year(r) for r in self.ws.db.query("SELECT * FROM cohort_years ORDER BY starts_on")]

    def get(self, year_id: int) -> CohortYear:
        return _year(self.ws.row("cohort_years", year_id, "cohort year"))

    def create(
        self,
        label: str,
        starts_on: dt.date,
        *,
        baseline: int,
        ceiling_pct: str | float | Decimal,
        stretch_pct: str | float | Decimal | None = None,
        months_on_scheme: str | float | Decimal | None = None,
        members: Iterable[int] | None = None,
        note: str = "",
    ) -> Made[CohortYear]:
        """A cohort year as the Home Office set it. Without ``members``, the cohort is everyone on
        the scheme on the first day of the year."""
        label = label.strip()
        if not label:
            raise ServiceError(_("The cohort year needs a label, such as 2008/09."))
        if self.ws.db.execute("SELECT 1 FROM cohort_years WHERE label = ?", [label]).fetchone():
            raise ServiceError(_("There is already a cohort year {label!r}.").format(label=label))
        if baseline < 0:
            raise ServiceError(_("The baseline is a number of convictions: it cannot be negative."))
        values = {
            "label": label,
            "starts_on": starts_on.isoformat(),
            "baseline": int(baseline),
            "ceiling_pct": str(_pct(ceiling_pct, "ceiling")),
            "stretch_pct": None if stretch_pct in (None, "") else str(_pct(stretch_pct, "stretch")),
            "months_on_scheme": _months(months_on_scheme),
            "note": note,
        }
        if members is None:
            members = [
                r["nominal_id"]
                for r in self.ws.db.query(
                    "SELECT DISTINCT nominal_id FROM memberships WHERE added_on <= :d "
                    "AND (removed_on IS NULL OR removed_on > :d)",
                    {"d": starts_on.isoformat()},
                )
            ]
        with self.ws.writing(*EDITORS):
            year_id = self.ws.insert("cohort_years", values)
            self._add_members(year_id, members)
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "cohort_year",
                year_id,
                f"Cohort year {label} set up",
                at=self.ws.now(),
                after=values,
            )
        return Changes.of(Topic.COHORT_YEARS).made(self.get(year_id))

    def members(self, year_id: int) -> list[Nominal]:
        return [
            rows.nominal(r)
            for r in self.ws.db.query(
                "SELECT n.* FROM nominals n JOIN cohort_year_members m ON m.nominal_id = n.id "
                "WHERE m.cohort_year_id = ? ORDER BY n.family_name, n.given_names",
                [year_id],
            )
        ]

    def set_members(self, year_id: int, nominal_ids: Iterable[int]) -> Changes:
        year = self.get(year_id)
        wanted = set(nominal_ids)
        present = {n.id for n in self.members(year_id)}
        counted = {
            r["nominal_id"]
            for r in self.ws.db.query(
                "SELECT DISTINCT nominal_id FROM convictions WHERE cohort_year_id = ?", [year_id]
            )
        }
        if dropped := (present - wanted) & counted:
            raise ServiceError(
                _(
                    "{len} of the people to leave cohort {label} have convictions entered; set their "
                    "counts to 0 first."
                ).format(len=len(dropped), label=year.label)
            )
        with self.ws.writing(*EDITORS) as db:
            for nid in present - wanted:
                db.execute(
                    "DELETE FROM cohort_year_members WHERE cohort_year_id = ? AND nominal_id = ?",
                    [year_id, nid],
                )
            self._add_members(year_id, wanted - present)
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "cohort_year",
                year_id,
                f"Cohort year {year.label}: membership changed",
                at=self.ws.now(),
                before={"members": len(present)},
                after={"members": len(wanted)},
            )
        return Changes.of(Topic.COHORT_YEARS)

    def counts(self, year_id: int) -> dict[int, list[int | None]]:
        """Each member's convictions per quarter (None where nothing is entered yet)."""
        out: dict[int, list[int | None]] = {n.id: [None] * 4 for n in self.members(year_id)}
        for r in self.ws.db.query(
            "SELECT nominal_id, quarter, count FROM convictions WHERE cohort_year_id = ?", [year_id]
        ):
            out.setdefault(r["nominal_id"], [None] * 4)[r["quarter"] - 1] = r["count"]
        return out

    def consult(self, year_id: int) -> None:
        """Record that a year's named conviction counts were opened (a consultation of each person)."""
        year = self.get(year_id)
        with self.ws.transaction():
            self.ws.audit.record(
                AuditKind.CONSULTATION,
                "cohort_year",
                year_id,
                f"Convictions opened: cohort {year.label}",
                at=self.ws.now(),
                after={"people": [n.id for n in self.members(year_id)]},
            )

    def set_counts(self, year_id: int, counts: Mapping[tuple[int, int], int | None]) -> Changes:
        """Enter convictions as {(nominal id, quarter): count}, all in one transaction (None clears)."""
        year = self.get(year_id)
        members = {n.id for n in self.members(year_id)}
        before = self.counts(year_id)
        entries = []
        for (nid, quarter), count in sorted(counts.items()):
            if nid not in members:
                raise ServiceError(
                    _("Nominal {nid} is not in cohort {label}.").format(nid=nid, label=year.label)
                )
            if quarter not in (1, 2, 3, 4):
                raise ServiceError(
                    _("Quarter {quarter}: the quarter is 1, 2, 3 or 4.").format(quarter=quarter)
                )
            if count is not None and (not isinstance(count, int) or count < 0):
                raise ServiceError(
                    _("Quarter {quarter}: {count!r} is not a number of convictions (0 or more).").format(
                        quarter=quarter, count=count
                    )
                )
            old = before[nid][quarter - 1]
            if old != count:
                entries.append((nid, quarter, old, count))
        if not entries:
            return Changes()
        with self.ws.writing(*EDITORS) as db:
            for nid, quarter, _old, count in entries:
                if count is None:
                    db.execute(
                        "DELETE FROM convictions WHERE cohort_year_id = ? AND nominal_id = ? AND quarter = ?",
                        [year_id, nid, quarter],
                    )
                else:
                    db.table("convictions").upsert(
                        {"cohort_year_id": year_id, "nominal_id": nid, "quarter": quarter, "count": count},
                        pk=("cohort_year_id", "nominal_id", "quarter"),
                    )
            at = self.ws.now()
            self.ws.audit.record_many(
                [
                    {
                        "kind": AuditKind.COLLECTION if old is None else AuditKind.ALTERATION,
                        "entity": "convictions",
                        "entity_id": f"{year_id}/Q{quarter}",
                        "summary": f"Convictions, cohort {year.label} Q{quarter}",
                        "at": at,
                        "nominal_id": nid,
                        "before": {"count": old},
                        "after": {"count": count},
                    }
                    for nid, quarter, old, count in entries
                ]
            )
        return Changes.of(Topic.CONVICTIONS)

    def ceiling(self, year_id: int) -> CeilingYear:
        year = self.get(year_id)
        counts = self.counts(year_id)
        quarters = tuple(_quarter_total([c[q] for c in counts.values()]) for q in range(4))
        return CeilingYear(
            label=year.label,
            members=len(counts),
            baseline=year.baseline,
            ceiling_pct=year.ceiling_pct,
            stretch_pct=year.stretch_pct,
            months_on_scheme=year.months_on_scheme or self._months_on_scheme(year, list(counts)),
            quarters=(quarters[0], quarters[1], quarters[2], quarters[3]),
            convicted_members=sum(1 for c in counts.values() if any(n for n in c if n)),
        )

    # -- helpers -------------------------------------------------------------------------
    def _add_members(self, year_id: int, nominal_ids: Iterable[int]) -> None:
        ids = sorted(set(nominal_ids))
        known = {r["id"] for r in self.ws.db.query("SELECT id FROM nominals")}
        if missing := [i for i in ids if i not in known]:
            raise ServiceError(_("There is no nominal with id {value}.").format(value=missing[0]))
        self.ws.db.table("cohort_year_members").insert_all(
            ({"cohort_year_id": year_id, "nominal_id": i} for i in ids), pk=("cohort_year_id", "nominal_id")
        )

    def _months_on_scheme(self, year: CohortYear, members: list[int]) -> Decimal | None:
        """The members' average time on the scheme up to the year's first day (all their memberships)."""
        if not members:
            return None
        days = 0
        for r in self.ws.db.query(
            f"SELECT added_on, removed_on FROM memberships WHERE is_lead = 1 AND added_on < ? "
            f"AND nominal_id IN ({','.join('?' * len(members))})",
            [year.starts_on.isoformat(), *members],
        ):
            end = min(year.starts_on, dt.date.fromisoformat(r["removed_on"] or year.starts_on.isoformat()))
            days += max(0, (end - dt.date.fromisoformat(r["added_on"])).days)
        return (Decimal(days) / AVERAGE_MONTH_DAYS / len(members)).quantize(Decimal("0.1"))


def _quarter_total(values: list[int | None]) -> int | None:
    entered = [v for v in values if v is not None]
    return sum(entered) if entered else None


def _pct(value: str | float | Decimal, what: str) -> Decimal:
    try:
        return percent(value)
    except ValueError as exc:
        raise ServiceError(_("The {what} percentage: {exc}.").format(what=what, exc=exc)) from None


def _months(value: str | float | Decimal | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        months = Decimal(str(value))
    except ArithmeticError:
        raise ServiceError(
            _("Average months on scheme: {value!r} is not a number.").format(value=value)
        ) from None
    if not months.is_finite() or months < 0:
        raise ServiceError(
            _("Average months on scheme: {value!r} is not a number of months.").format(value=value)
        )
    return plain(months)


def _year(r: dict[str, object]) -> CohortYear:
    return CohortYear(
        id=int(str(r["id"])),
        label=str(r["label"]),
        starts_on=dt.date.fromisoformat(str(r["starts_on"])),
        baseline=int(str(r["baseline"])),
        ceiling_pct=Decimal(str(r["ceiling_pct"])),
        stretch_pct=Decimal(str(r["stretch_pct"])) if r["stretch_pct"] is not None else None,
        months_on_scheme=Decimal(str(r["months_on_scheme"])) if r["months_on_scheme"] is not None else None,
        note=str(r["note"]),
    )
