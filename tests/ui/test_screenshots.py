"""The screenshot command writes a real picture of every main screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from ui.main_window import NAV
from ui.screenshots import write_screenshots

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass


@pytest.mark.slow
def test_screenshots_of_every_screen(tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    assert write_screenshots(tmp_path) == 0
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    # unlock dialog + every screen + a case and its timeline + scoring (normal, projector) + agenda + console
    # and projector × 2
    assert len(pngs) == len(NAV) + 11  # … and a minutes preview
    assert "20-case-timeline.png" in pngs
    laptop = [
        p for p in pngs if p[:2] in {*(f"{i:02d}" for i in range(1, len(NAV) + 1)), "20", "21", "23", "26"}
    ]
    sizes = {p: (QImage(str(tmp_path / p)).width(), QImage(str(tmp_path / p)).height()) for p in laptop}
    assert set(sizes.values()) == {(1366, 768)}, sizes  # every screen fits a 13" laptop
    cohort = QImage(str(tmp_path / "01-cohort.png"))
    assert (cohort.width(), cohort.height()) == (1366, 768)
    assert QImage(str(tmp_path / "22-scoring-projector.png")).width() == 1920
    # Not a blank image: many distinct colours appear (text, table lines, navigation).
    colours = {cohort.pixel(x, y) for x in range(0, 1366, 7) for y in range(0, 768, 7)}
    assert len(colours) > 20
