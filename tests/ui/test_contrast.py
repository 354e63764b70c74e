"""Text contrast (WCAG 2.2, 1.4.3; EN 301 549 9.1.4.3): at least 4.5:1 for every colour of text the
app sets and every text role of the palette it runs with, in each theme — the coordinator's laptop,
the projector, the item timer's states. Worked out from the colours themselves, not by eye."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.dateless

ROOT = Path(__file__).resolve().parents[2]
MINIMUM = 4.5
RULE = re.compile(r"([^{}\"]*)\{([^{}]*)\}")
HEX = r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|white|black"
COLOUR = re.compile(rf"(?<![-\w])color:\s*({HEX})")
BACKGROUND = re.compile(rf"background(?:-color)?:\s*({HEX})")
DECLARATIONS = re.compile(r"\"((?:[^\"]*?(?:color|background)[^\"]*?))\"")
NAMED = {"white": "#ffffff", "black": "#000000"}


def luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour."""
    c = QColor(NAMED.get(colour, colour))
    channels = []
    for v in (c.redF(), c.greenF(), c.blueF()):
        channels.append(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def pairs(text: str, behind: str) -> list[tuple[str, str, str]]:
    """(where, text colour, background) for each rule or inline declaration that sets a text colour;
    a rule without its own background is read against ``behind``."""
    found = []
    blocks = RULE.findall(text) or [("(inline)", text)]
    for selector, body in blocks:
        for colour in COLOUR.findall(body):
            background = BACKGROUND.search(body)
            against = background.group(1) if background else behind
            found.append((selector.strip() or "(inline)", colour, against))
    return found


def _sources() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text("utf-8") for p in (ROOT / "ui").rglob("*.py")}


def set_colours(window: str) -> list[tuple[str, str, str]]:
    """Every text colour the app's style sheets set, with what it is read against: the projector's
    black for its own sheets, the laptop theme's window colour elsewhere."""
    found = []
    for name, source in _sources().items():
        behind = "#000000" if name.endswith(("meeting/projector.py",)) else window
        for literal in re.findall(r'"""(.*?)"""|"([^"\n]*)"', source, re.S):
            text = literal[0] or literal[1]
            if "color" in text:
                found += [(f"{name}: {where}", fg, bg) for where, fg, bg in pairs(text, behind)]
    return found


def test_the_measure_is_wcag_s() -> None:
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes
    assert ratio("#777777", "#ffffff") < MINIMUM
    sheet = "QLabel#a { color: #777; }\nQLabel#b { color: white; background: #000000; }"
    assert pairs(sheet, "#ffffff") == [("QLabel#a", "#777", "#ffffff"), ("QLabel#b", "white", "#000000")]


def test_every_text_colour_the_app_sets_is_readable(themed: QApplication) -> None:
    window = themed.palette().color(QPalette.ColorRole.Window).name()
    found = set_colours(window)
    assert len(found) >= 12, found  # the theme, the projector, the timer, the banners
    poor = [(where, fg, bg, round(ratio(fg, bg), 2)) for where, fg, bg in found if ratio(fg, bg) < MINIMUM]
    assert poor == []


def test_every_text_role_of_the_palette_is_readable(themed: QApplication) -> None:
    """The palette the app runs with: text on its window, on entry fields, on buttons, selected text,
    tooltips and placeholders (a hint typed into an empty field is still text someone must read)."""
    palette, R = themed.palette(), QPalette.ColorRole
    roles = [
        (R.WindowText, R.Window), (R.Text, R.Base), (R.Text, R.AlternateBase), (R.ButtonText, R.Button),
        (R.HighlightedText, R.Highlight), (R.ToolTipText, R.ToolTipBase), (R.PlaceholderText, R.Base),
    ]  # fmt: skip
    poor = []
    for fg, bg in roles:
        a, b = (palette.color(QPalette.ColorGroup.Active, role).name() for role in (fg, bg))
        if ratio(a, b) < MINIMUM:
            poor.append((fg.name, bg.name, a, b, round(ratio(a, b), 2)))
    assert poor == []
