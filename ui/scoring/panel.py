"""The case view's Scoring tab: the sheet history, and the live widget for the draft or a chosen sheet."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ppo_desktop.domain import ScoreSheet
from ppo_desktop.i18n import N_, _
from ui.context import AppContext
from ui.scoring.widget import ScoringWidget, apply_projector_theme
from ui.table_model import Column, ObjectRole, fmt_date
from ui.widgets import read_only_table

EMPTY = N_("No sheet open. Press Score now to start one; earlier sheets are listed on the left.")
SHEET_COLUMNS: list[Column[ScoreSheet]] = [
    Column(N_("Date"), lambda s: fmt_date(s.scored_on), lambda s: (s.scored_on.isoformat(), s.id)),
    Column(N_("Total"), lambda s: f"{s.total:g}", lambda s: s.total, True),
    Column(N_("State"), lambda s: _(s.state.value)),
    Column(N_("Matrix"), lambda s: f"{s.matrix_id} v{s.matrix_version}"),
    Column(N_("Scorer"), lambda s: s.scorer),
]


class ScoringPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sheets = ctx.services.score_sheets
        self.nominal_id: int | None = None
        self.history_view, self.history = read_only_table(
            SHEET_COLUMNS, _("Score sheet history"), self, newest_first=True
        )
        self.history_view.activated.connect(self._open_row)
        self.history_view.clicked.connect(self._open_row)
        # No Alt letter is free on every screen that shows this panel: its key is Ctrl+Shift+S.
        self.score_button = QPushButton(_("Score now  (Ctrl+Shift+S)"))
        self.score_button.setToolTip(_("Start a new sheet, or continue the draft (Ctrl+Shift+S)"))
        self.score_button.clicked.connect(self.score_now)
        self.widget = ScoringWidget(self.sheets)
        self.widget.saved.connect(self.ctx.broadcast)
        self.widget.finalised.connect(lambda _s: self._reload_history())
        self.empty = QLabel(_(EMPTY))
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)  # one line of it was 1,092 px at 200 % text

        # The sheet in type the back of the room can read, when it is the room's screen (it was
        # reachable only from the screenshot tool).
        self.large_type = QCheckBox(_("Large type for the room  (Ctrl+Shift+G)"))
        self.large_type.toggled.connect(lambda on: apply_projector_theme(self.widget, on))
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+G"), self, self.large_type.toggle)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.history_view.setMaximumHeight(120)
        top = QHBoxLayout()
        side = QVBoxLayout()
        side.addWidget(self.score_button)
        side.addWidget(self.large_type)
        side.addStretch(1)
        top.addLayout(side)
        top.addWidget(self.history_view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.widget, 1)
        self.widget.hide()

    def show_nominal(self, nominal_id: int) -> None:
        self.widget.clear()
        self.widget.hide()
        self.empty.setText(_(EMPTY))
        self.empty.show()
        self.nominal_id = nominal_id
        self._reload_history()
        draft = self.sheets.draft_of(nominal_id)
        if draft is not None:
            self.open_sheet(draft)

    def clear(self) -> None:
        self.widget.clear()
        self.history.clear()
        self.nominal_id = None

    def score_now(self) -> None:
        if self.nominal_id is None:
            return
        nominal_id = self.nominal_id
        made = self.ctx.perform(lambda: self.sheets.start(nominal_id), self.empty)
        if made is None:  # refused (a cohort scored on no matrix): said where the sheet would be
            return
        sheet = made.record
        self._reload_history()
        self.open_sheet(sheet)
        self.widget.focus_first()

    def open_sheet(self, sheet: ScoreSheet) -> None:
        self.empty.hide()
        self.widget.show()
        self.widget.load(sheet)

    def _open_row(self, index: QModelIndex) -> None:
        sheet = index.data(ObjectRole)
        if sheet is not None:
            self.open_sheet(sheet)

    def _reload_history(self) -> None:
        if self.nominal_id is not None:
            self.history.set_rows(self.sheets.history(self.nominal_id))
