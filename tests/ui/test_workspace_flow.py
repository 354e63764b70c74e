"""qtbot: unlock the demo store, see the cohort, search it, filter it, open a case."""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.domain import Strand
from tests.ui.conftest import HeldRunner, StoreContext, show_active
from ui.context import AppContext
from ui.main_window import NAV, MainWindow
from ui.table_model import ObjectRole
from ui.tasks import SyncRunner
from ui.unlock_dialog import UnlockDialog


def shown(qtbot: QtBot, window: MainWindow) -> MainWindow:
    show_active(qtbot, window)
    return window


def test_unlock_dialog_wrong_then_right(qtbot: QtBot, demo_store: Path) -> None:
    dialog = UnlockDialog(demo_store, DeviceSecrets(None), SyncRunner(), hint="demo")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.secret, "not the passphrase")
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert "does not open this store" in dialog.error.text()
    assert dialog.workspace is None
    dialog.secret.clear()
    qtbot.keyClicks(dialog.secret, DEMO_PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert dialog.workspace is not None
    assert dialog.workspace.user.id == "demo.coordinator"
    dialog.workspace.close()


def test_unlock_with_recovery_toggle_changes_prompt(qtbot: QtBot, demo_store: Path) -> None:
    dialog = UnlockDialog(demo_store, DeviceSecrets(None), SyncRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.recovery.setFocus()
    qtbot.keyClick(dialog.recovery, Qt.Key.Key_Space)
    assert dialog.secret_label.text() == "&Recovery key:"
    assert not dialog.user.isEnabled()
    qtbot.keyClicks(dialog.secret, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert "recovery key does not open" in dialog.error.text()


def test_cohort_search_filter_and_case(qtbot: QtBot, ctx: AppContext) -> None:
    window = shown(qtbot, MainWindow(ctx))
    cohort = window.cohort
    total = cohort.model.rowCount()
    assert total >= 70 and cohort.proxy.rowCount() == total

    qtbot.keyClicks(cohort.search, "bramblewick")
    assert 1 <= cohort.proxy.rowCount() < total
    names_shown = [cohort.proxy.index(r, 1).data() for r in range(cohort.proxy.rowCount())]
    assert all("BRAMBLEWICK" in name for name in names_shown)
    assert cohort.count.text() == f"{len(names_shown)} of {total} people shown"

    cohort.search.clear()
    cohort.strand.setCurrentText("P&D")
    strands = {cohort.proxy.index(r, 3).data() for r in range(cohort.proxy.rowCount())}
    assert strands == {"P&D"}
    cohort.strand.setCurrentText("All")

    qtbot.keyClicks(cohort.search, "99/100000Z")  # by PNC id
    assert cohort.proxy.rowCount() == 1
    cohort.table.setFocus()
    cohort.table.setCurrentIndex(cohort.proxy.index(0, 1))
    qtbot.keyClick(cohort.table, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.case_view
    case = window.case_view.case
    assert case is not None and case.nominal.pnc_id == "99/100000Z"
    assert window.case_view.memberships.rowCount() == len(case.memberships) >= 1
    assert window.case_view.fields["PNC id"].text() == "99/100000Z"
    assert window.case_view.audit.index(0, 3).data() == "consultation"  # opening the case was audited

    qtbot.keyClick(window.case_view, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.cohort
    assert window.case_view.case is None and window.case_view.memberships.rowCount() == 0


def test_navigation_by_keyboard(qtbot: QtBot, ctx: AppContext) -> None:
    window = shown(qtbot, MainWindow(ctx))
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.nav.currentRow() == NAV.index("Meetings")
    assert window.stack.currentWidget() is window.screens["Meetings"]
    meetings = window.screens["Meetings"]
    assert meetings.model.rowCount() == 3  # type: ignore[attr-defined]


def test_changes_refresh_the_cohort(qtbot: QtBot, ctx: AppContext) -> None:
    from ppo_desktop.services.cases import NominalDraft

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()  # screens on view refresh at once (hidden ones when next shown)
    before = window.cohort.model.rowCount()
    changes = ctx.services.cases.add_nominal(NominalDraft("Zzyzx-Fictional", "Newperson"))
    ctx.broadcast(changes)
    assert window.cohort.model.rowCount() == before + 1


def test_audit_screen_verifies_chain(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_screen("Audit")
    screen = window.screens["Audit"]
    from PySide6.QtWidgets import QLabel, QPushButton

    button = next(b for b in screen.findChildren(QPushButton) if "Verify" in b.text())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    result = screen.findChild(QLabel, "chainResult")
    assert result is not None and result.text().startswith("audit chain intact")


def test_the_chain_is_verified_on_a_worker_while_the_window_answers(qtbot: QtBot, ctx: AppContext) -> None:
    """Verifying a long log froze the window (issue 23): it runs on a worker with its own read-only
    connection; the button waits, the result arrives by signal."""
    from ui.screens.audit import AuditScreen
    from ui.tasks import TaskRunner

    threaded = StoreContext(ctx.ws, TaskRunner())
    screen = AuditScreen(threaded)
    qtbot.addWidget(screen)
    gc.collect()  # nothing left for the collector while the worker keys its connection (see stop 30)
    qtbot.mouseClick(screen.verify_button, Qt.MouseButton.LeftButton)
    assert screen.verify_button.text() == "&Stop verifying" and "Verifying" in screen.result.text()
    qtbot.waitUntil(lambda: screen.verify_button.text() == "&Verify audit chain", timeout=20_000)
    assert screen.result.text().startswith("audit chain intact")


def test_a_long_chain_check_can_be_stopped(qtbot: QtBot, ctx: AppContext) -> None:
    """Issue 23: verifying runs on a worker, and the same button stops it (the worker stops at its
    next few thousand entries; a pressed Stop before it starts stops it at the first)."""
    from ui.screens.audit import AuditScreen

    screen = AuditScreen(ctx)
    qtbot.addWidget(screen)
    held: list[tuple[object, object, object]] = []
    screen.ctx.runner.run = lambda job, done, failed: held.append((job, done, failed))  # type: ignore[method-assign]
    qtbot.mouseClick(screen.verify_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.verify_button, Qt.MouseButton.LeftButton)  # Stop, while it waits to run
    assert screen.result.text() == "Stopping the check…"
    [(job, done, failed)] = held
    try:
        done(job())  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - as the runner hands it on
        failed(exc)  # type: ignore[operator]
    assert screen.result.text().startswith("Stopped before it finished")
    assert screen.verify_button.text() == "&Verify audit chain"


def test_pool_ranks_with_capacity_line(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_screen("Candidates")
    screen = window.screens["Candidates"]
    pool = screen.pool  # type: ignore[attr-defined]
    assert pool.rowCount() > 0
    ranks = [pool.row_object(i) for i in range(pool.rowCount())]
    totals = [r.entry.total for r in ranks if r.entry.total is not None]
    assert totals == sorted(totals, reverse=True)
    summary = screen.summary.text()  # type: ignore[attr-defined]
    assert "capacity 30 (Thurrock 2009/11: C&C: at most 30 (maximum 30: local choice))" in summary
    assert "Counted together: C&C + R&R: at least 20 (000 App. 1)" in summary
    screen.strand.setCurrentIndex(screen.strand.findData(Strand.PREVENT_DETER.value))  # type: ignore[attr-defined]
    assert "capacity 20" in screen.summary.text()  # type: ignore[attr-defined]
    assert screen.nominations.rowCount() == 10  # type: ignore[attr-defined]


def test_settings_profile_changes_rules(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    settings = window.screens["Settings"]
    combo = settings.profile  # type: ignore[attr-defined]
    combo.setCurrentIndex(combo.findData("stockton-2009"))
    assert ctx.ws.profile().id == "stockton-2009"
    assert "C&C every 3 months" in settings.profile_details.text()  # type: ignore[attr-defined]
    summary = window.screens["Candidates"].summary.text()  # type: ignore[attr-defined]
    assert "(Stockton 2009 (IOM): C&C + R&R: at least 40, at most 42" in summary and "R&R hold" in summary
    last = ctx.ws.audit.entries(limit=1)[0]
    assert (last.kind, last.summary) == ("alteration", "Setting profile changed")


def test_back_off_after_repeated_wrong_passphrases(qtbot: QtBot, demo_store: Path) -> None:
    from ppo_desktop.backoff import wait_after

    assert [wait_after(n) for n in range(1, 8)] == [0, 0, 2, 4, 8, 16, 32] and wait_after(40) == 300
    dialog = UnlockDialog(demo_store, DeviceSecrets(None), SyncRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(3):
        dialog.secret.setText("wrong passphrase")
        qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert not dialog.unlock_button.isEnabled() and not dialog.secret.isEnabled()
    assert dialog.error.text() == "3 wrong attempts: try again in 2 s."
    assert dialog.backoff.isActive()
    dialog.backoff.timeout.emit()  # one second passes
    assert dialog.error.text() == "3 wrong attempts: try again in 1 s."
    dialog.backoff.timeout.emit()
    dialog.backoff.timeout.emit()
    assert dialog.unlock_button.isEnabled() and dialog.error.text() == "You can try again now."
    assert not dialog.backoff.isActive()


def test_back_up_from_settings(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    settings = window.screens["Settings"]
    folder = tmp_path / "backups"
    folder.mkdir()
    settings.choose_folder = lambda: folder  # type: ignore[attr-defined]
    qtbot.mouseClick(settings.backup_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert settings.backup_result.text().startswith("Written and verified:")  # type: ignore[attr-defined]
    assert len(list(folder.glob("*.ppo-backup"))) == 1


def test_a_backup_is_stopped_from_settings_and_leaves_nothing(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    runner = HeldRunner()
    ctx.runner = runner
    window = MainWindow(ctx)
    show_active(qtbot, window)
    window.show_screen("Settings")
    settings = window.screens["Settings"]
    folder = tmp_path / "backups"
    folder.mkdir()
    settings.choose_folder = lambda: folder  # type: ignore[attr-defined]
    assert settings.stop_backup.isHidden()  # type: ignore[attr-defined]
    settings.backup_button.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClick(settings.backup_button, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    assert not settings.stop_backup.isHidden() and not settings.backup_button.isEnabled()  # type: ignore[attr-defined]
    assert settings.stop_backup.hasFocus()  # type: ignore[attr-defined]  # the keyboard is where Stop is
    qtbot.keyClick(settings.stop_backup, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    assert settings.backup_result.text() == "Stopping the backup… (nothing of it will be left)"  # type: ignore[attr-defined]
    runner.let_run()  # the job starts, hears it was stopped, and leaves nothing
    assert settings.backup_result.text() == f"Backup stopped: nothing was left in {folder}."  # type: ignore[attr-defined]
    assert list(folder.iterdir()) == []
    assert settings.stop_backup.isHidden() and settings.backup_button.isEnabled()  # type: ignore[attr-defined]
    assert settings.backup_button.hasFocus()  # type: ignore[attr-defined]
    said = [e.summary for e in ctx.services.audit.search(kind="disclosure", limit=2)]
    assert said[0] == "Encrypted backup stopped before it was finished: no file was left"


def test_audit_viewer_filters_and_exports(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_screen("Audit")
    screen = window.screens["Audit"]
    everything = screen.model.rowCount()  # type: ignore[attr-defined]
    screen.kind.setCurrentText("consultation")  # type: ignore[attr-defined]
    kinds = {screen.model.row_object(i).kind for i in range(screen.model.rowCount())}  # type: ignore[attr-defined]
    assert kinds <= {"consultation"} and screen.model.rowCount() < everything  # type: ignore[attr-defined]
    screen.kind.setCurrentText("All")  # type: ignore[attr-defined]
    screen.person.setText("N00015")  # type: ignore[attr-defined]
    screen.person.editingFinished.emit()  # type: ignore[attr-defined]
    ids = {screen.model.row_object(i).nominal_id for i in range(screen.model.rowCount())}  # type: ignore[attr-defined]
    assert ids == {15}
    target = tmp_path / "audit.csv"
    screen.ask_path = lambda: target  # type: ignore[attr-defined]
    screen.ask_disclosure = lambda what: ("Data protection officer", "Subject access request")  # type: ignore[attr-defined]
    screen.export()  # type: ignore[attr-defined]
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as Excel expects
    last = ctx.ws.audit.entries(limit=1)[0]
    assert last.kind == "disclosure" and last.justification == "Subject access request"


def test_new_nomination_is_all_or_nothing(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.nomination_dialog import NominationDialog

    before = len(ctx.services.cases.cohort())
    dialog = NominationDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.family, "Zzyzx-Nominee")
    qtbot.keyClicks(dialog.given, "Fictional")
    qtbot.keyClicks(dialog.agency, "Police")
    qtbot.keyClicks(dialog.nominator, "PC Example")
    dialog.record()  # no reason given
    assert "agency, the nominator and the reason" in dialog.error.text()
    assert len(ctx.services.cases.cohort()) == before  # the person was not recorded either
    qtbot.keyClicks(dialog.reason, "Six burglaries in four months (fictional)")
    with qtbot.waitSignal(dialog.accepted):
        dialog.record()
    assert dialog.nominal_id is not None and len(ctx.services.cases.cohort()) == before + 1
    assert any(n.nominal_id == dialog.nominal_id for n in ctx.services.nominations.open_nominations())


def test_close_an_action_with_an_outcome(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_screen("Actions")
    screen = window.screens["Actions"]
    open_before = screen.model.rowCount()  # type: ignore[attr-defined]
    first = screen.view.model().index(0, 0)  # type: ignore[attr-defined]
    action = first.data(ObjectRole)
    screen.view.setCurrentIndex(first)  # type: ignore[attr-defined]
    screen.outcome_state.setCurrentIndex(screen.outcome_state.findData("agency-did-not-act"))  # type: ignore[attr-defined]
    qtbot.keyClicks(screen.outcome_text, "No response to two reminders (fictional)")  # type: ignore[attr-defined]
    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert screen.model.rowCount() == open_before - 1  # type: ignore[attr-defined]
    closed = ctx.services.actions.get(action.id)
    assert closed.state.value == "agency-did-not-act" and closed.outcome.startswith("No response")


def test_hidden_screens_refresh_when_shown(qtbot: QtBot, ctx: AppContext) -> None:
    from ppo_desktop.services.cases import NominalDraft

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_screen("Actions")  # the cohort is now hidden
    before = window.cohort.model.rowCount()
    changes = ctx.services.cases.add_nominal(NominalDraft("Zzyzx-Later", "Fictional"))
    ctx.broadcast(changes)
    assert window.cohort.model.rowCount() == before  # no work while hidden
    window.show_screen("Cohort")
    assert window.cohort.model.rowCount() == before + 1


def test_retention_review_erases_a_selected_record(qtbot: QtBot, ctx: AppContext) -> None:
    import datetime as dt

    from ppo_desktop.domain import Basis, RemovalReason, Status, Strand
    from ppo_desktop.services.cases import NominalDraft
    from ui.screens.audit import AuditScreen

    nominal = ctx.services.cases.add_nominal(NominalDraft("Longgone-Retentiontest", "Fictional")).record
    joined = ctx.services.memberships.select(nominal.id, Strand.CATCH_CONVICT, Basis.PROLIFIC,
                                             Status.OFFENDING_CJS, on=dt.date(2017, 1, 1),
                                             authority="Test").record  # fmt: skip
    ctx.services.memberships.remove(
        joined.id, RemovalReason.STOPPED_OFFENDING, authority="Test", on=dt.date(2018, 1, 1)
    )
    screen = AuditScreen(ctx)
    qtbot.addWidget(screen)
    panel = screen.retention
    assert [panel.model.row_object(i).ref for i in range(panel.model.rowCount())] == [nominal.ref]
    asked: list[str] = []
    panel.ask_confirmation = lambda case: asked.append(case.ref) or "Retention review (test)"  # type: ignore[func-returns-value]
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.erase_button, Qt.MouseButton.LeftButton)
    assert asked == [nominal.ref] and panel.model.rowCount() == 0 and "was erased" in panel.status.text()
    assert all(r.nominal.id != nominal.id for r in ctx.services.cases.cohort())
    assert ctx.ws.audit.verify().ok


def test_down_from_the_search_reaches_the_results(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    show_active(qtbot, window)
    screen = window.cohort
    screen.search.setFocus()
    first = ctx.services.cases.cohort()[0].nominal
    qtbot.keyClicks(screen.search, first.family_name)
    qtbot.keyClick(screen.search, Qt.Key.Key_Down)
    assert screen.table.hasFocus() and screen.table.currentIndex().row() == 0


def test_a_typed_date_of_birth_and_none_made_up(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.nomination_dialog import NominationDialog

    dialog = NominationDialog(ctx)
    show_active(qtbot, dialog)
    assert dialog.dob.text() == ""  # no invented date of birth
    for typed, expected in (
        ("14 03 1998", "14 Mar 1998"),
        ("14/03/1998", "14 Mar 1998"),
        ("1998-03-14", "14 Mar 1998"),
    ):
        dialog.dob.clear()
        dialog.dob.setFocus()
        qtbot.keyClicks(dialog.dob, typed)
        qtbot.keyClick(dialog.dob, Qt.Key.Key_Tab)  # Tab leaves the field like any other
        assert dialog.dob.text() == expected and not dialog.dob.hasFocus()
    dialog.dob.setText("31 02 1998")
    dialog.family.setText("Datetest")
    dialog.given.setText("Fictional")
    dialog.record()
    assert "is not a date" in dialog.error.text() and dialog.nominal_id is None


def test_the_cohort_list_shows_the_amber_list_apart(qtbot: QtBot, ctx: AppContext) -> None:
    """Someone held on the amber list is not "Former": the list says so and filters on it."""
    from ui.screens.cohort import AMBER_LIST, CohortScreen

    held = [
        r for r in ctx.services.cases.cohort() if r.membership and r.membership.held_on_amber(ctx.ws.today())
    ]
    assert held  # the demo has one
    screen = CohortScreen(ctx)
    qtbot.addWidget(screen)
    screen.proxy.set_criteria(strand=AMBER_LIST)
    shown = [screen.proxy.index(i, 3).data() for i in range(screen.proxy.rowCount())]
    assert shown == [f"Amber list ({r.membership.strand.value})" for r in held]  # type: ignore[union-attr]


def test_a_new_action_from_the_actions_list(qtbot: QtBot, ctx: AppContext) -> None:
    """The Actions list had no "New action": the coordinator had to open each case."""
    from ui.action_dialog import ActionDialog

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_screen("Actions")
    assert window.stack.currentWidget().new_button.text() == "&New action…"  # type: ignore[attr-defined]
    person = ctx.services.cases.cohort(include_former=False)[0].nominal
    dialog = ActionDialog(ctx, parent=window)
    qtbot.addWidget(dialog)
    dialog.description.setText("Hostel place")
    dialog.agency.setText("Housing")
    dialog.owner.setText("HO Example")
    dialog.save()
    assert "Choose the person" in dialog.error.text()  # nobody chosen yet: nothing saved
    qtbot.keyClicks(dialog.person.lineEdit(), f"{person.display_name} ({person.ref})")
    dialog.save()
    assert dialog.result() == 1
    made = [a for a in ctx.services.actions.open_actions() if a.description == "Hostel place"]
    assert [a.nominal_id for a in made] == [person.id]


def test_a_meeting_is_changed_and_deleted_from_the_meetings_screen(qtbot: QtBot, ctx: AppContext) -> None:
    import datetime as dt

    from ui.screens.meetings import MeetingsScreen

    screen = MeetingsScreen(ctx)
    qtbot.addWidget(screen)
    planned = ctx.services.meetings.plan("Spare panel", ctx.ws.today() + dt.timedelta(days=40)).record
    screen.reload()
    screen.select(planned.id)
    assert screen.edit_button.isEnabled() and screen.delete_button.isEnabled()

    def new_venue(dialog: object) -> bool:
        dialog.venue.setText("Fictionshire Town Hall")  # type: ignore[attr-defined]
        return True

    screen.ask_details = new_venue  # type: ignore[assignment]
    screen.change()
    assert ctx.services.meetings.get(planned.id).venue == "Fictionshire Town Hall"
    screen.ask_why = lambda _what: "Cancelled: no quorum possible"
    screen.delete()
    assert planned.id not in {m.id for m in ctx.services.meetings.all()} and screen.error.text() == ""
    closed = next(m for m in ctx.services.meetings.all() if m.state.value == "closed")
    screen.select(closed.id)
    assert not screen.edit_button.isEnabled() and not screen.delete_button.isEnabled()


def test_the_pool_can_be_ranked_by_the_iom_score(qtbot: QtBot, ctx: AppContext) -> None:
    """Panels that moved to IOM select by recency, frequency, gravity and victims (issue 25): the
    Candidates screen ranks everyone with recorded offences by it, each score explained."""
    import datetime as dt

    from ppo_desktop.services.cases import NominalDraft
    from ppo_desktop.services.offences import Offences
    from ui.screens.pool import IOM

    people = [
        ctx.services.cases.add_nominal(NominalDraft(f"Newcomer{n}", "Fictional")).record for n in range(2)
    ]
    offences = Offences(ctx.ws)
    day = ctx.ws.today()
    offences.record(people[0].id, on=day - dt.timedelta(days=20), category="burglary", outcome="convicted")
    for n in range(3):
        when = day - dt.timedelta(days=40 + n)
        offences.record(people[1].id, on=when, category="burglary", outcome="convicted")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_screen("Candidates")
    screen = window.screens["Candidates"]
    screen.strand.setCurrentIndex(screen.strand.findData(IOM))
    assert screen.iom_view.isVisibleTo(screen) and not screen.pool_view.isVisibleTo(screen)
    ranked = [screen.iom.row_object(i) for i in range(screen.iom.rowCount())]
    ours = [(p, s) for p, s in ranked if p.id in {people[0].id, people[1].id}]  # (the demo's people too)
    assert [p.id for p, _ in ours] == [people[1].id, people[0].id]  # three offences outrank one
    assert ours[0][1].total > ours[1][1].total > 0 and ours[0][1].lines
    assert [s.total for _, s in ranked] == sorted((s.total for _, s in ranked), reverse=True)
    assert "ranked by RFGV" in screen.summary.text()
