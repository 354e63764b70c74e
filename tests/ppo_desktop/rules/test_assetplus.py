"""P&D on AssetPlus (issue 25, deliver 4): ASSET was replaced in 2015–17, so a profile reads the
Thurrock P&D rule across to the ratings the youth justice service records — never a number the app
invents — and profiles can be based on one another."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppo_desktop.domain import Strand
from ppo_desktop.rules import profiles
from ppo_desktop.rules.profiles import ProfileError
from ppo_desktop.scoring import score, shipped
from ppo_desktop.scoring.criteria import CriteriaError, parse
from ppo_desktop.services.pools import Pools
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.settings import Settings
from ppo_desktop.services.workspace import Workspace


def test_the_ratings_read_across_to_the_p_and_d_rule() -> None:
    pd = shipped().get("pd-assetplus-2017")

    def flags(likelihood: str | None, rosh: str | None) -> dict[str, bool | None]:
        return {f.key: f.met for f in score(pd, {"likelihood": likelihood, "rosh": rosh}).flags}

    assert flags("high", "low") == {"nominate": True, "deselect_prompt": False}
    assert flags("medium", "very_high") == {"nominate": True, "deselect_prompt": False}
    assert flags("medium", "high") == {"nominate": True, "deselect_prompt": False}
    assert flags("medium", "medium") == {"nominate": False, "deselect_prompt": True}
    assert flags("low", "low") == {"nominate": False, "deselect_prompt": True}
    assert flags(None, "low") == {"nominate": None, "deselect_prompt": None}  # not rated: not known
    # the points only order the ratings for ranking; safety and wellbeing is recorded, not scored
    assert score(pd, {"likelihood": "high", "rosh": "very_high", "safety": "very_high"}).total == 7


def test_one_of_is_a_list_of_values() -> None:
    ok = parse({"key": "k", "label": "K", "any_of": [{"fact": "f", "one_of": ["a", "b"]}]}, "t")
    assert ok.conditions[0].value == ("a", "b")
    for bad in ([], "a", [{"x": 1}]):
        with pytest.raises(CriteriaError, match="one_of: must be a list"):
            parse({"key": "k", "label": "K", "any_of": [{"fact": "f", "one_of": bad}]}, "t")


def test_a_profile_based_on_another_is_that_one_with_its_own_keys_over_it(tmp_path: Path) -> None:
    plus = profiles.get("thurrock-2009-assetplus")
    base = profiles.get("thurrock-2009")
    assert plus.matrices[Strand.PREVENT_DETER] == "pd-assetplus-2017"
    assert plus.matrices[Strand.CATCH_CONVICT] == base.matrices[Strand.CATCH_CONVICT]  # a table merged
    assert plus.capacity == base.capacity and plus.review_months == base.review_months  # inherited
    assert [t.matrix for t in plus.targets] == ["thurrock-2009-appendix2"]  # a list replaced whole
    assert "AssetPlus" in {r.code.value: r.label for r in plus.removal_reasons}["asset-fell"]
    (tmp_path / "a.toml").write_text('based_on = "b"\nid = "a"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('based_on = "a"\nid = "b"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="based_on"):
        profiles.load(tmp_path / "a.toml")  # round in a circle: refused, never a recursion error
    (tmp_path / "c.toml").write_text('based_on = "nowhere"\nid = "c"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="nowhere.toml: cannot be read"):
        profiles.load(tmp_path / "c.toml")


def test_a_pd_sheet_of_low_ratings_prompts_de_selection_in_its_own_words(ws: Workspace) -> None:
    from ppo_desktop.domain import Basis, Status
    from ppo_desktop.services.cases import Cases, NominalDraft
    from ppo_desktop.services.memberships import Memberships

    Settings(ws).set_profile("thurrock-2009-assetplus")
    person = Cases(ws).add_nominal(NominalDraft("Youngster", "Fictional")).record.id
    Memberships(ws).select(person, Strand.PREVENT_DETER, Basis.PRIORITY, Status.OFFENDING_CJS, on=ws.today(),
                           authority="Test panel")  # fmt: skip
    sheets = ScoreSheets(ws)
    sheet = sheets.start(person).record
    assert sheet.matrix_id == "pd-assetplus-2017"  # the profile's P&D matrix
    sheets.save_draft(sheet.id, {"likelihood": "medium", "rosh": "low"})
    sheets.finalise(sheet.id)
    reading = Pools(ws).asset_readings()[person]
    assert reading.below_threshold is True
    assert reading.said == "likelihood of reoffending: medium; risk of serious harm: low"


def test_a_sheet_on_another_matrix_is_not_the_previous_score(ws: Workspace) -> None:
    from ppo_desktop.domain import Basis, Status
    from ppo_desktop.services.cases import Cases, NominalDraft
    from ppo_desktop.services.memberships import Memberships

    person = Cases(ws).add_nominal(NominalDraft("Youngster", "Fictional")).record.id
    Memberships(ws).select(person, Strand.PREVENT_DETER, Basis.PRIORITY, Status.OFFENDING_CJS, on=ws.today(),
                           authority="Test panel")  # fmt: skip
    sheets = ScoreSheets(ws)
    asset = sheets.start(person).record
    sheets.save_draft(asset.id, {"asset": 30})
    sheets.finalise(asset.id)
    Settings(ws).set_profile("thurrock-2009-assetplus")
    plus = sheets.start(person).record
    assert plus.matrix_id == "pd-assetplus-2017" and sheets.previous_final(plus) is None  # was the ASSET 30
    sheets.save_draft(plus.id, {"likelihood": "high", "rosh": "low"})
    first = sheets.finalise(plus.id).record
    again = sheets.start(person).record
    previous = sheets.previous_final(again)
    assert previous is not None and previous.id == first.id  # the same matrix's last sheet
