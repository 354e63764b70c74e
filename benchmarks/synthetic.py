"""A synthetic, obviously fictional store at a chosen size, written in bulk (not through the services,
which would take hours at the large size) but with a valid audit chain and engine-computed sheets."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop.audit import AuditKind
from ppo_desktop.demo import FAMILY, GIVEN_F, GIVEN_M
from ppo_desktop.domain import Pathway, Status, Strand
from ppo_desktop.scoring import empty_inputs, score, shipped
from ppo_desktop.services.session import create_store

PASSPHRASE = "benchmark passphrase"
TODAY = dt.date(2026, 11, 24)


@dataclass(frozen=True)
class Size:
    name: str
    nominals: int
    sheets: int
    meetings: int
    audit: int
    years: int


SMALL = Size("small (a year of one partnership)", 120, 480, 12, 6_000, 1)
LARGE = Size("large (ten years of a large partnership)", 10_000, 100_000, 1_000, 1_000_000, 10)


def build(path: Path, size: Size, seed: int = 7) -> None:
    rng = random.Random(seed)
    ws, _ = create_store(
        path,
        user_id="bench",
        display_name="Benchmark",
        passphrase=PASSPHRASE,
        partnership="Benchmarkshire CSP (FICTIONAL)",
        device=DeviceSecrets(None),
        cost=KdfCost(n=2**14),
    )
    db = ws.db
    start = TODAY - relativedelta(years=size.years)
    days = (TODAY - start).days
    defn = shipped().get("thurrock-2009-appendix2")
    rows_keys = [r.key for r in defn.section("offences").rows]
    variants = []
    for _ in range(400):  # engine-computed sheets, reused across people
        inputs = empty_inputs(defn)
        inputs["offences"] = {k: {"convicted": rng.randint(1, 4)} for k in rng.sample(rows_keys, 4)}
        inputs["intelligence"] = rng.choice([None, 10, 40, 90])
        inputs["impact"] = rng.choice(["serious", "moderate", "slight"])
        b = score(defn, inputs)
        variants.append((json.dumps(inputs), json.dumps(b.to_json(compact=True)), b.total))
    with ws.vault.transaction():
        stamp = TODAY.isoformat()
        db.table("nominals").insert_all(
            (
                {
                    "id": i,
                    "ref": f"B{i:06d}",
                    "family_name": f"{FAMILY[i % len(FAMILY)]}-{i}",
                    "given_names": rng.choice(GIVEN_F if i % 5 == 0 else GIVEN_M),
                    "aliases": "[]",
                    "dob": (TODAY - dt.timedelta(days=rng.randint(15 * 365, 45 * 365))).isoformat(),
                    "gender": "Female" if i % 5 == 0 else "Male",
                    "ethnicity": "Not stated",
                    "address": f"{i} Synthetic Street, Benchmarkshire",
                    "pnc_id": f"98/{i:06d}B",
                    "cro": f"{i:06d}/98B",
                    "area": f"Area {i % 12}",
                    "created_at": stamp,
                    "updated_at": stamp,
                }
                for i in range(1, size.nominals + 1)
            ),
            batch_size=2000,
        )
        strands = list(Strand)
        statuses = list(Status)
        memberships, nominations, actions = [], [], []
        for i in range(1, size.nominals + 1):
            added = start + dt.timedelta(days=rng.randint(0, days - 1))
            strand = strands[i % 3]
            current = rng.random() < 0.4
            memberships.append(
                {
                    "nominal_id": i,
                    "strand": strand.value,
                    "basis": "prolific",
                    "is_lead": 1,
                    "status": statuses[i % 6].value,
                    "added_on": added.isoformat(),
                    "next_review_on": (added + relativedelta(months=6)).isoformat() if current else None,
                    "removed_on": None
                    if current
                    else min(TODAY, added + relativedelta(months=9)).isoformat(),
                    "removal_reason": None if current else "stopped-offending",
                    "removal_authority": None if current else "Benchmark panel",
                    "last_intelligence_on": (TODAY - dt.timedelta(days=rng.randint(0, 300))).isoformat(),
                    "scheme_since": added.isoformat(),
                }
            )
            # 1 in 20 nominated again the day after the selection: still open (as the history derives it)
            nominated = added if rng.random() < 0.95 else min(TODAY, added + dt.timedelta(days=1))
            nominations.append(
                {
                    "nominal_id": i,
                    "agency": "Police",
                    "nominator": "PC Synthetic",
                    "nominated_on": nominated.isoformat(),
                    "basis": "prolific",
                    "strand": strand.value,
                    "reason": "Synthetic",
                    "state": "selected" if nominated == added else "open",
                    "event_key": f"0-{i}",
                }
            )
            for _ in range(3):
                due = added + dt.timedelta(days=rng.randint(10, 400))
                done = due < TODAY - dt.timedelta(days=30)
                actions.append(
                    {
                        "nominal_id": i,
                        "pathway": rng.choice(list(Pathway)).value,
                        "description": "Synthetic action",
                        "agency": "Housing",
                        "owner": "Officer B",
                        "due_on": due.isoformat(),
                        "state": "done" if done else "open",
                        "outcome": "done" if done else None,
                        "created_on": added.isoformat(),
                    }
                )
        db.table("memberships").insert_all(memberships, batch_size=2000)
        db.table("person_events").insert_all(
            [*_events(memberships), *_nominated(nominations)], batch_size=2000
        )  # what memberships and nominations derive from
        db.table("nominations").insert_all(nominations, batch_size=2000)
        db.table("actions").insert_all(actions, batch_size=2000)
        sheets = []
        for s in range(size.sheets):
            inputs_json, breakdown, total = variants[s % len(variants)]
            nid = 1 + s % size.nominals
            sheets.append(
                {
                    "nominal_id": nid,
                    "matrix_id": defn.id,
                    "matrix_version": defn.version,
                    "matrix_hash": defn.hash,
                    "inputs": inputs_json,
                    "breakdown": breakdown,
                    "total": total,
                    "scorer": "bench",
                    "scored_on": (start + dt.timedelta(days=(s * 7) % days)).isoformat(),
                    "state": "final",
                    "pnc_marker": 1,
                }
            )
        db.table("score_sheets").insert_all(sheets, batch_size=2000)
        meetings, items, decisions = [], [], []
        for m in range(1, size.meetings + 1):
            day = start + dt.timedelta(days=(m * days) // size.meetings)
            meetings.append(
                {
                    "id": m,
                    "panel": "C&C / R&R panel",
                    "held_on": day.isoformat(),
                    "venue": "Room 1",
                    "chair": "DI Synthetic",
                    "deputy": "",
                    "state": "closed",
                }
            )
            for pos in range(1, 16):
                nid = 1 + (m * 15 + pos) % size.nominals
                item_id = (m - 1) * 15 + pos
                items.append(
                    {
                        "id": item_id,
                        "meeting_id": m,
                        "position": pos,
                        "nominal_id": nid,
                        "title": f"Person {nid}",
                        "reasons": "[]",
                        "minutes": 10,
                        "notes": "Synthetic",
                        "state": "discussed",
                    }
                )
                decisions.append(
                    {
                        "meeting_id": m,
                        "agenda_item_id": item_id,
                        "nominal_id": nid,
                        "kind": "retain",
                        "decided_on": day.isoformat(),
                        "authority": "Panel agreement",
                        "note": "",
                    }
                )
        db.table("meetings").insert_all(meetings, batch_size=2000)
        db.table("agenda_items").insert_all(items, batch_size=2000)
        db.table("decisions").insert_all(decisions, batch_size=2000)
        db.table("meetings").insert(
            {
                "id": size.meetings + 1,
                "panel": "C&C / R&R panel",
                "held_on": (TODAY + dt.timedelta(days=7)).isoformat(),
                "venue": "Room 1",
                "chair": "DI Synthetic",
                "deputy": "",
                "state": "planned",
            }
        )
        remaining = size.audit - db.execute("SELECT count(*) FROM audit").fetchone()[0]
        batch = 50_000
        while remaining > 0:
            n = min(batch, remaining)
            ws.audit.record_many(
                [
                    {
                        "kind": AuditKind.CONSULTATION,
                        "entity": "nominal",
                        "entity_id": 1 + k % size.nominals,
                        "nominal_id": 1 + k % size.nominals,
                        "summary": "Case opened",
                        "justification": "benchmark",
                    }
                    for k in range(n)
                ]
            )
            remaining -= n
    ws.close()


def _nominated(nominations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each synthetic nomination as the event it derives from (recorded before that day's selection)."""
    return [
        {"nominal_id": r["nominal_id"], "recorded_by": "benchmark", "decision_id": None,
         "key": r["event_key"], "kind": "nominated", "occurred_on": r["nominated_on"],
         "recorded_at": f"{r['nominated_on']}T08:00:00", "strand": r["strand"], "basis": r["basis"],
         "status": None,
         "details": json.dumps({k: r[k] for k in ("agency", "nominator", "reason")}, sort_keys=True)}
        for r in nominations
    ]  # fmt: skip


def _events(memberships: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each synthetic membership as the history it derives from: selected, intelligence, de-selected."""
    out = []
    for n, s in enumerate(memberships):
        base = {"nominal_id": s["nominal_id"], "recorded_by": "benchmark", "decision_id": None}
        out.append({**base, "key": f"1-{n}", "kind": "selected", "occurred_on": s["added_on"],
                    "recorded_at": f"{s['added_on']}T09:00:00", "strand": s["strand"], "basis": s["basis"],
                    "status": s["status"], "details": "{}"})  # fmt: skip
        out.append({**base, "key": f"2-{n}", "kind": "intelligence", "occurred_on": s["last_intelligence_on"],
                    "recorded_at": f"{s['last_intelligence_on']}T09:00:00", "strand": None, "basis": None,
                    "status": None, "details": "{}"})  # fmt: skip
        if s["removed_on"]:
            details = json.dumps({"authority": s["removal_authority"], "reason": s["removal_reason"]})
            out.append({**base, "key": f"3-{n}", "kind": "deselected", "occurred_on": s["removed_on"],
                        "recorded_at": f"{s['removed_on']}T09:00:00", "strand": None, "basis": None,
                        "status": None, "details": details})  # fmt: skip
    return out
