"""A person's time on the scheme, through the services as a panel reaches them: select, move strand,
defer, decide, undo, close a meeting, propose the next agenda. Each rule at its edges: the day
before, the day, the day after."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.device import DeviceSecrets
from ppo_desktop.domain import Basis, DecisionKind, RemovalReason, Status, Strand
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.custody import Custody
from ppo_desktop.services.decisions import Decisions
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.pools import Pools
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.session import create_store
from ppo_desktop.services.settings import Settings
from ppo_desktop.services.workspace import ServiceError, Workspace
from tests.conftest import CHEAP

START = dt.date(2024, 1, 10)
RR_MOVE = ("Working",)


class Panel:
    """A store with a clock the test moves, and the panel's services."""

    def __init__(self, folder: Path) -> None:
        self.now = [dt.datetime(2024, 1, 1, 9, 0, tzinfo=dt.UTC)]
        self.ws, _ = create_store(
            folder / "panel",
            user_id="admin",
            display_name="Test Admin",
            passphrase="admin passphrase 1",
            partnership="Testshire CSP (TEST)",
            device=DeviceSecrets(None, "no keyring (test)"),
            cost=CHEAP,
            clock=lambda: self.now[0],
        )
        self.cases, self.meetings, self.decisions = Cases(self.ws), Meetings(self.ws), Decisions(self.ws)
        self.memberships, self.custody = Memberships(self.ws), Custody(self.ws)

    def on(self, day: dt.date) -> None:
        self.now[0] = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)

    def person(self, name: str, dob: dt.date = dt.date(1990, 1, 1)) -> int:
        return self.cases.add_nominal(NominalDraft(name, "Fictional", dob=dob)).record.id

    def select(self, nid: int, strand: Strand, day: dt.date) -> None:
        self.on(day)
        self.memberships.select(nid, strand, Basis.PROLIFIC, Status.OFFENDING_CJS, on=day)

    def decide(self, nid: int, day: dt.date, kind: DecisionKind, *, close: bool = True, **kw: object) -> int:
        """Hold a meeting on ``day`` and take one decision about ``nid``; returns the decision id."""
        self.on(day)
        meeting = self.meetings.plan("Panel", day).record
        self.meetings.start(meeting.id)
        item = self.meetings.add_item(meeting.id, "Item", nominal_id=nid).record
        decision = self.decisions.decide(item.id, kind, **kw).record  # type: ignore[arg-type]
        if close:
            self.meetings.close(meeting.id)
        return decision.id

    def proposed(self, day: dt.date) -> dict[int, list[str]]:
        """What the rules put on the agenda of a meeting held on ``day``."""
        self.on(day)
        meeting = self.meetings.plan("Panel", day).record
        return {p.nominal_id: p.kinds for p in self.meetings.proposals(meeting.id)}

    def reasons(self, day: dt.date, nid: int) -> str:
        self.on(day)
        meeting = self.meetings.plan("Panel", day).record
        return " ".join(next(p.reasons for p in self.meetings.proposals(meeting.id) if p.nominal_id == nid))


@pytest.fixture
def panel(tmp_path: Path) -> Iterator[Panel]:
    p = Panel(tmp_path)
    yield p
    p.ws.close()


def kinds(panel: Panel, nid: int, day: dt.date) -> list[str]:
    return panel.proposed(day).get(nid, [])


# -- time on the scheme ------------------------------------------------------------------------
def test_two_year_review_counts_from_the_period_not_the_strand(panel: Panel) -> None:
    nid = panel.person("Mover")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    panel.decide(
        nid,
        START + relativedelta(years=1),
        DecisionKind.MOVE_STRAND,
        strand=Strand.REHABILITATE_RESETTLE,
        move_criteria=RR_MOVE,
    )
    due = START + relativedelta(years=2)
    assert "two-year" not in kinds(panel, nid, due - dt.timedelta(days=1))
    assert "two-year" in kinds(panel, nid, due)
    assert "two-year" in kinds(panel, nid, due + dt.timedelta(days=1))
    assert f"since {START:%d %b %Y} (any strand)" in panel.reasons(due, nid)


def test_a_deferral_or_an_undone_decision_settles_nothing(panel: Panel) -> None:
    nid = panel.person("Deferred")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    due = START + relativedelta(years=2)
    panel.decide(nid, due, DecisionKind.DEFER)
    assert "two-year" in kinds(panel, nid, due + relativedelta(months=1))
    assert "Settled by: retain" in panel.reasons(due + relativedelta(months=1), nid)
    undone = panel.decide(nid, due + relativedelta(months=1), DecisionKind.RETAIN, close=False)
    panel.decisions.undo(undone)
    assert "two-year" in kinds(panel, nid, due + relativedelta(months=2))
    panel.decide(nid, due + relativedelta(months=2), DecisionKind.RETAIN)
    assert "two-year" not in kinds(panel, nid, due + relativedelta(months=3))


