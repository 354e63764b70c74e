"""The room panel in the chair console (issue 27): the statement recorded as read, someone stepping
out for the item on screen — driven through the real buttons — and the room's view then disclosed
to those still in the room only."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import show_active
from tests.ui.meeting.test_meeting_e2e import pick_people, planned_meeting
from ui.context import AppContext
from ui.meeting.console import ChairConsole


def test_stepping_out_keeps_someone_out_of_the_items_disclosure(qtbot: QtBot, ctx: AppContext) -> None:
    mid = planned_meeting(ctx)
    _, first, second = pick_people(ctx)
    for nid in (first, second):
        ctx.services.meetings.add_item(
            mid, ctx.services.cases.nominal(nid).display_name, nominal_id=nid, reasons=["test"]
        )
    ctx.services.room.add_attendee(mid, "DS Example", "Police")
    ctx.services.room.add_attendee(mid, "Ms Sample", "Probation")
    console = ChairConsole(ctx, mid)
    show_active(qtbot, console)
    panel, click = console.room, Qt.MouseButton.LeftButton

    assert panel.read_button.isVisible()
    qtbot.mouseClick(panel.read_button, click)
    assert not panel.read_button.isVisible() and ctx.services.meetings.get(mid).confidentiality_read_at

    console.go_to(0)
    row = next(i for i in range(panel.model.rowCount()) if panel.model.row_object(i)[0].name == "Ms Sample")
    panel.view.selectRow(row)
    qtbot.mouseClick(panel.buttons[next(iter(panel.buttons))], click)  # steps out for the item
    assert panel.count.text() == "In the room for this item: 1 of 2 attending"
    console.toggle_projector()  # the room sees the item: recorded, naming who was there
    shown = [e for e in ctx.ws.audit.search(kind="disclosure", limit=20) if e.summary.startswith("Projected")]
    assert shown and json.loads(shown[0].after or "{}")["present"] == ["DS Example (Police)"]
    console.next_item()
    assert panel.count.text() == "In the room for this item: 2 of 2 attending"  # back for the next one
    console.toggle_projector()
