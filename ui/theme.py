"""Style sheets: the coordinator's laptop theme (the projector theme lives with the projector)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

NORMAL = """
QLabel#screenTitle { font-size: %(title)spt; font-weight: 600; margin: 4px 0 6px 0; }
QLabel#sectionTitle { font-size: %(larger)spt; font-weight: 600; margin-top: 8px; }
QLabel#fieldCaption { color: #333; font-weight: 600; }
QLabel#hint { color: #444; }
QLabel#demoBanner { background: #fff3c4; color: #3a2e00; padding: 6px; border: 1px solid #c9a800; }
QLabel#error { color: #a40000; font-weight: 600; }
QLabel#sheetTotal { font-size: %(total)spt; font-weight: 700; padding-left: 12px; }
QLabel#sheetTitle { font-weight: 600; }
QLabel#sheetFlags { font-weight: 600; }
QListWidget#nav { font-size: %(larger)spt; min-width: 150px; }
QListWidget#nav::item { padding: 8px 10px; }
QListWidget#nav::item:selected { background: #1f4e79; color: white; }  /* SELECTED */
QTableView { gridline-color: #d0d0d0; }
QHeaderView::section { font-weight: 600; padding: 4px; }
QLineEdit, QComboBox, QAbstractSpinBox, QPushButton, QCheckBox, QRadioButton { min-height: 24px; }
"""
# The last rule: WCAG 2.2's minimum target size (2.5.8) — nothing a person clicks or types into is
# under 24 px high (the search box was 23 px, the number boxes 20). Type sizes are the person's own
# text size scaled (1.4.4: at 200 % text the titles and the navigation grew with it; fixed, they
# stayed at 12 and 16 pt).
SCALES = {"larger": 1.2, "title": 1.6, "total": 1.8}


def style(base_points: float) -> str:
    return NORMAL % {k: round(base_points * v, 1) for k, v in SCALES.items()}


SELECTED = "#1f4e79"  # selected rows and text: white on it reads at 8.9:1 (the style's own blue: 3.7:1)


def apply(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    palette = app.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, QColor(SELECTED))
        palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    app.setPalette(palette)
    app.setStyleSheet(style(font.pointSizeF()))