def test_a_review_before_the_two_years_does_not_settle_the_two_year_review(panel: Panel) -> None:
    nid = panel.person("Early")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    due = START + relativedelta(years=2)
    panel.decide(nid, due - dt.timedelta(days=1), DecisionKind.RETAIN)
    assert "two-year" in kinds(panel, nid, due)


def test_no_activity_counts_from_the_persons_latest_activity_across_a_strand_move(panel: Panel) -> None:
    nid = panel.person("Quiet")
    panel.select(nid, Strand.CATCH_CONVICT, dt.date(2025, 1, 1))
    panel.on(dt.date(2025, 3, 1))
    panel.memberships.record_activity(nid, intelligence_on=dt.date(2025, 3, 1))
    panel.decide(
        nid,
        dt.date(2025, 6, 1),
        DecisionKind.MOVE_STRAND,
        strand=Strand.REHABILITATE_RESETTLE,
        move_criteria=RR_MOVE,
    )
    assert "no-activity" not in kinds(panel, nid, dt.date(2025, 8, 31))
    assert "no-activity" in kinds(panel, nid, dt.date(2025, 9, 1))
    assert "no-activity" in kinds(panel, nid, dt.date(2025, 9, 2))
    panel.decide(nid, dt.date(2025, 9, 1), DecisionKind.DEFER)
    assert "no-activity" in kinds(panel, nid, dt.date(2025, 10, 1))
    panel.decide(nid, dt.date(2025, 10, 1), DecisionKind.RETAIN, note="continued drug misuse")
    assert "no-activity" not in kinds(panel, nid, dt.date(2026, 3, 31))  # settled for six months more
    assert "no-activity" in kinds(panel, nid, dt.date(2026, 4, 1))


def test_activity_is_a_fact_about_the_person(panel: Panel) -> None:
    nid = panel.person("Active")
    panel.on(dt.date(2025, 5, 1))
    panel.memberships.record_activity(nid, arrest_on=dt.date(2025, 4, 1))
    with pytest.raises(ServiceError, match="future"):
        panel.memberships.record_activity(nid, intelligence_on=dt.date(2025, 5, 2))
    assert panel.cases.history(nid).last_arrest_on == dt.date(2025, 4, 1)  # recorded before any strand


def test_deselection_ends_the_period_and_a_reselection_starts_one(panel: Panel) -> None:
    nid = panel.person("Returner")
    other = panel.person("Later")
    for who in (nid, other):
        panel.select(who, Strand.CATCH_CONVICT, START)
        panel.decide(
            who,
            dt.date(2025, 1, 10),
            DecisionKind.DESELECT,
            reason_code=RemovalReason.MOVED_AWAY.value,
            authority="DI Chair",
        )
    panel.select(nid, Strand.CATCH_CONVICT, dt.date(2026, 1, 9))  # 364 days after leaving
    panel.select(other, Strand.CATCH_CONVICT, dt.date(2026, 1, 10))  # a year to the day: no flag
    back, later = panel.cases.history(nid), panel.cases.history(other)
    assert back.period is not None and back.period.started_on == dt.date(2026, 1, 9)
    assert back.reselection is not None and back.reselection.ended_on == dt.date(2025, 1, 10)
    assert back.soon_reselected and not later.soon_reselected
    due = dt.date(2028, 1, 9)
    assert "two-year" not in kinds(panel, nid, due - dt.timedelta(days=1))
    assert "two-year" in kinds(panel, nid, due)


def test_pd_to_cc_escalation_keeps_the_period(panel: Panel) -> None:
    nid = panel.person("Escalator", dob=dt.date(2008, 6, 1))
    panel.select(nid, Strand.PREVENT_DETER, START)
    panel.decide(nid, dt.date(2025, 3, 1), DecisionKind.MOVE_STRAND, strand=Strand.CATCH_CONVICT)
    h = panel.cases.history(nid)
    assert h.period is not None and h.period.started_on == START and len(h.periods) == 1


