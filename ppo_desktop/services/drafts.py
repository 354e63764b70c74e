"""Drafts: text being typed (a discussion note), kept in the encrypted store a moment after each
keystroke until it is saved as a record. Not audited — a draft is not a record; saving it is."""

from __future__ import annotations

from dataclasses import dataclass

from ppo_desktop.services.workspace import Workspace


@dataclass(frozen=True)
class Draft:
    key: str
    text: str
    saved_at: str


class Drafts:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def keep(self, key: str, text: str, nominal_id: int | None = None) -> None:
        with self.ws.writing():
            self.ws.db.table("drafts").upsert(
                {"key": key, "nominal_id": nominal_id, "text": text,
                 "saved_at": self.ws.now().isoformat(timespec="seconds")},
                pk="key",
            )  # fmt: skip

    def get(self, key: str) -> Draft | None:
        row = self.ws.db.execute("SELECT key, text, saved_at FROM drafts WHERE key = ?", [key]).fetchone()
        return Draft(*row) if row else None

    def discard(self, key: str) -> None:
        with self.ws.writing():
            self.ws.db.execute("DELETE FROM drafts WHERE key = ?", [key])
