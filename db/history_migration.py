"""Schema step 15's data: a store's strand spells, decisions and activity dates turned into each
person's dated events (the record from then on). Plain rows in, plain rows out: what the events
mean is ``ppo_desktop/rules/history.py``; this only reads the old columns the way the old code
wrote them, including the spells the old model left open by mistake (a C&C spell still open after
a move to R&R and a de-selection: the de-selection now ends both)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

MIGRATED = "(from the records before histories)"  # the same words as ppo_desktop.rules.history
DECIDED = {"select": "selected", "move-strand": "moved", "deselect": "deselected", "iom-cohort": "deselected",
           "amber": "amber", "retain": "retained", "defer": "deferred"}  # fmt: skip


def events_from_spells(db: Database) -> None:
    spells: dict[int, list[dict[str, Any]]] = {}
    for r in db.query("SELECT * FROM memberships ORDER BY added_on, id"):
        spells.setdefault(r["nominal_id"], []).append(r)
    decisions: dict[int, list[dict[str, Any]]] = {}
    for r in db.query("SELECT * FROM decisions WHERE undone_at IS NULL ORDER BY decided_on, id"):
        decisions.setdefault(r["nominal_id"], []).append(r)
    people = db.query("SELECT id, last_arrest_on, last_intelligence_on FROM nominals")
    rows: list[dict[str, Any]] = []
    for person in people:
        nid = person["id"]
        found = list(_person(spells.get(nid, []), decisions.get(nid, [])))
        if person["last_arrest_on"]:
            found.append(("arrested", person["last_arrest_on"], {}, None))
        if person["last_intelligence_on"]:
            found.append(("intelligence", person["last_intelligence_on"], {}, None))
        for n, (kind, on, values, decision_id) in enumerate(found):
            details = {k: v for k, v in values.items() if k not in ("strand", "basis", "status")}
            rows.append({
                "nominal_id": nid, "key": f"0-{n:05d}-{uuid.uuid4().hex[:12]}", "kind": kind,
                "occurred_on": on,
                "recorded_at": f"{on}T00:00:00", "recorded_by": MIGRATED,
                "strand": values.get("strand"), "basis": values.get("basis"), "status": values.get("status"),
                "decision_id": decision_id, "details": json.dumps(details, sort_keys=True),
            })  # fmt: skip
    if rows:
        db.table("person_events").insert_all(rows)


def _person(
    spells: list[dict[str, Any]], decisions: list[dict[str, Any]]
) -> Iterator[tuple[str, str, dict[str, Any], int | None]]:
    timeline: list[tuple[str, int, str, dict[str, Any]]] = []
    for s in spells:
        timeline.append((s["added_on"], 1, "start", s))
        if s["removed_on"]:
            moved = (s["removal_note"] or "").startswith("Moved to")
            timeline.append((s["removed_on"], 2 if moved else 0, "end", s))
    timeline.sort(key=lambda t: (t[0], t[1], t[3]["id"]))
    stage, open_ids, last = "off", set[int](), ""
    used: set[int] = set()

    def decided(kind: str, on: str) -> int | None:
        for d in decisions:
            if d["id"] not in used and d["decided_on"] == on and DECIDED.get(d["kind"]) == kind:
                used.add(d["id"])
                return int(d["id"])
        return None

    for on, _rank, what, s in timeline:
        last = max(last, on)
        if what == "start":
            kind = "moved" if stage == "on" else "selected"
            values = {"strand": s["strand"], "basis": s["basis"]}
            if kind == "selected":
                values["status"] = s["status"]
            stage = "on"
            open_ids.add(s["id"])
            yield kind, on, values, decided(kind, on)
            continue
        if s["id"] not in open_ids or stage != "on":
            continue  # already ended with the rest of its period
        if s["amber"]:
            release = s["release_on"] or s["removed_on"]
            yield "amber", s["amber_on"] or on, {"release_on": release}, decided("amber", s["amber_on"] or on)
            stage = "amber"
        if (s["removal_note"] or "").startswith("Moved to"):
            open_ids.discard(s["id"])
            continue
        yield "deselected", on, _removal(s), decided("deselected", on)
        stage, open_ids = "off", set()
    for d in decisions:  # reviews that changed no spell
        if d["id"] not in used and d["kind"] in ("retain", "defer"):
            last = max(last, d["decided_on"])
            yield DECIDED[d["kind"]], d["decided_on"], {}, int(d["id"])
    for s in spells:  # spells still open: on the amber list, status, custody and review as recorded
        if s["id"] not in open_ids or not s["is_lead"]:
            continue
        if s["amber"] and stage == "on":
            on = s["amber_on"] or s["custody_on"] or last
            yield "amber", on, {"release_on": s["release_on"]}, decided("amber", on)
            stage = "amber"
            last = max(last, on)
        if stage == "on":
            status = {"custody_on": s["custody_on"], "release_on": s["release_on"]}
            yield "status", last, {"status": s["status"], **{k: v for k, v in status.items() if v}}, None
            if s["next_review_on"]:
                yield "review-set", last, {"review_on": s["next_review_on"]}, None


def _removal(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "reason": s["removal_reason"] or "other",
        "authority": s["removal_authority"] or "",
        "note": s["removal_note"] or "",
        "outcomes": json.loads(s["removal_outcomes"] or "[]"),
    }


def events_from_records(db: Database) -> None:
    """Schema step 23: nominations, sentences and case facts become events in the person's history
    (each row is told which event it now comes from, so it keeps its id when derived again)."""
    rows: list[dict[str, Any]] = []
    marks: list[tuple[str, str, int]] = []

    def add(table: str, row_id: int | None, nid: int, kind: str, on: str, values: dict[str, Any]) -> None:
        key = f"0-0-{uuid.uuid4().hex[:12]}"  # before a selection turned from the old records that day
        details = {k: v for k, v in values.items() if v not in (None, "", 0, False)}
        rows.append({
            "nominal_id": nid, "key": key, "kind": kind, "occurred_on": on,
            "recorded_at": f"{on}T00:00:00", "recorded_by": MIGRATED,
            "strand": details.pop("strand", None), "basis": details.pop("basis", None),
            "status": None, "decision_id": None, "details": json.dumps(details, sort_keys=True),
        })  # fmt: skip
        if row_id is not None:
            marks.append((table, key, row_id))

    for r in db.query("SELECT * FROM nominations ORDER BY id"):
        add("nominations", r["id"], r["nominal_id"], "nominated", r["nominated_on"],
            {k: r[k] for k in ("strand", "basis", "agency", "nominator", "reason")}
            | {"state": r["state"] if r["state"] != "open" else None})  # fmt: skip
    for r in db.query("SELECT * FROM sentences ORDER BY id"):
        add("sentences", r["id"], r["nominal_id"], "sentenced", r["starts_on"], {
            "years": r["length_years"], "months": r["length_months"], "days": r["length_days"],
            "ends_on": r["ends_on"], "no_fixed_term": bool(r["no_fixed_term"]), "release_on": r["release_on"],
            "secure_hospital": bool(r["secure_hospital"]), "recorded_on": r["recorded_on"], "note": r["note"],
        })  # fmt: skip
    for r in db.query("SELECT * FROM case_facts ORDER BY nominal_id, fact"):
        value = json.loads(r["value"])
        add("case_facts", None, r["nominal_id"], "fact", r["recorded_on"], {"fact": r["fact"]})
        rows[-1]["details"] = json.dumps(
            {"fact": r["fact"], "value": value, "recorded_by": r["recorded_by"]}, sort_keys=True
        )  # a fact's value may be no or 0, and still be known
    if rows:
        db.table("person_events").insert_all(rows)
    for table, key, row_id in marks:
        db.execute(f"UPDATE {table} SET event_key = ? WHERE id = ?", [key, row_id])
