"""Golden cases for the shipped Thurrock Appendix 2 definition: rows, bands, markers as read."""

from __future__ import annotations

from typing import Any

import pytest

from ppo_desktop.scoring import Definition, empty_inputs, score, shipped

SEED_ROWS = [  # (label, points) exactly as Appendix 2 prints them, in order
    ("Burglary dwelling (series)", 5),
    ("Burglary dwelling", 4),
    ("Burglary other (series)", 4),
    ("Burglary other", 3),
    ("Handling stolen goods", 3),
    ("Theft of motor vehicle", 3),
    ("Theft from motor vehicle", 3),
    ("TWOC", 3),
    ("Shoplifting", 2),
    ("Theft other", 1),
    ("Credit Card/ Cheques Fraud (Series)", 2),
    ("Arson", 3),
    ("Criminal Damage", 2),
    ("Robbery", 5),
    ("Sexual Offences", 5),
    ("Assaults", 3),
    ("Public Order/harassment", 3),
    ("Begging", 3),
    ("Criminal Damage", 2),
    ("Drunkenness / Drugs", 2),
]
SEED_VICTIMS = [
    ("Elderly", 5),
    ("Racial / Hate Crime", 5),
    ("OASYS/OGR", 5),
    ("CDRP Priority (Domestic Violence)", 5),
]


@pytest.fixture(scope="module")
def thurrock() -> Definition:
    return shipped().get("thurrock-2009-appendix2", "1.0")


@pytest.fixture(scope="module")
def series() -> Definition:
    return shipped().get("thurrock-2009-series", "1.0")


def with_counts(defn: Definition, **rows: dict[str, int]) -> dict[str, Any]:
    inputs = empty_inputs(defn)
    for key, counts in rows.items():
        section = "victims" if key.startswith("victim_") else "offences"
        inputs[section][key] = counts
    return inputs


def test_every_seed_row_and_point_is_present(thurrock: Definition) -> None:
    offences = thurrock.section("offences")
    assert [(r.label, r.points) for r in offences.rows] == SEED_ROWS
    assert [(r.label, r.points) for r in thurrock.section("victims").rows] == SEED_VICTIMS
    assert [g.label for g in offences.groups] == [
        "Burglary",
        "Auto Crime",
        "Theft",
        "Fraud",
        "Criminal Damage",
        "Violence",
        "Anti Social Behaviour",
    ]
    assert [c.label for c in thurrock.columns] == ["Convicted", "Admitted", "Suspected"]
    assert [(b.label, b.points) for b in thurrock.section("intelligence").bands] == [
        ("Intelligence up to 4 weeks", 5),
        ("Intelligence 4 to 8 weeks", 3),
        ("Intelligence over 8 weeks", 1),
    ]
    assert [(b.label, b.points) for b in thurrock.section("serial").bands] == [
        ("7+ offences", 5),
        ("2 to 6 offences", 3),
    ]
    assert [(o.label, o.points) for o in thurrock.section("impact").options] == [
        ("Serious (Violence)", 5),
        ("Moderate (Burglary and Theft)", 3),
        ("Slight/None (Other)", 1),
    ]
    assert thurrock.marking == "CONFIDENTIAL" and thurrock.status == "active"


def test_golden_sheet(thurrock: Definition) -> None:
    inputs = with_counts(
        thurrock,
        robbery={"convicted": 2, "suspected": 1},
        shoplifting={"convicted": 4},
        victim_elderly={"convicted": 1},
    )
    inputs["intelligence"] = 10
    inputs["impact"] = "serious"
    b = score(thurrock, inputs)
    assert b.line("robbery").score == 15  # 5 × (2 + 0 + 1)
    assert b.line("shoplifting").score == 8
    assert b.line("victim_elderly").score == 5
    assert b.offence_count == 7  # victims are not counted again
    assert b.line("serial").score == 5 and b.line("intelligence").score == 5 and b.line("impact").score == 5
    assert b.total == 43
    assert b.subtotals == {
        "offences": 23,
        "victims": 5,
        "intelligence": 5,
        "serial": 5,
        "impact": 5,
        "lifestyle": 0,
    }