# -- custody --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("months", "days", "expected"),
    [
        (24, 0, None),  # exactly 2 years is not over 2 years
        (24, 1, "amber list is proposed"),
        (120, 0, "amber list is proposed"),
        (120, 1, "removal in full is proposed"),
    ],
)
def test_custody_thresholds_propose_amber_list_or_removal(
    panel: Panel, months: int, days: int, expected: str | None
) -> None:
    nid = panel.person("Sentenced")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    panel.on(dt.date(2025, 2, 1))
    panel.custody.record_sentence(
        nid,
        starts_on=dt.date(2025, 2, 1),
        months=months,
        days=days,
        release_on=dt.date(2025, 2, 1) + relativedelta(months=months // 2 + 1),
    )
    assert panel.memberships.current_membership(nid).status is Status.CUSTODY  # type: ignore[union-attr]
    found = kinds(panel, nid, dt.date(2025, 3, 1))
    if expected is None:
        assert "custody" not in found
    else:
        assert "custody" in found and expected in panel.reasons(dt.date(2025, 3, 1), nid)
        panel.decide(
            nid, dt.date(2025, 3, 1), DecisionKind.AMBER, release_on=dt.date(2030, 1, 1), authority="DI"
        )
        assert "custody" not in kinds(panel, nid, dt.date(2025, 4, 1))  # the panel decided


@pytest.mark.parametrize(("months", "days", "short"), [(11, 30, True), (12, 0, False), (30, 0, False)])
def test_short_sentence_reads_the_sentence_length(panel: Panel, months: int, days: int, short: bool) -> None:
    """The priority is for people not selected (002 §4.4-4.5): a candidate, or a former PPO."""
    candidate, former, selected = panel.person("Candidate"), panel.person("Former"), panel.person("Selected")
    for nid in (former, selected):
        panel.select(nid, Strand.CATCH_CONVICT, START)
    panel.decide(former, dt.date(2024, 6, 1), DecisionKind.DESELECT, reason_code="moved-away", authority="DI")
    release = dt.date(2025, 6, 1)
    panel.on(release - dt.timedelta(days=60))  # two months served whatever the length
    for nid in (candidate, former, selected):
        panel.custody.record_sentence(
            nid, starts_on=release - dt.timedelta(days=60), months=months, days=days, release_on=release
        )
    assert ("short-sentence" in kinds(panel, candidate, release)) is short
    assert ("short-sentence" in kinds(panel, former, release)) is short
    assert "short-sentence" not in kinds(panel, selected, release)  # on the scheme: reviewed as such


def test_amber_list_stays_on_the_agenda_as_overdue_until_decided(panel: Panel) -> None:
    nid = panel.person("Amber")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    release = dt.date(2026, 6, 1)
    panel.decide(nid, dt.date(2024, 6, 1), DecisionKind.AMBER, release_on=release, authority="DI Chair")
    reconsider = dt.date(2026, 3, 1)
    assert "amber-release" not in kinds(panel, nid, reconsider - dt.timedelta(days=1))
    assert "amber-release" in kinds(panel, nid, reconsider)
    assert "OVERDUE" not in panel.reasons(release, nid)
    assert "OVERDUE" in panel.reasons(release + dt.timedelta(days=1), nid)
    panel.decide(nid, dt.date(2026, 7, 1), DecisionKind.DEFER)
    assert "amber-release" in kinds(panel, nid, dt.date(2026, 8, 1))
    with pytest.raises(ServiceError, match="amber list: the reconsideration re-selects"):
        panel.decide(nid, dt.date(2026, 8, 1), DecisionKind.RETAIN)
    panel.decide(nid, dt.date(2026, 8, 2), DecisionKind.SELECT, strand=Strand.REHABILITATE_RESETTLE,
                 basis=Basis.PROLIFIC, status=Status.OFFENDING_CJS)  # fmt: skip
    assert "amber-release" not in kinds(panel, nid, dt.date(2026, 9, 1))
    state = panel.cases.history(nid)
    assert state.lead is Strand.REHABILITATE_RESETTLE and state.amber is None
    assert state.period is not None and state.period.started_on == dt.date(2026, 8, 2)  # a new period


def test_sentences_are_validated(panel: Panel) -> None:
    nid = panel.person("Checked")
    panel.on(dt.date(2025, 1, 1))
    with pytest.raises(ServiceError, match="length"):
        panel.custody.record_sentence(nid, starts_on=dt.date(2025, 1, 1), months=0)
    with pytest.raises(ServiceError, match="after the sentence starts"):
        panel.custody.record_sentence(
            nid, starts_on=dt.date(2025, 1, 1), months=6, release_on=dt.date(2024, 12, 1)
        )
    with pytest.raises(ServiceError, match="future"):
        panel.custody.record_sentence(nid, starts_on=dt.date(2025, 1, 2), months=6)


# -- Prevent & Deter --------------------------------------------------------------------------------
def asset_sheet(ws: Workspace, nid: int, asset: int, rosh: bool = False) -> None:
    sheets = ScoreSheets(ws)
    defn = sheets.catalogue.get("pd-asset-2008", on=ws.today())
    sheet = sheets.start(nid, defn).record
    sheets.save_draft(sheet.id, {**sheet.inputs, "asset": asset, "risk": {"rosh": rosh}})
    sheets.finalise(sheet.id)


def nominate(ws: Workspace, nid: int, strand: Strand, day: dt.date) -> None:
    Nominations(ws).nominate(
        nid,
        agency="YOS",
        nominator="YOS officer",
        strand=strand,
        basis=Basis.PROLIFIC,
        reason="fictional",
        on=day,
    )


def test_pd_pool_takes_only_the_eligible_and_shows_a_shortfall(panel: Panel) -> None:
    panel.on(dt.date(2025, 1, 1))
    people = {}
    for name, asset, rosh in (
        ("Above", 22, False),
        ("Level", 21, False),
        ("Harm", 5, True),
        ("Low", 30, False),
    ):
        people[name] = nid = panel.person(name, dob=dt.date(2010, 1, 1))
        nominate(panel.ws, nid, Strand.PREVENT_DETER, dt.date(2024, 12, 1))
        asset_sheet(panel.ws, nid, asset, rosh)
    pool = Pools(panel.ws).pool(Strand.PREVENT_DETER)
    within = {r.entry.name.split(",")[0] for r in pool.rows if r.above_line}
    assert within == {"ABOVE", "HARM", "LOW"}  # 21 is not above 21
    level = next(r for r in pool.rows if r.entry.nominal_id == people["Level"])
    assert not level.entry.eligible and "ASSET score 21 (needs > 21)" in level.entry.why
    assert pool.eligible == 3 and pool.minimum == 12 and pool.shortfall == 9


def test_pd_pool_holds_at_most_twenty_highest_first(panel: Panel) -> None:
    panel.on(dt.date(2025, 1, 1))
    for i in range(22):
        nid = panel.person(f"Young{chr(65 + i)}", dob=dt.date(2010, 1, 1))
        nominate(panel.ws, nid, Strand.PREVENT_DETER, dt.date(2024, 12, 1))
        asset_sheet(panel.ws, nid, 22 + i)
    pool = Pools(panel.ws).pool(Strand.PREVENT_DETER)
    assert [r.entry.total for r in pool.rows if r.above_line] == [float(t) for t in range(43, 23, -1)]
    assert pool.shortfall == 0


def test_an_asset_sheet_never_ranks_someone_in_the_cc_pool(panel: Panel) -> None:
    panel.on(dt.date(2025, 1, 1))
    nid = panel.person("Crossover", dob=dt.date(2007, 1, 1))
    asset_sheet(panel.ws, nid, 40)
    nominate(panel.ws, nid, Strand.CATCH_CONVICT, dt.date(2024, 12, 1))
    entry = next(
        r.entry for r in Pools(panel.ws).pool(Strand.CATCH_CONVICT).rows if r.entry.nominal_id == nid
    )
    assert entry.total is None


@pytest.mark.parametrize(("asset", "prompted"), [(20, True), (21, False)])
def test_pd_deselection_prompt_is_asset_below_21(panel: Panel, asset: int, prompted: bool) -> None:
    nid = panel.person("Falling", dob=dt.date(2010, 1, 1))
    panel.select(nid, Strand.PREVENT_DETER, dt.date(2024, 12, 1))
    panel.on(dt.date(2025, 1, 1))
    asset_sheet(panel.ws, nid, asset)
    assert ("asset-fell" in kinds(panel, nid, dt.date(2025, 1, 5))) is prompted


def test_near_18_escalating_is_proposed_for_transfer(panel: Panel) -> None:
    turns_18 = dt.date(2025, 6, 1)
    nid = panel.person("Nearly", dob=turns_18 - relativedelta(years=18))
    steady = panel.person("Steady", dob=turns_18 - relativedelta(years=18))
    for who in (nid, steady):
        panel.select(who, Strand.PREVENT_DETER, dt.date(2024, 6, 1))
    panel.on(dt.date(2024, 9, 1))
    asset_sheet(panel.ws, nid, 25)
    asset_sheet(panel.ws, steady, 30)
    panel.on(dt.date(2024, 11, 30))
    asset_sheet(panel.ws, nid, 31)
    asset_sheet(panel.ws, steady, 28)
    assert "transfer" not in kinds(panel, nid, dt.date(2024, 11, 30))  # six months and a day before 18
    assert "transfer" in kinds(panel, nid, dt.date(2024, 12, 1))
    assert "transfer" not in kinds(panel, steady, dt.date(2024, 12, 1))  # not escalating
    assert "transfer" in kinds(panel, steady, turns_18)  # now 18: P&D is for under-18s


# -- matrix inputs, criteria, move checklist, profiles ---------------------------------------------------
def test_a_value_between_bands_is_refused_not_scored_zero(panel: Panel) -> None:
    nid = panel.person("Banded")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    sheets = ScoreSheets(panel.ws)
    sheet = sheets.start(nid).record
    with pytest.raises(ServiceError, match=r"28\.5 days .* between the bands .*\(0–28\).*\(29–56\)"):
        sheets.save_draft(sheet.id, {**sheet.inputs, "intelligence": 28.5})
    for days, points in ((28, 5), (29, 3)):
        saved = sheets.save_draft(sheet.id, {**sheet.inputs, "intelligence": days}).record
        assert saved.line_scores()["intelligence"] == points


def test_inclusion_criteria_read_recorded_case_facts(panel: Panel) -> None:
    Settings(panel.ws).set_profile("staffordshire-2005")
    nid = panel.person("Criteria")
    panel.on(dt.date(2025, 1, 1))
    nominate(panel.ws, nid, Strand.CATCH_CONVICT, dt.date(2024, 12, 1))

    def inclusion() -> str:
        return next(r.entry.inclusion for r in Pools(panel.ws).pool(Strand.CATCH_CONVICT).rows)

    assert "C&C inclusion criterion" in inclusion() or "inclusion criterion" in inclusion()
    assert "not known" in inclusion() and "NIM core nominal not known" in inclusion()
    panel.custody.record_fact(nid, "dv_incidents_12m", 9)
    assert "domestic incidents in 12 months 9 (needs ≥ 10)" in inclusion()
    panel.custody.record_fact(nid, "dv_incidents_12m", 10)
    assert "Domestic violence 'gold' status: yes" in inclusion()
    facts = panel.custody.facts(nid)
    assert [(f.fact, f.value, f.recorded_on) for f in facts] == [
        ("dv_incidents_12m", 10, dt.date(2025, 1, 1))
    ]
    with pytest.raises(ServiceError, match="yes or no"):
        panel.custody.record_fact(nid, "asbo", 3)
    with pytest.raises(ServiceError, match="not a fact"):
        panel.custody.record_fact(nid, "shoe_size", 9)
    panel.custody.record_fact(nid, "dv_incidents_12m", None)
    assert panel.custody.facts(nid) == []


def test_moving_to_rr_needs_the_move_criteria_and_prints_them(panel: Panel) -> None:
    from pypdf import PdfReader

    from ppo_desktop.services.documents import Documents

    nid = panel.person("Resettling")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    with pytest.raises(ServiceError, match="move criteria"):
        panel.decide(nid, dt.date(2024, 6, 1), DecisionKind.MOVE_STRAND, strand=Strand.REHABILITATE_RESETTLE)
    panel.on(dt.date(2024, 6, 2))
    meeting = panel.meetings.plan("Panel", dt.date(2024, 6, 2)).record
    panel.meetings.start(meeting.id)
    item = panel.meetings.add_item(meeting.id, "Item", nominal_id=nid).record
    criteria = ("Working", "On the Bridge programme")
    decision = panel.decisions.decide(
        item.id, DecisionKind.MOVE_STRAND, strand=Strand.REHABILITATE_RESETTLE, move_criteria=criteria
    ).record
    assert decision.details == {"move_criteria": ["Working", "On the Bridge programme"]}
    panel.meetings.close(meeting.id)
    import io

    pdf = Documents(panel.ws).minutes(meeting.id).pdf
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "move criteria met (000 §5.3): Working; On the Bridge programme" in " ".join(text.split())


def test_every_profile_number_says_where_it_comes_from(tmp_path: Path) -> None:
    from ppo_desktop.paths import resource
    from ppo_desktop.rules import profiles

    thurrock = profiles.get("thurrock-2009")
    text = "\n".join(thurrock.rules_text())
    assert "at most 30 (maximum 30: local choice)" in text
    assert "Two-year review of everyone on the scheme (002 item 5" in text
    assert "C&C + R&R: at least 20 (000 App. 1)" in text
    assert "Ties: " in text and "(local choice)" in text
    source = resource("profiles", "thurrock-2009.toml").read_text(encoding="utf-8")
    broken = tmp_path / "thurrock.toml"
    broken.write_text(source.replace('short_sentence_months = "002 §4.4–4.5"\n', ""), encoding="utf-8")
    with pytest.raises(profiles.ProfileError, match="sources.*short_sentence_months"):
        profiles.load(broken)


# -- the property -------------------------------------------------------------------------------------
CHOICES = st.lists(
    st.sampled_from(["none", "retain", "defer", "move", "retain-undone"]), min_size=24, max_size=24
)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHOICES)
def test_two_year_review_is_proposed_by_the_first_meeting_after_24_months(choices: list[str]) -> None:
    """Whatever the panel decides month by month before then (retain, defer, moves between C&C and
    R&R, decisions undone), the first meeting on or after 24 months on the scheme proposes it."""
    with tempfile.TemporaryDirectory() as folder:
        panel = Panel(Path(folder))
        try:
            nid = panel.person("Property")
            panel.select(nid, Strand.CATCH_CONVICT, START)
            strand = Strand.CATCH_CONVICT
            for month, choice in enumerate(choices, start=1):
                day = START + relativedelta(months=month) - dt.timedelta(days=3)
                if choice == "retain":
                    panel.decide(nid, day, DecisionKind.RETAIN)
                elif choice == "defer":
                    panel.decide(nid, day, DecisionKind.DEFER)
                elif choice == "retain-undone":
                    panel.decisions.undo(panel.decide(nid, day, DecisionKind.RETAIN, close=False))
                elif choice == "move":
                    strand = (
                        Strand.REHABILITATE_RESETTLE
                        if strand is Strand.CATCH_CONVICT
                        else Strand.CATCH_CONVICT
                    )
                    extra = {"move_criteria": RR_MOVE} if strand is Strand.REHABILITATE_RESETTLE else {}
                    panel.decide(nid, day, DecisionKind.MOVE_STRAND, strand=strand, **extra)
            first_after = START + relativedelta(months=25) - dt.timedelta(days=3)  # the next monthly meeting
            assert "two-year" in kinds(panel, nid, first_after)
        finally:
            panel.ws.close()


