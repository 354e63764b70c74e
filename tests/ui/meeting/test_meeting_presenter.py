"""The live meeting's rules without a window (MeetingPresenter): moving through the agenda, the
item's timer on an injected clock, what the room may see, decisions and undo, notes and their
drafts, and closing."""

from __future__ import annotations

import pytest

from ppo_desktop.domain import Basis, DecisionKind, MeetingState, Pathway
from ppo_desktop.services.bundle import Services
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.custody import Custody
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.workspace import ServiceError, Workspace
from ui.meeting.presenter import MeetingPresenter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def meeting(demo: Workspace) -> int:
    meetings = Meetings(demo)
    planned = next(m for m in meetings.all() if m.state is MeetingState.PLANNED)
    for row in Cases(demo).cohort(include_former=False)[:3]:
        meetings.add_item(planned.id, f"Review {row.nominal.ref}", nominal_id=row.nominal.id, minutes=5)
    return planned.id


def _presenter(demo: Workspace, meeting: int, clock: Clock) -> MeetingPresenter:
    presenter = MeetingPresenter(Services(demo), meeting, clock=clock)
    presenter.start()
    presenter.reload()
    presenter.go_to(0)
    return presenter


def test_opening_the_console_starts_the_meeting_and_the_first_item_is_consulted(
    demo: Workspace, meeting: int
) -> None:
    presenter = MeetingPresenter(Services(demo), meeting, clock=Clock())
    assert presenter.start().topics == {"meetings"} and presenter.open
    assert presenter.start().topics == frozenset()  # once only
    presenter.reload()
    item = presenter.go_to(0)
    assert presenter.case is not None and presenter.case.nominal.id == item.nominal_id
    consulted = demo.audit.search(kind="consultation", nominal_id=item.nominal_id)[0]
    assert "Panel meeting" in consulted.justification or "Panel meeting" in consulted.summary


def test_the_items_timer_counts_down_then_over_on_the_injected_clock(demo: Workspace, meeting: int) -> None:
    clock = Clock()
    presenter = _presenter(demo, meeting, clock)
    assert presenter.progress().timer == "5:00 left" and presenter.progress().state == ""
    clock.now += 3 * 60 + 30
    assert presenter.progress().state == "amber" and "nearly out of time" in presenter.progress().timer
    clock.now += 2 * 60
    progress = presenter.progress()
    assert progress.timer == "0:30 OVER" and progress.state == "red"
    assert progress.text.startswith("Item 1 of 3 · 0 discussed · planned 15 min")
    presenter.record_time()
    assert Meetings(demo).agenda(meeting)[0].seconds_spent == 330


def test_decide_undo_and_what_the_room_sees(demo: Workspace, meeting: int) -> None:
    presenter = _presenter(demo, meeting, Clock())
    assert presenter.can_decide
    presenter.decide(DecisionKind.RETAIN, {"note": "Engaging"})
    presenter.reload()
    assert presenter.decided_lines() == ["Decided: Retain"]
    shown = presenter.projection(None, None, None)
    assert "1 of 3" in shown.progress
    assert "Retain" in " ".join(text for _label, text in shown.lines)
    presenter.undo_last()
    assert presenter.decided_lines() == [] and presenter.undo_last().topics == frozenset()


def test_notes_and_their_draft_through_a_crash(demo: Workspace, meeting: int) -> None:
    presenter = _presenter(demo, meeting, Clock())
    assert presenter.keep_draft("Engaging with housing; keep")  # typed, not yet saved
    again = _presenter(demo, meeting, Clock())  # the app restarted
    offered = again.draft_to_offer()
    assert offered is not None and offered.text == "Engaging with housing; keep"
    again.save_notes(offered.text)
    again.settle_draft()
    again.reload()
    assert again.current is not None and again.current.notes == offered.text
    assert again.draft_to_offer() is None and again.save_notes(offered.text).topics == frozenset()


def test_an_action_falls_due_a_month_after_the_meeting(demo: Workspace, meeting: int) -> None:
    presenter = _presenter(demo, meeting, Clock())
    due = presenter.action_due()
    held = presenter.meeting.held_on
    assert (due.year * 12 + due.month) - (held.year * 12 + held.month) == 1 and due.day == held.day
    made = presenter.add_action(Pathway.ACCOMMODATION, "Find a tenancy", "Housing", "Example Officer", due)
    assert made.topics == {"actions"} and made.record.meeting_id == meeting  # type: ignore[attr-defined]
    with pytest.raises(ServiceError, match="description"):
        presenter.add_action(Pathway.ACCOMMODATION, "", "Housing", "Example Officer", due)


