"""A person's custody and the facts the inclusion criteria read: sentences recorded as given (the
person goes into custody in their history; the amber list and removal follow from the length, as
the rules say) and facts recorded with the day each was recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ppo_desktop.domain import CaseFact, Nominal, Sentence, Status
from ppo_desktop.i18n import _
from ppo_desktop.rules.history import EventKind, Stage
from ppo_desktop.services import rows
from ppo_desktop.services.person_history import PersonHistory
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Topic, Workspace


class Custody:
    """Sentences and the facts the inclusion criteria read, for one person at a time."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def nominal(self, nominal_id: int) -> Nominal:
        return rows.nominal(self.ws.row("nominals", nominal_id, "nominal"))

    def record_sentence(
        self,
        nominal_id: int,
        *,
        starts_on: dt.date,
        months: int = 0,
        days: int = 0,
        years: int = 0,
        ends_on: dt.date | None = None,
        no_fixed_term: bool = False,
        release_on: dt.date | None = None,
        secure_hospital: bool = False,
        note: str = "",
    ) -> Made[Sentence]:
        """A custodial sentence as given: a start and a length (years, months and / or days, as the
        court said it), or a start and an end date; a secure hospital order may have no fixed term.
        Its length decides the custody rules. A person in the active cohort, or on the amber list,
        shows as in custody from its start, with the expected release."""
        nominal = self.nominal(nominal_id)
        lengths = (years, months, days)
        if any(n < 0 for n in lengths):
            raise ServiceError(_("A sentence's length cannot be negative."))
        given = sum(1 for g in (any(lengths), ends_on is not None, no_fixed_term) if g)
        if given != 1:
            raise ServiceError(
                _(
                    "A custodial sentence needs one of: its length (years, months and / or days), its end "
                    "date, or — for a secure hospital order — no fixed term."
                )
            )
        if no_fixed_term and not secure_hospital:
            raise ServiceError(_("Only a secure hospital order is recorded without a fixed term."))
        if ends_on is not None and ends_on <= starts_on:
            raise ServiceError(_("A sentence ends after it starts."))
        if release_on is not None and release_on <= starts_on:
            raise ServiceError(_("The expected release comes after the sentence starts."))
        if starts_on > self.ws.today():
            raise ServiceError(
                _("A sentence is recorded once it has been given (its start is not in the future).")
            )
        people = PersonHistory(self.ws)
        state = people.state(nominal_id)
        with self.ws.writing():
            people.record(
                nominal_id, EventKind.SENTENCED, starts_on, years=years, months=months, days=days,
                ends_on=ends_on, no_fixed_term=no_fixed_term, release_on=release_on,
                secure_hospital=secure_hospital, recorded_on=self.ws.today(), note=note,
                summary=f"Custodial sentence recorded for {nominal.ref}",
            )  # fmt: skip
            key = people.last_key
            if state.stage is not Stage.OFF:
                since = state.scheme_since or (state.amber.placed_on if state.amber else starts_on)
                people.record(
                    nominal_id, EventKind.STATUS, max(starts_on, since), status=Status.CUSTODY,
                    custody_on=starts_on, release_on=release_on,
                    summary="Status now In prison / custody (sentence recorded)",
                )  # fmt: skip
        changes = Changes.of(Topic.SENTENCES, Topic.MEMBERSHIPS, nominal_id=nominal_id)
        found = self.ws.db.query(
            "SELECT * FROM sentences WHERE nominal_id = ? AND event_key = ?", [nominal_id, key]
        )
        return changes.made(rows.sentence(next(iter(found))))

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
            raise ServiceError(
                _("'{fact}' is not a fact the scheme's inclusion criteria read.").format(fact=fact)
            )
        if value is not None:
            if kinds[fact] is bool and not isinstance(value, bool):
                raise ServiceError(_("'{fact}' takes yes or no.").format(fact=fact))
            if kinds[fact] is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ServiceError(_("'{fact}' takes a whole number, 0 or more.").format(fact=fact))
        nominal = self.nominal(nominal_id)
        old = next((f for f in self.facts(nominal_id) if f.fact == fact), None)
        if old is not None and old.value == value and type(old.value) is type(value):
            return Changes()
        if old is None and value is None:
            return Changes()
        known: dict[str, Any] = {"value": value} if value is not None else {}
        with self.ws.writing():
            PersonHistory(self.ws).record(
                nominal_id, EventKind.FACT, self.ws.today(), fact=fact, **known,
                summary=f"Fact '{fact}' {'recorded' if value is not None else 'forgotten'} for {nominal.ref}",
            )  # fmt: skip
        return Changes.of(Topic.CASE_FACTS, nominal_id=nominal_id)

    def facts(self, nominal_id: int) -> list[CaseFact]:
        return [
            rows.case_fact(r)
            for r in self.ws.db.query(
                "SELECT * FROM case_facts WHERE nominal_id = ? ORDER BY fact", [nominal_id]
            )
        ]
