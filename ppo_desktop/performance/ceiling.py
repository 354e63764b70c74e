"""Re-offending against a performance ceiling, the APACS way (seed 003 §2).

The cohort's convictions in the baseline year, less the ceiling percentage, give the year's
threshold, rounded down as the Home Office did ("247 … 16 % … should not exceed 207"). Each
quarter is compared with a quarter of the threshold (56 convictions → 4.25 more than predicted).
Decimal arithmetic throughout, so the quarter figures come out exactly as the seed prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from ppo_desktop.i18n import N_, _

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class QuarterResult:
    quarter: int
    convictions: int | None  # None: not yet entered
    allowance: Decimal

    @property
    def difference(self) -> Decimal | None:
        """Convictions above (positive) or below (negative) a quarter of the threshold."""
        return None if self.convictions is None else Decimal(self.convictions) - self.allowance

    @property
    def wording(self) -> str:
        diff = self.difference
        if diff is None:
            return N_("not yet entered")
        if diff == 0:
            return N_("exactly as predicted")
        return (_("{n} over") if diff > 0 else _("{n} under")).format(n=plain(abs(diff)))


@dataclass(frozen=True)
class CeilingYear:
    """One cohort year as the Home Office set it, with the convictions entered so far."""

    label: str
    members: int
    baseline: int
    ceiling_pct: Decimal
    stretch_pct: Decimal | None = None
    months_on_scheme: Decimal | None = None
    quarters: tuple[int | None, int | None, int | None, int | None] = (None, None, None, None)
    convicted_members: int = 0

    @property
    def threshold(self) -> int:
        return reduced(self.baseline, self.ceiling_pct)

    @property
    def stretch_threshold(self) -> int | None:
        return None if self.stretch_pct is None else reduced(self.baseline, self.stretch_pct)

    @property
    def quarter_allowance(self) -> Decimal:
        return Decimal(self.threshold) / 4

    def quarter_results(self) -> list[QuarterResult]:
        return [QuarterResult(q, n, self.quarter_allowance) for q, n in enumerate(self.quarters, start=1)]

    @property
    def entered_quarters(self) -> int:
        return sum(1 for n in self.quarters if n is not None)

    @property
    def convictions(self) -> int:
        return sum(n for n in self.quarters if n is not None)

    @property
    def complete(self) -> bool:
        return self.entered_quarters == 4

    @property
    def reduction_pct(self) -> Decimal | None:
        """The year's reduction on the baseline, once all four quarters are in (one decimal place)."""
        if not self.complete or self.baseline == 0:
            return None
        return ((Decimal(self.baseline - self.convictions) / self.baseline) * HUNDRED).quantize(
            Decimal("0.1")
        )

    @property
    def against_threshold(self) -> int:
        """Convictions so far less the whole year's threshold (negative: below the prediction)."""
        return self.convictions - self.threshold

    @property
    def share_convicted_pct(self) -> Decimal | None:
        if self.members == 0:
            return None
        return (Decimal(self.convicted_members) / self.members * HUNDRED).quantize(Decimal("0.1"))


def reduced(baseline: int, pct: Decimal) -> int:
    """``baseline`` less ``pct`` per cent, rounded down (247 at 16 % → 207)."""
    return int((Decimal(baseline) * (HUNDRED - pct) / HUNDRED).to_integral_value(rounding=ROUND_FLOOR))


def plain(value: Decimal) -> str:
    """A Decimal without trailing zeros: 4.25, 2.75, 12, 21.5."""
    text = format(value.normalize(), "f")
    return text


def percent(value: str | float | Decimal) -> Decimal:
    """A percentage as the user typed it ("16", "16 %", 12.5), checked to lie in 0–100."""
    text = str(value).strip().rstrip("%").strip()
    try:
        pct = Decimal(text)
    except ArithmeticError:
        raise ValueError(_("{value!r} is not a percentage").format(value=value)) from None
    if not pct.is_finite() or not 0 <= pct <= 100:
        raise ValueError(_("{value!r} is not a percentage between 0 and 100").format(value=value))
    return pct
