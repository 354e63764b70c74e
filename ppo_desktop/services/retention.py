"""Retention by schedule (DPA 2018 Part 3, s.39: kept no longer than necessary).

The schedule is data (``resources/policies/retention.toml``; an administrator changes a period with
its source, audited): one period per class of record — people off the scheme, people nominated and
never selected, closed meetings' records, superseded score sheets, the audit log's own entries. A
person under a legal hold is left out of every class until the hold is lifted.

``review`` is the dry run: what each class would erase and why, nothing written but the record that
an administrator looked (the yearly reminder on the agenda counts from it). Erasing is a deliberate
act by an administrator, with a reason: a person one at a time (everything about them in one
transaction, final score sheets included, their audit entries keeping only their digests); the other
classes a class at a time. The erasure itself is recorded without any of the erased content, the
chain still verifies, and the WAL is truncated so no copy of the old pages lingers beside the store
(secure_delete zeroes the freed pages inside it).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from dateutil.relativedelta import relativedelta

from ppo_desktop import paths
from ppo_desktop.audit import AUDIT_RETENTION, AuditKind
from ppo_desktop.domain import MeetingState, Role
from ppo_desktop.i18n import _
from ppo_desktop.services.workspace import Changes, PermissionDenied, ServiceError, Topic, Workspace

# What refers to a person, deleted with them (agenda items are kept, unnamed: the minutes stand).
PERSON_TABLES = ("convictions", "cohort_year_members", "score_sheets", "actions", "person_events",
                 "decisions", "memberships", "nominations", "drafts", "sentences", "case_facts",
                 "access_restrictions", "offences", "legal_holds", "risk_scores")  # fmt: skip
PEOPLE = ("people_off_scheme", "people_not_selected")  # the classes erased one person at a time
REVIEWED = "Retention dry run"  # the audit entry that an administrator looked (the reminder's clock)
REMIND_MONTHS = 12
REVIEWED_ON = "retention.reviewed_on"


@dataclass(frozen=True)
class Period:
    record_class: str
    label: str
    months: int
    source: str
    erases: str

    def __str__(self) -> str:
        return f"{self.label}: {_span(self.months)} ({self.source}) — erases {self.erases}"


@dataclass(frozen=True)
class Due:
    """One record a class would erase: a person, a meeting, a score sheet, or the log's old entries."""

    record_class: str
    record_id: int
    nominal_id: int | None
    ref: str
    name: str
    last_activity: dt.date
    why: str


@dataclass(frozen=True)
class Hold:
    id: int
    nominal_id: int
    reason: str
    placed_by: str
    placed_at: str


@dataclass(frozen=True)
class Review:
    on: dt.date
    due: tuple[Due, ...]
    held: tuple[Due, ...]  # due but for a legal hold

    def of(self, record_class: str) -> list[Due]:
        return [d for d in self.due if d.record_class == record_class]


@cache
def _defaults() -> dict[str, dict[str, object]]:
    with paths.resource("policies", "retention.toml").open("rb") as f:
        return tomllib.load(f)