def test_the_quarterly_record_lists_the_amber_list(panel: Panel) -> None:
    import io

    from pypdf import PdfReader

    from ppo_desktop.services.documents import Documents

    nid = panel.person("Watched")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    panel.decide(
        nid, dt.date(2025, 5, 1), DecisionKind.AMBER, release_on=dt.date(2028, 5, 1), authority="DI Chair"
    )
    text = " ".join(
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(Documents(panel.ws).quarterly(2025, 2).pdf)).pages
    )
    assert "Placed on the amber list (1)" in text and "WATCHED, Fictional" in text and "01 May 2028" in text
    later = Documents(panel.ws).quarterly(2025, 3).pdf
    assert "Placed on the amber list (0)" in " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(later)).pages
    )


# -- six-monthly scoring (000 §5.1–5.2) ------------------------------------------------------------
def cc_sheet(panel: Panel, nid: int, day: dt.date) -> None:
    panel.on(day)
    sheets = ScoreSheets(panel.ws)
    sheet = sheets.start(nid, sheets.catalogue.get("thurrock-2009-appendix2", on=day)).record
    sheets.finalise(sheet.id)


@pytest.mark.parametrize(("day", "due"), [(dt.date(2024, 7, 31), False), (dt.date(2024, 8, 1), True),
                                          (dt.date(2024, 8, 2), True)])  # fmt: skip
