"""Shared page furniture: protective marking, title, page x of y, generated time and user, and the
audit chain head on every page; embedded fonts; A4 or Letter."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from ppo_desktop import paths
from ppo_desktop.i18n import _, format_date

FONT, BOLD, SYMBOLS = "DejaVuSans", "DejaVuSans-Bold", "Symbola"
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
PAGE_SIZES = {"A4": A4, "Letter": LETTER}
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    partnership: str
    user: str
    generated_at: dt.datetime
    marking: str = DEFAULT_MARKING
    chain_head: str = ""
    page_size: str = "A4"


@cache
def register_fonts() -> None:
    """Embed DejaVu Sans (wide Unicode coverage) so names print as typed and text stays selectable."""
    pdfmetrics.registerFont(TTFont(FONT, str(paths.resource("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(paths.resource("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFont(TTFont(SYMBOLS, str(paths.resource("fonts", "Symbola.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cellbold": ParagraphStyle("cellbold", parent=base, fontName=BOLD, fontSize=8.5, leading=10.5),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2
        ),
    }


def para(text: object, style: str = "body") -> Paragraph:
    """Any text, safely: markup characters escaped, newlines kept, right-to-left script shaped and
    put in display order, and characters DejaVu lacks (most emoji) set in Symbola."""
    lines = [
        escape(line) if line.isascii() else _fallback_fonts(escape(_display_order(line)))
        for line in str(text).split("\n")
    ]
    return Paragraph("<br/>".join(lines), styles()[style])


def _display_order(line: str) -> str:
    """Arabic letters joined (presentation forms) and right-to-left runs reversed for display:
    reportlab lays text out left to right and its own bidi support (rlbidi) is not on PyPI."""
    if not _RTL.search(line):
        return line
    if _ARABIC.search(line):
        line = arabic_reshaper.reshape(line)
    return str(get_display(line, base_dir="L"))  # the documents are English: left-to-right paragraphs


def _fallback_fonts(markup: str) -> str:
    covered, symbols = _coverage()
    out: list[str] = []
    for ch in markup:
        code = ord(ch)
        if code > 0x2000 and code not in covered and code in symbols:
            out.append(f'<font face="{SYMBOLS}">{ch}</font>')
        else:
            out.append(ch)
    return "".join(out)


@cache
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    register_fonts()
    dejavu = pdfmetrics.getFont(FONT).face.charToGlyph
    symbola = pdfmetrics.getFont(SYMBOLS).face.charToGlyph
    return frozenset(dejavu), frozenset(symbola)


def bold(text: object) -> Paragraph:
    return para(text, "cellbold")


def cell(text: object) -> Paragraph:
    return para(text, "cell")


GRID = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe7f1")),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float] | None = None,
    extra: Sequence[tuple[Any, ...]] = (),
    header: bool = True,
) -> Table:
    """A grid table whose text cells wrap; long tables repeat their header row on each page."""
    body = [[c if isinstance(c, Flowable) else cell(c) for c in row] for row in rows]
    if header and body:
        body[0] = [c if not isinstance(rows[0][i], str) else bold(rows[0][i]) for i, c in enumerate(body[0])]
    t = Table(body, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    t.setStyle(TableStyle([*(GRID if header else GRID[:3] + GRID[4:]), *extra]))
    return t


class _NumberedCanvas(Canvas):
    """Two passes over the pages so each can say 'page x of y' (the reportlab recipe)."""

    meta: DocumentMeta

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._furniture(total)
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        meta = self.meta
        width, height = self._pagesize
        self.saveState()
        self.setFont(BOLD, 10)
        self.setFillColor(colors.black)
        self.drawCentredString(width / 2, height - 10 * mm, meta.marking)
        self.setFont(FONT, 8)
        self.drawString(15 * mm, height - 15 * mm, f"{meta.partnership} — {meta.title}")
        self.setFont(BOLD, 10)
        self.drawCentredString(width / 2, 8 * mm, meta.marking)
        self.setFont(FONT, 7.5)
        when = f"{format_date(meta.generated_at)} {meta.generated_at:%H:%M}"
        generated = _("Generated {when} UTC by {user}").format(when=when, user=meta.user)
        chain = _(" · audit chain {head}").format(head=meta.chain_head[:16]) if meta.chain_head else ""
        page = _("Page {page} of {pages}").format(page=self._pageNumber, pages=total)
        # In two languages the stamp runs long: it takes two lines, each shrunk to the margins if it
        # must be (never under 5.5 pt), and the page number goes up a line when it would meet the stamp.
        line, step = width - 30 * mm, 3.2 * mm
        lines = [generated + chain]
        if chain and self.stringWidth(lines[0], FONT, 7.5) > line:
            lines = [generated, _("audit chain {head}").format(head=meta.chain_head[:16])]
        y = 13 * mm + step * (len(lines) - 1)
        for text in lines:
            size = max(5.5, min(7.5, 7.5 * line / self.stringWidth(text, FONT, 7.5)))
            self.setFont(FONT, size)
            self.drawString(15 * mm, y, text)
            y -= step
        crowded = self.stringWidth(lines[-1], FONT, size) + self.stringWidth(page, FONT, 7.5) > line - 5 * mm
        self.setFont(FONT, 7.5)
        self.drawRightString(width - 15 * mm, 13 * mm + (step * len(lines) if crowded else 0), page)
        self.restoreState()


def build(story: list[Flowable], meta: DocumentMeta) -> bytes:
    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE_SIZES[meta.page_size],
        title=meta.title,
        author=meta.partnership,
        subject=meta.marking,
        creator="PPO Panel",
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )

    class Canvas_(_NumberedCanvas):
        pass

    Canvas_.meta = meta
    doc.build(story, canvasmaker=Canvas_)
    return out.getvalue()