@pytest.mark.parametrize(
    ("days", "points"), [(0, 5), (28, 5), (29, 3), (56, 3), (57, 1), (3650, 1), (None, 0)]
)
def test_intelligence_band_boundaries(thurrock: Definition, days: int | None, points: int) -> None:
    inputs = empty_inputs(thurrock)
    inputs["intelligence"] = days
    assert score(thurrock, inputs).line("intelligence").score == points


@pytest.mark.parametrize(("offences", "points"), [(0, 0), (1, 0), (2, 3), (6, 3), (7, 5), (40, 5)])
def test_serial_band_boundaries(thurrock: Definition, offences: int, points: int) -> None:
    b = score(thurrock, with_counts(thurrock, theft_other={"admitted": offences}))
    assert b.offence_count == offences
    assert b.line("serial").score == points


@pytest.mark.parametrize(("choice", "points"), [("serious", 5), ("moderate", 3), ("slight", 1), (None, 0)])
def test_impact_choices(thurrock: Definition, choice: str | None, points: int) -> None:
    inputs = empty_inputs(thurrock)
    inputs["impact"] = choice
    assert score(thurrock, inputs).total == points


@pytest.mark.parametrize(
    ("row", "points"),
    [
        ("burglary_dwelling_series", 5),
        ("burglary_other_series", 4),
        ("theft_of_vehicle", 3),
        ("twoc", 3),
        ("shoplifting", 2),
        ("theft_other", 1),
        ("handling", 3),
    ],
)
def test_markers_read_as_information_change_nothing(thurrock: Definition, row: str, points: int) -> None:
    b = score(thurrock, with_counts(thurrock, **{row: {"convicted": 3, "admitted": 2, "suspected": 1}}))
    assert b.line(row).score == points * 6
    assert "information only" in b.line(row).rule


def test_every_marker_has_a_stated_reading(thurrock: Definition) -> None:
    markers = {g.key: g.marker for g in thurrock.section("offences").groups if g.marker}
    markers |= {r.key: r.marker for r in thurrock.section("offences").rows if r.marker}
    assert markers == {
        "burglary": "X as below",
        "auto": "X 4",
        "theft": "X 3",
        "burglary_dwelling_series": "X 6",
        "burglary_other_series": "X5",
    }
    assert {r.target: r.kind for r in thurrock.readings} == {k: "information" for k in markers}
    assert len(score(thurrock, empty_inputs(thurrock)).readings) == 5


@pytest.mark.parametrize(
    ("row", "threshold", "points"), [("burglary_dwelling_series", 6, 5), ("burglary_other_series", 5, 4)]
)
def test_series_reading_in_the_draft_variant(
    series: Definition, row: str, threshold: int, points: int
) -> None:
    below = score(series, with_counts(series, **{row: {"convicted": threshold - 1}}))
    at = score(series, with_counts(series, **{row: {"convicted": threshold - 2, "suspected": 2}}))
    assert below.line(row).score == 0 and f"series needs {threshold}+" in below.line(row).rule
    assert at.line(row).score == points * threshold
    assert series.status == "draft"


def test_lifestyle_recorded_not_scored(thurrock: Definition) -> None:
    inputs = empty_inputs(thurrock)
    inputs["lifestyle"] = {
        "drugs": "yes",
        "alcohol": "no",
        "accommodation": "yes",
        "employment": "unknown",
        "relationships": "no",
    }
    b = score(thurrock, inputs)
    assert b.total == 0
    assert b.line("drugs").value == "yes" and "not scored" in b.line("drugs").rule
    assert b.facts["drugs"] == "yes"


def test_psa_priority_tag_counts(thurrock: Definition) -> None:
    b = score(
        thurrock,
        with_counts(thurrock, robbery={"suspected": 1}, twoc={"convicted": 2}, shoplifting={"convicted": 5}),
    )
    assert b.facts["tag:psa-priority"] == 3