def test_a_sheet_older_than_six_months_is_proposed_for_scoring_again(
    panel: Panel, day: dt.date, due: bool
) -> None:
    scored = panel.person("Scored")
    panel.select(scored, Strand.CATCH_CONVICT, START)
    cc_sheet(panel, scored, dt.date(2024, 2, 1))
    assert ("rescore" in kinds(panel, scored, day)) is due
    if due:
        reason = "Last scored 01 Feb 2024 on thurrock-2009-appendix2: C&C is scored every 6 months (000 §5.1"
        assert reason in panel.reasons(day, scored)


@pytest.mark.parametrize(("day", "due"), [(dt.date(2024, 7, 9), False), (dt.date(2024, 7, 10), True)])
def test_a_member_never_scored_is_due_six_months_after_joining(panel: Panel, day: dt.date, due: bool) -> None:
    never = panel.person("Never")
    panel.select(never, Strand.CATCH_CONVICT, START)
    assert ("rescore" in kinds(panel, never, day)) is due


def test_a_profile_without_a_rescoring_window_proposes_none(panel: Panel) -> None:
    Settings(panel.ws).set_profile("staffordshire-2005")
    never = panel.person("Never")
    panel.select(never, Strand.CATCH_CONVICT, START)
    assert "rescore" not in kinds(panel, never, dt.date(2026, 1, 1))


