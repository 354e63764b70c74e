"""Which of two versions of a field stands: version vectors, one per field (no I/O here).

Every change to a tracked field moves the changing store's entry in that field's vector to a new
tick (the store's triggers do it, so no code path can forget). Comparing the vector that arrived
with the one here says, without trusting any clock and whatever order packs arrive in:

- *already here*: what arrived is included in what is here (the same pack twice, an older pack);
- *newer*: what arrived includes what is here, and more: it applies;
- *both changed*: each side has a change the other has not seen. With equal values the vectors
  are simply joined; otherwise it is a conflict, and a person picks.

A conflict settled on either side is a new change by the person who settled it (its vector
includes both), so it travels back and stands on the other side too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

Vector = dict[str, int]

# How records are named across stores: ``store:entity:id``, entity the table's name (two older names).
# In the order they are merged: a record's references are merged before it.
# A person's strand memberships, nominations, sentences and case facts do not travel: their history
# does (``person_events``), and each store derives them from it.
TABLES = ("nominals", "meetings", "agenda_items", "score_sheets",
          "attendance", "attendance_moves", "actions", "decisions", "meeting_amendments",
          "person_events")  # fmt: skip
ENTITY = {"nominals": "nominal", "meetings": "meeting"}
REFERENCES = {"nominal_id": "nominals", "meeting_id": "meetings", "agenda_item_id": "agenda_items",
              "decision_id": "decisions", "attendance_id": "attendance"}  # fmt: skip
CREATION = ""  # the field whose vector is the record's creation (and deletion)


def entity(table: str) -> str:
    return ENTITY.get(table, table)


class Order(Enum):
    ALREADY_HERE = "already-here"  # equal, or what arrived is older
    NEWER = "newer"
    BOTH_CHANGED = "both-changed"


def parse(text: str | None) -> Vector:
    if not text:
        return {}
    found = json.loads(text)
    return {str(k): int(v) for k, v in found.items()}


def dump(vector: Mapping[str, int]) -> str:
    return json.dumps(dict(sorted(vector.items())), separators=(",", ":"))


def includes(a: Mapping[str, int], b: Mapping[str, int]) -> bool:
    """Whether ``a`` has seen every change ``b`` has."""
    return all(a.get(store, 0) >= tick for store, tick in b.items())


def compare(here: Mapping[str, int], arrived: Mapping[str, int]) -> Order:
    if includes(here, arrived):
        return Order.ALREADY_HERE
    if includes(arrived, here):
        return Order.NEWER
    return Order.BOTH_CHANGED


def join(a: Mapping[str, int], b: Mapping[str, int]) -> Vector:
    return {store: max(a.get(store, 0), b.get(store, 0)) for store in sorted({*a, *b})}


def is_vector(value: object) -> bool:
    """A pack's vector: store ids to positive whole numbers, nothing else."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and type(v) is int and 0 < v < 2**62 for k, v in value.items()
    )


@dataclass(frozen=True)
class Author:
    """Who made a change, where and when (as the store that made it recorded it)."""

    user: str
    workstation: str
    at: str

    def __str__(self) -> str:
        if self.user == "outside":  # changed with the data key, not through the app: nobody to name
            return "someone outside PPO Panel (time unknown)"
        where = self.workstation or "an unknown workstation"
        try:
            when = f"{dt.datetime.fromisoformat(self.at):%d %b %Y %H:%M}"
        except ValueError:
            when = self.at or "time unknown"
        return f"{self.user or 'unknown'} on {where}, {when}"

    @classmethod
    def of(cls, value: Any) -> Author:
        if isinstance(value, list | tuple) and len(value) == 3 and all(isinstance(v, str) for v in value):
            return cls(*value)
        return cls("", "", "")

    def as_list(self) -> list[str]:
        return [self.user, self.workstation, self.at]
