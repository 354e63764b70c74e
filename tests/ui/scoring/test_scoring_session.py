"""One sheet being scored, without widgets (ScoringSession): edits re-score at once, the draft is
saved only when something changed, a refusal leaves it unsaved, and the scheme profile is read once
per sheet — not the store's settings on every keystroke."""

from __future__ import annotations

import pytest

from ppo_desktop.domain import Strand
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.workspace import Workspace
from ui.scoring.scoring_session import ScoringSession


@pytest.fixture
def session(demo: Workspace) -> ScoringSession:
    person = next(
        r.nominal.id
        for r in Cases(demo).cohort(include_former=False)
        if r.membership.strand is Strand.CATCH_CONVICT
    )
    sheets = ScoreSheets(demo)
    return ScoringSession(sheets, sheets.start(person).record)


def test_edits_rescore_at_once_and_save_only_what_changed(session: ScoringSession) -> None:
    assert session.save_draft(pnc_marker=False) is None  # nothing typed: nothing saved
    before = session.breakdown.total
    session.set_count("offences", "robbery", "convicted", 2)
    assert session.dirty and session.breakdown.total > before
    made = session.save_draft(pnc_marker=True)
    assert made is not None and made.record.inputs["offences"]["robbery"] == {"convicted": 2}
    assert made.record.pnc_marker and not session.dirty
    session.set_count("offences", "robbery", "convicted", 0)  # back to nothing: the row goes
    assert "robbery" not in session.inputs.get("offences", {}) and session.breakdown.total == before


def test_the_profile_is_read_once_per_sheet_not_per_keystroke(
    session: ScoringSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    profile = session.sheets.ws.profile
    monkeypatch.setattr(session.sheets.ws, "profile", lambda: reads.append(1) or profile())
    for n in range(1, 21):
        session.set_count("offences", "robbery", "convicted", n)
        session.flags()
    assert reads == []  # the criteria were taken when the sheet was opened
    monkeypatch.undo()
    b = session.breakdown
    assert session.flags() == tuple(b.flags) + session.sheets.profile_flags(session.sheet.nominal_id, b)


def test_finalising_makes_the_sheet_a_record_never_rewritten(session: ScoringSession) -> None:
    session.set_value("impact", "serious")
    session.save_draft(pnc_marker=False)
    made = session.finalise()
    assert made.record.final and session.final
    session.set_value("impact", "slight")
    assert session.save_draft(pnc_marker=False) is None  # a final sheet is not saved over