@pytest.mark.parametrize(("day", "stale"), [(dt.date(2024, 7, 31), False), (dt.date(2024, 8, 2), True)])
def test_a_stale_sheet_ranks_in_the_pool_and_says_so(panel: Panel, day: dt.date, stale: bool) -> None:
    member = panel.person("Member")
    panel.select(member, Strand.CATCH_CONVICT, START)
    cc_sheet(panel, member, dt.date(2024, 2, 1))
    panel.on(day)
    pool = Pools(panel.ws).pool(Strand.CATCH_CONVICT)
    entry = next(r for r in pool.rows if r.entry.nominal_id == member)
    assert entry.entry.total is not None and entry.entry.scored_on == dt.date(2024, 2, 1)
    assert entry.entry.stale is stale and (pool.stale == [entry.entry]) is stale
    assert pool.stale_note == "scored again every 6 months (000 §5.1–5.2; R&R as C&C, whose people it holds)"


def test_strands_counted_together_say_what_they_hold(panel: Panel) -> None:
    """Thurrock: C&C and R&R together at least 20 (000 App. 1), said in the Candidates pool."""
    for name in ("One", "Two"):
        panel.select(panel.person(name), Strand.CATCH_CONVICT, START)
    pool = Pools(panel.ws).pool(Strand.REHABILITATE_RESETTLE)
    held = "C&C + R&R: at least 20 (000 App. 1); they hold 2 now: 18 short of the minimum"
    assert pool.group_notes == (held,)


