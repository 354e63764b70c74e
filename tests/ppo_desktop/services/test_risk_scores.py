"""The probation service's risk scores (issue 25, deliver 3): recorded as given — a value, a band
alone, or both when they agree — with the assessment's date and source; never computed; bands read
from the published tables kept as data, at their edges."""

from __future__ import annotations

import datetime as dt

import pytest

from ppo_desktop.domain import AgendaItem
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.risk_scores import RiskScores, tools
from ppo_desktop.services.workspace import ServiceError, Workspace
from ppo_desktop.summary import summary_lines

DAY = dt.date(2026, 11, 3)


@pytest.mark.parametrize(
    ("tool", "value", "band"),
    [("OGRS3", 49, "low"), ("OGRS3", 50, "medium"), ("OGRS3", 74, "medium"), ("OGRS3", 75, "high"),
     ("OGRS3", 89, "high"), ("OGRS3", 90, "very high"), ("OVP", 29, "low"), ("OVP", 30, "medium"),
     ("OGP", 33, "low"), ("OGP", 34, "medium"), ("RSR", 2.99, "low"), ("RSR", 3, "medium"),
     ("RSR", 6.89, "medium"), ("RSR", 6.9, "high")],
)  # fmt: skip
def test_a_value_is_banded_by_the_published_table_at_its_edges(tool: str, value: float, band: str) -> None:
    assert tools()[tool].band_of(value) == band


def test_scores_are_recorded_as_given_and_the_latest_of_each_is_shown(ws: Workspace) -> None:
    nid = Cases(ws).add_nominal(NominalDraft("Riskscore", "Fictional")).record.id
    scores = RiskScores(ws)
    scores.record(nid, "OGRS3", value=62, assessed_on=dt.date(2026, 5, 1), source="OASys review")
    scores.record(nid, "OGRS3", value=78, assessed_on=DAY, source="OASys review")
    scores.record(nid, "RSR", band="high", assessed_on=DAY, source="Probation case summary")  # a band alone
    assert [str(s) for s in scores.latest(nid)] == [
        "OGRS3 high (78%), 03 Nov 2026, OASys review",
        "RSR high, 03 Nov 2026, Probation case summary",
    ]
    for bad, match in (
        ({"tool": "LSI-R", "value": 10}, "must be one of"),
        ({"tool": "OGRS3"}, "value, its band, or both"),
        ({"tool": "OGRS3", "value": 78, "band": "low"}, "in the high band, not low"),
        ({"tool": "OGRS3", "value": 140}, "percentage from 0 to 100"),
        ({"tool": "OVP", "band": "extreme"}, "bands are"),
    ):
        with pytest.raises(ServiceError, match=match):
            scores.record(nid, assessed_on=DAY, source="OASys", **bad)  # type: ignore[arg-type]
    with pytest.raises(ServiceError, match="which assessment"):
        scores.record(nid, "OVP", value=20, assessed_on=DAY, source=" ")
    case = Cases(ws).case_file(nid)
    item = AgendaItem(id=0, meeting_id=0, position=1, nominal_id=nid, title="Riskscore")
    summary = "\n".join(summary_lines(item, case, ws.today()))
    assert "Risk (probation, as recorded): OGRS3 high (78%)" in summary
    entries = [e.summary for e in ws.audit.search(nominal_id=nid, limit=10)]
    assert entries.count("Risk score recorded: OGRS3") == 2
