"""A read-only export of audit entries for the data protection officer: CSV (Excel dialect, from the
standard library), every cell neutralised against formula injection, with the chain head stated."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ppo_desktop.domain import AuditEntry

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = [
    "seq",
    "at (UTC)",
    "user",
    "workstation",
    "kind",
    "entity",
    "entity id",
    "nominal id",
    "summary",
    "justification",
    "before",
    "after",
]


def neutralise(value: object) -> str:
    """Text a spreadsheet will never run as a formula (a leading quote, as OWASP advises)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(entries: Iterable[AuditEntry], chain_head: str, filters: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel")
    writer.writerow([neutralise(f"PPO Panel audit export — {filters} — chain head {chain_head}")])
    writer.writerow(HEADER)
    for e in entries:
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    e.seq,
                    e.at,
                    e.user_id,
                    e.workstation,
                    e.kind,
                    e.entity,
                    e.entity_id,
                    e.nominal_id,
                    e.summary,
                    e.justification,
                    e.before,
                    e.after,
                )
            ]
        )
    return out.getvalue().encode("utf-8-sig")
