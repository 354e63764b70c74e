"""A pack's contents checked before anything of it is believed: every record has only the fields
it may have, each a plain value; a final score sheet's total is worked out again from its inputs on
the named matrix (a sheet whose total does not follow is refused, not merged); records claiming to
have been made in the receiving store must be there."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from ppo_desktop.scoring import Catalogue, DefinitionError, InputError, score
from ppo_desktop.transfer.pack import PackError

Scalar = (str, int, float, type(None))
MEETING_FIELDS = frozenset(
    {"uid", "panel", "held_on", "venue", "chair", "deputy", "quorum_note", "attendance", "agenda"}
)
ATTENDANCE_FIELDS = frozenset({"name", "agency", "role", "present"})
AGENDA_FIELDS = frozenset({"position", "title", "reasons", "minutes", "person"})


def check_payload(
    payload: dict[str, Any],
    *,
    nominal_fields: frozenset[str],
    table_fields: Mapping[str, frozenset[str]],
    catalogue: Catalogue,
    own_store: str,
    exists: Callable[[str, int], bool],
) -> None:
    """PackError naming the first thing wrong (never a value from the pack)."""
    origin = payload.get("from")
    if not isinstance(origin, dict) or not all(isinstance(origin.get(k), str) for k in ("store", "user")):
        raise PackError("The pack does not say which store it comes from.")
    if origin["store"] == own_store:
        raise PackError("The pack claims to come from this very store; refused.")
    people = payload.get("people")
    if not isinstance(people, list):
        raise PackError("The pack's list of people is damaged.")
    for number, person in enumerate(people, start=1):
        where = f"person {number} of the pack"
        if not isinstance(person, dict):
            raise PackError(f"{where} is damaged.")
        _uid(person.get("uid"), "nominal", where, own_store, exists)
        _record(person.get("nominal"), nominal_fields, where)
        for table, allowed in table_fields.items():
            records = person.get(table, [])
            if not isinstance(records, list):
                raise PackError(f"{where}: its {table} are damaged.")
            for record in records:
                _record(record, allowed | {"uid"}, f"{where}, {table}")
                _uid(record["uid"], table, f"{where}, {table}", own_store, exists)
                if table == "score_sheets":
                    _sheet(record, catalogue, where)
        unknown = set(person) - {"uid", "nominal", *table_fields}
        if unknown:
            raise PackError(f"{where} has parts this version does not know ({', '.join(sorted(unknown))}).")
    meeting = payload.get("meeting")
    if meeting is not None:
        if not isinstance(meeting, dict) or set(meeting) - MEETING_FIELDS:
            raise PackError("The pack's meeting is damaged or has fields this version does not know.")
        for item in meeting.get("attendance", []):
            _record(item, ATTENDANCE_FIELDS, "the meeting's attendance")
        for item in meeting.get("agenda", []):
            _record(item, AGENDA_FIELDS, "the meeting's agenda")


def _record(record: object, allowed: frozenset[str] | set[str], where: str) -> None:
    if not isinstance(record, dict):
        raise PackError(f"{where}: a record is damaged.")
    unknown = set(record) - set(allowed)
    if unknown:
        raise PackError(
            f"{where}: a record has fields this store does not know ({', '.join(sorted(unknown))})."
        )
    for key, value in record.items():
        if not isinstance(value, Scalar) or isinstance(value, bool):
            raise PackError(f"{where}: the field {key!r} is not a plain value.")


def _uid(uid: object, entity: str, where: str, own_store: str, exists: Callable[[str, int], bool]) -> None:
    if not isinstance(uid, str) or uid.count(":") != 2:
        raise PackError(f"{where}: a record's origin is damaged.")
    store, kind, local = uid.split(":")
    if store == own_store and (kind != entity or not local.isdigit() or not exists(entity, int(local))):
        raise PackError(
            f"{where}: a record claims to have been made in this store, but it is not here; refused."
        )


def _sheet(record: dict[str, Any], catalogue: Catalogue, where: str) -> None:
    if record.get("state") != "final":
        raise PackError(f"{where}: only final score sheets travel; this one is not final.")
    try:
        defn = catalogue.get(str(record["matrix_id"]), str(record["matrix_version"]))
    except (KeyError, DefinitionError):
        return  # a matrix this laptop does not have: the sheet is left out at the merge, not guessed
    try:
        inputs = json.loads(str(record["inputs"]))
        worked_out = score(defn, inputs).total
    except (KeyError, ValueError, InputError):
        raise PackError(f"{where}: a score sheet's inputs cannot be read on its matrix; refused.") from None
    if abs(worked_out - float(record.get("total") or 0)) > 1e-9:
        raise PackError(f"{where}: a score sheet's total does not follow from its inputs; refused.")
