"""The projector never crops: with the longest content a meeting produces, at every size from
1280×720 to 3840×2160, every label gets the height its wrapped text needs and sits inside the
window; long lines are shortened with "…more" and paged with F7, never cut in half."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from ppo_desktop.projection import Projection
from ui.meeting.projector import FLOOR, MORE, ProjectorWindow

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass

LONG_REASONS = "; ".join(
    [
        "New nomination for C&C by Police, 05 Jun 2026",
        "C&C review due 01 Sep 2026 (overdue) (every 6 months). Settled by: retain, move strand, de-select, "
        "amber list or IOM cohort (deferring does not settle it).",
        "On the scheme since 10 Jan 2024 (any strand): two-year review, due 10 Jan 2026. Settled by: retain, "
        "move strand, de-select, amber list or IOM cohort (deferring does not settle it).",
        "No arrest and no intelligence since 26 Apr 2026 (6 continuous months): consider de-selection unless "
        "there are other indications such as continued drug misuse.",
        "3 overdue actions (oldest due 14 Nov 2026)",
    ]
)
ACTIONS = "; ".join(
    f"{p} — Probation and Community Rehabilitation Service, due 14 Mar 2027"
    for p in (
        "Education, training & employment",
        "Attitudes, thinking & behaviour",
        "Finance, benefit & debt",
        "Mental & physical health",
        "Children & families",
        "Accommodation",
    )  # fmt: skip
)
LONGEST = Projection(
    heading="FEATHERSTONEHAUGH-WOBBLEFORTH, Maximilian Bartholomew Horatio",
    progress="C&C / R&R Prolific and Priority Offender selection panel · item 47 of 54",
    lines=(
        ("Reference", "N00047"),
        ("Age", "37"),
        ("Area", "Northbrook and Eastmarsh Neighbourhood Policing Area"),
        ("Strand", "Rehabilitate & Resettle · prolific · Offending and subject to the CJS"),
        ("On the agenda", LONG_REASONS),
        ("Score", "143   (previous 128, +15)"),
        ("Decision", "De-select — Catch & Convict — Has stopped or reduced offending and changed lifestyle"),
        ("Open actions", ACTIONS),
    ),
)


def _labels(window: ProjectorWindow) -> list[QLabel]:
    return [w for w in window.findChildren(QLabel) if w.isVisibleTo(window) and w.text()]


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080), (3840, 2160)])
def test_nothing_is_cropped_at_any_size(qtbot: QtBot, size: tuple[int, int]) -> None:
    window = ProjectorWindow()
    qtbot.addWidget(window)
    window.resize(*size)
    window.set_curtain(False)
    window.show()
    window.show_projection(LONGEST)
    window.layout().activate()
    QApplication.processEvents()
    for label in _labels(window):
        needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
        assert label.height() >= needed, (size, label.text()[:40], label.height(), needed)
        assert label.mapTo(window, label.rect().bottomRight()).y() <= window.height(), (
            size,
            label.text()[:40],
        )
    values = [lb for lb in _labels(window) if lb.objectName() == "" and lb is not window.heading]
    assert min(lb.font().pixelSize() for lb in values) >= round(FLOOR * size[1] / 1080) - 1  # legible


def test_a_shortened_line_pages_with_f7_and_nothing_is_lost(qtbot: QtBot) -> None:
    window = ProjectorWindow()
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.set_curtain(False)
    window.show()
    crowded = Projection(LONGEST.heading, LONGEST.progress, (*LONGEST.lines, ("Notes", LONG_REASONS * 2)))
    window.show_projection(crowded)
    shortened = [lb for lb in _labels(window) if lb.text().endswith(MORE)]
    assert shortened  # too much for 720 lines at the floor size: shortened, not clipped
    label = shortened[0]
    whole = next(text for _caption, text in crowded.lines if text.startswith(label.text().removesuffix(MORE)))
    seen = label.text().removesuffix(MORE)
    for _ in range(50):
        window.page_more()
        if not label.text().startswith("…"):
            break  # back to the start: every part has been shown
        seen += label.text().removeprefix("…").removesuffix(MORE)
    assert seen == whole  # every word reached the room, in order
