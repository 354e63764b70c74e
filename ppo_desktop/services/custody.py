"""A person's custody and the facts the inclusion criteria read: sentences recorded as given (the
current spell goes into custody; the amber list and removal follow from the length, as the rules
say) and facts recorded with the day each was recorded. A part of ``Cases`` (the same service, in a
module of its own)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import CaseFact, Membership, Nominal, Sentence, Status
from ppo_desktop.services import rows
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Workspace


class CustodyAndFacts:
    ws: Workspace

    if TYPE_CHECKING:  # given by Cases

        def nominal(self, nominal_id: int) -> Nominal: ...

        def current_spell(self, nominal_id: int) -> Membership | None: ...

        def _update_spell(
            self, spell: Membership, after: dict[str, Any], before: dict[str, Any], summary: str,
            justification: str = "",
        ) -> None: ...  # fmt: skip

    def record_sentence(
        self,
        nominal_id: int,
        *,
        starts_on: dt.date,
        months: int,
        days: int = 0,
        release_on: dt.date | None = None,
        secure_hospital: bool = False,
        note: str = "",
    ) -> Made[Sentence]:
        """A custodial sentence as given (its length decides the custody rules). The person's current
        spell shows them in custody from its start, with the expected release."""
        nominal = self.nominal(nominal_id)
        if months < 0 or days < 0 or (months, days) == (0, 0):
            raise ServiceError("A custodial sentence needs its length (months and / or days).")
        if release_on is not None and release_on <= starts_on:
            raise ServiceError("The expected release comes after the sentence starts.")
        if starts_on > self.ws.today():
            raise ServiceError(
                "A sentence is recorded once it has been given (its start is not in the future)."
            )
        values = {
            "nominal_id": nominal_id,
            "starts_on": starts_on.isoformat(),
            "length_months": months,
            "length_days": days,
            "release_on": rows.iso(release_on),
            "secure_hospital": int(secure_hospital),
            "recorded_on": self.ws.today().isoformat(),
            "note": note,
        }
        spell = self.current_spell(nominal_id)
        with self.ws.writing():
            sentence_id = self.ws.insert("sentences", values)
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "sentence",
                sentence_id,
                f"Custodial sentence recorded for {nominal.ref}",
                at=self.ws.now(),
                nominal_id=nominal_id,
                after=values,
            )
            if spell is not None:
                custody = {
                    "status": Status.CUSTODY.value,
                    "custody_on": starts_on.isoformat(),
                    "release_on": rows.iso(release_on),
                }
                before = {"status": spell.status.value, "custody_on": rows.iso(spell.custody_on),
                          "release_on": rows.iso(spell.release_on)}  # fmt: skip
                self._update_spell(
                    spell, custody, before, "Status now In prison / custody (sentence recorded)"
                )
        changes = Changes.of("sentences", "memberships", nominal_id=nominal_id)
        return changes.made(rows.sentence(self.ws.row("sentences", sentence_id, "sentence")))

    def sentences(self, nominal_id: int) -> list[Sentence]:
        return [
            rows.sentence(r)
            for r in self.ws.db.query(
                "SELECT * FROM sentences WHERE nominal_id = ? ORDER BY starts_on DESC, id DESC", [nominal_id]
            )
        ]

    def record_fact(self, nominal_id: int, fact: str, value: bool | int | None) -> Changes:
        """One fact an inclusion criterion reads (None forgets it: "not known" again), with the day."""
        from ppo_desktop.rules.facts import case_fact_kinds

        kinds = case_fact_kinds(self.ws.profile())
        if fact not in kinds:
            raise ServiceError(f"'{fact}' is not a fact the scheme's inclusion criteria read.")
        if value is not None:
            if kinds[fact] is bool and not isinstance(value, bool):
                raise ServiceError(f"'{fact}' takes yes or no.")
            if kinds[fact] is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ServiceError(f"'{fact}' takes a whole number, 0 or more.")
        nominal = self.nominal(nominal_id)
        old = self.ws.db.execute(
            "SELECT value FROM case_facts WHERE nominal_id = ? AND fact = ?", [nominal_id, fact]
        ).fetchone()
        before = json.loads(old[0]) if old else None
        if before == value and old is not None:
            return Changes()
        with self.ws.writing() as db:
            if value is None:
                db.execute("DELETE FROM case_facts WHERE nominal_id = ? AND fact = ?", [nominal_id, fact])
            else:
                db.table("case_facts").upsert(
                    {
                        "nominal_id": nominal_id,
                        "fact": fact,
                        "value": json.dumps(value),
                        "recorded_on": self.ws.today().isoformat(),
                        "recorded_by": self.ws.user.id,
                    },
                    pk=("nominal_id", "fact"),
                )
            self.ws.audit.record(
                AuditKind.ALTERATION if old else AuditKind.COLLECTION,
                "case_fact",
                f"{nominal_id}:{fact}",
                f"Fact '{fact}' recorded for {nominal.ref}",
                at=self.ws.now(),
                nominal_id=nominal_id,
                before={fact: before},
                after={fact: value},
            )
        return Changes.of("case_facts", nominal_id=nominal_id)

    def facts(self, nominal_id: int) -> list[CaseFact]:
        return [
            rows.case_fact(r)
            for r in self.ws.db.query(
                "SELECT * FROM case_facts WHERE nominal_id = ? ORDER BY fact", [nominal_id]
            )
        ]

