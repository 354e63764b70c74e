"""A read-only export of audit entries for the data protection officer: CSV (Excel dialect, from the
standard library), every cell neutralised against formula injection, with the chain head stated."""

from __future__ import annotations

from collections.abc import Iterable

from ppo_desktop import spreadsheet
from ppo_desktop.domain import AuditEntry

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


def to_csv(entries: Iterable[AuditEntry], chain_head: str, filters: str) -> bytes:
    title = [f"PPO Panel audit export — {filters} — chain head {chain_head}"]
    lines = (
        (
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
        for e in entries
    )
    return spreadsheet.to_csv([title, HEADER, *lines])
