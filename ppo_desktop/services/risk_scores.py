"""The probation service's risk scores for a person (issue 25): OGRS3, OGP, OVP and RSR, recorded as
given — a value, or a band alone, as some systems now pass only the band — with the day of the
assessment and where it comes from. The app never computes them; a value's band is read from the
published tables kept as data (``resources/policies/risk-bands.toml``), and a value and band that
disagree are refused rather than guessed between."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache

from ppo_desktop import paths
from ppo_desktop.audit import AuditKind
from ppo_desktop.i18n import _
from ppo_desktop.services.workspace import Changes, ServiceError, Topic, Workspace


@dataclass(frozen=True)
class Tool:
    key: str
    title: str
    source: str
    bands: tuple[tuple[str, float, float], ...]  # (band, lowest, highest), in order

    def band_of(self, value: float) -> str:
        for band, low, high in self.bands:
            if low <= value <= high:
                return band
        raise ServiceError(
            _("{key} is a percentage from {value:g} to {value2:g}.").format(
                key=self.key, value=self.bands[0][1], value2=self.bands[-1][2]
            )
        )


@dataclass(frozen=True)
class RiskScore:
    tool: str
    value: float | None
    band: str
    assessed_on: dt.date
    source: str

    def __str__(self) -> str:
        value = f" ({self.value:g}%)" if self.value is not None else ""
        return f"{self.tool} {self.band}{value}, {self.assessed_on:%d %b %Y}, {self.source}"


@cache
def tools() -> dict[str, Tool]:
    with paths.resource("policies", "risk-bands.toml").open("rb") as f:
        raw = tomllib.load(f)
    return {
        key: Tool(
            key, t["title"], t["source"], tuple((str(b), float(lo), float(hi)) for b, lo, hi in t["bands"])
        )
        for key, t in raw.items()
    }


class RiskScores:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def record(
        self, nominal_id: int, tool: str, *, assessed_on: dt.date, source: str, value: float | None = None,
        band: str = "",
    ) -> Changes:  # fmt: skip
        """A score as the assessment gave it: its value, its band, or both (which must agree)."""
        known = tools()
        if tool not in known:
            raise ServiceError(_("The score must be one of: {join}.").format(join=", ".join(known)))
        spec = known[tool]
        if value is None and not band:
            raise ServiceError(_("Record the score's value, its band, or both."))
        bands = [b for b, _lo, _hi in spec.bands]
        if band and band not in bands:
            raise ServiceError(_("{tool}'s bands are: {join}.").format(tool=tool, join=", ".join(bands)))
        if value is not None:
            read = spec.band_of(value)
            if band and band != read:
                raise ServiceError(
                    _("{tool} {value:g}% is in the {read} band, not {band}: check the assessment.").format(
                        tool=tool, value=value, read=read, band=band
                    )
                )
            band = read
        if assessed_on > self.ws.today():
            raise ServiceError(_("An assessment cannot be dated in the future."))
        if not source.strip():
            raise ServiceError(_("Say which assessment the score comes from (e.g. OASys, 3 Nov 2026)."))
        self.ws.row("nominals", nominal_id, "person")
        values = {"nominal_id": nominal_id, "tool": tool, "value": value, "band": band,
                  "assessed_on": assessed_on.isoformat(), "source": source.strip(),
                  "recorded_by": self.ws.user.id,
                  "recorded_at": self.ws.now().isoformat(timespec="seconds")}  # fmt: skip
        with self.ws.writing():
            new_id = self.ws.insert("risk_scores", values)
            self.ws.audit.record(AuditKind.COLLECTION, "risk_score", new_id, f"Risk score recorded: {tool}",
                                 at=self.ws.now(), nominal_id=nominal_id, after=values)  # fmt: skip
        return Changes.of(Topic.RISK_SCORES, nominal_id=nominal_id)

    def latest(self, nominal_id: int) -> list[RiskScore]:
        """Each tool's latest assessment for the person, in the order the tools are listed."""
        found: dict[str, RiskScore] = {}
        for r in self.ws.db.query(
            "SELECT * FROM risk_scores WHERE nominal_id = ? ORDER BY assessed_on, id", [nominal_id]
        ):
            day = dt.date.fromisoformat(r["assessed_on"])
            found[r["tool"]] = RiskScore(r["tool"], r["value"], r["band"], day, r["source"])
        return [found[t] for t in tools() if t in found]