# -- each profile's own rules --------------------------------------------------------------------------
def staffs_pd_sheet(ws: Workspace, nid: int, **groups: bool) -> None:
    sheets = ScoreSheets(ws)
    sheet = sheets.start(nid, sheets.catalogue.get("staffordshire-2005-pd", on=ws.today())).record
    sheets.save_draft(sheet.id, {**sheet.inputs, "groups": groups})
    sheets.finalise(sheet.id)


def test_staffordshire_identifies_pd_by_its_own_groups_not_by_asset(panel: Panel) -> None:
    """001 ¶20: a young person is identified by group (persistent young offender or ISSP; reprimand,
    final warning or ABC; YISP) — Thurrock's ASSET > 21 is not Staffordshire's rule."""
    Settings(panel.ws).set_profile("staffordshire-2005")
    panel.on(dt.date(2025, 1, 1))
    warned, none_of_them = (panel.person(name, dob=dt.date(2010, 1, 1)) for name in ("Warned", "None"))
    for nid in (warned, none_of_them):
        nominate(panel.ws, nid, Strand.PREVENT_DETER, dt.date(2024, 12, 1))
    staffs_pd_sheet(panel.ws, warned, reprimand_warning_abc=True)
    staffs_pd_sheet(panel.ws, none_of_them)
    pool = {r.entry.nominal_id: r for r in Pools(panel.ws).pool(Strand.PREVENT_DETER).rows}
    assert pool[warned].entry.eligible and pool[warned].above_line
    assert "reprimand, final warning or ABC" in pool[warned].entry.why
    assert not pool[none_of_them].entry.eligible and "ASSET" not in pool[none_of_them].entry.why


def test_who_places_a_person_on_a_list_is_recorded_where_the_scheme_names_them(panel: Panel) -> None:
    """Staffordshire: the Head of the YOS places a young person on P&D (001 ¶21), the BCU Commander
    anyone on C&C (¶27): a selection must say who (not "Panel agreement"). Thurrock names nobody."""
    young = panel.person("Young", dob=dt.date(2010, 1, 1))
    panel.decide(young, dt.date(2025, 1, 10), DecisionKind.SELECT, strand=Strand.PREVENT_DETER,
                 basis=Basis.PROLIFIC)  # fmt: skip
    Settings(panel.ws).set_profile("staffordshire-2005")
    other = panel.person("Other", dob=dt.date(2010, 1, 1))
    with pytest.raises(ServiceError, match=r"the Head of the YOS or a nominated representative \(001 ¶21\) "
                                           r"places a person on the P&D list: record who did"):  # fmt: skip
        panel.decide(other, dt.date(2025, 2, 10), DecisionKind.SELECT, strand=Strand.PREVENT_DETER,
                     basis=Basis.PROLIFIC)  # fmt: skip
    decision = panel.decide(other, dt.date(2025, 3, 10), DecisionKind.SELECT, strand=Strand.PREVENT_DETER,
                            basis=Basis.PROLIFIC, authority="Head of YOS (J. Fictional)")  # fmt: skip
    recorded = panel.ws.db.execute("SELECT authority FROM decisions WHERE id = ?", [decision]).fetchone()[0]
    assert recorded == "Head of YOS (J. Fictional)"
    rules = panel.ws.profile().rules_text()
    assert any("Placed on the C&C list by the BCU Commander" in line for line in rules)


# -- leaving: what the guidance asks first, and what follows (002 items 2 and 3) -----------------------
def test_a_custody_deselection_needs_a_full_assessment_of_risk_first(panel: Panel) -> None:
    inside, outside = panel.person("Inside"), panel.person("Outside")
    for nid in (inside, outside):
        panel.select(nid, Strand.CATCH_CONVICT, START)
    panel.on(dt.date(2025, 2, 1))
    panel.custody.record_sentence(inside, starts_on=dt.date(2025, 2, 1), years=4)
    with pytest.raises(ServiceError, match=r"full assessment of risk by the partner agencies \(002 item 3\)"):
        panel.decide(inside, dt.date(2025, 3, 1), DecisionKind.DESELECT, reason_code="stopped-offending",
                     authority="DI")  # fmt: skip
    assert panel.memberships.current_membership(inside) is not None  # nothing recorded
    assessed = "Probation and police, 20 Mar 2025"
    decision = panel.decide(inside, dt.date(2025, 4, 1), DecisionKind.DESELECT, authority="DI",
                            reason_code="stopped-offending", risk_assessment=assessed)  # fmt: skip
    details = panel.ws.db.execute("SELECT details FROM decisions WHERE id = ?", [decision]).fetchone()[0]
    assert '"risk_assessment": "Probation and police, 20 Mar 2025"' in details
    panel.decide(outside, dt.date(2025, 4, 1), DecisionKind.DESELECT, reason_code="stopped-offending",
                 authority="DI")  # not in custody: no assessment asked for  # fmt: skip
    assert panel.memberships.current_membership(outside) is None


