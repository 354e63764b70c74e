"""Documents: gather the records, build the PDF in memory, and audit it.

Preparing a document for preview is a consultation; printing, saving or exporting it is a
disclosure, recorded (with recipient and justification) before the bytes leave the app — if the
audit entry cannot be written, the disclosure does not happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec

from dateutil.relativedelta import relativedelta

from ppo_desktop import i18n
from ppo_desktop.audit import AuditKind
from ppo_desktop.documents.layout import DocumentMeta
from ppo_desktop.documents.minutes import MinutesData, MinutesItem, minutes, minutes_story
from ppo_desktop.documents.performance import performance_report, performance_story
from ppo_desktop.documents.reports import CohortEntry, action_tracker, cohort_report, quarterly_record
from ppo_desktop.documents.scoring_sheet import SheetPage, scoring_sheets, sheets_story
from ppo_desktop.domain import Action, Membership, Nominal, RemovalReason, Strand
from ppo_desktop.i18n import _, format_date, ngettext
from ppo_desktop.performance.figures import Report
from ppo_desktop.services import rows, settings
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.meeting_record import MeetingRecord
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.room import Room
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.workspace import Changes, ServiceError, Topic, Workspace

DISCLOSED = Changes.of(Topic.AUDIT)  # what a disclosure changes: the audit log
KINDS = ("minutes", "sheets", "blank-sheet", "cohort", "quarterly", "actions", "performance")


@dataclass
class Document:
    """A prepared document: its records are gathered (on the store's thread); ``render`` builds the PDF
    from plain data and is safe to run on a worker thread. ``pdf`` renders once and keeps the bytes."""

    kind: str
    title: str
    render: Callable[[], bytes]
    nominal_ids: tuple[int, ...] = ()
    story: Callable[[], list[Any]] | None = None  # the flowables alone (benchmarks build them plainly)
    _pdf: bytes | None = field(default=None, repr=False)

    @property
    def pdf(self) -> bytes:
        if self._pdf is None:
            self._pdf = self.render()
        return self._pdf


P = ParamSpec("P")


Building = Callable[Concatenate["Documents", P], "Document"]


def printed(build: Building[P]) -> Building[P]:
    """A document in the language Settings chose for printed documents: its title as it is built, and
    every page as it renders later (on a worker thread: the screens go on in the user's language)."""

    def in_print_language(self: Documents, /, *args: P.args, **kwargs: P.kwargs) -> Document:
        both = self.bilingual()  # read here, on the store's thread: the render has no connection
        with _speaking(both):
            doc = build(self, *args, **kwargs)
        render = doc.render

        def rendered() -> bytes:
            with _speaking(both):
                return render()

        doc.render = rendered
        return doc

    in_print_language.__doc__ = build.__doc__
    return in_print_language


def _speaking(both: bool) -> AbstractContextManager[None]:
    return i18n.bilingual() if both else nullcontext()


class Documents:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cases = Cases(ws)
        self.meetings = Meetings(ws)
        self.sheets = ScoreSheets(ws)

    def bilingual(self) -> bool:
        """Whether the partnership prints its documents in Welsh and English together (Settings)."""
        return settings.value(self.ws, "documents_language") == "cy+en"

    def print_language(self) -> AbstractContextManager[None]:
        """Each reader's own language, or Welsh and English together where the partnership prints both."""
        return _speaking(self.bilingual())

    # -- building ------------------------------------------------------------------------
    @printed
    def minutes(self, meeting_id: int, *, summary: bool = False) -> Document:
        """The meeting's minutes; ``summary``: the executive summary (decisions and actions only)."""
        m = self.meetings.get(meeting_id)
        items = []
        for item in self.meetings.agenda(meeting_id):
            nominal = self.cases.nominal(item.nominal_id) if item.nominal_id else None
            strand, now, before = "", None, None
            if nominal is not None:
                membership = next(iter(self.cases.case_file(nominal.id).memberships), None)
                named = _(self.ws.profile().strand_name(membership.strand)) if membership else ""
                strand = f"{named} ({_(membership.basis.value)})" if membership else _("Candidate")
                finals = [s for s in self.sheets.history(nominal.id) if s.final and s.scored_on <= m.held_on]
                now = finals[0].total if finals else None
                before = finals[1].total if len(finals) > 1 else None
            decisions = tuple(d for d in self.meetings.decisions(meeting_id) if d.agenda_item_id == item.id)
            actions = tuple(
                rows.action(r)
                for r in self.ws.db.query(
                    "SELECT * FROM actions WHERE meeting_id = ? AND nominal_id = ? ORDER BY id",
                    [meeting_id, item.nominal_id],
                )
            )
            items.append(MinutesItem(item, nominal, strand, now, before, decisions, actions))
        names = self._names()
        carried = tuple(
            (names.get(a.nominal_id, ""), a)
            for a in (
                rows.action(r)
                for r in self.ws.db.query(
                    "SELECT * FROM actions WHERE state = 'open' AND (meeting_id IS NULL OR meeting_id != ?) "
                    "AND created_on <= ? ORDER BY due_on",
                    [meeting_id, m.held_on.isoformat()],
                )
            )
            if a.meeting_id is not None or a.overdue_on(m.held_on)
        )
        data = MinutesData(
            m,
            tuple(Room(self.ws).attendance(meeting_id)),
            tuple(items),
            carried,
            tuple(MeetingRecord(self.ws).amendments(meeting_id)),
            self.reason_labels(),
            self.ws.audit.closing_head("meeting", meeting_id, "Meeting closed"),
            Room(self.ws).out_of_room(meeting_id),
        )
        kind = "Minutes (executive summary)" if summary else "Minutes"
        title = f"{kind} — {m.panel}, {m.held_on:%d %b %Y}"  # as the audit log records it (in English)
        ids = tuple(i.nominal.id for i in items if i.nominal)
        meta = self.meta(f"{_(kind)} — {m.panel}, {format_date(m.held_on)}")  # as printed
        doc = self._prepared(
            "minutes-summary" if summary else "minutes",
            title,
            lambda: minutes(data, meta, summary=summary),
            ids,
        )
        doc.story = lambda: minutes_story(data, summary=summary)
        return doc

    @printed
    def scoring_sheets(self, nominal_ids: Sequence[int]) -> Document:
        """Each person's latest sheet (final, or the draft if there is no final one yet)."""
        pages = []
        for nid in nominal_ids:
            history = self.sheets.history(nid)
            sheet = next((s for s in history if s.final), history[0] if history else None)
            nominal = self.cases.nominal(nid)
            try:
                defn = self.sheets.definition_of(sheet) if sheet else self.sheets.definition_for(nid)
            except ServiceError:  # never scored, on a cohort scored on no matrix (IOM): no sheet to print
                continue
            pages.append(SheetPage(defn, nominal, sheet))
        if not pages:
            raise ServiceError(_("There is nobody with a scoring sheet to print."))
        title = "Confidential scoring sheet" + ("s" if len(pages) > 1 else "")  # as the audit log has it
        marking = pages[0].defn.marking
        meta = self.meta(
            ngettext("Confidential scoring sheet", "Confidential scoring sheets", len(pages)), marking
        )
        doc = self._prepared("sheets", title, lambda: scoring_sheets(pages, meta), tuple(nominal_ids))
        doc.story = lambda: sheets_story(pages)
        return doc

    def agenda_sheets(self, meeting_id: int) -> Document:
        ids = [i.nominal_id for i in self.meetings.agenda(meeting_id) if i.nominal_id is not None]
        return self.scoring_sheets(ids)

    @printed
    def blank_sheet(self, definition_id: str | None = None) -> Document:
        """A blank form for manual scoring: the profile's Catch & Convict matrix (else its first) unless
        one is named."""
        matrices = self.ws.profile().matrices
        matrix = definition_id or matrices.get(Strand.CATCH_CONVICT) or next(iter(matrices.values()), None)
        if matrix is None:
            raise ServiceError(_("This scheme scores on no matrix (its cohorts rank by the IOM score)."))
        defn = self.sheets.catalogue.get(matrix, on=self.ws.today())
        title = "Scoring sheet (blank form)"
        meta = self.meta(_(title), defn.marking)
        return self._prepared("blank-sheet", title, lambda: scoring_sheets([SheetPage(defn)], meta))

    @printed
    def cohort(self, start: dt.date | None = None, end: dt.date | None = None) -> Document:
        self.ws.require("The cohort report (personal data in bulk)")
        end = end or self.ws.today()
        start = start or end - relativedelta(months=3)
        pairs = [(r.nominal, r.membership) for r in self.cases.cohort() if r.membership is not None]
        current = self._entries([(n, m) for n, m in pairs if m.current])
        removed = self._entries([(n, m) for n, m in pairs if m.removed_on and start <= m.removed_on <= end])
        title = f"Cohort report, {end:%d %b %Y}"
        meta = self.meta(_("Cohort report, {day}").format(day=format_date(end)))
        labels = self.reason_labels()
        return self._prepared(
            "cohort",
            title,
            lambda: cohort_report(current, removed, meta, labels),
            tuple(e.nominal.id for e in current + removed),
        )

    @printed
    def quarterly(self, year: int, quarter: int) -> Document:
        if quarter not in (1, 2, 3, 4):
            raise ServiceError(_("The quarter is 1, 2, 3 or 4."))
        start = dt.date(year, 3 * quarter - 2, 1)
        end = start + relativedelta(months=3) - dt.timedelta(days=1)
        nominals = {r.nominal.id: r.nominal for r in self.cases.cohort()}
        memberships = [
            rows.membership(r) for r in self.ws.db.query("SELECT * FROM memberships ORDER BY added_on")
        ]
        added = self._entries(
            [(nominals[m.nominal_id], m) for m in memberships if start <= m.added_on <= end]
        )
        removed = self._entries(
            [
                (nominals[m.nominal_id], m)
                for m in memberships
                if m.removed_on and start <= m.removed_on <= end
            ]
        )
        amber = self._entries(
            [(nominals[m.nominal_id], m) for m in memberships if m.amber_on and start <= m.amber_on <= end]
        )
        title = f"Quarterly record of additions and removals, Q{quarter} {year}"
        meta = self.meta(
            _("Quarterly record of additions and removals, Q{quarter} {year}").format(
                quarter=quarter, year=year
            )
        )
        labels = self.reason_labels()
        return self._prepared(
            "quarterly",
            title,
            lambda: quarterly_record(added, removed, start, end, meta, labels, amber),
            tuple(e.nominal.id for e in added + removed + amber),
        )

    @printed
    def action_tracker(self) -> Document:
        names = self._names()
        actions = [rows.action(r) for r in self.ws.db.query("SELECT * FROM actions ORDER BY due_on")]
        named = [(names.get(a.nominal_id, ""), a) for a in actions]
        title = f"Action tracker, {self.ws.today():%d %b %Y}"
        meta, day = (
            self.meta(_("Action tracker, {day}").format(day=format_date(self.ws.today()))),
            self.ws.today(),
        )
        return self._prepared(
            "actions",
            title,
            lambda: action_tracker(named, day, meta),
            tuple(sorted({a.nominal_id for a in actions})),
        )

    @printed
    def dpia(self) -> Document:
        """A data protection impact assessment draft from the store's own settings (administrators)."""
        from ppo_desktop.documents.dpia import dpia_pdf
        from ppo_desktop.services.dpia import gather

        facts = gather(self.ws)
        title = f"DPIA draft, {self.ws.today():%d %b %Y}"
        meta = self.meta(_("DPIA draft, {day}").format(day=format_date(self.ws.today())))
        return self._prepared("dpia", title, lambda: dpia_pdf(facts, meta), ())

    @printed
    def performance(self, report: Report) -> Document:
        """The board's performance report: aggregate figures (small counts suppressed), no names."""
        title = f"Scheme performance, {report.filters.end:%d %b %Y}"
        meta = self.meta(_("Scheme performance, {day}").format(day=format_date(report.filters.end)))
        doc = self._prepared("performance", title, lambda: performance_report(report, meta))
        doc.story = lambda: performance_story(report)
        return doc

    def audit_export(
        self,
        *,
        user_id: str | None = None,
        nominal_id: int | None = None,
        kind: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> tuple[bytes, list[int]]:
        """The filtered audit entries as CSV for the data protection officer (administrators only)."""
        from ppo_desktop.audit_export import to_csv
        from ppo_desktop.domain import Role

        if self.ws.user.role is not Role.ADMINISTRATOR:
            raise ServiceError(_("Only an administrator exports the audit log."))
        entries = self.ws.audit.search(
            user_id=user_id, nominal_id=nominal_id, kind=kind, since=since, until=until, limit=10_000_000
        )
        filters = (
            ", ".join(
                f"{k}={v}"
                for k, v in (
                    ("user", user_id),
                    ("nominal", nominal_id),
                    ("kind", kind),
                    ("since", since),
                    ("until", until),
                )
                if v
            )
            or "all entries"
        )
        people = sorted({e.nominal_id for e in entries if e.nominal_id})
        return to_csv(entries, self.ws.audit.head(), filters), people

    def disclose_export(
        self, what: str, data: bytes, people: list[int], *, how: str, recipient: str, justification: str
    ) -> Changes:
        """Record an export before it is written (refused without recipient and reason)."""
        return self.disclose(
            Document("export", what, lambda: data, tuple(people)),
            how=how,
            recipient=recipient,
            justification=justification,
        )

    # -- disclosure ----------------------------------------------------------------------
    def disclose(self, document: Document, *, how: str, recipient: str, justification: str) -> Changes:
        """Record a print, save or export before it happens; refuse without a justification."""
        if not justification.strip() or not recipient.strip():
            raise ServiceError(_("Printing or saving personal data needs the recipient and the reason."))
        with self.ws.transaction():
            self.ws.audit.record(
                AuditKind.DISCLOSURE,
                "document",
                document.kind,
                f"{how}: {document.title}",
                at=self.ws.now(),
                justification=justification,
                after={
                    "recipient": recipient,
                    "how": how,
                    "people": list(document.nominal_ids),
                    "bytes": len(document.pdf),
                },
            )
        return DISCLOSED

    def print_stopped(self, document: Document, *, pages: int, of: int) -> Changes:
        """Printing stopped part-way (its disclosure was recorded before it began): how far it got."""
        with self.ws.transaction():
            self.ws.audit.record(
                AuditKind.DISCLOSURE,
                "document",
                document.kind,
                f"Printing stopped after {pages} of {of} page(s): {document.title}",
                at=self.ws.now(),
                after={"people": list(document.nominal_ids), "pages": pages, "of": of},
            )
        return DISCLOSED

    # -- helpers -------------------------------------------------------------------------
    def _prepared(
        self, kind: str, title: str, render: Callable[[], bytes], ids: tuple[int, ...] = ()
    ) -> Document:
        with self.ws.transaction():
            self.ws.audit.record(
                AuditKind.CONSULTATION,
                "document",
                kind,
                f"Prepared: {title}",
                at=self.ws.now(),
                after={"people": list(ids)},
            )
        return Document(kind, title, render, ids)

    def meta(self, title: str, marking: str | None = None) -> DocumentMeta:
        return DocumentMeta(
            title=title,
            partnership=self.ws.setting("partnership", "PPO Panel"),
            user=f"{self.ws.user.display_name} ({self.ws.user.id})",
            generated_at=self.ws.now(),
            marking=marking or settings.value(self.ws, "marking"),
            chain_head=self.ws.audit.head(),
            page_size=settings.value(self.ws, "page_size"),
        )

    def _entries(self, pairs: list[tuple[Nominal, Membership]]) -> list[CohortEntry]:
        """Report lines for many people with two queries in all (not a case file per person)."""
        reasons: dict[tuple[int, str], str] = {}
        any_reason: dict[int, str] = {}
        for r in self.ws.db.query(
            "SELECT nominal_id, strand, reason FROM nominations ORDER BY nominated_on DESC"
        ):
            reasons.setdefault((r["nominal_id"], r["strand"]), r["reason"])
            any_reason.setdefault(r["nominal_id"], r["reason"])
        actions: dict[int, list[Action]] = {}
        for r in self.ws.db.query("SELECT * FROM actions WHERE state = 'open' ORDER BY due_on"):
            actions.setdefault(r["nominal_id"], []).append(rows.action(r))
        return [
            CohortEntry(
                n,
                m,
                reasons.get((n.id, m.strand.value), any_reason.get(n.id, "")),
                tuple(actions.get(n.id, ())),
            )
            for n, m in pairs
        ]

    def _names(self) -> dict[int, str]:
        return {r.nominal.id: f"{r.nominal.display_name} ({r.nominal.ref})" for r in self.cases.cohort()}

    def reason_labels(self) -> dict[str, str]:
        """Each removal reason's words: the profile's own, else the app's for the reasons every
        scheme has (never a code on paper)."""
        return {
            RemovalReason.IOM_COHORT.value: "Moved to an IOM cohort",
            RemovalReason.AMBER_LIST.value: "Amber list (long custody, held until reconsidered)",
        } | {r.code.value: r.label for r in self.ws.profile().removal_reasons}
