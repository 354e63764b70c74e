"""Import from a spreadsheet: choose the file, map its columns, see every row's fate in a dry run
(with progress, and a Cancel that stops it), settle possible duplicates, then import all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain, islice
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import Strand
from ppo_desktop.i18n import N_, _
from ppo_desktop.imports import counts, nominations, offence_history, vocabulary
from ppo_desktop.imports.counts import CountLine, CountsImport, CountsPlan
from ppo_desktop.imports.nominations import ImportPlan, NominationImport
from ppo_desktop.imports.offence_history import OffenceImport, OffenceLine, OffencePlan
from ppo_desktop.imports.planning import Planning
from ppo_desktop.imports.sources import ImportProblem, Reading, read_rows
from ui.choices_model import ChoiceRow, ChoicesModel, choices_view, people_decided, who_is_this
from ui.context import AppContext, Said, attempt
from ui.dialog import Dialog

KINDS = {
    "nominations": (N_("Nominations"), nominations.FIELDS, nominations.REQUIRED),
    "offences": (
        N_("Offence counts (into draft score sheets)"),
        counts.OFFENCE_FIELDS,
        counts.REQUIRED["offences"],
    ),
    "convictions": (
        N_("Convictions for a cohort year"),
        counts.CONVICTION_FIELDS,
        counts.REQUIRED["convictions"],
    ),
    offence_history.KIND: (
        N_("Offence histories (for the IOM scores)"),
        offence_history.FIELDS,
        offence_history.REQUIRED,
    ),
}
LABELS = {"dob": N_("Date of birth"), "pnc_id": N_("PNC id"), "cro": N_("CRO number"),
          "period_from": N_("Period from"), "period_to": N_("Period to"),
          "person": N_("Person (ref, PNC or CRO)"), "year": N_("Cohort year"),
          "offence_on": N_("Offence date"), "code": N_("Home Office code")}  # fmt: skip
PER_ROW = 3
LISTED = 2000  # rows listed in the dialog, at least (every possible duplicate is; every row has its
# fate in the plan and the summary)


class ImportDialog(Dialog):
    def __init__(self, ctx: AppContext, kind: str = "nominations", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Import from a spreadsheet"))
        self.path: Path | None = None
        self.header: list[str] = []
        self.planning: Planning[Any, Any] | None = None
        self.plan: ImportPlan | CountsPlan | OffencePlan | None = None
        self.ask_file: Callable[[], Path | None] = self._ask_file
        self.ask_reason: Callable[[], str | None] = self._ask_reason
        self.timer = QTimer(self)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._step)

        self.kind = QComboBox()
        for key, (label, _fields, _required) in KINDS.items():
            self.kind.addItem(_(label), key)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind.currentIndexChanged.connect(lambda _i: self._load_header())
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(_("a .csv or .xlsx file"))
        self.choose = QPushButton(_("C&hoose file…"))
        self.choose.clicked.connect(self.choose_file)
        self.source = QLineEdit()
        self.source.setPlaceholderText(
            _("who sent it, e.g. Police intelligence unit (its layout is remembered)")
        )
        self.source.editingFinished.connect(self._load_header)
        # Detection reads most files right; when it does not, the person says how the file is laid out.
        self.delimiter = QComboBox()
        for text, value in (
            (_("detect"), None),
            (_("comma"), ","),
            (_("semicolon"), ";"),
            (_("tab"), "\t"),
            (_("vertical bar"), "|"),
        ):
            self.delimiter.addItem(text, value)
        self.delimiter.setAccessibleName(_("Cells separated by"))
        self.delimiter.currentIndexChanged.connect(lambda _i: self._load_header())
        self.header_row = QSpinBox()
        self.header_row.setRange(0, 100)
        self.header_row.setSpecialValueText(_("detect"))
        self.header_row.setAccessibleName(_("Header row"))
        self.header_row.editingFinished.connect(self._load_header)
        # A file with no strand column (or rows without one): the coordinator says which strand.
        self.strand = QComboBox()
        self.strand.addItem(_("from the file's strand column"), None)
        for s in ctx.session.profile().strands:
            self.strand.addItem(_("all rows without one: {strand}").format(strand=s.value), s.value)
        self.strand.setAccessibleName(_("Strand for rows without one"))
        self.mapping_form = QGridLayout()
        self.columns: dict[str, QComboBox] = {}
        self.dry_run = QPushButton(_("&Dry run"))
        self.dry_run.clicked.connect(self.start_dry_run)
        self.stop = QPushButton(_("&Stop"))
        self.stop.clicked.connect(self.stop_dry_run)
        self.stop.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.fates = ChoicesModel([_("Row"), _("Fate"), _("Why"), _("Decision")], self)
        self.fates.chosen.connect(self._update_import_button)
        self.results = choices_view(self.fates, _("Every row's fate"), self)
        self.results.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.results.setColumnWidth(3, 300)
        self.import_button = QPushButton(_("&Import"))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)

        top = QFormLayout()
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.choose)
        top.addRow(_("&What:"), self.kind)
        top.addRow(_("File:"), file_row)
        top.addRow(_("Sent &by:"), self.source)
        layout_row = QHBoxLayout()
        for label, widget in (
            (_("Cells separated b&y:"), self.delimiter),
            (_("Header &row:"), self.header_row),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            layout_row.addWidget(caption)
            layout_row.addWidget(widget)
        layout_row.addStretch(1)
        top.addRow(_("File layout:"), layout_row)
        self.strand_caption = QLabel(_("S&trand:"))
        self.strand_caption.setBuddy(self.strand)
        top.addRow(self.strand_caption, self.strand)
        run_row = QHBoxLayout()
        run_row.addWidget(self.dry_run)
        run_row.addWidget(self.stop)
        run_row.addWidget(self.progress, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(_("Columns (* required):")))
        layout.addLayout(self.mapping_form)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 3)
        layout.addLayout(buttons)
        self.resize(1100, 700)
        self._load_header()  # the rows this kind of file has (a strand for nominations only)

    # -- file and mapping ---------------------------------------------------------------------------
    def choose_file(self) -> None:
        path = self.ask_file()
        if path is None:
            return
        self.path = path
        self.file.setText(str(path))
        if not self.source.text():
            self.source.setText(path.stem)
        self._load_header()

    def reading(self) -> Reading:
        """How to read the file: detected, unless the person said otherwise."""
        return Reading(self.delimiter.currentData(), self.header_row.value() or None)

    def _importer(self) -> NominationImport | CountsImport | OffenceImport:
        kind = str(self.kind.currentData())
        if kind == offence_history.KIND:
            return self.ctx.services.offence_import()
        if kind != "nominations":
            return self.ctx.services.counts_import(kind)
        chosen = self.strand.currentData()
        return self.ctx.services.nomination_import(Strand(chosen) if chosen else None)

    def _load_header(self) -> None:
        nominations_file = self.kind.currentData() == "nominations"  # only nominations have strands
        self.strand_caption.setVisible(nominations_file)
        self.strand.setVisible(nominations_file)
        self._clear_results()
        while (item := self.mapping_form.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.columns.clear()
        if self.path is None:
            return
        _label, fields, required = KINDS[str(self.kind.currentData())]
        try:
            with read_rows(self.path, self.reading(), vocabulary.counter(fields)) as source:
                self.header = source.header
                notes = source.notes
        except ImportProblem as exc:
            self.status.setText(str(exc))
            return
        guessed = self._importer().mapping_for(self.source.text() or self.path.stem, self.header)
        for i, field in enumerate(fields):
            combo = QComboBox()
            combo.addItem(_("(not in this file)"), None)
            for column in self.header:
                combo.addItem(column, column)
            if field in guessed:
                combo.setCurrentIndex(combo.findData(guessed[field]))
            name = _(LABELS.get(field, field.replace("_", " ").capitalize()))
            caption = QLabel(name + (" *" if field in required else "") + ":")
            caption.setBuddy(combo)
            combo.setAccessibleName(name)
            self.mapping_form.addWidget(caption, i // PER_ROW, 2 * (i % PER_ROW))
            self.mapping_form.addWidget(combo, i // PER_ROW, 2 * (i % PER_ROW) + 1)
            self.columns[field] = combo
        hints = vocabulary.suggestions(fields, self.header, guessed)
        unknown = [
            _("'{heading}' (perhaps {field}?)").format(heading=h, field=f.replace("_", " "))
            for h, f in hints.items()
        ]
        self.status.setText(
            " ".join(
                [
                    _("{n} columns in {file}. Check the mapping, then Dry run.").format(
                        n=len(self.header), file=self.path.name
                    ),
                    *notes,
                    *(
                        [_("Headings not recognised: {headings}.").format(headings=", ".join(unknown))]
                        if unknown
                        else []
                    ),
                ]
            )
        )

    def mapping(self) -> dict[str, str]:
        return {f: str(c.currentData()) for f, c in self.columns.items() if c.currentData() is not None}

    # -- the dry run ------------------------------------------------------------------------------------
    def start_dry_run(self) -> None:
        if self.path is None:
            self.status.setText(_("Choose a file first."))
            return
        self._clear_results()
        path = self.path
        try:
            started = attempt(
                lambda: self._importer().start(
                    path, source=self.source.text(), columns=self.mapping(), reading=self.reading()
                ),
                self.status,
            )
        except ImportProblem as exc:
            self.status.setText(str(exc))
            return
        if started is None:
            return
        self.planning = started.value
        self.progress.show()
        self.dry_run.setEnabled(False)
        self.stop.setEnabled(True)
        self.timer.start()

    def _step(self) -> None:
        planning = self.planning
        if planning is None:
            self.timer.stop()
            return
        self.plan = None
        try:
            stepped = attempt(planning.step, self.status)
            if stepped is not None:
                so_far = ", ".join(f"{n:,} {fate}" for fate, n in sorted(planning.counts.items()))
                self.status.setText(
                    _("Dry run: {rows:,} rows read ({so_far})…").format(
                        rows=planning.rows_read, so_far=so_far
                    )
                )
                if not stepped.value:
                    return
                result = attempt(planning.result, self.status)
                self.plan = result.value if result is not None else None
        except ImportProblem as exc:
            self.status.setText(str(exc))
        self._finish_run()
        if self.plan is not None:
            self._show_plan(self.plan)

    def stop_dry_run(self) -> None:
        if self.planning is not None:
            self.planning.cancel()
        self._finish_run()
        self.status.setText(_("Dry run stopped; nothing was imported."))

    def _finish_run(self) -> None:
        self.timer.stop()
        self.planning = None
        self.progress.hide()
        self.dry_run.setEnabled(True)
        self.stop.setEnabled(False)

    def _show_plan(self, plan: ImportPlan | CountsPlan | OffencePlan) -> None:
        # Rows that need a person (refused, possible duplicates) first; the words are made only for
        # the rows listed (the summary counts every row).
        if isinstance(plan, ImportPlan):
            # Every possible duplicate is listed, however many: each needs its decision.
            decide = [r for r in plan.rows if r.fate == "possible-duplicate"]
            rest = (r for r in plan.rows if r.fate != "possible-duplicate")
            rejected = (r for r in plan.rows if r.fate == "rejected")
            others = (r for r in rest if r.fate != "rejected")
            room = max(0, LISTED - len(decide))
            shown = [
                (r.number, r.fate, r.message, r.nominal_id)
                for r in chain(decide, islice(chain(rejected, others), room))
            ]
            total = len(plan.rows)
        else:
            lines: list[CountLine | OffenceLine] = [*plan.lines]
            lines.sort(key=lambda c: c.ok)  # the rejected first (the rest in the file's order)
            shown = [(c.number, c.fate, c.message, None) for c in lines[:LISTED]]
            total = len(plan.lines)
        self.fates.set_rows([
            ChoiceRow((str(number), fate, message), who_is_this(who) if fate == "possible-duplicate" else (),
                      key=number)
            for number, fate, message, who in shown
        ])  # fmt: skip
        more = (
            _(" ({n:,} are listed, those needing you first)").format(n=len(shown))
            if total > len(shown)
            else ""
        )
        notes = " ".join(plan.notes)
        self.status.setText(
            _("Dry run: {summary}{more}. Nothing has been imported yet. {notes}")
            .format(summary=plan.summary(), more=more, notes=notes)
            .strip()
        )
        self._update_import_button()

    def decisions(self) -> dict[int, int | None]:
        """Each possible duplicate decided: its row → the person it is, or None for a new person."""
        return people_decided(self.fates)

    def _update_import_button(self) -> None:
        plan = self.plan
        if plan is None:
            self.import_button.setEnabled(False)
            return
        if isinstance(plan, ImportPlan):
            undecided = plan.count("possible-duplicate") - len(self.decisions())
            ready = plan.count("rejected") == 0 and undecided == 0
        else:
            ready = not plan.rejected
        self.import_button.setEnabled(
            ready and bool(plan.rows if isinstance(plan, ImportPlan) else plan.lines)
        )

    def _clear_results(self) -> None:
        self.plan = None
        self.fates.set_rows([])
        self.import_button.setEnabled(False)

    # -- the import ---------------------------------------------------------------------------------------
    def run_import(self) -> None:
        plan = self.plan
        if plan is None:
            return
        reason = self.ask_reason()
        if not reason:
            return

        decisions = self.decisions() if isinstance(plan, ImportPlan) else None
        self.import_button.setEnabled(False)  # (again only if the import is refused or stopped)

        def imported(_changes: object) -> None:
            self.status.setText(
                _("Imported: {summary}. The import is recorded in the audit log.").format(
                    summary=plan.summary()
                )
            )
            self.plan = None

        self.ctx.perform_long(
            _("Importing"),
            lambda progress: self.ctx.services.imports.committing(
                plan, decisions, justification=reason, progress=progress
            ),
            Said(self._not_imported),
            imported,
            self,
        )

    def _not_imported(self, text: str) -> None:
        self.status.setText(text)
        self.import_button.setEnabled(self.plan is not None)

    def _ask_file(self) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Import from a spreadsheet"), "", _("Spreadsheets (*.csv *.xlsx *.txt *.tsv)")
        )
        return Path(chosen) if chosen else None

    def _ask_reason(self) -> str | None:
        text, ok = QInputDialog.getText(
            self, _("Why is this being imported?"), _("Reason (recorded in the audit log):")
        )
        return text if ok and text.strip() else None
