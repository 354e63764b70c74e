"""IOM's Fixed, Flex and Free cohorts as a scheme profile: the profile's numbers and rules as data
(each with its source), entry rules and the licence's final third worked by hand at their edges, and
a panel run under it through the services — offences recorded, the pool ranked by the IOM score,
a selection at a meeting, the agenda and the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from ppo_desktop.domain import Basis, DecisionKind, Sentence, Strand
from ppo_desktop.rules import profiles
from ppo_desktop.rules.profiles import EntryRule, ProfileError
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.offences import Offences
from ppo_desktop.services.performance import Performance
from ppo_desktop.services.pools import Pools
from ppo_desktop.services.settings import Settings
from ppo_desktop.services.workspace import ServiceError, Workspace
from tests.ppo_desktop.rules.test_lifecycle import Panel

IOM = "iom-2025"
DAY = dt.date(2026, 6, 1)


def test_the_iom_profile_runs_fixed_flex_and_free_each_rule_with_its_source() -> None:
    p = profiles.get(IOM)
    assert p.strands == (Strand.FIXED, Strand.FLEX, Strand.FREE)
    assert p.matrices == {}  # ranked by the IOM score, not on a matrix
    assert set(p.review_months) == set(p.strands) and set(p.entry_rules) == set(p.strands)
    assert all(c.source for c in p.capacity.values()) and all(r.source for r in p.entry_rules.values())
    neighbourhood = ("burglary", "robbery", "theft-from-person", "vehicle-crime")
    assert p.entry_rules[Strand.FIXED].categories == neighbourhood
    text = "\n".join(p.rules_text())
    assert "Fixed cohort: a counted neighbourhood crime" in text
    assert "(Neighbourhood Crime IOM Strategy (2020): the Fixed cohort)" in text
    assert "A licence's final third → exit review" in text
    assert "P&D within" not in text  # no P&D here: its near-18 rule is not this scheme's


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ('[review_months]\nFixed = 3\nFlex = 3\nFree = 3\n"C&C" = 6\n', "is not a strand this scheme runs"),
        ("[review_months]\nFixed = 3\nFlex = 3\n", "needs a cadence for each of Fixed, Flex, Free"),
        ('[review_months]\nFixed = 3\nFlex = 3\nFree = 3\n[[entry_rules]]\nstrand = "R&R"\ntext = "t"\n'
         'source = "s"\n', "must name strands the scheme runs"),
    ],
)  # fmt: skip
def test_a_profile_naming_a_list_it_does_not_run_is_refused(tmp_path: Path, table: str, said: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'id = "bad"\nname = "Bad"\nsource = "test"\nstrands = ["Fixed", "Flex", "Free"]\n'
        f'tie_break = "ref"\n[sources]\nreview_months = "local choice"\ntie_break = "local choice"\n{table}',
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match=said):
        profiles.load(path)


def test_entry_rules_by_hand_at_their_edges() -> None:
    fixed = EntryRule(Strand.FIXED, "neighbourhood crime", "test", ("burglary", "robbery"))
    free = EntryRule(Strand.FREE, "any offence, score 50+", "test", (), 50)
    burglary, violence = ("burglary", "2026-05-01"), ("violence", "2026-05-02")
    assert fixed.read((burglary, violence), 10) == (True, "1 counted offence(s) of burglary")
    assert fixed.read((violence,), 90) == (False, "no counted offence of burglary, robbery")
    assert free.read((violence,), 49) == (False, "1 counted offence(s) of violence; score 49 (needs 50)")
    assert free.read((violence,), 50) == (True, "1 counted offence(s) of violence; score 50 (needs 50)")
    assert free.read((), 80)[0] is False  # a score with no counted offence: nothing to enter on


def test_the_licences_final_third_by_hand() -> None:
    # 24 months from 1 Jan 2026 ends 1 Jan 2028; released at half-way, 1 Jan 2027: a licence of 365
    # days, whose final third begins 243 days in (365 × 2 // 3), on 1 Sep 2027.
    sentence = Sentence(1, 1, dt.date(2026, 1, 1), length_months=24, release_on=dt.date(2027, 1, 1))
    assert sentence.ends == dt.date(2028, 1, 1)
    assert sentence.licence_final_third == dt.date(2027, 9, 1)
    assert Sentence(1, 1, dt.date(2026, 1, 1), length_months=24).licence_final_third is None  # no release
    at_the_end = Sentence(1, 1, dt.date(2026, 1, 1), length_months=6, release_on=dt.date(2026, 7, 1))
    assert at_the_end.licence_final_third is None  # served in full: no licence


class IomPanel(Panel):
    """A new store run under the IOM profile, with offences recorded as the police extract gives them."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.on(DAY)
        Settings(self.ws).set_profile(IOM)
        self.offences, self.pools = Offences(self.ws), Pools(self.ws)

    def offend(self, nid: int, *found: tuple[str, str]) -> None:
        for category, on in found:
            self.offences.record(nid, on=dt.date.fromisoformat(on), category=category, outcome="convicted")


