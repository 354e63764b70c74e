"""What is checked at every unlock before anything is written, and what an administrator does
when a check fails.

- The append-only guards (triggers on the audit log, the minutes' amendments and final score
  sheets) are all there.
- The audit log still reaches the point recorded when the store was last closed — both the copy in
  the sealed key file and the copy in the OS keyring — so entries cut from its end, or an earlier
  copy of the store (with or without its key file) put back, are noticed. The anchor only moves
  forward, and never while a problem stands.
- Every user record (role, active) carries its seal: a role raised with raw SQL is refused.

A failure blocks every change (nothing is written, not even the unlock) until an administrator
acknowledges it with a reason; the acknowledgement is itself audited, and it moves the anchor on.
Someone holding the data key could still rewrite the whole log and re-seal it; the keyring copy of
the anchor (outside the store's folder) and the chain head printed on every document are what such a
rewrite cannot reach.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Role
from ppo_desktop.services.workspace import PermissionDenied, ServiceError, Workspace

GUARDS = (
    "audit_no_update",
    "audit_no_delete",
    "meeting_amendments_no_update",
    "meeting_amendments_no_delete",
    "score_sheets_final_is_final",
    "score_sheets_final_not_deleted",
)


def user_seal(key: bytes, row: dict[str, Any]) -> str:
    text = "|".join(str(row[k]) for k in ("id", "role", "active", "display_name"))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def seal_user(ws: Workspace, user_id: str) -> None:
    """Seal a user record after a change made by the app (inside the caller's transaction)."""
    for row in ws.db.query("SELECT id, role, active, display_name FROM users WHERE id = ?", [user_id]):
        seal = user_seal(ws.vault.derive_key("users"), row)
        ws.db.execute("UPDATE users SET seal = ? WHERE id = ?", [seal, user_id])


def problems(ws: Workspace) -> list[str]:
    """Everything the unlock checks found wrong (none: the store may be written)."""
    found = []
    present = {r[0] for r in ws.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [g for g in GUARDS if g not in present]
    if missing:
        found.append(f"the store's append-only guards were removed ({', '.join(missing)})")
    for where, anchor in (
        ("the key file", ws.vault.anchor),
        ("this computer's keyring", ws.vault.external_anchor),
    ):
        cut = ws.audit.check_anchor(anchor)
        if cut:
            found.append(f"{cut} (as recorded in {where})")
    tampered = tampered_users(ws)
    if tampered:
        found.append(f"user record(s) changed outside PPO Panel: {', '.join(tampered)}")
    return found


USERS_SEALED = "users.sealed"  # noted once every user record carries its seal


def tampered_users(ws: Workspace) -> list[str]:
    """Users whose role or state no longer matches its seal. A record with no seal is one from before
    the seal only while the store has not yet sealed them all: those are sealed now, once, where the
    store can be written, and from then on a blank seal is an edit like any other (it was the way to
    bless a role raised with raw SQL)."""
    key = ws.vault.derive_key("users")
    all_sealed = ws.setting(USERS_SEALED) == "1"
    out = []
    unsealed = []
    for r in ws.db.query("SELECT id, role, active, display_name, seal FROM users"):
        if not r["seal"] and not all_sealed:
            unsealed.append(r["id"])
        elif not hmac.compare_digest(r["seal"], user_seal(key, r)):
            out.append(r["id"])
    if not all_sealed and not out and not ws.vault.read_only:
        with ws.vault.transaction() as db:
            for user_id in unsealed:
                seal_user(ws, user_id)
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, '1')", [USERS_SEALED])
    return out


def acknowledge(ws: Workspace, reason: str) -> None:
    """An administrator has looked at the problems and accepts the store as it is now: recorded in
    the audit log (with the problems), then writing is allowed and the anchor moves to the log's end."""
    if ws.user.role is not Role.ADMINISTRATOR:
        raise PermissionDenied("Only an administrator can acknowledge a failed store check.")
    if not reason.strip():
        raise ServiceError("Say why the store is accepted as it is (recorded in the audit log).")
    if not ws.blocked:
        raise ServiceError("There is nothing to acknowledge: the store's checks passed.")
    seen = ws.blocked
    with ws.vault.transaction():
        for user_id in tampered_users(ws):
            seal_user(ws, user_id)  # the records as they are now are what the administrator accepted
        ws.audit.record(
            AuditKind.ALTERATION,
            "store",
            ws.vault.store_id,
            "Failed store check acknowledged by an administrator",
            at=ws.now(),
            before={"problems": seen},
            justification=reason,
        )
    ws.blocked = ""
    ws.vault.set_anchor(ws.audit.anchor())