def test_closing_names_the_items_not_reached_and_fixes_the_record(demo: Workspace, meeting: int) -> None:
    presenter = _presenter(demo, meeting, Clock())
    presenter.decide(DecisionKind.RETAIN, {})
    presenter.reload()
    question = presenter.close_question()
    assert question.startswith("2 items were not reached: 2. Review") and "Close the meeting?" in question
    presenter.close()
    assert not presenter.open and presenter.progress().timer == ""
    assert not presenter.can_decide


def test_the_room_is_shown_nothing_unrecorded(demo: Workspace, meeting: int) -> None:
    """The room's view lives in the presenter: curtained → next → lifted records the second item's
    disclosure before it shows; an item already seen by the room is not recorded twice."""
    presenter = _presenter(demo, meeting, Clock())

    def projected() -> list[int | None]:
        found = demo.audit.search(kind="disclosure")
        return [e.nominal_id for e in found if e.summary.startswith("Projected")]

    presenter.room_sees(True)
    first = presenter.current.nominal_id  # type: ignore[union-attr]
    presenter.room_sees(True)  # redrawn, same item: nothing new shown
    assert projected().count(first) == 1
    presenter.room_sees(False)  # curtain
    second = presenter.go_to(1).nominal_id
    presenter.room_sees(False)
    assert second not in projected()
    presenter.room_sees(True)  # lifted
    assert projected().count(second) == 1


def test_a_scheme_that_names_a_strand_its_own_way_is_read_in_its_words(demo: Workspace) -> None:
    """London (004): the adult strand is "Catch & Bring to Justice" — on the chair's summary and the
    projector alike (the strand itself is the same)."""
    from ppo_desktop.domain import Strand
    from ppo_desktop.services.settings import Settings

    Settings(demo).set_profile("london-haringey-2007")
    meetings = Meetings(demo)
    planned = next(m for m in meetings.all() if m.state is MeetingState.PLANNED)
    cohort = Cases(demo).cohort(include_former=False)
    row = next(r for r in cohort if r.membership and r.membership.strand is Strand.CATCH_CONVICT)
    meetings.add_item(planned.id, "Review", nominal_id=row.nominal.id)
    presenter = _presenter(demo, planned.id, Clock())
    presenter.go_to(next(i for i, it in enumerate(presenter.items) if it.nominal_id == row.nominal.id))
    assert any(line.startswith("Catch & Bring to Justice (") for line in presenter.summary())
    shown = dict(presenter.projection(None, None, None).lines)
    assert shown["Strand"].startswith("Catch & Bring to Justice · ")
    assert demo.profile().strand_name(Strand.PREVENT_DETER) == "Prevent & Deter"


def test_the_chair_reads_custody_the_latest_score_and_the_nominations_words(demo: Workspace) -> None:
    """A person serving 2 years 6 months was selected as "not subject to the CJS": the chair's summary
    lacked custody, the latest score and the nomination's words (and showed decision codes)."""
    from ppo_desktop.domain import Strand
    from ppo_desktop.services.nominations import Nominations
    from ppo_desktop.services.score_sheets import ScoreSheets

    cases = Cases(demo)
    nid = next(
        r.nominal.id for r in cases.cohort(include_former=False)
        if any(s.final for s in ScoreSheets(demo).history(r.nominal.id))
    )  # fmt: skip
    Custody(cases.ws).record_sentence(nid, starts_on=demo.today(), years=2, months=6)
    Nominations(demo).nominate(nid, agency="Police", nominator="PC Example", strand=Strand.CATCH_CONVICT,
                               basis=Basis.PROLIFIC, reason="Six burglaries", on=demo.today())  # fmt: skip
    meetings = Meetings(demo)
    planned = next(m for m in meetings.all() if m.state is MeetingState.PLANNED)
    meetings.add_item(planned.id, "Candidate", nominal_id=nid)
    presenter = _presenter(demo, planned.id, Clock())
    presenter.go_to(next(i for i, it in enumerate(presenter.items) if it.nominal_id == nid))
    text = "\\n".join(presenter.summary())
    assert f"Custody: sentenced {demo.today():%d %b %Y} to 2 years 6 months" in text
    assert "Latest score: " in text and "“Six burglaries” — Police" in text
    assert not demo.projector_policy().allows("reason_text")  # by default the room does not read it
    shown = " ".join(v for _k, v in presenter.projection(None, None, None).lines)
    assert "Six burglaries" not in shown