@pytest.fixture
def iom(tmp_path: Path) -> Iterator[IomPanel]:
    p = IomPanel(tmp_path)
    yield p
    p.ws.close()


def test_the_fixed_pool_is_ranked_by_the_iom_score_and_only_those_who_meet_its_rule_are_within(
    iom: IomPanel,
) -> None:
    burglar, violent, nominated = iom.person("Burglar"), iom.person("Violent"), iom.person("Nominated")
    iom.offend(burglar, ("burglary", "2026-05-20"), ("burglary", "2026-04-01"))
    iom.offend(violent, ("violence", "2026-05-25"), ("violence", "2026-05-01"), ("violence", "2026-03-01"))
    Nominations(iom.ws).nominate(
        nominated, agency="Police", nominator="DS Fictional", strand=Strand.FIXED, basis=Basis.PRIORITY,
        reason="Test nomination", on=DAY,
    )  # fmt: skip
    fixed = {r.entry.name.split(",")[0]: r for r in iom.pools.pool(Strand.FIXED).rows}
    assert set(fixed) == {"BURGLAR", "NOMINATED"}  # the violent man meets Flex's rule, not Fixed's
    assert fixed["BURGLAR"].above_line and fixed["BURGLAR"].entry.eligible
    assert fixed["BURGLAR"].entry.total == iom.offences.score(burglar, DAY).total > 0
    assert fixed["BURGLAR"].entry.why == "meets the entry rule: 2 counted offence(s) of burglary"
    assert not fixed["NOMINATED"].entry.eligible and not fixed["NOMINATED"].above_line  # no offence on file
    flex = [r.entry.name for r in iom.pools.pool(Strand.FLEX).rows]
    assert flex == ["VIOLENT, Fictional"]


def test_a_panel_under_iom_selects_onto_fixed_reviews_the_licence_and_reports_the_cohorts(
    iom: IomPanel,
) -> None:
    nid = iom.person("Licensee")
    iom.offend(nid, ("robbery", "2026-05-01"))
    iom.decide(nid, DAY, DecisionKind.SELECT, strand=Strand.FIXED, basis=Basis.PROLIFIC)
    assert iom.memberships.current_membership(nid).strand is Strand.FIXED  # type: ignore[union-attr]
    iom.on(dt.date(2026, 6, 2))
    iom.custody.record_sentence(
        nid, starts_on=dt.date(2026, 6, 2), months=12, release_on=dt.date(2026, 12, 2)
    )  # a licence of 182 days from 2 Dec 2026: its final third from 2 Apr 2027 (121 days in)
    third = dt.date(2027, 4, 2)
    assert "licence" not in iom.proposed(third - dt.timedelta(days=1)).get(nid, [])
    assert "licence" in iom.proposed(third).get(nid, [])
    assert "its final third began 02 Apr 2027" in iom.reasons(third, nid)
    iom.decide(nid, third, DecisionKind.RETAIN)  # the exit review held: settled
    assert "licence" not in iom.proposed(third + dt.timedelta(days=7)).get(nid, [])
    report = Performance(iom.ws).report()
    sizes = report.table("capacity")
    cohorts = dict(zip(sizes.column("Strand"), sizes.column("Cohort"), strict=True))
    fixed, flex, free = (s.long_name for s in (Strand.FIXED, Strand.FLEX, Strand.FREE))
    assert list(cohorts)[:3] == [fixed, flex, free] and cohorts[fixed] == 1
    mix = report.table("cohort-mix")
    assert mix.columns == ("Quarter ending", fixed, flex, free, "All")
    assert mix.rows[-1][1:] == (1, 0, 0, 1)  # the free / flex / fixed mix, quarter by quarter
    assert mix.rows[0][1:] == (0, 0, 0, 0)  # before the selection


def test_a_list_the_scheme_does_not_run_is_refused(iom: IomPanel) -> None:
    nid = iom.person("Strander")
    with pytest.raises(ServiceError, match="C&C is not a list this scheme runs"):
        iom.select(nid, Strand.CATCH_CONVICT, DAY)


