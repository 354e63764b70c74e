"""After a demo meeting with scoring, decisions, a projector and a printed-document preview, no file
outside the encrypted store holds personal data (the temporary and per-user data folders are scanned)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs
import pytest
from pytestqt.qtbot import QtBot

from ppo_desktop.domain import DecisionKind, MeetingState
from ui.context import AppContext
from ui.meeting.console import ChairConsole
from ui.reports.screen import ReportsScreen

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass


def snapshot(roots: list[Path], skip: Path) -> dict[Path, float]:
    found: dict[Path, float] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            if Path(dirpath).is_relative_to(skip):
                continue
            for name in files:
                path = Path(dirpath) / name
                try:
                    found[path] = path.stat().st_mtime
                except OSError:
                    continue
    return found


@pytest.mark.slow
def test_no_personal_data_outside_the_store(
    qtbot: QtBot, ctx: AppContext, tmp_path_factory: pytest.TempPathFactory
) -> None:
    roots = [
        Path(tempfile.gettempdir()),
        Path(platformdirs.user_data_dir("PPO Panel", appauthor=False)),
        Path(platformdirs.user_cache_dir("PPO Panel", appauthor=False)),
    ]
    skip = tmp_path_factory.getbasetemp()  # the tests' own (encrypted) stores live here
    if skip.name.startswith("popen-gw"):  # spread over workers (pytest-xdist): every worker's own folder
        skip = skip.parent
    before = snapshot(roots, skip)
    names = [r.nominal.family_name for r in ctx.services.cases.cohort()]

    meeting = next(m.id for m in ctx.services.meetings.all() if m.state is MeetingState.PLANNED)
    ctx.services.meetings.add_proposals(meeting, ctx.services.meetings.proposals(meeting)[:4])
    console = ChairConsole(ctx, meeting)
    qtbot.addWidget(console)
    console.projector.set_curtain(False)
    console.projector.show()
    console.decision_form = lambda kind: {} if kind is DecisionKind.DEFER else None
    for index in range(len(console.items)):
        console.go_to(index)
        console.notes.setPlainText(f"Fictional notes for item {index}")
        console.decide(DecisionKind.DEFER)
    console.scoring.score_now()
    console.finish()
    reports = ReportsScreen(ctx)
    qtbot.addWidget(reports)
    reports.buttons["minutes"].click()
    qtbot.waitUntil(lambda: reports.preview.document is not None)
    console.close()

    after = snapshot(roots, skip)
    touched = [p for p, mtime in after.items() if before.get(p) != mtime]
    leaks = []
    for path in touched:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        leaks += [f"{path}: {n}" for n in names if n.encode() in data or n.upper().encode() in data]
    assert after, "the scan found no files at all"
    assert leaks == [], leaks
