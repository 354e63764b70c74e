"""Returns and transfer packs from the Reports screen, driven through its buttons."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop.services.session import create_store
from ppo_desktop.services.transfer_keys import TransferKeys
from tests.ui.conftest import CancellingRunner, HeldRunner, StoreContext
from ui.context import AppContext
from ui.imports.transfer_dialogs import MergeAnswer, MergeDialog
from ui.reports.screen import ReportsScreen


def _button(screen: ReportsScreen, text: str) -> QPushButton:
    return next(b for b in screen.findChildren(QPushButton) if b.text().replace("&", "") == text)


@pytest.fixture
def laptop(tmp_path: Path, no_device: DeviceSecrets, cost: KdfCost, qapp: object) -> Iterator[AppContext]:
    ws, _ = create_store(
        tmp_path / "chair", user_id="chair", display_name="Demo Chair", passphrase="chair passphrase 1",
        partnership="Fictionshire (DEMO)", device=no_device, cost=cost,
    )  # fmt: skip
    yield StoreContext(ws)
    ws.close()


def test_a_return_is_exported_as_a_disclosure(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    screen = ReportsScreen(ctx)
    qtbot.addWidget(screen)
    target = tmp_path / "cohort.csv"
    screen.ask_csv_path = lambda _name: target
    screen.preview.ask_disclosure = lambda _what: ("Partnership board", "Quarterly return")
    screen.returns.setCurrentIndex(screen.returns.findText("Cohort list"))
    qtbot.mouseClick(_button(screen, "Export CSV…"), Qt.MouseButton.LeftButton)
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    current = ctx.services.cases.cohort(include_former=False)
    assert rows[0][:3] == ["Reference", "Family name", "Given names"] and len(rows) == len(current) + 1
    assert ctx.ws.audit.search(kind="disclosure")[-1].justification == "Quarterly return"


def test_a_meeting_travels_to_the_chair_in_a_pack(
    qtbot: QtBot, ctx: AppContext, laptop: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = next(m for m in ctx.services.meetings.all() if m.state.value == "closed")
    on_agenda = {i.nominal_id for i in ctx.services.meetings.agenda(meeting.id) if i.nominal_id}
    sender = ReportsScreen(ctx)
    qtbot.addWidget(sender)
    sender.meeting.setCurrentIndex(sender.meeting.findData(meeting.id))
    target = tmp_path / "panel.ppopack"
    seal = {"passphrase": "a long pack passphrase", "recipient_key": None, "recipient": "Chair"}
    sender.transfers.ask_seal = lambda _t, _p: {**seal, "justification": "Panel"}
    sender.transfers.ask_save = lambda: target
    qtbot.mouseClick(_button(sender, "Transfer pack for this meeting…"), Qt.MouseButton.LeftButton)
    assert target.exists() and "encrypted pack" in sender.error.text()

    receiver = ReportsScreen(laptop)
    qtbot.addWidget(receiver)
    receiver.transfers.ask_open = lambda: target
    receiver.transfers.ask_passphrase = lambda: "a long pack passphrase"
    seen: list[str] = []

    def merge(plan: object) -> MergeAnswer:
        seen.append(plan.summary())  # type: ignore[attr-defined]
        if len(seen) == 1:
            return MergeAnswer({}, "Chair's copy")  # a first pack, its fingerprint not compared
        return MergeAnswer({}, "Chair's copy", trusted=plan.fingerprint)  # type: ignore[attr-defined]

    receiver.transfers.ask_merge = merge  # type: ignore[assignment]
    qtbot.mouseClick(_button(receiver, "Open a transfer pack…"), Qt.MouseButton.LeftButton)
    assert "first pack from this store: compare its fingerprint" in receiver.error.text()  # nothing merged
    qtbot.mouseClick(_button(receiver, "Open a transfer pack…"), Qt.MouseButton.LeftButton)
    people = len(on_agenda)
    assert seen and "and an agenda" in seen[0] and f": {people} people ({people} new" in seen[0]
    assert "Merged" in receiver.error.text()
    assert len(laptop.services.cases.cohort()) == len(on_agenda)
    assert [m.panel for m in laptop.services.meetings.all()] == [meeting.panel]

    receiver.transfers.ask_passphrase = lambda: "the wrong passphrase"
    qtbot.mouseClick(_button(receiver, "Open a transfer pack…"), Qt.MouseButton.LeftButton)
    assert "Wrong passphrase" in receiver.error.text()


def test_settings_show_the_signing_fingerprint_the_receiver_will_see(
    qtbot: QtBot, ctx: AppContext, laptop: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ppo_desktop.services.transfer import Transfer
    from ui.screens.settings import SettingsScreen

    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    show = next(b for b in screen.findChildren(QPushButton) if b.text() == "Show signing &fingerprint")
    qtbot.mouseClick(show, Qt.MouseButton.LeftButton)
    label = next(lb for lb in screen.findChildren(QLabel) if lb.text().startswith("Signing fingerprint: "))
    shown = label.text().removeprefix("Signing fingerprint: ")
    key = TransferKeys(laptop.ws).public_key()
    data = Transfer(ctx.ws).export([1], recipient_key=key, recipient="Chair", justification="Panel")
    assert Transfer(laptop.ws).plan(data).fingerprint == shown  # the same words on both laptops


def test_the_meeting_goes_out_and_its_outcome_comes_back_through_the_meetings_screens(
    qtbot: QtBot, ctx: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    from ppo_desktop.domain import DecisionKind, MeetingState
    from ppo_desktop.services.decisions import Decisions
    from ui.screens.meetings import MeetingsScreen

    coordinator, chair = MeetingsScreen(ctx), MeetingsScreen(laptop)
    qtbot.addWidget(coordinator)
    qtbot.addWidget(chair)
    meeting = next(m for m in ctx.services.meetings.all() if m.state is MeetingState.PLANNED)
    person = ctx.services.cases.cohort(include_former=False)[0].nominal.id
    ctx.services.meetings.add_item(meeting.id, "Review", nominal_id=person)
    coordinator.select(meeting.id)
    assert coordinator.send_button.text() == "Send this meeting to the c&hair's laptop…"
    out, back = tmp_path / "out.ppopack", tmp_path / "back.ppopack"
    offered: list[str | None] = []

    def seal(_title: str, partner: str | None) -> dict[str, str | None]:
        offered.append(partner)
        return {"partner": partner, "passphrase": "a long pack passphrase", "recipient_key": None,
                "recipient": "The other laptop", "justification": "Panel"}  # fmt: skip

    for screen, _path in ((coordinator, out), (chair, back)):
        screen.transfers.ask_seal = seal
        screen.transfers.ask_passphrase = lambda: "a long pack passphrase"
    coordinator.transfers.ask_save = lambda: out
    qtbot.mouseClick(coordinator.send_button, Qt.MouseButton.LeftButton)
    assert out.exists() and offered == [None]  # no partner yet: the whole meeting

    chair.transfers.ask_open = lambda: out
    chair.transfers.ask_merge = lambda plan: MergeAnswer({}, "Chair's copy", trusted=plan.fingerprint)
    qtbot.mouseClick(chair.bring_button, Qt.MouseButton.LeftButton)
    assert "Merged" in chair.error.text()
    chair_meeting = laptop.services.meetings.all()[0]
    chair.select(chair_meeting.id)
    assert chair.send_button.text() == "Send the outc&ome back…"  # it came from the coordinator

    # The chair runs it; meanwhile the coordinator edits the same field.
    laptop.services.meetings.start(chair_meeting.id)
    item = laptop.services.meetings.agenda(chair_meeting.id)[0]
    Decisions(laptop.ws).decide(item.id, DecisionKind.RETAIN, note="Engaging well")
    laptop.services.meetings.set_quorum_note(chair_meeting.id, "Quorate (chair)")
    laptop.services.meetings.close(chair_meeting.id)
    ctx.services.meetings.set_quorum_note(meeting.id, "Quorate (coordinator)")
    chair.transfers.ask_save = lambda: back
    qtbot.mouseClick(chair.send_button, Qt.MouseButton.LeftButton)
    assert back.exists() and offered[-1] == ctx.ws.vault.store_id  # back where it came from

    shown: list[MergeDialog] = []

    def settle(plan: object) -> MergeAnswer:
        dialog = MergeDialog(plan, coordinator)  # type: ignore[arg-type]
        qtbot.addWidget(dialog)
        shown.append(dialog)
        dialog.show()
        index = dialog.choices.index(0, 3)
        dialog.conflicts.setCurrentIndex(index)  # onto the Keep cell: its drop-down opens
        choice = dialog.conflicts.indexWidget(index)
        assert isinstance(choice, QComboBox)
        choice.setCurrentIndex(choice.findData("there"))
        choice.activated.emit(choice.currentIndex())
        assert plan.fingerprint in dialog.fingerprint_checked.text()  # type: ignore[attr-defined]
        dialog.fingerprint_checked.setChecked(True)  # the chair's user read out the same words
        return MergeAnswer(dialog.decisions(), "Outcome of the panel", dialog.resolutions(),
                           plan.fingerprint)  # type: ignore[attr-defined]  # fmt: skip

    coordinator.transfers.ask_open = lambda: back
    coordinator.transfers.ask_merge = settle
    qtbot.mouseClick(coordinator.bring_button, Qt.MouseButton.LeftButton)
    [dialog] = shown
    texts = list(dialog.choices.row(0).texts)
    assert "quorum note" in texts[0] and "Quorate (coordinator)" in texts[1] and "Quorate (chair)" in texts[2]
    assert "chair on" in texts[2]  # who changed it on the other laptop, and when
    assert "1 decision" in coordinator.error.text() and "1 conflict" in coordinator.error.text()
    assert ctx.services.meetings.get(meeting.id).state is MeetingState.CLOSED
    assert ctx.services.meetings.get(meeting.id).quorum_note == "Quorate (chair)"
    assert [d.kind for d in ctx.services.meetings.decisions(meeting.id)] == ["retain"]


def test_a_merge_with_a_conflict_left_unchosen_merges_nothing_and_says_why(
    qtbot: QtBot, ctx: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    from ppo_desktop.domain import MeetingState
    from ppo_desktop.services.transfer import Transfer
    from ui.screens.meetings import MeetingsScreen

    meeting = next(m for m in ctx.services.meetings.all() if m.state is MeetingState.PLANNED)
    seal = {"passphrase": "a long pack passphrase", "recipient": "x", "justification": "y"}
    first = Transfer(laptop.ws).plan(Transfer(ctx.ws).export([], meeting_id=meeting.id, **seal),
                                     passphrase="a long pack passphrase")  # fmt: skip
    Transfer(laptop.ws).commit(first, justification="Chair's copy", trusted=first.fingerprint)
    chair_meeting = laptop.services.meetings.all()[0]
    laptop.services.meetings.set_quorum_note(chair_meeting.id, "Chair's words")
    ctx.services.meetings.set_quorum_note(meeting.id, "Coordinator's words")
    back = tmp_path / "back.ppopack"
    partner = ctx.ws.vault.store_id
    outcome = Transfer(laptop.ws).export([], meeting_id=chair_meeting.id, partner=partner, **seal)
    back.write_bytes(outcome)
    screen = MeetingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.transfers.ask_open = lambda: back
    screen.transfers.ask_passphrase = lambda: "a long pack passphrase"
    screen.transfers.ask_merge = lambda plan: MergeAnswer({}, "Outcome", trusted=plan.fingerprint)
    qtbot.mouseClick(screen.bring_button, Qt.MouseButton.LeftButton)
    assert "1 conflict(s) need a person's choice" in screen.error.text()
    assert ctx.services.meetings.get(meeting.id).quorum_note == "Coordinator's words"


def _pack_for_the_chair(ctx: AppContext, qtbot: QtBot, target: Path) -> None:
    meeting = next(m for m in ctx.services.meetings.all() if m.state.value == "closed")
    sender = ReportsScreen(ctx)
    qtbot.addWidget(sender)
    sender.meeting.setCurrentIndex(sender.meeting.findData(meeting.id))
    seal = {"passphrase": "a long pack passphrase", "recipient_key": None, "recipient": "Chair"}
    sender.transfers.ask_seal = lambda _t, _p: {**seal, "justification": "Panel"}
    sender.transfers.ask_save = lambda: target
    qtbot.mouseClick(_button(sender, "Transfer pack for this meeting…"), Qt.MouseButton.LeftButton)
    assert target.exists()


def _receiver(qtbot: QtBot, context: AppContext, target: Path) -> ReportsScreen:
    receiver = ReportsScreen(context)
    qtbot.addWidget(receiver)
    receiver.transfers.ask_open = lambda: target
    receiver.transfers.ask_passphrase = lambda: "a long pack passphrase"
    receiver.transfers.ask_merge = lambda plan: MergeAnswer({}, "Chair's copy", trusted=plan.fingerprint)
    return receiver


def test_a_pack_is_read_and_merged_on_a_worker_while_the_window_answers(
    qtbot: QtBot, ctx: AppContext, laptop: StoreContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from ppo_desktop.services.merge import Merge
    from ui.tasks import TaskRunner

    target = tmp_path / "panel.ppopack"
    _pack_for_the_chair(ctx, qtbot, target)
    threads: list[str] = []
    write = Merge._write
    monkeypatch.setattr(Merge, "_write", lambda self, *a: threads.append(threading.current_thread().name)
                        or write(self, *a))  # fmt: skip
    receiver = _receiver(qtbot, StoreContext(laptop.ws, TaskRunner()), target)
    heard: list[object] = []
    receiver.ctx.changed.connect(heard.append)
    qtbot.mouseClick(_button(receiver, "Open a transfer pack…"), Qt.MouseButton.LeftButton)
    assert "Merged" not in receiver.error.text()  # the click returned before the pack was even read
    qtbot.waitUntil(lambda: "Merged" in receiver.error.text(), timeout=30_000)
    assert threads and "MainThread" not in threads
    assert laptop.services.cases.cohort() and heard  # merged, and the screens told
    assert laptop.ws.vault.anchor["seq"] == laptop.ws.audit.anchor()["seq"]  # the anchor caught up


def test_cancel_on_a_merge_merges_nothing_and_says_so(
    qtbot: QtBot, ctx: AppContext, laptop: StoreContext, tmp_path: Path
) -> None:
    target = tmp_path / "panel.ppopack"
    _pack_for_the_chair(ctx, qtbot, target)
    receiver = _receiver(qtbot, laptop, target)
    runner = CancellingRunner(receiver, "Merging the transfer pack")
    receiver.ctx.runner = runner
    entries = len(laptop.ws.audit.search(limit=10_000))
    qtbot.mouseClick(_button(receiver, "Open a transfer pack…"), Qt.MouseButton.LeftButton)
    assert runner.pressed
    assert "Stopped before it finished: nothing was changed." in receiver.error.text()
    assert laptop.services.cases.cohort() == [] and len(laptop.ws.audit.search(limit=10_000)) == entries
    runner.title = "(none)"  # again, not cancelled: it merges
    qtbot.mouseClick(_button(receiver, "Open a transfer pack…"), Qt.MouseButton.LeftButton)
    assert "Merged" in receiver.error.text() and laptop.services.cases.cohort()


def test_a_merge_that_finishes_after_the_app_locked_is_kept_and_touches_no_closed_screen(
    qtbot: QtBot, ctx: AppContext, laptop: StoreContext, tmp_path: Path, no_device: DeviceSecrets
) -> None:
    from ppo_desktop.services.session import unlock

    target = tmp_path / "panel.ppopack"
    _pack_for_the_chair(ctx, qtbot, target)
    receiver = _receiver(qtbot, laptop, target)
    runner = HeldRunner()
    receiver.ctx.runner = runner
    qtbot.mouseClick(_button(receiver, "Open a transfer pack…"), Qt.MouseButton.LeftButton)
    runner.let_run()  # the pack read; the merge starts on its worker…
    assert len(runner.held) == 1
    store = Path(laptop.ws.status().store_path)
    laptop.ws.close()  # …and the app locks (the store closed, the window about to go)
    receiver.error.setText("")
    runner.let_run()  # the merge commits on its own connection; nothing is said to a closed screen
    assert receiver.error.text() == ""
    again = unlock(store, "chair passphrase 1", device=no_device)
    try:
        assert again.db.execute("SELECT count(*) FROM nominals").fetchone()[0] > 0
        assert again.audit.verify().ok and again.blocked == ""
    finally:
        again.close()