def test_a_cohort_scored_on_no_matrix_says_so_when_a_sheet_is_asked_for(iom: IomPanel) -> None:
    from ppo_desktop.services.documents import Documents
    from ppo_desktop.services.score_sheets import ScoreSheets

    nid = iom.person("Unscored")
    iom.select(nid, Strand.FIXED, DAY)
    with pytest.raises(ServiceError, match="Fixed has no scoring matrix in this scheme: .* IOM score"):
        ScoreSheets(iom.ws).start(nid)
    with pytest.raises(ServiceError, match="nobody with a scoring sheet"):
        Documents(iom.ws).scoring_sheets([nid])


def test_the_rules_are_not_changed_under_people_on_lists_the_new_ones_do_not_run(demo: Workspace) -> None:
    with pytest.raises(ServiceError, match="still holds .* for C&C") as refused:
        Settings(demo).set_profile(IOM)
    assert "de-select the people" in str(refused.value)
    assert demo.profile().id != IOM


def test_a_nomination_file_names_the_schemes_own_lists(iom: IomPanel, tmp_path: Path) -> None:
    from ppo_desktop.imports.nominations import NominationImport

    extract = tmp_path / "nominations.csv"
    extract.write_text(
        "Surname,Forename,Agency,Strand,Reason\n"
        "FIXEDWELL,Fictional,Police,Fixed,Neighbourhood crime\n"
        "OLDSTRAND,Fictional,Police,C&C,A PPO strand\n",
        encoding="utf-8",
    )
    plan = NominationImport(iom.ws).plan(extract)
    assert [r.fate for r in plan.rows] == ["new", "rejected"]
    assert "'C&C' is not one of the lists (Fixed, Flex, Free)" in plan.rows[1].message


def test_the_chair_reads_the_iom_score_and_the_cohorts_entry_rule(iom: IomPanel) -> None:
    from ppo_desktop.summary import summary_lines

    nid = iom.person("Summarised")
    iom.offend(nid, ("violence", "2026-05-20"))
    iom.select(nid, Strand.FIXED, DAY)
    item = iom.meetings.add_item(iom.meetings.plan("Panel", DAY).record.id, "Item", nominal_id=nid).record
    score = iom.offences.score(nid, DAY)
    lines = summary_lines(item, iom.cases.case_file(nid), DAY, iom.ws.profile(), None, score)
    assert f"IOM score as at 01 Jun 2026: {score.total} ({score.band})" in lines
    assert "Fixed entry rule NOT met: no counted offence of burglary, robbery, theft-from-person, " \
        "vehicle-crime" in lines  # on Fixed for violence: the chair sees it does not fit
    assert any(line.startswith("  Gravity") for line in lines)


def test_an_extract_imported_under_iom_ranks_the_fixed_pool(iom: IomPanel, tmp_path: Path) -> None:
    """The IOM path from the police's file: offences imported (dry run, then all of them), the Fixed
    pool ranked by the score they give, the person selected, the board report's lists."""
    from ppo_desktop.imports.offence_history import OffenceImport
    from ppo_desktop.services.cases import Cases, NominalDraft
    from ppo_desktop.services.imports import Imports

    nid = Cases(iom.ws).add_nominal(NominalDraft("Extracted", "Fictional", pnc_id="99/123456A")).record.id
    extract = tmp_path / "extract.csv"
    extract.write_text(
        "PNC,Offence date,Offence type,Outcome,Victims,HO code\n"
        "99/123456A,20/05/2026,Burglary,Guilty,1,28/1\n"
        "99/123456A,01/04/2026,Robbery,Charged,2,\n",
        encoding="utf-8",
    )
    plan = OffenceImport(iom.ws).plan(extract)
    assert plan.summary() == "2 offences: 2 new for 1 people, 0 already on file, 0 rejected"
    Imports(iom.ws).commit(plan, justification="Monthly police extract")
    (ranked,) = iom.pools.pool(Strand.FIXED).rows
    assert ranked.entry.nominal_id == nid and ranked.above_line
    assert ranked.entry.total == iom.offences.score(nid, DAY).total > 0
    iom.decide(nid, DAY, DecisionKind.SELECT, strand=Strand.FIXED, basis=Basis.PRIORITY)
    sizes = Performance(iom.ws).report().table("capacity")
    assert dict(zip(sizes.column("Strand"), sizes.column("Cohort"), strict=True))[Strand.FIXED.long_name] == 1


def test_the_schemes_own_words_for_a_removal_reason_are_the_ones_printed(iom: IomPanel) -> None:
    from ppo_desktop.services.documents import Documents

    labels = Documents(iom.ws).reason_labels()
    assert labels["iom-cohort"] == "Moved to a less intensive cohort or to universal services"  # its own
    assert labels["amber-list"].startswith("Amber list")  # the app's own, where the profile has none
