"""Candidates: the pool of a strand ranked with its cohort (002 §4.5), the capacity line drawn, and the
open nominations from every agency."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ppo_desktop.domain import Nominal, Nomination, Strand
from ppo_desktop.rules.ranking import RankedEntry, Ranking
from ppo_desktop.scoring.rfg import RfgScore
from ui.context import AppContext
from ui.refresh import RefreshWhenShown
from ui.table_model import Column, RecordTableModel, fmt_date
from ui.widgets import read_only_table, shrinkable, title_label

BELOW_LINE = QBrush(QColor("#eeeeee"))
THRESHOLD = "Selection threshold or entry rule"  # a matrix's threshold (P&D), or an IOM cohort's entry rule
ENTRY = "the entry rule"  # how an IOM cohort's reading names it
IOM = "rfgv"  # the combo's choice for the IOM ranking (by the scores definition), beside the strands
IOM_COLUMNS: list[Column[tuple[Nominal, RfgScore]]] = [
    Column("Ref", lambda p: p[0].ref),
    Column("Name", lambda p: p[0].display_name),
    Column("Score", lambda p: str(p[1].total), lambda p: p[1].total, True),
    Column("Band", lambda p: p[1].band),
    Column("Why (each part explained)", lambda p: "; ".join(p[1].lines)),
]


def _score(r: RankedEntry) -> str:
    if r.entry.total is None:
        return "not scored"
    text = f"{r.entry.total:g}" + (" (draft)" if r.entry.draft else "")
    if r.entry.stale and r.entry.scored_on is not None:
        text += f" — OLD: {fmt_date(r.entry.scored_on)}"
    return text


POOL_COLUMNS: list[Column[RankedEntry]] = [
    Column("Rank", lambda r: str(r.rank), lambda r: r.rank, True),
    Column("Ref", lambda r: r.entry.ref),
    Column("Name", lambda r: r.entry.name),
    Column("On the strand?", lambda r: "member" if r.entry.is_member else "candidate"),
    Column("Latest score", _score, lambda r: -1 if r.entry.total is None else r.entry.total, True),
    Column("Since", lambda r: fmt_date(r.entry.since), lambda r: r.entry.since.isoformat()),
    Column("Capacity line", lambda r: _line(r)),
    Column(THRESHOLD, lambda r: r.entry.why or "none stated by the matrix"),
    Column("Inclusion criteria", lambda r: r.entry.inclusion or "none in this profile"),
]


def _line(r: RankedEntry) -> str:
    if r.above_line:
        return "within capacity"
    if r.entry.total is not None and not r.entry.eligible:
        return f"── not eligible ({'entry rule not met' if ENTRY in r.entry.why else 'below the threshold'})"
    return "── below the line"


class PoolModel(RecordTableModel[RankedEntry]):
    """Rows below the capacity line are shaded and say so in words (never colour alone)."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and index.isValid()
            and not self.row_object(index.row()).above_line
        ):
            return BELOW_LINE
        return super().data(index, role)


