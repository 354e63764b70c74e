"""Loading definitions: bad files name the file, the field and the problem; hashes pin content."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from ppo_desktop import paths
from ppo_desktop.scoring import Catalogue, DefinitionError, shipped
from ppo_desktop.scoring.definition import load, parse

SOURCE = paths.resource("matrices", "thurrock-2009-appendix2.toml")
RAW: dict[str, Any] = tomllib.loads(SOURCE.read_text(encoding="utf-8"))

# Pinned content hashes of the ACTIVE shipped definitions. If this test fails you edited an active
# definition in place: revert, and ship the change as a new version instead.
PINNED = {
    ("thurrock-2009-appendix2", "1.0"): "f6ce1478e8c6",
    ("pd-asset-2008", "1.0"): "cf16855fb05f",
    ("pd-asset-2008", "1.1"): "8ae9d8ec07cc",
    ("staffordshire-2005-pd", "1.0"): "0aab85e93c2b",
    ("pd-assetplus-2017", "1.0"): "0e121166d960",
}


def test_active_definitions_are_unchanged() -> None:
    active = {(d.id, d.version): d.hash[:12] for d in shipped().all() if d.status == "active"}
    assert active == PINNED


def test_hash_ignores_layout_but_not_content(tmp_path: Path) -> None:
    spaced = tmp_path / "spaced.toml"
    spaced.write_text("\n\n# a comment\n" + SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    assert load(spaced).hash == load(SOURCE).hash
    changed = copy.deepcopy(RAW)
    changed["sections"][0]["rows"][0]["points"] = 6
    assert parse(changed, "x.toml").hash != load(SOURCE).hash


def broken(mutate: Any) -> dict[str, Any]:
    raw = copy.deepcopy(RAW)
    mutate(raw)
    return raw


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.pop("id"), "thurrock.toml: id: is missing"),
        (lambda r: r.update(status="live"), "status: 'live' is not one of draft, active, retired"),
        (lambda r: r.update(effective_from="soon"), "effective_from: must be a date"),
        (
            lambda r: r["sections"][0]["rows"][1].update(points="four"),
            "sections[0]: rows[1]: points: must be a number, not 'four'",
        ),
        (
            lambda r: r["sections"][0]["rows"][1].update(group="burglarly"),
            "rows[1]: group: names an unknown group",
        ),
        (lambda r: r["sections"][2]["bands"][1].update(min=20), "bands 'Intelligence up to 4 weeks' and"),
        (lambda r: r["readings"].pop(1), "marker 'X 6' on 'burglary_dwelling_series' has no reading"),
        (
            lambda r: r["readings"][1].update(kind="multiplier"),
            "readings[1]: value: a 'multiplier' reading needs",
        ),
        (lambda r: r["readings"][1].update(target="nowhere"), "readings[1]: target: names no row or group"),
        (lambda r: r["sections"][1]["rows"][0].update(key="robbery"), "'robbery' is used twice"),
        (lambda r: r["sections"][3].update(derived="moon_phase"), "derived: must be one of offence_count"),
        (lambda r: r.update(columns=[]), "at least one evidence column"),
    ],
)
def test_malformed_definitions(mutate: Any, message: str) -> None:
    with pytest.raises(DefinitionError) as err:
        parse(broken(mutate), "thurrock.toml")
    assert message in str(err.value)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text("id = \n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="mine.toml: is not valid TOML"):
        load(bad)


def test_catalogue_picks_the_active_version_in_force(tmp_path: Path) -> None:
    import datetime as dt

    v1 = parse(RAW, "a.toml")
    v2 = parse({**RAW, "version": "2.0", "effective_from": dt.date(2030, 1, 1)}, "b.toml")
    catalogue = Catalogue([v1, v2])
    assert catalogue.get(RAW["id"], on=dt.date(2026, 1, 1)).version == "1.0"
    assert catalogue.get(RAW["id"], on=dt.date(2031, 1, 1)).version == "2.0"
    with pytest.raises(DefinitionError, match="defined twice"):
        Catalogue([v1, v1])
    with pytest.raises(DefinitionError, match="No active matrix definition"):
        catalogue.get(RAW["id"], on=dt.date(2000, 1, 1))
