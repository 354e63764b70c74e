"""Candidates: the pool of a strand ranked with its cohort (002 §4.5), the capacity line drawn, and the
open nominations from every agency."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ppo_desktop.domain import Nominal, Nomination, Strand
from ppo_desktop.i18n import N_, _
from ppo_desktop.rules.ranking import RankedEntry, Ranking
from ppo_desktop.scoring.rfg import RfgScore
from ui.context import AppContext
from ui.flow_layout import flowing
from ui.refresh import RefreshWhenShown
from ui.table_model import Column, RecordTableModel, fmt_date
from ui.widgets import read_only_table, shrinkable, title_label

BELOW_LINE = QBrush(QColor("#eeeeee"))
THRESHOLD = N_("Selection threshold or entry rule")  # a matrix's threshold (P&D), or an IOM cohort's rule
IOM = "rfgv"  # the combo's choice for the IOM ranking (by the scores definition), beside the strands
def iom_columns() -> list[Column[tuple[Nominal, RfgScore]]]:
    """The IOM ranking's columns, in the reader's language (made when the screen is)."""
    return [
        Column(_("Ref"), lambda p: p[0].ref),
        Column(_("Name"), lambda p: p[0].display_name),
        Column(_("Score"), lambda p: str(p[1].total), lambda p: p[1].total, True),
        Column(_("Band"), lambda p: p[1].band),
        Column(_("Why (each part explained)"), lambda p: "; ".join(p[1].lines)),
    ]


def _score(r: RankedEntry) -> str:
    if r.entry.total is None:
        return _("not scored")
    text = f"{r.entry.total:g}" + (_(" (draft)") if r.entry.draft else "")
    if r.entry.stale and r.entry.scored_on is not None:
        text += _(" — OLD: {day}").format(day=fmt_date(r.entry.scored_on))
    return text


def pool_columns() -> list[Column[RankedEntry]]:
    """The ranked pool's columns, in the reader's language (made when the screen is)."""
    return [
        Column(_("Rank"), lambda r: str(r.rank), lambda r: r.rank, True),
        Column(_("Ref"), lambda r: r.entry.ref),
        Column(_("Name"), lambda r: r.entry.name),
        Column(_("On the strand?"), lambda r: _("member") if r.entry.is_member else _("candidate")),
        Column(_("Latest score"), _score, lambda r: -1 if r.entry.total is None else r.entry.total, True),
        Column(_("Since"), lambda r: fmt_date(r.entry.since), lambda r: r.entry.since.isoformat()),
        Column(_("Capacity line"), lambda r: _line(r)),
        Column(_(THRESHOLD), lambda r: r.entry.why or _("none stated by the matrix")),
        Column(_("Inclusion criteria"), lambda r: r.entry.inclusion or _("none in this profile")),
    ]


def _line(r: RankedEntry) -> str:
    if r.above_line:
        return _("within capacity")
    if r.entry.total is not None and not r.entry.eligible:
        if r.entry.by_entry_rule:
            return _("── not eligible (entry rule not met)")
        return _("── not eligible (below the threshold)")
    return _("── below the line")


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
            name = _(profile.strand_name(s))
            self.strand.addItem(name if name.startswith(s.value) else f"{s.value} — {name}", s.value)
        self.strand.addItem(_("IOM score (recency, frequency, gravity, victims)"), IOM)
        self.strand.setCurrentIndex(max(0, self.strand.findData(Strand.CATCH_CONVICT.value)))
        self.strand.setAccessibleName(_("Strand to rank"))
        shrinkable(self.strand)
        self.strand.currentIndexChanged.connect(lambda _i: self.reload())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self._columns = pool_columns()
        self.pool_view, _model = read_only_table(self._columns, _("Ranked pool"), self)
        self.pool = PoolModel(self._columns, self)
        self.pool_view.model().setSourceModel(self.pool)  # type: ignore[attr-defined]
        self.iom_view, self.iom = read_only_table(iom_columns(), _("Ranked by the IOM score"), self)
        self.iom_view.hide()
        names: dict[int, str] = {}
        self._names = names
        nomination_columns: list[Column[Nomination]] = [
            Column(_("Nominated"), lambda n: fmt_date(n.nominated_on), lambda n: n.nominated_on.isoformat()),
            Column(_("Name"), lambda n: names.get(n.nominal_id, "")),
            Column(_("Strand"), lambda n: n.strand.value),
            Column(_("Basis"), lambda n: _(n.basis.value)),
            Column(_("Agency"), lambda n: n.agency),
            Column(_("Nominator"), lambda n: n.nominator),
            Column(_("Reason"), lambda n: n.reason),
        ]
        self.nominations_view, self.nominations = read_only_table(
            nomination_columns, _("Open nominations"), self
        )

        top = QHBoxLayout()
        top.addWidget(title_label(_("Candidates & pool")), 1)
        new = QPushButton(_("&New nomination…"))
        new.clicked.connect(self.nominate)
        bring = QPushButton(_("Im&port…"))
        bring.setToolTip(_("Nominations or offence counts from a police spreadsheet (CSV or Excel)"))
        bring.clicked.connect(self.import_file)
        caption = QLabel(_("&Rank the pool for:"))
        caption.setBuddy(self.strand)
        rank = QWidget()
        rank_row = QHBoxLayout(rank)
        rank_row.setContentsMargins(0, 0, 0, 0)
        rank_row.addWidget(caption)
        rank_row.addWidget(self.strand)
        top.addWidget(flowing(new, bring, rank), 2)  # wraps where the words are long
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.pool_view, 3)
        layout.addWidget(self.iom_view, 3)
        layout.addWidget(title_label(_("Open nominations"), "sectionTitle"))
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
            _("{n} people with a score as at {day}, ranked by {title} (version {version}; {source}). The "
              "score is computed from their recorded offences each time, never stored; each part is "
              "explained.").format(n=len(ranked), day=fmt_date(day), title=definition.title,
                                   version=definition.version, source=definition.source)
        )  # fmt: skip

    def _reload_strand(self, strand: Strand) -> None:
        ranking = self.pools.pool(strand)
        self.pool.set_rows(ranking.rows)
        # The threshold and inclusion columns only where the matrix / profile states them.
        headers = [c.title for c in self._columns]
        self.pool_view.setColumnHidden(
            headers.index(_(THRESHOLD)), not any(r.entry.why for r in ranking.rows)
        )
        self.pool_view.setColumnHidden(
            headers.index(_("Inclusion criteria")), not any(r.entry.inclusion for r in ranking.rows)
        )
        self.summary.setText(self._summary(ranking, strand))

    def _summary(self, ranking: Ranking, strand: Strand) -> str:
        profile = self.ctx.session.profile()
        rule = profile.entry_rules.get(strand)
        if strand in profile.matrices:
            on = _("on their latest sheet on {matrix}").format(matrix=profile.matrices[strand])
        else:
            scores = self.ctx.services.offences.definition()
            on = _("by the IOM score as at {day} ({title})").format(
                day=fmt_date(self.ctx.session.today()), title=scores.title)  # fmt: skip
        out = [
            _("{strand}: {n} people ranked {on}; capacity {capacity} ({profile}: {line}). Ties: {ties} "
              "({source}).").format(
                strand=_(profile.strand_name(strand)), n=len(ranking.rows), on=on, capacity=ranking.capacity,
                profile=profile.name, line=ranking.line_note, ties=profile.tie_break,
                source=profile.source_of("tie_break"))  # fmt: skip
        ]
        if rule is not None:
            out.append(_("Entry: {rule} ({source}); only those who meet it are within capacity.").format(
                rule=rule.text, source=rule.source))  # fmt: skip
        out += [_("Counted together: {note}.").format(note=note) for note in ranking.group_notes]
        if ranking.stale:
            out.append(
                _("Sheets older than the re-scoring window ({window}): {n} — they still rank, marked OLD; "
                  "score them again before relying on the order.").format(
                    window=ranking.stale_note, n=len(ranking.stale))  # fmt: skip
            )
        if ranking.shortfall:
            out.append(
                _("Shortfall: {eligible} eligible, {short} short of the minimum of {minimum}. The places "
                  "stay empty: nobody below the threshold is counted in.").format(
                    eligible=ranking.eligible, short=ranking.shortfall, minimum=ranking.minimum)  # fmt: skip
            )
        ins, outs = ranking.candidates_above_line, ranking.members_below_line
        if ins or outs:
            out.append(
                _("Would change places — in: {ins}; out: {outs}.").format(
                    ins=", ".join(e.name for e in ins) or _("nobody"),
                    outs=", ".join(e.name for e in outs) or _("nobody"),
                )
            )
        else:
            out.append(_("Nobody would change places."))
        below = ranking.members_below_threshold
        if below:
            out.append(
                _("Members below the threshold ({n}; the de-selection prompt): ").format(n=len(below))
                + ", ".join(e.name for e in below)
                + "."
            )
        return "\n".join(out)
