"""Returns and transfer packs from the Reports screen, driven through its buttons."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop.services.session import create_store
from ui.context import AppContext
from ui.reports.screen import ReportsScreen
from ui.tasks import SyncRunner


def _button(screen: ReportsScreen, text: str) -> QPushButton:
    return next(b for b in screen.findChildren(QPushButton) if b.text().replace("&", "") == text)


@pytest.fixture
def laptop(tmp_path: Path, no_device: DeviceSecrets, cost: KdfCost, qapp: object) -> Iterator[AppContext]:
    ws, _ = create_store(
        tmp_path / "chair", user_id="chair", display_name="Demo Chair", passphrase="chair passphrase 1",
        partnership="Fictionshire (DEMO)", device=no_device, cost=cost,
    )  # fmt: skip
    yield AppContext(ws, SyncRunner())
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
    current = ctx.cases.cohort(include_former=False)
    assert rows[0][:3] == ["Reference", "Family name", "Given names"] and len(rows) == len(current) + 1
    assert ctx.ws.audit.search(kind="disclosure")[-1].justification == "Quarterly return"


def test_a_meeting_travels_to_the_chair_in_a_pack(
    qtbot: QtBot, ctx: AppContext, laptop: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ppo_desktop.transfer.pack as pack

    original = pack.seal
    monkeypatch.setattr(
        pack, "seal", lambda payload, **kw: original(payload, **{**kw, "cost": (2**10, 8, 1)})
    )
    monkeypatch.setattr(pack, "ACCEPTED_COSTS", {(2**10, 8, 1)})
    meeting = next(m for m in ctx.meetings.all() if m.state.value == "closed")
    on_agenda = {i.nominal_id for i in ctx.meetings.agenda(meeting.id) if i.nominal_id}
    sender = ReportsScreen(ctx)
    qtbot.addWidget(sender)
    sender.meeting.setCurrentIndex(sender.meeting.findData(meeting.id))
    target = tmp_path / "panel.ppopack"
    seal = {"passphrase": "a long pack passphrase", "recipient_key": None, "recipient": "Chair"}
    sender.transfers.ask_seal = lambda _t: {**seal, "justification": "Panel"}
    sender.transfers.ask_save = lambda: target
    qtbot.mouseClick(_button(sender, "Transfer pack for this meeting…"), Qt.MouseButton.LeftButton)
    assert target.exists() and "encrypted pack" in sender.error.text()

    receiver = ReportsScreen(laptop)
    qtbot.addWidget(receiver)
    receiver.transfers.ask_open = lambda: target
    receiver.transfers.ask_passphrase = lambda: "a long pack passphrase"
    seen: list[str] = []

    def merge(plan: object) -> tuple[dict[int, int | None], str]:
        seen.append(plan.summary())  # type: ignore[attr-defined]
        return {}, "Chair's copy"

    receiver.transfers.ask_merge = merge  # type: ignore[assignment]
    qtbot.mouseClick(_button(receiver, "Open a transfer pack…"), Qt.MouseButton.LeftButton)
    assert seen and f"{len(on_agenda)} people and an agenda" in seen[0]
    assert "Merged" in receiver.error.text()
    assert len(laptop.cases.cohort()) == len(on_agenda)
    assert [m.panel for m in laptop.meetings.all()] == [meeting.panel]

    receiver.transfers.ask_passphrase = lambda: "the wrong passphrase"
    qtbot.mouseClick(_button(receiver, "Open a transfer pack…"), Qt.MouseButton.LeftButton)
    assert "Wrong passphrase" in receiver.error.text()


def test_settings_show_the_signing_fingerprint_the_receiver_will_see(
    qtbot: QtBot, ctx: AppContext, laptop: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ppo_desktop.transfer.pack as pack
    from ppo_desktop.services.transfer import Transfer
    from ui.screens.settings import SettingsScreen

    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    show = next(b for b in screen.findChildren(QPushButton) if b.text() == "Show signing &fingerprint")
    qtbot.mouseClick(show, Qt.MouseButton.LeftButton)
    label = next(lb for lb in screen.findChildren(QLabel) if lb.text().startswith("Signing fingerprint: "))
    shown = label.text().removeprefix("Signing fingerprint: ")
    monkeypatch.setattr(pack, "ACCEPTED_COSTS", {(2**10, 8, 1)})
    key = Transfer(laptop.ws).public_key()
    data = Transfer(ctx.ws).export([1], recipient_key=key, recipient="Chair", justification="Panel")
    assert Transfer(laptop.ws).plan(data).fingerprint == shown  # the same words on both laptops
