"""The case's Custody & facts tab and the move-to-R&R checklist, driven through the real widgets."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from ppo_desktop.domain import DecisionKind, Pathway, Status, Strand
from ppo_desktop.services.settings import Settings
from tests.conftest import DEMO_DAY
from tests.ui.conftest import show_active
from ui.context import AppContext
from ui.meeting.decision_dialog import DecisionDialog
from ui.screens.case_view import CaseView


def _member(ctx: AppContext) -> int:
    return next(
        r.nominal.id
        for r in ctx.services.cases.cohort(include_former=False)
        if r.membership
        and r.membership.strand is Strand.CATCH_CONVICT
        and r.membership.status is not Status.CUSTODY
    )


def test_sentence_typed_in_the_case_is_recorded_and_drives_the_status(qtbot: QtBot, ctx: AppContext) -> None:
    view = CaseView(ctx)
    show_active(qtbot, view)
    nid = _member(ctx)
    view.show_case(nid)
    view.tabs.setCurrentWidget(view.custody_scroll)
    panel = view.custody_facts
    start = DEMO_DAY - dt.timedelta(days=10)
    panel.starts.clear()
    qtbot.keyClicks(panel.starts, f"{start:%d %m %Y}")  # typed as people type dates
    panel.years.setValue(2)
    panel.days.setValue(1)
    qtbot.mouseClick(panel.hospital, Qt.MouseButton.LeftButton)
    record = next(b for b in panel.findChildren(type(view.back_button)) if b.text() == "Record sentenc&e")
    qtbot.mouseClick(record, Qt.MouseButton.LeftButton)
    assert panel.error.text() == ""
    sentence = ctx.services.custody.sentences(nid)[0]
    assert (sentence.length_months, sentence.length_days, sentence.secure_hospital) == (24, 1, True)
    assert ctx.services.memberships.current_membership(nid).status is Status.CUSTODY  # type: ignore[union-attr]
    assert panel.sentences.rowCount() == 1 and "2 years 1 day (secure hospital)" in panel.sentences.data(
        panel.sentences.index(0, 1)
    )
    panel.years.setValue(0)
    panel.days.setValue(0)
    qtbot.mouseClick(record, Qt.MouseButton.LeftButton)
    assert "needs one of: its length" in panel.error.text()  # refused in words, nothing written
    assert len(ctx.services.custody.sentences(nid)) == 1


def test_case_facts_are_answered_in_the_case(qtbot: QtBot, ctx: AppContext) -> None:
    Settings(ctx.ws).set_profile("staffordshire-2005")
    view = CaseView(ctx)
    show_active(qtbot, view)
    nid = _member(ctx)
    view.show_case(nid)
    panel = view.custody_facts
    asbo = panel.fact_inputs["asbo"]
    asbo.setCurrentIndex(asbo.findData(True))  # type: ignore[union-attr]
    assert [(f.fact, f.value, f.recorded_on) for f in ctx.services.custody.facts(nid)] == [
        ("asbo", True, DEMO_DAY)
    ]
    assert panel.fact_notes["asbo"].text().startswith(f"recorded {DEMO_DAY:%d %b %Y}")
    view.tabs.setCurrentWidget(panel)
    incidents = panel.fact_inputs["dv_incidents_12m"]
    incidents.setFocus()
    incidents.lineEdit().selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(incidents.lineEdit(), "12")  # type: ignore[union-attr]
    qtbot.keyClick(incidents, Qt.Key.Key_Tab)
    assert {f.fact: f.value for f in ctx.services.custody.facts(nid)} == {
        "asbo": True,
        "dv_incidents_12m": 12,
    }


def test_move_to_rr_asks_for_the_seed_criteria(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = DecisionDialog(DecisionKind.MOVE_STRAND, ctx.ws.profile(), None, DEMO_DAY)
    show_active(qtbot, dialog)
    dialog.strand.setCurrentIndex(dialog.strand.findData(Strand.CATCH_CONVICT.value))
    assert not dialog.criteria_box.isVisible()  # C&C lists no move criteria
    dialog.strand.setCurrentIndex(dialog.strand.findData(Strand.REHABILITATE_RESETTLE.value))
    assert dialog.criteria_box.isVisible()
    assert list(dialog.move_criteria)[1] == "Working"  # in the order 000 §5.3 lists them
    working = dialog.move_criteria["Working"]
    working.setFocus()
    qtbot.keyClick(working, Qt.Key.Key_Space)
    assert dialog.values()["move_criteria"] == ("Working",)


def test_the_coordinator_adds_and_reassigns_an_action_between_meetings(qtbot: QtBot, ctx: AppContext) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.action_dialog import ActionDialog

    nid = _member(ctx)
    dialog = ActionDialog(ctx, nominal_id=nid)
    show_active(qtbot, dialog)
    qtbot.keyClicks(dialog.description, "Birth certificate for the housing application")
    qtbot.keyClicks(dialog.agency, "Housing")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)  # type: ignore[union-attr]
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "needs a description, an agency and an owner" in dialog.error.text() and dialog.isVisible()
    qtbot.keyClicks(dialog.owner, "Housing Officer Placeholder")
    qtbot.keyClicks(dialog.due, "14 03 2027")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    action = next(
        a for a in ctx.services.cases.case_file(nid).actions if a.description.startswith("Birth certificate")
    )
    assert action.due_on == dt.date(2027, 3, 14) and not dialog.isVisible()

    edit = ActionDialog(ctx, nominal_id=nid, action=action)
    show_active(qtbot, edit)
    edit.agency.setText("Probation")
    edit.owner.setText("PO Placeholder")
    button = edit.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)  # type: ignore[union-attr]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    now = ctx.services.actions.get(action.id)
    assert (now.agency, now.owner) == ("Probation", "PO Placeholder")
    entry = ctx.ws.audit.entries(limit=1)[0]
    assert entry.summary == "Action reassigned: agency, owner" and "Housing" in (entry.before or "")


def test_a_duplicate_is_merged_from_the_case_view(qtbot: QtBot, ctx: AppContext) -> None:
    """Two records of one person could not be merged (issue 29): the case view merges one into it."""
    from ppo_desktop.services.cases import NominalDraft
    from ui.main_window import MainWindow

    kept = ctx.services.cases.cohort(include_former=False)[0].nominal
    dupe = ctx.services.cases.add_nominal(NominalDraft(kept.family_name, "Dupe", dob=kept.dob)).record
    ctx.services.actions.add(dupe.id, pathway=Pathway.ETE, description="Course (test)", agency="JCP",
                             owner="Adviser", due_on=None)  # fmt: skip
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_case(kept.id)
    view = window.case_view
    view.ask_merge = lambda _ref: ("nope", "One person (test)")  # type: ignore[method-assign]
    qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)
    assert "no person with the reference" in view.merge_result.text()
    view.ask_merge = lambda _ref: (dupe.ref.lower(), "One person (test)")  # type: ignore[method-assign]
    qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)
    assert view.merge_result.text().startswith(f"{dupe.ref} merged into {kept.ref}")
    model = view.actions_model
    assert any(model.row_object(i).description == "Course (test)" for i in range(model.rowCount()))
    assert all(r.nominal.id != dupe.id for r in ctx.services.cases.cohort())


def test_a_risk_score_is_recorded_from_the_custody_tab(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.main_window import MainWindow

    person = ctx.services.cases.cohort(include_former=False)[0].nominal
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_case(person.id)
    panel = window.case_view.custody_facts
    panel.risk_tool.setCurrentIndex(panel.risk_tool.findData("OGRS3"))
    qtbot.keyClicks(panel.risk_value, "78")
    qtbot.mouseClick(next(b for b in panel.findChildren(QPushButton) if b.text() == "Record risk score"),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    assert "Say which assessment" in panel.error.text()
    qtbot.keyClicks(panel.risk_source, "OASys review")
    qtbot.mouseClick(next(b for b in panel.findChildren(QPushButton) if b.text() == "Record risk score"),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    assert panel.risk_text.text().startswith("OGRS3 high (78%)")


def test_a_persons_details_are_corrected_with_a_reason_from_the_case(qtbot: QtBot, ctx: AppContext) -> None:
    """Cases.update_nominal had no screen: a coordinator could not correct an address or a PNC id."""
    person = ctx.services.cases.cohort()[0].nominal
    view = CaseView(ctx)
    qtbot.addWidget(view)
    view.show_case(person.id)
    qtbot.mouseClick(view.details_button, Qt.MouseButton.LeftButton)
    dialog = view.details_dialog
    assert dialog is not None and dialog.isVisible() and dialog.family.text() == person.family_name
    dialog.address.setText("14 Fictional Row, Northbrook")
    dialog.pnc.setText("99/123456Z")
    dialog.save()  # no reason given
    assert (
        "Say why" in dialog.error.text() and ctx.services.cases.nominal(person.id).address == person.address
    )
    dialog.family.setText("")
    dialog.reason.setText("New address from probation (test)")
    dialog.save()  # the service refuses a blank name, said in the dialog
    assert "family name" in dialog.error.text() and dialog.isVisible()
    dialog.family.setText(person.family_name)
    save = next(b for b in dialog.findChildren(QPushButton) if b.text() == "&Save the changes")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    changed = ctx.services.cases.nominal(person.id)
    assert (changed.address, changed.pnc_id) == ("14 Fictional Row, Northbrook", "99/123456Z")
    entry = ctx.ws.audit.search(kind="alteration", nominal_id=person.id, limit=1)[0]
    assert entry.justification == "New address from probation (test)"
    assert view.fields["Address"].text() == "14 Fictional Row, Northbrook"  # the case shows it at once


def test_the_strand_history_shows_each_stints_iom_score_on_joining_and_leaving(
    qtbot: QtBot, ctx: AppContext
) -> None:
    offences = ctx.services.offences
    nid = next(r.nominal.id for r in ctx.services.cases.cohort(include_former=False)
               if r.membership and offences.of(r.nominal.id))  # fmt: skip
    view = CaseView(ctx)
    show_active(qtbot, view)
    view.show_case(nid)
    model = view.memberships
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal)
                  == "IOM score")  # fmt: skip
    stint = ctx.services.memberships.current_membership(nid)
    assert stint is not None
    row = next(r for r in range(model.rowCount()) if model.row_object(r).id == stint.id)
    joined, now = offences.score(nid, stint.added_on).total, offences.score(nid, DEMO_DAY).total
    assert model.data(model.index(row, column)) == f"{joined} → {now} ({now - joined:+d})"