class Retention:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- the schedule ----------------------------------------------------------------------------
    def schedule(self) -> list[Period]:
        out = []
        for key, entry in _defaults().items():
            months = entry["months"]
            period = Period(
                key,
                str(entry["label"]),
                self.ws.profile().retention_years * 12 if months == "profile" else int(str(months)),
                str(entry["source"]),
                str(entry["erases"]),
            )
            if changed := self.ws.setting(f"retention.{key}"):
                value = json.loads(changed)
                period = replace(period, months=int(value["months"]), source=str(value["source"]))
            out.append(period)
        return out

    def period(self, record_class: str) -> Period:
        found = next((p for p in self.schedule() if p.record_class == record_class), None)
        if found is None:
            raise ServiceError(
                _("There is no record class called {record_class!r} in the schedule.").format(
                    record_class=record_class
                )
            )
        return found

    def set_period(self, record_class: str, months: int, source: str) -> Changes:
        """An administrator's change to a period, with where it comes from (a policy paragraph, or
        'local choice')."""
        before = self.period(record_class)
        if not 1 <= months <= 100 * 12:
            raise ServiceError(_("A retention period is between 1 month and 100 years."))
        if not source.strip():
            raise ServiceError(_("Say where the period comes from: a policy paragraph, or 'local choice'."))
        value = json.dumps({"months": months, "source": source.strip()})
        with self.ws.writing(Role.ADMINISTRATOR) as db:
            db.table("settings").insert({"key": f"retention.{record_class}", "value": value}, replace=True)
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "setting",
                f"retention.{record_class}",
                f"Retention period changed: {before.label}",
                at=self.ws.now(),
                before={"months": before.months, "source": before.source},
                after={"months": months, "source": source.strip()},
            )
        return Changes.of(Topic.SETTINGS)

    # -- legal holds -----------------------------------------------------------------------------
    def hold(self, nominal_id: int, reason: str) -> Changes:
        """Keep a person out of every retention class (litigation, a complaint, an inquiry)."""
        self._administrator("places a legal hold")
        if not reason.strip():
            raise ServiceError(_("A legal hold needs its reason (e.g. the claim or inquiry it is for)."))
        self.ws.row("nominals", nominal_id, "person")
        if any(h.nominal_id == nominal_id for h in self.holds()):
            raise ServiceError(_("This person is already under a legal hold."))
        with self.ws.writing(Role.ADMINISTRATOR) as db:
            hold_id = (
                db.table("legal_holds")
                .insert(
                    {
                        "nominal_id": nominal_id,
                        "reason": reason.strip(),
                        "placed_by": self.ws.user.id,
                        "placed_at": self.ws.now().isoformat(timespec="seconds"),
                    }  # fmt: skip
                )
                .last_pk
            )
            self.ws.audit.record(AuditKind.ALTERATION, "legal_hold", hold_id, "Legal hold placed",
                                 at=self.ws.now(), nominal_id=nominal_id, justification=reason)  # fmt: skip
        return Changes(frozenset({Topic.LEGAL_HOLDS}), frozenset({nominal_id}))

    def lift(self, nominal_id: int, reason: str) -> Changes:
        self._administrator("lifts a legal hold")
        if not reason.strip():
            raise ServiceError(_("Lifting a legal hold needs its reason."))
        held = [h for h in self.holds() if h.nominal_id == nominal_id]
        if not held:
            raise ServiceError(_("This person is not under a legal hold."))
        with self.ws.writing(Role.ADMINISTRATOR) as db:
            db.execute(
                "UPDATE legal_holds SET lifted_by = ?, lifted_at = ?, lifted_reason = ? WHERE id = ?",
                [self.ws.user.id, self.ws.now().isoformat(timespec="seconds"), reason.strip(), held[0].id],
            )
            self.ws.audit.record(AuditKind.ALTERATION, "legal_hold", held[0].id, "Legal hold lifted",
                                 at=self.ws.now(), nominal_id=nominal_id, justification=reason)  # fmt: skip
        return Changes(frozenset({Topic.LEGAL_HOLDS}), frozenset({nominal_id}))

    def holds(self) -> list[Hold]:
        return [
            Hold(*r)
            for r in self.ws.db.execute(
                "SELECT id, nominal_id, reason, placed_by, placed_at FROM legal_holds "
                "WHERE lifted_at IS NULL ORDER BY placed_at"
            )
        ]

    # -- the dry run -----------------------------------------------------------------------------
    def review(self, on: dt.date | None = None) -> Review:
        """What each class would erase on ``on`` (today), and who a legal hold keeps back."""
        day = on or self.ws.today()
        periods = {p.record_class: p for p in self.schedule()}
        found = [
            *self._people(day, periods),
            *self._meetings(day, periods["meetings"]),
            *self._sheets(day, periods["score_sheets"]),
            *self._audit(day, periods["audit"]),
        ]
        held = {h.nominal_id for h in self.holds()}
        return Review(
            day,
            tuple(d for d in found if d.nominal_id not in held),
            tuple(d for d in found if d.nominal_id in held),
        )

    def dry_run(self) -> Changes:
        """An administrator looks at today's review: recorded (what was due, by class, and whom it
        named), and the yearly reminder counts from it."""
        self._administrator("runs the retention review")
        review = self.review()
        with self.ws.writing(Role.ADMINISTRATOR):
            self._note_reviewed()
            self.ws.audit.record(
                AuditKind.CONSULTATION, "retention", None, REVIEWED, at=self.ws.now(),
                after={"due": {p.record_class: len(review.of(p.record_class)) for p in self.schedule()},
                       "held": len(review.held),
                       "people": sorted({d.nominal_id for d in review.due if d.nominal_id})},
            )  # fmt: skip
        return Changes.of(Topic.AUDIT)

    def due(self, on: dt.date | None = None) -> list[Due]:
        """People due for erasure (both people classes, holds left out), oldest first."""
        people = [d for d in self.review(on).due if d.record_class in PEOPLE]
        return sorted(people, key=lambda d: d.last_activity)

    def last_reviewed(self) -> dt.date | None:
        """When an administrator last ran the review (or erased something by it): noted beside the
        audit entry that records it, so the agenda does not search a million entries to know."""
        noted = self.ws.setting(REVIEWED_ON)
        return dt.date.fromisoformat(noted) if noted else None

    def _note_reviewed(self) -> None:
        """Inside the caller's transaction, beside its audit entry."""
        self.ws.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                           [REVIEWED_ON, self.ws.today().isoformat()])  # fmt: skip

    def reminder(self, day: dt.date) -> str:
        """'' or the yearly reminder's sentence (no names: it goes on an agenda)."""
        last = self.last_reviewed()
        if last is not None and last + relativedelta(months=REMIND_MONTHS) > day:
            return ""
        since = f"last {last:%d %b %Y}" if last else "none recorded"
        return (
            f"Yearly retention review ({since}): an administrator runs the dry run under Retention and "
            "erases what the schedule says is due (the schedule and its sources are in Settings)."
        )

    def _people(self, day: dt.date, periods: dict[str, Period]) -> Iterable[Due]:
        rows = self.ws.db.execute(
            """
            SELECT n.id, n.ref, n.family_name, n.given_names,
                   coalesce(nullif(max(
                       coalesce((SELECT max(coalesce(amber_until, removed_on)) FROM memberships m
                                 WHERE m.nominal_id = n.id), ''),
                       coalesce((SELECT max(nominated_on) FROM nominations o WHERE o.nominal_id = n.id), '')
                   ), ''), substr(n.created_at, 1, 10)) AS last,
                   EXISTS (SELECT 1 FROM memberships m WHERE m.nominal_id = n.id) AS ever_on
            FROM nominals n
            WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.nominal_id = n.id
                              AND (m.removed_on IS NULL OR (m.amber AND m.amber_until IS NULL)))
              AND NOT EXISTS (SELECT 1 FROM nominations o WHERE o.nominal_id = n.id AND o.state = 'open')
            ORDER BY last
            """
        ).fetchall()
        for nid, ref, family, given, last_text, ever_on in rows:
            period = periods["people_off_scheme" if ever_on else "people_not_selected"]
            last = dt.date.fromisoformat(last_text)
            if last < day - relativedelta(months=period.months):
                what = "off the scheme" if ever_on else "nominated, never selected, last"
                yield Due(period.record_class, nid, nid, ref, f"{family.upper()}, {given}", last,
                          f"{what} since {last:%d %b %Y}: {period.label.lower()} are kept "
                          f"{_span(period.months)} ({period.source})")  # fmt: skip

    def _meetings(self, day: dt.date, period: Period) -> Iterable[Due]:
        cutoff = day - relativedelta(months=period.months)
        rows = self.ws.db.execute(
            "SELECT m.id, m.panel, m.held_on FROM meetings m WHERE m.state = ? AND m.held_on < ? "
            "AND (EXISTS (SELECT 1 FROM attendance a WHERE a.meeting_id = m.id) "
            "     OR EXISTS (SELECT 1 FROM agenda_items i WHERE i.meeting_id = m.id AND i.notes != '')) "
            "ORDER BY m.held_on",
            [MeetingState.CLOSED.value, cutoff.isoformat()],
        )
        held = {h.nominal_id for h in self.holds()}
        for mid, panel, held_on in rows.fetchall():
            named = {
                r[0]
                for r in self.ws.db.execute(
                    "SELECT nominal_id FROM agenda_items WHERE meeting_id = ? AND nominal_id IS NOT NULL",
                    [mid],
                )
            }
            on = dt.date.fromisoformat(held_on)
            why = f"closed meeting of {on:%d %b %Y}: kept {_span(period.months)} ({period.source})"
            hold = min(named & held) if named & held else None  # a held person's meeting stays whole
            yield Due(period.record_class, mid, hold, f"M{mid}", panel, on, why)  # fmt: skip

    def _sheets(self, day: dt.date, period: Period) -> Iterable[Due]:
        cutoff = (day - relativedelta(months=period.months)).isoformat()
        rows = self.ws.db.execute(
            """
            WITH latest AS (  -- each person's latest final sheet on each matrix (day, then id)
                SELECT nominal_id, matrix_id, max(scored_on || printf('%010d', id)) AS k
                FROM score_sheets WHERE state = 'final' GROUP BY nominal_id, matrix_id)
            SELECT s.id, s.nominal_id, n.ref, n.family_name, n.given_names, s.matrix_id, s.scored_on
            FROM score_sheets s
            JOIN latest l ON l.nominal_id = s.nominal_id AND l.matrix_id = s.matrix_id
            JOIN nominals n ON n.id = s.nominal_id
            WHERE s.state IN ('final', 'draft') AND s.scored_on < ?  -- (read from the trend index)
              AND s.scored_on || printf('%010d', s.id) < l.k
            ORDER BY s.scored_on
            """,
            [cutoff],
        )
        for sid, nid, ref, family, given, matrix, scored_on in rows.fetchall():
            on = dt.date.fromisoformat(scored_on)
            yield Due(period.record_class, sid, nid, ref, f"{family.upper()}, {given}", on,
                      f"sheet on {matrix} of {on:%d %b %Y}, superseded by a later final sheet: kept "
                      f"{_span(period.months)} ({period.source})")  # fmt: skip

    def _audit(self, day: dt.date, period: Period) -> Iterable[Due]:
        before = dt.datetime.combine(day - relativedelta(months=period.months), dt.time(), tzinfo=dt.UTC)
        count, upto = self.ws.audit.expiring(before)
        if count:
            yield Due(period.record_class, upto, None, f"1–{upto}", f"{count} audit entries",
                      before.date(), f"{count} entries written before {before:%d %b %Y}: their content is "
                      f"kept {_span(period.months)} ({period.source})")  # fmt: skip

    # -- erasing ---------------------------------------------------------------------------------
    def erase(self, nominal_id: int, *, justification: str) -> Changes:
        """Erase one person the schedule says is due (and no legal hold keeps)."""
        self._administrator("erases a record")
        if not justification.strip():
            raise ServiceError(
                _("An erasure needs its reason (e.g. the retention review and who agreed it).")
            )
        if any(h.nominal_id == nominal_id for h in self.holds()):
            raise ServiceError(_("That person is under a legal hold: lift it first (with its reason)."))
        if nominal_id not in {c.nominal_id for c in self.due()}:
            raise ServiceError(
                _("That person is not due for erasure: they are on the scheme, nominated, or recent.")
            )
        with self.ws.writing(Role.ADMINISTRATOR) as db:
            db.execute("INSERT INTO erasing (nominal_id) VALUES (?)", [nominal_id])
            for table in PERSON_TABLES:
                db.execute(f"DELETE FROM {table} WHERE nominal_id = ?", [nominal_id])
            db.execute(
                "UPDATE agenda_items SET nominal_id = NULL, title = '(erased)', notes = '', reasons = '[]' "
                "WHERE nominal_id = ?",
                [nominal_id],
            )
            db.execute("DELETE FROM transfer_origins WHERE entity = 'nominal' AND local_id = ?", [nominal_id])
            db.execute(  # agenda items taken off earlier keep their last values for a transfer: not theirs
                "DELETE FROM sync_graves WHERE json_extract(row, '$.nominal_id') = ?", [nominal_id]
            )
            db.execute("DELETE FROM person_merges WHERE ? IN (kept_id, merged_id)", [nominal_id])
            db.execute("DELETE FROM nominals WHERE id = ?", [nominal_id])
            redacted, older = self.ws.audit.redact(nominal_id)
            self.ws.audit.record(
                AuditKind.ERASURE,
                "nominal",
                nominal_id,
                "Record erased after the retention review",
                at=self.ws.now(),
                nominal_id=nominal_id,
                after={"audit_entries_redacted": redacted, "older_entries_kept": older},
                justification=justification,
            )
            db.execute("DELETE FROM erasing WHERE nominal_id = ?", [nominal_id])
            self._note_reviewed()
        self.ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = frozenset({Topic.NOMINALS, Topic.MEMBERSHIPS, Topic.NOMINATIONS, Topic.ACTIONS,
                            Topic.SCORE_SHEETS, Topic.AGENDA_ITEMS})  # fmt: skip
        return Changes(tables, frozenset({nominal_id}))

    def erase_class(self, record_class: str, *, justification: str) -> Changes:
        """Erase everything a class other than people has due today (the dry run's list for it)."""
        self._administrator("erases by the retention schedule")
        if record_class in PEOPLE:
            raise ServiceError(_("People are erased one at a time, each with their reference typed back."))
        if not justification.strip():
            raise ServiceError(
                _("An erasure needs its reason (e.g. the retention review and who agreed it).")
            )
        due = self.review().of(record_class)
        if not due:
            raise ServiceError(_("Nothing in that class is due for erasure today."))
        period = self.period(record_class)
        with self.ws.writing(Role.ADMINISTRATOR) as db:
            if record_class == "meetings":
                ids = [d.record_id for d in due]
                marks = ", ".join("?" * len(ids))
                db.execute(f"DELETE FROM attendance_moves WHERE meeting_id IN ({marks})", ids)
                db.execute(f"DELETE FROM attendance WHERE meeting_id IN ({marks})", ids)
                db.execute(f"UPDATE agenda_items SET notes = '' WHERE meeting_id IN ({marks})", ids)
                after: dict[str, object] = {"meetings": ids}
            elif record_class == "score_sheets":
                people = sorted({d.nominal_id for d in due if d.nominal_id is not None})
                db.conn.executemany("INSERT INTO erasing (nominal_id) VALUES (?)", [(n,) for n in people])
                db.conn.executemany("DELETE FROM score_sheets WHERE id = ?", [(d.record_id,) for d in due])
                db.execute("DELETE FROM erasing")
                after = {"score_sheets": len(due), "people": people}
            else:
                [entries] = due
                db.execute("INSERT INTO erasing_audit (upto) VALUES (?)", [entries.record_id])
                before = dt.datetime.combine(entries.last_activity, dt.time(), tzinfo=dt.UTC)
                after = {"upto": entries.record_id, "entries": self.ws.audit.redact_before(before)}
                db.execute("DELETE FROM erasing_audit")
            self.ws.audit.record(
                AuditKind.ERASURE,
                AUDIT_RETENTION if record_class == "audit" else "retention",
                record_class,
                f"Erased by the retention schedule: {period.label}",
                at=self.ws.now(),
                after=after,
                justification=justification,
            )
            self._note_reviewed()
        self.ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return Changes(frozenset({Topic.MEETINGS, Topic.ATTENDANCE, Topic.AGENDA_ITEMS, Topic.SCORE_SHEETS}))

    def _administrator(self, what: str) -> None:
        if self.ws.user.role is not Role.ADMINISTRATOR:
            raise PermissionDenied(_("Only an administrator {what}.").format(what=what))


def _span(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} years" if not rest else f"{months} months"