def test_moving_away_raises_the_action_to_inform_the_receiving_area(panel: Panel) -> None:
    from ppo_desktop.domain import ActionState, Pathway
    from ppo_desktop.services.actions import Actions

    nid = panel.person("Mover")
    panel.select(nid, Strand.CATCH_CONVICT, START)
    decision = panel.decide(nid, dt.date(2025, 3, 4), DecisionKind.DESELECT, reason_code="moved-away",
                            authority="DI", close=False)  # fmt: skip
    [raised] = [a for a in Actions(panel.ws).open_actions() if a.nominal_id == nid]
    assert raised.pathway is Pathway.SCHEME and "receiving area" in raised.description
    assert raised.due_on == dt.date(2025, 4, 4) and raised.owner == "PPO coordinator"
    assert "Action raised by the de-selection" in panel.ws.audit.entries(limit=3)[1].summary
    panel.decisions.undo(decision)  # the chair undoes it: the action is closed, not left open
    assert [a for a in Actions(panel.ws).open_actions() if a.nominal_id == nid] == []
    state = panel.ws.db.execute("SELECT state, outcome FROM actions WHERE id = ?", [raised.id]).fetchone()
    assert state[0] == ActionState.NOT_POSSIBLE.value and "undone" in state[1]


def test_the_list_is_reviewed_against_imminent_releases_at_least_quarterly(panel: Panel) -> None:
    """002 §4.2 and item 4: the list as a whole, against known offenders including those whose
    release is imminent — one item about the list (no names), due again three months after a meeting
    reached it."""
    from ppo_desktop.rules.agenda import LIST_REVIEW

    out_soon, member = panel.person("Outsoon"), panel.person("Member")
    panel.select(member, Strand.CATCH_CONVICT, START)
    panel.on(dt.date(2024, 2, 1))
    for nid in (out_soon, member):  # the member is on the list already: not counted
        release = dt.date(2024, 6, 1)
        panel.custody.record_sentence(nid, starts_on=panel.ws.today(), months=8, release_on=release)

    def review(day: dt.date) -> list[str]:
        panel.on(day)
        meeting = panel.meetings.plan("Panel", day).record
        found = panel.meetings.proposals(meeting.id)
        return [" ".join(p.reasons) for p in found if p.nominal_id is None and p.title == LIST_REVIEW]

    [reason] = review(dt.date(2024, 3, 1))  # never reviewed: due
    assert "none recorded" in reason and "Not selected and due out by 01 Jun 2024: 1 " in reason
    assert "Outsoon".upper() not in reason  # no names in an item about the list
    panel.on(dt.date(2024, 3, 5))
    held = panel.meetings.plan("Panel", dt.date(2024, 3, 5)).record
    panel.meetings.start(held.id)
    item = panel.meetings.add_item(held.id, LIST_REVIEW).record
    panel.meetings.set_notes(item.id, "Reviewed against the custody release list: nobody added.")
    panel.meetings.close(held.id)
    assert review(dt.date(2024, 6, 4)) == []  # the day before three months
    assert "last 05 Mar 2024" in review(dt.date(2024, 6, 5))[0]


@pytest.mark.parametrize(("day", "known"), [(dt.date(2025, 12, 31), True), (dt.date(2026, 1, 1), False)])
def test_a_count_over_twelve_months_lapses_twelve_months_after_it_was_recorded(
    panel: Panel, day: dt.date, known: bool
) -> None:
    """Staffordshire's 'gold' status (001 ¶23): 10 domestic incidents *in 12 months*. Recorded on
    1 Jan 2025, the count says nothing about the twelve months before 1 Jan 2026: not known then."""
    Settings(panel.ws).set_profile("staffordshire-2005")
    nid = panel.person("Counted")
    panel.on(dt.date(2025, 1, 1))
    nominate(panel.ws, nid, Strand.CATCH_CONVICT, dt.date(2024, 12, 1))
    panel.custody.record_fact(nid, "dv_incidents_12m", 12)
    panel.on(day)
    inclusion = next(r.entry.inclusion for r in Pools(panel.ws).pool(Strand.CATCH_CONVICT).rows)
    assert ("Domestic violence 'gold' status: yes" in inclusion) is known
    assert ("domestic incidents in 12 months not known" in inclusion) is not known
    assert ("dv_incidents_12m" in ScoreSheets(panel.ws).person_facts(nid)) is known


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "12"])
def test_a_lapse_is_a_whole_number_of_months(bad: object) -> None:
    from ppo_desktop.scoring.criteria import CriteriaError, parse

    raw = {"key": "k", "label": "K", "any_of": [{"fact": "n_12m", "at_least": 1, "lapses_months": bad}]}
    with pytest.raises(CriteriaError, match=r"any_of\[0\]\.lapses_months: must be a whole number"):
        parse(raw, "profile.toml: criteria[0]")
    raw["any_of"][0]["lapses_months"] = 12  # type: ignore[index]
    assert parse(raw, "profile.toml").conditions[0].lapses_months == 12
