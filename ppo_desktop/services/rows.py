"""Mapping rows (dicts from the vault) to domain objects."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ppo_desktop.domain import (
    Action,
    ActionState,
    AgendaItem,
    Attendee,
    Basis,
    CaseFact,
    Decision,
    ItemState,
    Meeting,
    MeetingState,
    Membership,
    Nominal,
    Nomination,
    NominationState,
    Pathway,
    RemovalOutcome,
    RemovalReason,
    Role,
    ScoreSheet,
    Sentence,
    SheetState,
    Status,
    Strand,
    User,
)

Row = dict[str, Any]


def date_or_none(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def nominal(r: Row) -> Nominal:
    return Nominal(
        id=r["id"],
        ref=r["ref"],
        family_name=r["family_name"],
        given_names=r["given_names"],
        aliases=tuple(json.loads(r["aliases"] or "[]")),
        dob=date_or_none(r["dob"]),
        gender=r["gender"],
        ethnicity=r["ethnicity"],
        address=r["address"],
        pnc_id=r["pnc_id"],
        cro=r["cro"],
        area=r["area"],
    )


def membership(r: Row) -> Membership:
    return Membership(
        id=r["id"],
        nominal_id=r["nominal_id"],
        strand=Strand(r["strand"]),
        basis=Basis(r["basis"]),
        status=Status(r["status"]),
        added_on=dt.date.fromisoformat(r["added_on"]),
        is_lead=bool(r["is_lead"]),
        next_review_on=date_or_none(r["next_review_on"]),
        custody_on=date_or_none(r["custody_on"]),
        release_on=date_or_none(r["release_on"]),
        amber=bool(r["amber"]),
        amber_on=date_or_none(r.get("amber_on")),
        removed_on=date_or_none(r["removed_on"]),
        removal_reason=RemovalReason(r["removal_reason"]) if r["removal_reason"] else None,
        removal_note=r["removal_note"] or "",
        removal_authority=r["removal_authority"] or "",
        removal_outcomes=tuple(RemovalOutcome(o) for o in json.loads(r.get("removal_outcomes") or "[]")),
        scheme_since=date_or_none(r.get("scheme_since")),
        amber_until=date_or_none(r.get("amber_until")),
    )


def nomination(r: Row) -> Nomination:
    return Nomination(
        id=r["id"],
        nominal_id=r["nominal_id"],
        agency=r["agency"],
        nominator=r["nominator"],
        nominated_on=dt.date.fromisoformat(r["nominated_on"]),
        basis=Basis(r["basis"]),
        strand=Strand(r["strand"]),
        reason=r["reason"],
        state=NominationState(r["state"]),
    )


def action(r: Row) -> Action:
    return Action(
        id=r["id"],
        nominal_id=r["nominal_id"],
        pathway=Pathway(r["pathway"]),
        description=r["description"],
        agency=r["agency"],
        owner=r["owner"],
        due_on=date_or_none(r["due_on"]),
        state=ActionState(r["state"]),
        created_on=dt.date.fromisoformat(r["created_on"]),
        outcome=r["outcome"] or "",
        closed_on=date_or_none(r["closed_on"]),
        meeting_id=r["meeting_id"],
    )


def decision(r: Row) -> Decision:
    return Decision(
        id=r["id"],
        meeting_id=r["meeting_id"],
        nominal_id=r["nominal_id"],
        kind=r["kind"],
        decided_on=dt.date.fromisoformat(r["decided_on"]),
        strand=Strand(r["strand"]) if r["strand"] else None,
        basis=Basis(r["basis"]) if r["basis"] else None,
        reason_code=r["reason_code"] or "",
        authority=r["authority"] or "",
        note=r["note"] or "",
        agenda_item_id=r.get("agenda_item_id"),
        undone=bool(r.get("undone_at")),
        details=json.loads(r.get("details") or "{}"),
    )


def sentence(r: Row) -> Sentence:
    return Sentence(
        id=r["id"],
        nominal_id=r["nominal_id"],
        starts_on=dt.date.fromisoformat(r["starts_on"]),
        length_months=int(r["length_months"]),
        length_days=int(r["length_days"]),
        release_on=date_or_none(r["release_on"]),
        secure_hospital=bool(r["secure_hospital"]),
        recorded_on=date_or_none(r["recorded_on"]),
        note=r["note"] or "",
        length_years=int(r.get("length_years") or 0),
        ends_on=date_or_none(r.get("ends_on")),
        no_fixed_term=bool(r.get("no_fixed_term")),
    )


def case_fact(r: Row) -> CaseFact:
    return CaseFact(
        nominal_id=r["nominal_id"],
        fact=r["fact"],
        value=json.loads(r["value"]),
        recorded_on=dt.date.fromisoformat(r["recorded_on"]),
        recorded_by=r["recorded_by"],
    )


def meeting(r: Row) -> Meeting:
    return Meeting(
        id=r["id"],
        panel=r["panel"],
        held_on=dt.date.fromisoformat(r["held_on"]),
        state=MeetingState(r["state"]),
        venue=r["venue"],
        chair=r["chair"],
        deputy=r["deputy"],
        quorum_note=r.get("quorum_note") or "",
        confidentiality_read_at=r.get("confidentiality_read_at") or "",
    )


def user(r: Row) -> User:
    return User(id=r["id"], display_name=r["display_name"], role=Role(r["role"]), active=bool(r["active"]))


def score_sheet(r: Row) -> ScoreSheet:
    return ScoreSheet(
        id=r["id"],
        nominal_id=r["nominal_id"],
        matrix_id=r["matrix_id"],
        matrix_version=r["matrix_version"],
        matrix_hash=r["matrix_hash"],
        inputs=json.loads(r["inputs"]),
        breakdown=json.loads(r["breakdown"]),
        total=float(r["total"]),
        scorer=r["scorer"],
        scored_on=dt.date.fromisoformat(r["scored_on"]),
        state=SheetState(r["state"]),
        pnc_marker=bool(r["pnc_marker"]),
    )


def agenda_item(r: Row) -> AgendaItem:
    return AgendaItem(
        id=r["id"],
        meeting_id=r["meeting_id"],
        position=r["position"],
        title=r["title"],
        nominal_id=r["nominal_id"],
        reasons=tuple(json.loads(r["reasons"])),
        minutes=r["minutes"],
        notes=r["notes"],
        seconds_spent=r["seconds_spent"],
        state=ItemState(r["state"]),
        free_text=tuple(json.loads(r.get("free_text") or "[]")),
    )


def attendee(r: Row) -> Attendee:
    return Attendee(
        id=r["id"],
        meeting_id=r["meeting_id"],
        name=r["name"],
        agency=r["agency"],
        role=r["role"],
        present=bool(r["present"]),
    )
