"""The retention panel (issue 27): the dry run recorded, a legal hold placed and lifted from the
selected row, an erasure refused while a hold stands — driven through the real buttons."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ppo_desktop.domain import Basis, RemovalReason, Status, Strand
from ppo_desktop.services.cases import NominalDraft
from ui.context import AppContext
from ui.screens.retention import RetentionPanel


def _former(ctx: AppContext) -> int:
    nominal = ctx.services.cases.add_nominal(NominalDraft("Heldback-Retentiontest", "Fictional")).record
    joined = ctx.services.memberships.select(nominal.id, Strand.CATCH_CONVICT, Basis.PROLIFIC,
                                             Status.OFFENDING_CJS, on=dt.date(2017, 1, 1),
                                             authority="Test").record  # fmt: skip
    ctx.services.memberships.remove(
        joined.id, RemovalReason.STOPPED_OFFENDING, authority="Test", on=dt.date(2018, 1, 1)
    )
    return nominal.id


def _row_of(panel: RetentionPanel, nominal_id: int) -> int:
    return next(
        i for i in range(panel.model.rowCount()) if panel.model.row_object(i).nominal_id == nominal_id
    )


def test_a_hold_placed_from_the_panel_stops_the_erasure_until_lifted(qtbot: QtBot, ctx: AppContext) -> None:
    nid = _former(ctx)
    panel = RetentionPanel(ctx)
    qtbot.addWidget(panel)
    panel.ask_reason = lambda _title, _question: "Civil claim (test)"
    panel.ask_confirmation = lambda _due: "Retention review (test)"
    click = Qt.MouseButton.LeftButton

    panel.view.selectRow(_row_of(panel, nid))
    qtbot.mouseClick(panel.hold_button, click)
    assert "Legal hold placed" in panel.status.text()
    assert _row_of(panel, nid) == panel.model.rowCount() - 1  # held back: listed last
    panel.view.selectRow(_row_of(panel, nid))
    qtbot.mouseClick(panel.erase_button, click)
    assert "under a legal hold" in panel.status.text()
    assert ctx.services.cases.nominal(nid).id == nid  # not erased

    panel.view.selectRow(_row_of(panel, nid))
    qtbot.mouseClick(panel.hold_button, click)
    assert "Legal hold lifted" in panel.status.text()
    qtbot.mouseClick(panel.dry_run_button, click)
    assert "dry run is recorded" in panel.status.text()
    assert any(e.summary == "Retention dry run" for e in ctx.ws.audit.search(limit=20))


def test_settings_show_the_retention_schedule_with_its_sources(qtbot: QtBot, ctx: AppContext) -> None:
    from ppo_desktop.services.retention import Retention
    from ui.screens.settings import SettingsScreen

    Retention(ctx.ws).set_period("meetings", 36, "Fictionshire information policy §4.2")
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    text = screen.retention.text()
    assert "Meeting records of closed meetings: 3 years (Fictionshire information policy §4.2)" in text
    assert "People off the scheme: 6 years (local choice, set in the scheme profile)" in text
