"""A pack's contents checked before anything of it is believed: every record is of a kind this
store keeps and has only the fields it may have, each a plain value, its references and version
details well formed; a final score sheet's total is worked out again from its inputs on
the named matrix (a sheet whose total does not follow is refused, not merged); records claiming to
have been made in the receiving store must be there."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ppo_desktop.domain import (
    ActionState,
    Basis,
    DecisionKind,
    ItemState,
    MeetingState,
    Move,
    Pathway,
    Status,
    Strand,
)
from ppo_desktop.i18n import _
from ppo_desktop.rules.history import EventKind, unreadable
from ppo_desktop.scoring import Breakdown, Catalogue, DefinitionError, InputError, score
from ppo_desktop.transfer import sync
from ppo_desktop.transfer.pack import PackError

Scalar = (str, int, float, type(None))
RECORD_KEYS = frozenset({"t", "uid", "v", "vv", "by", "deleted"})
DISCLOSURE_KEYS = frozenset(
    {"uid", "at", "user", "workstation", "person", "summary", "recipient", "justification"}
)
MAX_RECORDS = 2_000_000


def _values(*kinds: type[StrEnum]) -> frozenset[str]:
    return frozenset(m.value for kind in kinds for m in kind)


# Fields with a fixed set of values: anything else is refused at the door, never stored (an unknown
# meeting state left the Meetings screen failing every time it opened).
DOMAINS: dict[tuple[str, str], frozenset[str]] = {
    ("meetings", "state"): _values(MeetingState),
    ("agenda_items", "state"): _values(ItemState),
    ("decisions", "kind"): _values(DecisionKind),
    ("decisions", "strand"): _values(Strand),
    ("decisions", "basis"): _values(Basis),
    ("actions", "state"): _values(ActionState),
    ("actions", "pathway"): _values(Pathway),
    ("person_events", "kind"): _values(EventKind),
    ("attendance_moves", "move"): _values(Move),
    ("person_events", "strand"): _values(Strand),
    ("person_events", "basis"): _values(Basis),
    ("person_events", "status"): _values(Status),
}
# Fields that hold a calendar date (YYYY-MM-DD), wherever they appear.
DATES = frozenset({"held_on", "nominated_on", "decided_on", "occurred_on", "starts_on", "release_on",
                   "due_on", "created_on", "closed_on", "scored_on", "dob", "recorded_on"})  # fmt: skip


def _domain(table: str, values: Mapping[str, Any], where: str) -> None:
    for name, value in values.items():
        allowed = DOMAINS.get((table, name))
        if allowed is not None and value is not None and value not in allowed:
            raise PackError(
                _("{where}: its {name} is not one this store knows; refused.").format(where=where, name=name)
            )
        if name in DATES and value is not None:
            try:
                dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                raise PackError(
                    _("{where}: its {name} is not a date; refused.").format(where=where, name=name)
                ) from None
    if table == "person_events":
        try:
            details = json.loads(str(values.get("details") or "{}"))
        except ValueError:
            details = None
        if why := unreadable(details):
            raise PackError(
                _("{where}: a history event's details are damaged ({why}); refused.").format(
                    where=where, why=why
                )
            )


def check_details(payload: dict[str, Any], *, own_store: str, exists: Callable[[str, int], bool]) -> None:
    """The transfer's details (who sent it, how far it goes, its disclosures): PackError naming the
    first thing wrong (never a value from the pack). Its records are checked one at a time
    (``RecordChecks``) as they are read."""
    origin = payload.get("from")
    if not isinstance(origin, dict) or not all(isinstance(origin.get(k), str) for k in ("store", "user")):
        raise PackError(_("The pack does not say which store it comes from."))
    if origin["store"] == own_store:
        raise PackError(_("The pack claims to come from this very store; refused."))
    for key, kinds in (("upto", (int,)), ("ack", (int, type(None))), ("to", (str, type(None))),
                       ("meeting", (str, type(None))), ("count", (int, type(None)))):  # fmt: skip
        if not isinstance(payload.get(key), kinds) or isinstance(payload.get(key), bool):
            raise PackError(_("The pack's exchange details are damaged."))
    disclosures = payload.get("disclosures", [])
    if not isinstance(disclosures, list):
        raise PackError(_("The pack's disclosures are damaged."))
    for item in disclosures:
        _record(item, DISCLOSURE_KEYS, "the pack's disclosures")
        if not all(isinstance(item.get(k), str) for k in DISCLOSURE_KEYS):
            raise PackError(_("the pack's disclosures: an entry is incomplete."))
        _uid(item["uid"], "disclosure", "the pack's disclosures", own_store, lambda _e, _i: True)
        _uid(item["person"], "nominal", "the pack's disclosures", own_store, exists)


@dataclass
class RecordChecks:
    """Each record of a pack checked as it is read: of a kind this store keeps, only the fields it
    may have, plain values, references and version details well formed, a final sheet's total worked
    out again; and in the order a merge reads them (a record after those it may refer to).

    ``again``: the records are read a second time, by the merge, after these very bytes passed every
    check at its plan (the plan holds them; nothing outside this process touches them): each final
    sheet is scored once more, for its breakdown, and nothing else is checked twice."""

    fields: Mapping[str, frozenset[str]]
    catalogue: Catalogue
    own_store: str
    exists: Callable[[str, int], bool]
    again: bool = False
    count: int = 0
    at: int = 0  # the table (in ``sync.TABLES``) of the last record read

    def check(self, record: object) -> dict[str, Any]:
        """The record, checked; at the merge (``again``), a final score sheet's breakdown as worked
        out here is put in its values (compact JSON, as the store keeps it). PackError naming the
        first thing wrong (never a value from the pack)."""
        self.count += 1
        where = f"record {self.count} of the pack"
        if self.again:
            assert isinstance(record, dict)
            if record["t"] == "score_sheets" and not record.get("deleted"):
                breakdown = _sheet(record["v"], self.catalogue, where)
                if breakdown is not None:
                    record["v"]["breakdown"] = json.dumps(breakdown.to_json(compact=True))
            return record
        if self.count > MAX_RECORDS:
            raise PackError(_("The pack's list of records is damaged (too many)."))
        _change(record, where, self.fields, self.catalogue, self.own_store, self.exists)
        assert isinstance(record, dict)
        table = sync.TABLES.index(str(record["t"]))
        if table < self.at:
            raise PackError(
                _("{where} is out of order (the pack was not made by PPO Panel); refused.").format(
                    where=where
                )
            )
        self.at = table
        return record


def _change(
    record: object,
    where: str,
    fields: Mapping[str, frozenset[str]],
    catalogue: Catalogue,
    own_store: str,
    exists: Callable[[str, int], bool],
) -> None:
    if not isinstance(record, dict) or set(record) - RECORD_KEYS or record.get("t") not in fields:
        raise PackError(_("{where} is damaged or of a kind this version does not know.").format(where=where))
    table = str(record["t"])
    allowed = fields[table]
    _uid(record.get("uid"), sync.entity(table), where, own_store, exists)
    if record.get("deleted", False) is not True and "deleted" in record:
        raise PackError(_("{where} is damaged.").format(where=where))
    if record.get("deleted"):
        if "v" in record:
            raise PackError(_("{where}: a deleted record carries values; refused.").format(where=where))
    else:
        values = record.get("v")
        _record(values, allowed, where)
        assert isinstance(values, dict)
        _domain(table, values, where)
        for name, target in sync.REFERENCES.items():
            if values.get(name) is not None:
                _uid(values[name], sync.entity(target), where, own_store, exists)
        if table == "score_sheets":
            _sheet(values, catalogue, where)
    for part, check in (("vv", sync.is_vector), ("by", _is_author)):
        found = record.get(part, {})
        if not isinstance(found, dict) or set(found) - allowed - {sync.CREATION}:
            raise PackError(_("{where}: its version details are damaged.").format(where=where))
        if not all(check(v) for v in found.values()):
            raise PackError(_("{where}: its version details are damaged.").format(where=where))


def _is_author(value: object) -> bool:
    return isinstance(value, list) and len(value) == 3 and all(isinstance(v, str) for v in value)


def _record(record: object, allowed: frozenset[str] | set[str], where: str) -> None:
    if not isinstance(record, dict):
        raise PackError(_("{where}: a record is damaged.").format(where=where))
    unknown = set(record) - set(allowed)
    if unknown:
        raise PackError(
            _("{where}: a record has fields this store does not know ({join}).").format(
                where=where, join=", ".join(sorted(unknown))
            )
        )
    for key, value in record.items():
        if not isinstance(value, Scalar) or isinstance(value, bool):
            raise PackError(
                _("{where}: the field {key!r} is not a plain value.").format(where=where, key=key)
            )


def _uid(uid: object, entity: str, where: str, own_store: str, exists: Callable[[str, int], bool]) -> None:
    if not isinstance(uid, str) or uid.count(":") != 2:
        raise PackError(_("{where}: a record's origin is damaged.").format(where=where))
    store, kind, local = uid.split(":")
    if kind != entity:
        raise PackError(
            _("{where}: a record's origin names another kind of record; refused.").format(where=where)
        )
    if store == own_store and (kind != entity or not local.isdigit() or not exists(entity, int(local))):
        raise PackError(
            _(
                "{where}: a record claims to have been made in this store, but it is not here; refused."
            ).format(where=where)
        )


def _sheet(record: dict[str, Any], catalogue: Catalogue, where: str) -> Breakdown | None:
    if record.get("state") != "final":
        raise PackError(
            _("{where}: only final score sheets travel; this one is not final.").format(where=where)
        )
    try:
        defn = catalogue.get(str(record["matrix_id"]), str(record["matrix_version"]))
    except (KeyError, DefinitionError):
        return None  # a matrix this laptop does not have: the sheet is left out at the merge, not guessed
    try:
        inputs = json.loads(str(record["inputs"]))
        breakdown = score(defn, inputs)
    except (KeyError, ValueError, InputError):
        raise PackError(
            _("{where}: a score sheet's inputs cannot be read on its matrix; refused.").format(where=where)
        ) from None
    if abs(breakdown.total - float(record.get("total") or 0)) > 1e-9:
        raise PackError(
            _("{where}: a score sheet's total does not follow from its inputs; refused.").format(where=where)
        )
    return breakdown
