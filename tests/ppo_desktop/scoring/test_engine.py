"""Engine rules on small definitions: every reading kind, caps, criteria, input validation, properties."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppo_desktop.scoring import InputError, score, shipped
from ppo_desktop.scoring.definition import Definition, load, parse

BASE: dict[str, Any] = {
    "id": "test",
    "version": "1",
    "title": "Test",
    "source": "tests",
    "status": "draft",
    "effective_from": "2020-01-01",
    "columns": [
        {"key": "c", "label": "Convicted", "weight": 1},
        {"key": "s", "label": "Suspected", "weight": 0.5},
    ],
}


def definition(reading: dict[str, Any] | None = None, **section: Any) -> Definition:
    rows = [
        {"key": "a", "label": "A", "points": 2, "group": "g", "marker": "X 3"},
        {"key": "b", "label": "B", "points": 3},
    ]
    sec = {
        "key": "off",
        "title": "Offences",
        "kind": "counts",
        "counts_as_offences": True,
        "groups": [{"key": "g", "label": "G"}],
        "rows": rows,
        **section,
    }
    reads = [reading or {"target": "a", "marker": "X 3", "kind": "information", "text": "info"}]
    return parse({**BASE, "sections": [sec], "readings": reads}, "test.toml")


def test_column_weights() -> None:
    b = score(definition(), {"off": {"b": {"c": 2, "s": 2}}})
    assert b.line("b").score == 3 * (2 + 2 * 0.5)


def test_multiplier_reading() -> None:
    d = definition({"target": "a", "marker": "X 3", "kind": "multiplier", "value": 3, "text": "times three"})
    assert score(d, {"off": {"a": {"c": 2}}}).line("a").score == 2 * 2 * 3


def test_cap_reading_takes_convictions_first() -> None:
    d = definition({"target": "a", "marker": "X 3", "kind": "cap", "value": 3, "text": "at most three"})
    line = score(d, {"off": {"a": {"c": 2, "s": 4}}}).line("a")
    assert line.score == 2 * (2 + 1 * 0.5)  # 2 convicted + 1 suspected counted


def test_series_threshold_on_a_group() -> None:
    d = parse(
        {
            **BASE,
            "sections": [
                {
                    "key": "off",
                    "title": "O",
                    "kind": "counts",
                    "groups": [{"key": "g", "label": "G", "marker": "X 3"}],
                    "rows": [{"key": "a", "label": "A", "points": 2, "group": "g"}],
                }
            ],
            "readings": [
                {"target": "g", "marker": "X 3", "kind": "series_threshold", "value": 3, "text": "series"}
            ],
        },
        "t.toml",
    )
    assert score(d, {"off": {"a": {"c": 2}}}).total == 0
    assert score(d, {"off": {"a": {"c": 3}}}).total == 6


def test_a_row_with_nothing_counted_reads_its_groups_series_on_each_sheet() -> None:
    """A blank row's line is made once and reused, unless a reading counts something: a group's
    series threshold reads the other rows of the group on each sheet."""
    group = {"key": "g", "label": "G", "marker": "X 3"}
    rows = [{"key": k, "label": k.upper(), "points": 2, "group": "g"} for k in ("a", "b")]
    d = parse(
        {
            **BASE,
            "sections": [{"key": "off", "title": "O", "kind": "counts", "groups": [group], "rows": rows}],
            "readings": [
                {"target": "g", "marker": "X 3", "kind": "series_threshold", "value": 3, "text": "series"}
            ],
        },
        "t.toml",
    )
    assert "threshold of 3 met" in score(d, {"off": {"b": {"c": 4}}}).line("a").rule
    assert "series needs 3+ offences, 1 recorded" in score(d, {"off": {"b": {"c": 1}}}).line("a").rule


def test_row_and_section_caps() -> None:
    d = definition(max_points=10)
    b = score(d, {"off": {"b": {"c": 5}}})
    assert b.subtotals["off"] == 10 and b.total == 10
    assert sum(ln.score for ln in b.lines) == 10  # the cap is a line of its own


def test_pd_asset_criteria() -> None:
    """000 §5.1 / §6.1: nominate above 21 or with RoSH; de-selection prompted *below* 21 without RoSH,
    so 21 itself neither nominates nor prompts."""
    pd = shipped().get("pd-asset-2008")
    assert pd.version == "1.1"  # v1.0 read "21 or below" and is kept only for sheets scored on it

    def flags(asset: float | None, rosh: bool) -> dict[str, bool | None]:
        return {f.key: f.met for f in score(pd, {"asset": asset, "risk": {"rosh": rosh}}).flags}

    assert flags(20, False) == {"nominate": False, "deselect_prompt": True}
    assert flags(21, False) == {"nominate": False, "deselect_prompt": False}
    assert flags(22, False) == {"nominate": True, "deselect_prompt": False}
    assert flags(5, True) == {"nominate": True, "deselect_prompt": False}
    assert flags(None, False) == {"nominate": None, "deselect_prompt": None}
    assert score(pd, {"asset": 30}).total == 30


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"nope": {}}, "'nope' is not a section"),
        ({"off": {"zz": {"c": 1}}}, "'zz' is not a row of 'Offences'"),
        ({"off": {"a": {"x": 1}}}, "'x' is not a column (c, s)"),
        ({"off": {"a": {"c": -1}}}, "inputs.off.a.c: count cannot be negative (-1)"),
        ({"off": {"a": {"c": 1.5}}}, "inputs.off.a.c: count must be a whole number"),
        ({"off": {"a": {"c": True}}}, "count must be a whole number"),
        ({"off": []}, "inputs.off: must be an object"),
    ],
)
def test_bad_inputs_named_precisely(inputs: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as err:
        score(definition(), inputs)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("section", "value", "message"),
    [
        ("intelligence", -1, "outside"),
        ("intelligence", "soon", "must be a number"),
        ("serial", 3, "is derived"),
        ("impact", "catastrophic", "not one of serious, moderate, slight"),
        ("lifestyle", {"drugs": "maybe"}, "must be one of yes, no, unknown"),
    ],
)
def test_bad_thurrock_inputs(section: str, value: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        score(shipped().get("thurrock-2009-appendix2", "1.0"), {section: value})


THURROCK = shipped().get("thurrock-2009-appendix2", "1.0")
ROWS = [(s.key, r.key) for s in THURROCK.sections if s.kind == "counts" for r in s.rows]
COLS = [c.key for c in THURROCK.columns]
counts = st.dictionaries(
    st.sampled_from(ROWS), st.fixed_dictionaries({c: st.integers(0, 30) for c in COLS}), max_size=8
)


def as_inputs(
    cells: dict[tuple[str, str], dict[str, int]], days: int | None, impact: str | None
) -> dict[str, Any]:
    inputs: dict[str, Any] = {"offences": {}, "victims": {}, "intelligence": days, "impact": impact}
    for (section, row), value in cells.items():
        inputs[section][row] = dict(value)
    return inputs


@settings(max_examples=150, deadline=None)
@given(
    counts,
    st.one_of(st.none(), st.integers(0, 400)),
    st.sampled_from([None, "serious", "moderate", "slight"]),
)
def test_total_is_sum_of_lines_and_deterministic(cells: Any, days: int | None, impact: str | None) -> None:
    inputs = as_inputs(cells, days, impact)
    first, second = score(THURROCK, inputs), score(THURROCK, inputs)
    assert first == second
    assert first.total == sum(ln.score for ln in first.lines)
    assert first.total == sum(first.subtotals.values())


@settings(max_examples=150, deadline=None)
@given(counts, st.sampled_from(ROWS), st.sampled_from(COLS))
def test_adding_an_offence_never_lowers_the_total(cells: Any, where: tuple[str, str], column: str) -> None:
    before = as_inputs(cells, 20, "moderate")
    after = as_inputs(cells, 20, "moderate")
    row = after[where[0]].setdefault(where[1], {})
    row[column] = row.get(column, 0) + 1
    assert score(THURROCK, after).total >= score(THURROCK, before).total


@settings(max_examples=100, deadline=None)
@given(counts, counts, st.sampled_from(["thurrock-2009-appendix2", "thurrock-2009-series"]))
def test_a_sheet_scores_the_same_whatever_was_scored_before_it(
    earlier: Any, cells: Any, matrix: str
) -> None:
    """The engine makes the line of a row with nothing counted once per definition and gives it to
    every sheet after: nothing of an earlier sheet may reach a later one (the series matrix's
    threshold reads each sheet's own counts)."""
    used = shipped().get(matrix, "1.0")
    score(used, as_inputs(earlier, 30, "serious"))
    fresh = load(Path(used.path))  # its own made-once lines, none made yet
    inputs = as_inputs(cells, None, "slight")
    assert score(used, inputs).to_json() == score(fresh, inputs).to_json()
