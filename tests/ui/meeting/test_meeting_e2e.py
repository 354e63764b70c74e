"""End to end on the demo store: build the agenda, open the projector, score, decide, add actions, close;
then the cohort, review dates and the next meeting's carried-forward actions are as expected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ppo_desktop.domain import DecisionKind, MeetingState, RemovalOutcome, RemovalReason, Status, Strand
from ppo_desktop.projection import project
from ppo_desktop.services.settings import Settings
from tests.conftest import DEMO_DAY
from tests.ui.conftest import show_active
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.meeting.console import ChairConsole

RELEASE = DEMO_DAY + relativedelta(years=3)  # a long sentence's expected release


def planned_meeting(ctx: AppContext) -> int:
    return next(m.id for m in ctx.services.meetings.all() if m.state is MeetingState.PLANNED)


def pick_people(ctx: AppContext) -> tuple[int, int, int]:
    """A candidate with an open C&C nomination, and two C&C members in the community."""
    candidate = next(
        n.nominal_id for n in ctx.services.nominations.open_nominations() if n.strand is Strand.CATCH_CONVICT
    )
    members = [
        r.nominal.id
        for r in ctx.services.cases.cohort(include_former=False)
        if r.membership
        and r.membership.strand is Strand.CATCH_CONVICT
        and r.membership.status is not Status.CUSTODY
        and not r.membership.amber
    ]
    return candidate, members[0], members[1]


@pytest.mark.slow
def test_whole_meeting(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    show_active(qtbot, window)
    window.show_screen("Meetings")
    builder = window.screens["Meetings"].builder  # type: ignore[attr-defined]
    mid = planned_meeting(ctx)
    assert builder.meeting.id == mid
    candidate, leaver, long_sentence = pick_people(ctx)
    for nid in (candidate, leaver, long_sentence):
        ctx.broadcast(
            ctx.services.meetings.add_item(
                mid,
                ctx.services.cases.nominal(nid).display_name,
                nominal_id=nid,
                reasons=["chosen for the test"],
            )
        )
    # Plus what the rules propose first (a new nomination), added through the builder's keyboard path.
    builder.proposals_view.setFocus()
    builder.proposals_view.selectRow(0)
    first = builder.proposals.row_object(0)
    qtbot.keyClick(builder.proposals_view, Qt.Key.Key_Insert)
    assert [i.nominal_id for i in ctx.services.meetings.agenda(mid)] == [
        candidate,
        leaver,
        long_sentence,
        first.nominal_id,
    ]
    builder.agenda_view.setFocus()
    builder.agenda_view.selectRow(3)
    qtbot.keyClick(builder.agenda_view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [i.nominal_id for i in ctx.services.meetings.agenda(mid)][2] == first.nominal_id
    asked: list[str] = []
    builder.confirm = lambda title, _text: asked.append(title) is None and title != "Remove from the agenda"
    qtbot.keyClick(builder.agenda_view, Qt.Key.Key_Delete)
    assert (
        asked == ["Remove from the agenda"] and len(ctx.services.meetings.agenda(mid)) == 4
    )  # asked, and kept
    builder.confirm = lambda title, _text: asked.append(title) is None
    qtbot.keyClick(builder.agenda_view, Qt.Key.Key_Delete)
    assert len(ctx.services.meetings.agenda(mid)) == 3
    assert builder.agenda_view.currentIndex().row() == 2  # the next item is ready for Del again

    qtbot.mouseClick(builder.console_button, Qt.MouseButton.LeftButton)
    assert asked[-1] == "Start the meeting early?"  # the demo's meeting is dated after today
    console: ChairConsole = window.consoles[mid]
    qtbot.addWidget(console)
    show_active(qtbot, console)
    assert ctx.services.meetings.get(mid).state is MeetingState.IN_PROGRESS
    answers: dict[DecisionKind, dict[str, Any]] = {
        DecisionKind.SELECT: {
            "strand": Strand.CATCH_CONVICT,
            "basis": ctx.services.nominations.open_nominations()[0].basis,
        },
        DecisionKind.DESELECT: {
            "reason_code": RemovalReason.MOVED_AWAY.value,
            "authority": "DI Demo Chair with the agencies present",
            "note": "Moved away",
            "outcomes": (RemovalOutcome.MOVED, RemovalOutcome.IN_TREATMENT),
        },
        DecisionKind.AMBER: {"release_on": RELEASE, "authority": "DI Demo Chair"},
    }
    console.decision_form = lambda kind: answers[kind]

    qtbot.keyClick(console, Qt.Key.Key_F5)  # projector on
    assert console.projector.isVisible() and not console.projector.curtained
    assert console.isActiveWindow()  # the projector does not take the keyboard
    assert console.current is not None and console.current.nominal_id == candidate

    # Score the candidate live; the projector follows the total.
    console.tabs.setCurrentWidget(console.scoring)
    console.scoring.score_now()
    model = console.scoring.widget.model
    assert model is not None
    robbery = next(i for i, it in enumerate(model.items) if it.key == "robbery")
    model.setData(model.index(robbery, 2), 2)
    shown = console.projector.visible_texts()
    assert "Score" in shown and shown[shown.index("Score") + 1].startswith("13")  # robbery 2 × 5 + serial 3
    console.scoring.widget.finalise()

    console.decision_box.buttons[DecisionKind.SELECT].click()
    assert "Decided: Select onto a strand" in console.decision_box.decided.text()
    assert any("Select onto a strand" in t for t in console.projector.visible_texts())

    qtbot.keyClick(console, Qt.Key.Key_PageDown)
    assert console.current.nominal_id == leaver
    console.decide(DecisionKind.DESELECT)
    console.action_text.setText("Inform the receiving scheme")
    console.action_agency.setText("Police")
    console.action_owner.setText("PC Example")
    qtbot.keyClick(
        console, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )

    qtbot.keyClick(console, Qt.Key.Key_PageDown)
    assert console.current.nominal_id == long_sentence
    console.decide(DecisionKind.AMBER)
    console.notes.setPlainText("Sentenced to four years; reconsider before release.")
    assert console.notes_panel.save_timer.isActive()  # saved once typing pauses
    console.notes_panel.save_timer.timeout.emit()
    assert ctx.services.meetings.item(console.current.id).notes.startswith("Sentenced")

    qtbot.keyClick(console, Qt.Key.Key_F8)  # curtain
    assert console.projector.visible_texts() == []
    console.finish()
    assert ctx.services.meetings.get(mid).state is MeetingState.CLOSED
    assert not console.tick.isActive() and not console.decision_box.undo_button.isEnabled()  # fixed
    assert console.minutes_dialog is not None and console.minutes_dialog.isVisible()  # offered at once
    console.minutes_dialog.close()

    # Consequences, counted from the meeting's day.
    held = ctx.services.meetings.get(mid).held_on
    membership = ctx.services.memberships.current_membership(candidate)
    assert (
        membership is not None
        and membership.strand is Strand.CATCH_CONVICT
        and membership.next_review_on == held + relativedelta(months=6)
    )
    gone = ctx.services.cases.case_file(leaver).memberships[0]
    assert gone.removed_on is not None and gone.removal_authority == "DI Demo Chair with the agencies present"
    assert gone.removal_outcomes == (RemovalOutcome.IN_TREATMENT, RemovalOutcome.MOVED)
    assert (
        ctx.services.memberships.current_membership(long_sentence) is None
    )  # the amber list: out of the cohort
    amber = ctx.services.cases.case_file(long_sentence).memberships[0]
    assert amber.amber and amber.held_on_amber(held)
    assert amber.next_review_on == RELEASE - relativedelta(months=3)
    assert [d.kind for d in ctx.services.meetings.decisions(mid)] == ["select", "deselect", "amber"]
    disclosed = [e for e in ctx.ws.audit.entries(limit=400) if e.kind == "disclosure"]
    assert any(e.summary.startswith("Projected to the room") for e in disclosed)

    nxt = ctx.services.meetings.plan("C&C / R&R panel", held + dt.timedelta(days=28)).record
    carried = {p.nominal_id: p.reasons for p in ctx.services.meetings.proposals(nxt.id)}
    assert "carried forward" in " ".join(carried[leaver])
    console.close()


def test_projector_never_shows_withheld_fields(qtbot: QtBot, ctx: AppContext) -> None:
    mid = planned_meeting(ctx)
    people = [r.nominal for r in ctx.services.cases.cohort()[:6]]
    for n in people:
        ctx.services.meetings.add_item(mid, n.display_name, nominal_id=n.id, reasons=["policy test"])
    console = ChairConsole(ctx, mid)
    qtbot.addWidget(console)
    console.projector.set_curtain(False)
    console.projector.show()
    for index, n in enumerate(people):
        console.go_to(index)
        shown = " ".join(console.projector.visible_texts())
        assert n.display_name in shown  # the policy allows the name
        for withheld in (n.address, n.pnc_id, n.cro, n.dob.strftime("%d %b %Y") if n.dob else ""):
            assert withheld and withheld not in shown
    # The walk can fail: allow addresses and one appears.
    Settings(ctx.ws).set_projector_policy({"address": True})
    console.go_to(0)
    console._project()
    assert people[0].address in " ".join(console.projector.visible_texts())
    console.close()


def test_projection_is_built_only_from_allowed_fields(ctx: AppContext) -> None:
    mid = planned_meeting(ctx)
    nominal = ctx.services.cases.cohort()[0].nominal
    item = ctx.services.meetings.add_item(
        mid, nominal.display_name, nominal_id=nominal.id, reasons=["x"]
    ).record
    case = ctx.services.cases.case_file(nominal.id)
    policy = ctx.ws.projector_policy().with_choices({"name": False, "ref": True})
    shown = project(
        policy,
        meeting_title="Panel",
        item=item,
        position=1,
        count=1,
        case=case,
        day=dt.date(2026, 12, 1),
        score=(12, 10),
        decision=None,
    )
    assert shown.heading == nominal.ref
    assert [label for label, _ in shown.lines] == [
        "Reference",
        "Age",
        "Area",
        "Strand",
        "On the agenda",
        "Score",
    ]


def test_attendance_and_amendments(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    show_active(qtbot, window)
    window.show_screen("Meetings")
    screen = window.screens["Meetings"]
    panel = screen.attendance  # type: ignore[attr-defined]
    mid = planned_meeting(ctx)
    assert panel.meeting.id == mid
    qtbot.keyClicks(panel.name, "Fictional Officer")
    qtbot.keyClicks(panel.agency, "DAAT")
    panel.apology.setChecked(True)
    panel.add()
    assert [(a.agency, a.present) for a in ctx.services.room.attendance(mid)] == [("DAAT", False)]
    panel.quorum.setText("Quorate")
    panel.quorum.editingFinished.emit()
    assert ctx.services.meetings.get(mid).quorum_note == "Quorate"
    assert not panel.amend_button.isVisibleTo(panel)
    closed = next(m for m in ctx.services.meetings.all() if m.state is MeetingState.CLOSED)
    screen.select(closed.id)  # type: ignore[attr-defined]
    assert panel.amend_button.isVisibleTo(panel) and not panel.quorum.isEnabled()


def test_settings_projector_policy_checkboxes(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    boxes = window.screens["Settings"].policy_boxes  # type: ignore[attr-defined]
    assert not boxes["address"].isChecked() and boxes["age"].isChecked()
    boxes["address"].setChecked(True)
    assert ctx.ws.projector_policy().allows("address")
    boxes["address"].setChecked(False)
    assert not ctx.ws.projector_policy().allows("address")