class CandidatesScreen(RefreshWhenShown, QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pools = ctx.services.pools
        self.strand = QComboBox()
        profile = ctx.session.profile()
        for s in profile.strands:
            name = profile.strand_name(s)
            self.strand.addItem(name if name.startswith(s.value) else f"{s.value} — {name}", s.value)
        self.strand.addItem("IOM score (recency, frequency, gravity, victims)", IOM)
        self.strand.setCurrentIndex(max(0, self.strand.findData(Strand.CATCH_CONVICT.value)))
        self.strand.setAccessibleName("Strand to rank")
        shrinkable(self.strand)
        self.strand.currentIndexChanged.connect(lambda _i: self.reload())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.pool_view, _ = read_only_table(POOL_COLUMNS, "Ranked pool", self)
        self.pool = PoolModel(POOL_COLUMNS, self)
        self.pool_view.model().setSourceModel(self.pool)  # type: ignore[attr-defined]
        self.iom_view, self.iom = read_only_table(IOM_COLUMNS, "Ranked by the IOM score", self)
        self.iom_view.hide()
        names: dict[int, str] = {}
        self._names = names
        nomination_columns: list[Column[Nomination]] = [
            Column("Nominated", lambda n: fmt_date(n.nominated_on), lambda n: n.nominated_on.isoformat()),
            Column("Name", lambda n: names.get(n.nominal_id, "")),
            Column("Strand", lambda n: n.strand.value),
            Column("Basis", lambda n: n.basis.value),
            Column("Agency", lambda n: n.agency),
            Column("Nominator", lambda n: n.nominator),
            Column("Reason", lambda n: n.reason),
        ]
        self.nominations_view, self.nominations = read_only_table(
            nomination_columns, "Open nominations", self
        )

        top = QHBoxLayout()
        top.addWidget(title_label("Candidates & pool"), 1)
        new = QPushButton("&New nomination…")
        new.clicked.connect(self.nominate)
        top.addWidget(new)
        bring = QPushButton("Im&port…")
        bring.setToolTip("Nominations or offence counts from a police spreadsheet (CSV or Excel)")
        bring.clicked.connect(self.import_file)
        top.addWidget(bring)
        caption = QLabel("&Rank the pool for:")
        caption.setBuddy(self.strand)
        top.addWidget(caption)
        top.addWidget(self.strand)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.pool_view, 3)
        layout.addWidget(self.iom_view, 3)
        layout.addWidget(title_label("Open nominations", "sectionTitle"))
        layout.addWidget(self.nominations_view, 2)
        self.watch(ctx, {"nominations", "nominals", "memberships", "score_sheets", "score_drafts", "settings",
                         "offences"})  # fmt: skip
        self.reload()

    def nominate(self) -> None:
        from ui.nomination_dialog import NominationDialog

        NominationDialog(self.ctx, self).exec()

    def import_file(self) -> None:
        from ui.imports.import_dialog import ImportDialog

        ImportDialog(self.ctx, "nominations", self).exec()

    def reload(self) -> None:
        iom = self.strand.currentData() == IOM
        self.pool_view.setVisible(not iom)
        self.iom_view.setVisible(iom)
        if iom:
            self._reload_iom()
        else:
            self._reload_strand(Strand(self.strand.currentData()))
        self._names.update({r.nominal.id: r.nominal.display_name for r in self.ctx.services.cases.cohort()})
        self.nominations.set_rows(self.ctx.services.nominations.open_nominations())

    def _reload_iom(self) -> None:
        offences, day = self.ctx.services.offences, self.ctx.session.today()
        ranked = offences.ranked(day)
        self.iom.set_rows(ranked)
        definition = offences.definition()
        self.summary.setText(
            f"{len(ranked)} people with a score as at {day:%d %b %Y}, ranked by {definition.title} "
            f"(version {definition.version}; {definition.source}). The score is computed from their "
            "recorded offences each time, never stored; each part is explained."
        )

    def _reload_strand(self, strand: Strand) -> None:
        ranking = self.pools.pool(strand)
        self.pool.set_rows(ranking.rows)
        # The threshold and inclusion columns only where the matrix / profile states them.
        headers = [c.title for c in POOL_COLUMNS]
        self.pool_view.setColumnHidden(
            headers.index(THRESHOLD), not any(r.entry.why for r in ranking.rows)
        )
        self.pool_view.setColumnHidden(
            headers.index("Inclusion criteria"), not any(r.entry.inclusion for r in ranking.rows)
        )
        self.summary.setText(self._summary(ranking, strand))

    def _summary(self, ranking: Ranking, strand: Strand) -> str:
        profile = self.ctx.session.profile()
        rule = profile.entry_rules.get(strand)
        if strand in profile.matrices:
            on = f"on their latest sheet on {profile.matrices[strand]}"
        else:
            scores = self.ctx.services.offences.definition()
            on = f"by the IOM score as at {self.ctx.session.today():%d %b %Y} ({scores.title})"
        out = [
            f"{profile.strand_name(strand)}: {len(ranking.rows)} people ranked {on}; "
            f"capacity {ranking.capacity} ({profile.name}: {ranking.line_note}). "
            f"Ties: {profile.tie_break} ({profile.source_of('tie_break')})."
        ]
        if rule is not None:
            out.append(f"Entry: {rule.text} ({rule.source}); only those who meet it are within capacity.")
        out += [f"Counted together: {note}." for note in ranking.group_notes]
        if ranking.stale:
            out.append(
                f"Sheets older than the re-scoring window ({ranking.stale_note}): {len(ranking.stale)} "
                "— they still rank, marked OLD; score them again before relying on the order."
            )
        if ranking.shortfall:
            out.append(
                f"Shortfall: {ranking.eligible} eligible, {ranking.shortfall} short of the minimum of "
                f"{ranking.minimum}. The places stay empty: nobody below the threshold is counted in."
            )
        ins, outs = ranking.candidates_above_line, ranking.members_below_line
        if ins or outs:
            out.append(
                "Would change places — in: "
                + (", ".join(e.name for e in ins) or "nobody")
                + "; out: "
                + (", ".join(e.name for e in outs) or "nobody")
                + "."
            )
        else:
            out.append("Nobody would change places.")
        below = ranking.members_below_threshold
        if below:
            out.append(
                f"Members below the threshold ({len(below)}; the de-selection prompt): "
                + ", ".join(e.name for e in below)
                + "."
            )
        return "\n".join(out)
