"""What the coordinator and the panel record about a person's time on the scheme — selection onto a
strand, moves, status and custody, the next review, arrests and intelligence, the amber list and
de-selection with its coded reason and authority — each as an event in their history
(``person_history``); the memberships (a person's time on each strand) are read back as derived."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ppo_desktop.domain import (
    Basis,
    Membership,
    Nominal,
    RemovalOutcome,
    RemovalReason,
    Status,
    Strand,
)
from ppo_desktop.i18n import _
from ppo_desktop.rules.history import EventKind, Stage
from ppo_desktop.services import rows
from ppo_desktop.services.person_history import PersonHistory
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Topic, Workspace


class Memberships:
    """A person's time on each strand: recorded as events, read back as derived."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def nominal(self, nominal_id: int) -> Nominal:
        return rows.nominal(self.ws.row("nominals", nominal_id, "nominal"))

    @property
    def people(self) -> PersonHistory:
        return PersonHistory(self.ws)

    def select(
        self,
        nominal_id: int,
        strand: Strand,
        basis: Basis,
        status: Status,
        *,
        on: dt.date | None = None,
        authority: str = "",
        decision_id: int | None = None,
    ) -> Made[Membership]:
        """Put a person on a strand as lead: a selection when they are not in the active cohort (or are
        on the amber list and reconsidered), a move when they are on another strand."""
        on = on or self.ws.today()
        nominal = self.nominal(nominal_id)
        state = self.people.state(nominal_id)
        if state.lead is strand:
            raise ServiceError(
                _("{display_name} is already on {long_name}.").format(
                    display_name=nominal.display_name, long_name=strand.long_name
                )
            )
        kind = EventKind.MOVED if state.stage is Stage.ON else EventKind.SELECTED
        self.people.record(
            nominal_id, kind, on, strand=strand, basis=basis, status=status, decision_id=decision_id,
            summary=f"{nominal.ref} {'moved' if kind is EventKind.MOVED else 'selected'} onto {strand.value} "
                    f"({basis.value})", justification=authority,
        )  # fmt: skip
        current = self.current_membership(nominal_id)
        assert current is not None
        return Changes.of(Topic.MEMBERSHIPS, nominal_id=nominal_id).made(current)

    def set_status(
        self,
        membership_id: int,
        status: Status,
        *,
        custody_on: dt.date | None = None,
        release_on: dt.date | None = None,
        justification: str = "",
    ) -> Made[Membership]:
        membership = self.membership(membership_id)
        self.people.record(
            membership.nominal_id, EventKind.STATUS, self.ws.today(), status=status, custody_on=custody_on,
            release_on=release_on, summary=f"Status now {status.label}", justification=justification,
        )  # fmt: skip
        return self._changed(membership)

    def set_next_review(self, membership_id: int, review_on: dt.date, *, justification: str = "") -> Changes:
        """Set when the panel next reviews this person (after a review, or by the coordinator)."""
        membership = self.membership(membership_id)
        self.people.record(
            membership.nominal_id, EventKind.REVIEW_SET, self.ws.today(), review_on=review_on,
            summary="Next review date set", justification=justification,
        )  # fmt: skip
        return Changes.of(Topic.MEMBERSHIPS, nominal_id=membership.nominal_id)

    def record_activity(
        self, nominal_id: int, *, arrest_on: dt.date | None = None, intelligence_on: dt.date | None = None
    ) -> Changes:
        """An arrest or an intelligence report on the day it happened: facts about the person,
        whatever their strand, behind the "no activity for 6 months" prompt (002 item 1). The latest
        is the latest date, whatever order they are reported in; one recorded in error is withdrawn
        (``withdraw``). A date in the future is refused."""
        self.nominal(nominal_id)
        today = self.ws.today()
        given = {EventKind.ARRESTED: arrest_on, EventKind.INTELLIGENCE: intelligence_on}
        if any(d is not None and d > today for d in given.values()):
            raise ServiceError(_("An arrest or intelligence date cannot be in the future."))
        known = {(e.kind, e.on) for e in self.people.events(nominal_id)}
        fresh = {k: d for k, d in given.items() if d is not None and (k, d) not in known}
        if not fresh:
            return Changes()
        with self.ws.writing():
            for kind, day in fresh.items():
                self.people.record(nominal_id, kind, day)
        return Changes.of(Topic.MEMBERSHIPS, nominal_id=nominal_id)

    def withdraw(self, nominal_id: int, key: str, *, why: str) -> Changes:
        """Withdraw an event recorded in error (an arrest on the wrong person, a wrong date): it stays
        in the history, marked withdrawn, and counts for nothing. Decisions are undone, not withdrawn."""
        if not why.strip():
            raise ServiceError(_("Say why the event is withdrawn."))
        found = [e for e in self.people.events(nominal_id) if e.key == key]
        if not found:
            raise ServiceError(_("That event is not in this person's history."))
        if found[0].decision_id is not None:
            raise ServiceError(
                _("A decision's event is undone with the decision (or amended), not withdrawn.")
            )
        self.people.record(nominal_id, EventKind.WITHDRAWN, self.ws.today(), withdraws=key,
                           summary=f"Withdrawn: {found[0].kind.label} of {found[0].on:%d %b %Y}",
                           justification=why)  # fmt: skip
        return Changes.of(Topic.MEMBERSHIPS, nominal_id=nominal_id)

    def place_on_amber_list(
        self,
        membership_id: int,
        release_on: dt.date,
        *,
        on: dt.date,
        authority: str,
        decision_id: int | None = None,
    ) -> Changes:
        """Long custody (over the profile's threshold): out of the active cohort, held until
        reconsidered the profile's number of months before release, or at once when it is nearer (000 §6)."""
        membership = self.membership(membership_id)
        if release_on <= on:
            raise ServiceError(_("The amber list needs the expected release date (in the future)."))
        self.people.record(
            membership.nominal_id, EventKind.AMBER, on, release_on=release_on, authority=authority,
            decision_id=decision_id, summary="Placed on the amber list", justification=authority,
        )  # fmt: skip
        return Changes.of(Topic.MEMBERSHIPS, nominal_id=membership.nominal_id)

    def remove(
        self,
        membership_id: int,
        reason: RemovalReason,
        *,
        authority: str,
        note: str = "",
        on: dt.date | None = None,
        outcomes: Iterable[RemovalOutcome] = (),
        decision_id: int | None = None,
    ) -> Made[Membership]:
        """De-select the person whose membership this is (every strand ends: 001 ¶54 records date, reason and
        on whose authority, and how they were doing as they left, 003 §2.10); on a parallel strand,
        only that activity ends. From the amber list, this is the reconsideration's de-selection."""
        if not authority.strip():
            raise ServiceError(_("A removal must record on whose authority it was made."))
        membership = self.membership(membership_id)
        state = self.people.state(membership.nominal_id)
        if not membership.current and not (membership.amber and state.stage is Stage.AMBER):
            raise ServiceError(_("That strand membership has already ended."))
        on = on or self.ws.today()
        parallel = membership.current and not membership.is_lead
        self.people.record(
            membership.nominal_id,
            EventKind.PARALLEL_ENDED if parallel else EventKind.DESELECTED,
            on,
            strand=membership.strand if parallel else None,
            decision_id=decision_id,
            summary=(
                f"Parallel activity on {membership.strand.value} ended"
                if parallel
                else f"De-selected: {reason.value}"
            ),  # fmt: skip
            justification=authority,
            reason=reason.value,
            authority=authority,
            note=note,
            outcomes=sorted({RemovalOutcome(o).value for o in outcomes}),
        )
        return self._changed(membership)

    def _changed(self, membership: Membership) -> Made[Membership]:
        changes = Changes.of(Topic.MEMBERSHIPS, nominal_id=membership.nominal_id)
        return changes.made(self._same_membership(membership))

    def _same_membership(self, membership: Membership) -> Membership:
        """The membership as derived now (the projection keeps its id while its strand and start stay)."""
        found = self.ws.db.execute(
            "SELECT id FROM memberships WHERE nominal_id = ? AND strand = ? AND added_on = ?",
            [membership.nominal_id, membership.strand.value, membership.added_on.isoformat()],
        ).fetchone()
        return self.membership(int(found[0])) if found else membership

    def membership(self, membership_id: int) -> Membership:
        return rows.membership(self.ws.row("memberships", membership_id, "membership"))

    def current_membership(self, nominal_id: int) -> Membership | None:
        found = list(
            self.ws.db.query(
                "SELECT * FROM memberships WHERE nominal_id = ? AND removed_on IS NULL AND is_lead = 1",
                [nominal_id],
            )
        )
        return rows.membership(found[0]) if found else None

    # -- reading -------------------------------------------------------------------------
