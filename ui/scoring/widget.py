"""The live scoring widget: counts typed with the keyboard alone, totals repainted as you type,
previous sheet beside each line, changes highlighted and marked, draft saved continuously."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import ScoreSheet
from ppo_desktop.i18n import _, format_date
from ppo_desktop.scoring import Breakdown, Definition
from ppo_desktop.services.score_sheets import ScoreSheets
from ui.context import Said, attempt
from ui.scoring.count_editor import CountDelegate
from ui.scoring.counts_model import CountsModel
from ui.scoring.scoring_session import ScoringSession
from ui.scoring.section_editors import section_editors
from ui.widgets import OneLineWhenItFits, wrapping

AUTOSAVE_MS = 700


class ScoringWidget(QWidget):
    """Edits one draft sheet (or shows a final one read-only)."""

    saved = Signal(object)  # Changes, after each autosave / finalise
    scored = Signal(object)  # Breakdown, after every repaint (the projector follows it)
    finalised = Signal(object)  # ScoreSheet
    error = Signal(str)

    def __init__(self, sheets: ScoreSheets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheets = sheets
        self.session: ScoringSession | None = None  # the sheet being scored (None: no sheet shown)
        self._syncing = False
        self._editors: dict[str, Any] = {}
        self._points: dict[str, QLabel] = {}

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.flush)

        self.title = QLabel()
        self.title.setObjectName("sheetTitle")
        self.title.setWordWrap(True)
        self.total = OneLineWhenItFits()  # at 200 % text "previous 19 (-19)" goes under the total
        self.total.setObjectName("sheetTotal")
        self.total.setAccessibleName(_("Total score"))
        self.status = wrapping(QLabel())  # beside the Finalise button: wraps rather than widening the sheet
        self.status.setObjectName("hint")
        self.pnc_marker = QCheckBox(_("&PNC marker"))
        self.pnc_marker.toggled.connect(self._pnc_toggled)
        self.finalise_button = QPushButton(_("&Finalise sheet  (Ctrl+Enter)"))
        self.finalise_button.clicked.connect(self.finalise)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.finalise)

        self.table = QTableView()
        self.table.setAccessibleName(_("Crime categories: counts"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.setMinimumWidth(360)  # 560 with the details beside it made the console 1,408 px wide
        self.table.setItemDelegate(CountDelegate(self.table))
        # Category names wrap rather than being cut to "Bur…" on a 13" screen.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.installEventFilter(self)
        self.model: CountsModel | None = None

        self.other = QVBoxLayout()
        self.flags = QLabel()
        self.flags.setWordWrap(True)
        self.flags.setObjectName("sheetFlags")
        self.readings = QLabel()
        self.readings.setWordWrap(True)
        self.readings.setObjectName("hint")

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addLayout(self.other)
        side_layout.addWidget(self.flags)
        side_layout.addWidget(self.readings)
        side_layout.addStretch(1)
        scroll = self.side_scroll = QScrollArea()
        scroll.setAccessibleName(_("Sheet details"))
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wrap, never clip
        scroll.setMinimumWidth(240)

        head = QHBoxLayout()
        # The title gives way first (it wraps into what is left); the total keeps one line while it can.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(self.title.fontMetrics().horizontalAdvance("Prolific Offender"))
        head.addWidget(self.title, 1)
        head.addWidget(self.pnc_marker)
        head.addWidget(self.total)
        self.body = body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addWidget(scroll, 2)
        foot = QHBoxLayout()
        foot.addWidget(self.status, 1)
        foot.addWidget(self.finalise_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addLayout(body, 1)
        layout.addLayout(foot)

    # -- what the session holds -------------------------------------------------------------
    @property
    def sheet(self) -> ScoreSheet | None:
        return self.session.sheet if self.session else None

    @property
    def defn(self) -> Definition | None:
        return self.session.defn if self.session else None

    @property
    def inputs(self) -> dict[str, Any]:
        return self.session.inputs if self.session else {}

    @property
    def breakdown(self) -> Breakdown | None:
        return self.session.breakdown if self.session else None

    @property
    def previous(self) -> dict[str, float] | None:
        return self.session.previous if self.session else None

    @property
    def previous_total(self) -> float | None:
        return self.session.previous_total if self.session else None

    @property
    def dirty(self) -> bool:
        return self.session is not None and self.session.dirty

    # -- loading -------------------------------------------------------------------------
    def load(self, sheet: ScoreSheet) -> None:
        self.flush()
        self.session = ScoringSession(self.sheets, sheet)
        self.model = CountsModel(self.session.defn, self)
        self.model.read_only = sheet.final
        self.model.counts_edited.connect(self._count_edited)
        self.model.set_state(self.inputs, self.session.breakdown, self.previous)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(48)
        # Size the columns once: a ResizeToContents header would re-measure every cell on each keystroke.
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self._build_other_sections(self.session.defn)
        self._syncing = True
        self.pnc_marker.setChecked(sheet.pnc_marker)
        self._syncing = False
        self.pnc_marker.setEnabled(not sheet.final)
        self.finalise_button.setEnabled(not sheet.final)
        self.status.setText(
            _(
                "Final: scored {day}; a record that is never rewritten (re-scoring starts a new sheet)."
            ).format(day=format_date(sheet.scored_on))
            if sheet.final
            else _("Draft: saved as you type.")
        )
        state = _("FINAL — never rewritten") if sheet.final else _("Draft — saved as you type")
        self.title.setText(f"{self.session.defn.title} · {self.session.defn.label} · {state}")
        self._refresh()
        first = next((i for i, item in enumerate(self.model.items) if not item.heading), None)
        if first is not None:  # an ASSET sheet has no count table
            self.table.setCurrentIndex(self.model.index(first, 2))
        self.table.setVisible(bool(self.model.items))

    def focus_first(self) -> None:
        """The keyboard into the sheet: its first count cell, or — on a sheet with no count table, as
        ASSET's P&D sheet — its first answer (the cursor once stayed in the agenda list, and the
        digits typed for the ASSET score went there)."""
        if self.model is not None and self.model.items:
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif editor := next(iter(self._editors.values()), None):
            editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def clear(self) -> None:
        self.flush()
        self.session = None
        self.model = None
        self.table.setModel(None)
        self._clear_other()

    # -- editing -------------------------------------------------------------------------
    def _count_edited(self, section: str, row: str, column: str, count: int) -> None:
        assert self.session is not None
        self.session.set_count(section, row, column, count)
        self._changed(edited=row)

    def set_value(self, section: str, value: Any) -> None:
        if self._syncing or self.session is None:
            return
        self.session.set_value(section, value)
        self._changed()

    def set_sub_value(self, section: str, key: str, value: Any) -> None:
        if self._syncing or self.session is None:
            return
        self.session.set_sub_value(section, key, value)
        self._changed()

    def _pnc_toggled(self, _on: bool) -> None:
        if not self._syncing and self.session is not None:
            self.session.marker_changed()
            self._changed()

    def _changed(self, edited: str | None = None) -> None:
        """Show the new scores at once and start the autosave countdown."""
        assert self.session is not None and self.model is not None
        self.model.update_scores(self.inputs, self.session.breakdown, edited)
        self._refresh()
        self.status.setText(_("Unsaved changes…"))
        self.timer.start()

    def _draft_not_saved(self, text: str) -> None:
        self.status.setText(text)
        self.error.emit(text)

    def flush(self) -> None:
        """Save the draft now (the timer calls this; so do finalise, lock and leaving the case)."""
        self.timer.stop()
        if self.session is None or not self.session.dirty or not self.sheets.can_save():
            return
        session = self.session
        saved = attempt(lambda: session.save_draft(self.pnc_marker.isChecked()), Said(self._draft_not_saved))
        if saved is None:
            return
        made = saved.value
        if made is not None:
            self.status.setText(_("Draft saved."))
            self.saved.emit(made)

    def finalise(self) -> None:
        if self.session is None or self.session.final:
            return
        self.flush()
        if self.session.dirty:
            return
        made = self.session.finalise()
        self.saved.emit(made)
        self.finalised.emit(made.record)
        self.load(made.record)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Leaving the sheet (another case, another tab, locking) saves the draft at once."""
        self.flush()
        super().hideEvent(event)

    # -- keyboard: +/- on a count cell -----------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and self.model is not None:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Plus: 1, Qt.Key.Key_Equal: 1, Qt.Key.Key_Minus: -1}.get(Qt.Key(event.key()))
            index = self.table.currentIndex()
            if step and index.isValid() and self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                current = int(self.model.data(index, Qt.ItemDataRole.EditRole))
                self.model.setData(index, max(0, current + step))
                return True
        return super().eventFilter(watched, event)

    # -- the other sections ------------------------------------------------------------------
    def _clear_other(self) -> None:
        while self.other.count():
            item = self.other.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self._editors.clear()
        self._points.clear()

    def _build_other_sections(self, defn: Definition) -> None:
        self._clear_other()
        read_only = self.sheet is not None and self.sheet.final
        self._syncing = True
        for s in defn.sections:
            if s.kind == "counts":
                continue
            box = QGroupBox(s.title)
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            form = QFormLayout(box)
            # A caption too long for the column goes above its answer, whole: wrapped beside it, the
            # form gave the row the answer's height and cut the caption's lines ("Family /
            # relationship problems" at 1366 and on a shared 1920 screen).
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            if s.note:
                note = QLabel(s.note)
                note.setWordWrap(True)
                note.setObjectName("hint")
                form.addRow(note)
            rows, editors = section_editors(s, self.inputs.get(s.key), self.set_value, self.set_sub_value)
            self._editors.update(editors)
            for key, label, editor in rows:
                editor.setEnabled(not read_only)
                editor.setAccessibleName(label)
                points = QLabel()
                points.setObjectName("linePoints")
                self._points[key] = points
                row = QHBoxLayout()
                row.addWidget(editor, 1)
                row.addWidget(points)
                caption = QLabel(label)
                caption.setBuddy(editor)
                form.addRow(caption, row)
            self.other.addWidget(box)
        self._syncing = False
        # Made after the window's other widgets, the answers came last in the Tab chain: Tab from the
        # last one left the sheet for the agenda list. The chain is the sheet's own, in reading order.
        chain = [*self._editors.values(), self.pnc_marker, self.finalise_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    # -- painting ------------------------------------------------------------------------
    def _refresh(self) -> None:
        b = self.breakdown
        if b is None:
            return
        for line in b.lines:
            label = self._points.get(line.key)
            if label is None:
                continue
            prev = None if self.previous is None else self.previous.get(line.key, 0.0)
            change = "" if prev is None or prev == line.score else f"  ({line.score - prev:+g})"
            label.setText(_("{score:g} pts{change}").format(score=line.score, change=change))
            label.setToolTip(line.rule)
            editor = self._editors.get(line.key)
            if isinstance(editor, QLabel):
                editor.setText(line.value or "0")
        prev_total = (
            ""
            if self.previous_total is None
            else _("   previous {before:g} ({change:+g})").format(
                before=self.previous_total, change=b.total - self.previous_total
            )
        )
        self.total.setText(_("Total {total:g}{prev_total}").format(total=b.total, prev_total=prev_total))
        flags = self.session.flags() if self.session is not None else b.flags
        self.flags.setText("\n".join(f.text + (_(" (advisory)") if f.advisory else "") for f in flags))
        self.scored.emit(b)
        readings = "\n".join(f"• {r}" for r in b.readings)
        self.readings.setText(_("Readings of unexplained markers:") + "\n" + readings if readings else "")


def apply_projector_theme(widget: ScoringWidget, on: bool) -> None:
    """Large type for the room: the same widget, readable at the back; the count table gets the width."""
    widget.setProperty("projector", on)
    widget.setStyleSheet(PROJECTOR_QSS if on else "")
    widget.table.resizeColumnsToContents()  # the type size changed
    # The side panel keeps room for its notes and choices in the large type (1 part in 4 clipped them).
    widget.body.setStretch(0, 3)
    widget.body.setStretch(1, 2)


PROJECTOR_QSS = """
QWidget { font-size: 18pt; }
QLabel#sheetTotal { font-size: 30pt; font-weight: 700; }
QLabel#sheetTitle { font-size: 16pt; }
QTableView { font-size: 18pt; }
QHeaderView::section { font-size: 16pt; }
"""
