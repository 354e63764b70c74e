"""A person's spells on the scheme's strands: selection onto a strand, status and custody, the next
review, the latest arrest and intelligence, the amber list and removal with its coded reason and
authority. A part of ``Cases`` (the same service, in a module of its own)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import (
    Basis,
    Membership,
    Nominal,
    RemovalOutcome,
    RemovalReason,
    Status,
    Strand,
)
from ppo_desktop.rules.review import next_review
from ppo_desktop.services import rows
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Workspace


class StrandSpells:
    ws: Workspace

    if TYPE_CHECKING:  # given by Cases

        def nominal(self, nominal_id: int) -> Nominal: ...

        def _update_nominal(
            self, nominal_id: int, after: dict[str, Any], before: dict[str, Any], summary: str,
            justification: str = "",
        ) -> None: ...  # fmt: skip

        def _alter(
            self, entity: str, row_id: int, nominal_id: int, after: dict[str, Any], before: dict[str, Any],
            summary: str, justification: str = "", stamp: dict[str, Any] | None = None,
        ) -> None: ...  # fmt: skip

    def select(
        self,
        nominal_id: int,
        strand: Strand,
        basis: Basis,
        status: Status,
        *,
        on: dt.date | None = None,
        authority: str = "",
    ) -> Made[Membership]:
        """Put a nominal on a strand as lead; a current lead spell on another strand becomes non-lead."""
        on = on or self.ws.today()
        nominal = self.nominal(nominal_id)
        current = self.current_spell(nominal_id)
        if current is not None and current.strand is strand:
            raise ServiceError(f"{nominal.display_name} is already on {strand.long_name}.")
        values = {
            "nominal_id": nominal_id,
            "strand": strand.value,
            "basis": basis.value,
            "is_lead": 1,
            "status": status.value,
            "added_on": on.isoformat(),
            "next_review_on": next_review(strand, on, self.ws.profile().review_months).isoformat(),
        }
        with self.ws.writing() as db:
            if current is not None:
                db.table("memberships").update(current.id, {"is_lead": 0})
            db.table("memberships").insert(values)
            spell_id = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "membership",
                spell_id,
                f"{nominal.ref} selected onto {strand.value} ({basis.value})",
                at=self.ws.now(),
                nominal_id=nominal_id,
                after=values,
                justification=authority,
            )
        return Changes.of("memberships", nominal_id=nominal_id).made(self.spell(spell_id))

    def set_status(
        self,
        spell_id: int,
        status: Status,
        *,
        custody_on: dt.date | None = None,
        release_on: dt.date | None = None,
        justification: str = "",
    ) -> Made[Membership]:
        spell = self.spell(spell_id)
        after = {
            "status": status.value,
            "custody_on": rows.iso(custody_on or spell.custody_on),
            "release_on": rows.iso(release_on or spell.release_on),
        }
        before = {
            "status": spell.status.value,
            "custody_on": rows.iso(spell.custody_on),
            "release_on": rows.iso(spell.release_on),
        }
        self._update_spell(spell, after, before, f"Status now {status.label}", justification=justification)
        return Changes.of("memberships", nominal_id=spell.nominal_id).made(self.spell(spell_id))

    def set_next_review(self, spell_id: int, review_on: dt.date, *, justification: str = "") -> Changes:
        """Set when the panel next reviews this spell (after a review, or by the coordinator)."""
        spell = self.spell(spell_id)
        before = {"next_review_on": rows.iso(spell.next_review_on)}
        after = {"next_review_on": review_on.isoformat()}
        self._update_spell(spell, after, before, "Next review date set", justification=justification)
        return Changes.of("memberships", nominal_id=spell.nominal_id)

    def record_activity(
        self, nominal_id: int, *, arrest_on: dt.date | None = None, intelligence_on: dt.date | None = None
    ) -> Changes:
        """The latest arrest and intelligence report: facts about the person, whatever their strand,
        behind the "no activity for 6 months" prompt (002 item 1). A date given replaces the one
        recorded (so a mistake can be put right); a date in the future is refused."""
        nominal = self.nominal(nominal_id)
        today = self.ws.today()
        given = {"last_arrest_on": arrest_on, "last_intelligence_on": intelligence_on}
        if any(d is not None and d > today for d in given.values()):
            raise ServiceError("An arrest or intelligence date cannot be in the future.")
        known = {
            "last_arrest_on": nominal.last_arrest_on,
            "last_intelligence_on": nominal.last_intelligence_on,
        }
        after = {k: v.isoformat() for k, v in given.items() if v is not None and v != known[k]}
        if not after:
            return Changes()
        before = {k: rows.iso(known[k]) for k in after}
        self._update_nominal(nominal_id, after, before, f"Latest activity recorded for {nominal.ref}")
        return Changes.of("nominals", nominal_id=nominal_id)

    def place_on_amber_list(
        self, spell_id: int, release_on: dt.date, *, on: dt.date, authority: str
    ) -> Changes:
        """Long custody (over the profile's threshold): watched until release and reconsidered
        the profile's number of months before it (000 §6)."""
        spell = self.spell(spell_id)
        profile = self.ws.profile()
        if release_on <= on:
            raise ServiceError("The amber list needs the expected release date (in the future).")
        review = release_on - relativedelta(months=profile.reconsider_months_before_release)
        after = {
            "amber": 1,
            "amber_on": on.isoformat(),
            "status": Status.CUSTODY.value,
            "release_on": release_on.isoformat(),
            "custody_on": (spell.custody_on or on).isoformat(),
            "next_review_on": review.isoformat(),
        }
        self._update_spell(
            spell,
            after,
            {"amber": int(spell.amber), "status": spell.status.value},
            "Placed on the amber list",
            justification=authority,
        )
        return Changes.of("memberships", nominal_id=spell.nominal_id)

    def remove(
        self,
        spell_id: int,
        reason: RemovalReason,
        *,
        authority: str,
        note: str = "",
        on: dt.date | None = None,
        outcomes: Iterable[RemovalOutcome] = (),
    ) -> Made[Membership]:
        """Close a spell: every removal records date, reason and on whose authority (001 ¶54), and
        how the person was doing as they left (the outcomes the partnership reports, 003 §2.10)."""
        if not authority.strip():
            raise ServiceError("A removal must record on whose authority it was made.")
        spell = self.spell(spell_id)
        if not spell.current:
            raise ServiceError("That strand spell has already ended.")
        on = on or self.ws.today()
        after = {
            "removed_on": on.isoformat(),
            "removal_reason": reason.value,
            "removal_note": note,
            "removal_authority": authority,
            "removal_outcomes": json.dumps(sorted({RemovalOutcome(o).value for o in outcomes})),
            "next_review_on": None,
        }
        self._update_spell(
            spell,
            after,
            {"removed_on": None},
            f"Removed from {spell.strand.value}: {reason.value}",
            justification=authority,
        )
        return Changes.of("memberships", nominal_id=spell.nominal_id).made(self.spell(spell_id))

    def _update_spell(
        self,
        spell: Membership,
        after: dict[str, Any],
        before: dict[str, Any],
        summary: str,
        justification: str = "",
    ) -> None:
        """One change to a strand spell and its audit entry, in one transaction."""
        self._alter("membership", spell.id, spell.nominal_id, after, before, summary, justification)

    def spell(self, spell_id: int) -> Membership:
        return rows.membership(self.ws.row("memberships", spell_id, "strand spell"))

    def current_spell(self, nominal_id: int) -> Membership | None:
        found = list(
            self.ws.db.query(
                "SELECT * FROM memberships WHERE nominal_id = ? AND removed_on IS NULL AND is_lead = 1",
                [nominal_id],
            )
        )
        return rows.membership(found[0]) if found else None

    # -- reading -------------------------------------------------------------------------
