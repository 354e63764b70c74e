"""What is checked at every unlock before anything is written, and what an administrator does
when a check fails.

- The store's triggers — the append-only guards (on the audit log, the minutes' amendments, final
  score sheets and each person's history) and the change records the exchange reads — are exactly
  the ones this version of the app makes, compared by what they do (their SQL), not by name.
- The audit log still reaches the point recorded when the store was last closed — both the copy in
  the sealed key file and the copy in the OS keyring — so entries cut from its end, or an earlier
  copy of the store (with or without its key file) put back, are noticed. The anchor only moves
  forward, and never while a problem stands.
- Every user record (role, active) carries its seal: a role raised with raw SQL is refused.
- No partner laptop has found this store's audit log rolled back or cut (``services.witness``).

A failure blocks every change (nothing is written, not even the unlock) until an administrator
acknowledges it with a reason; the acknowledgement is itself audited, and it moves the anchor on.
Someone holding the data key could still rewrite the whole log and re-seal it; the keyring copy of
the anchor (outside the store's folder) and the chain head printed on every document are what such a
rewrite cannot reach.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from db import migrations
from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Role
from ppo_desktop.i18n import _
from ppo_desktop.services.witness import Witness
from ppo_desktop.services.workspace import PermissionDenied, ServiceError, Workspace

GUARDS = (
    "audit_no_update",
    "audit_no_delete",
    "meeting_amendments_no_update",
    "meeting_amendments_no_delete",
    "score_sheets_final_is_final",
    "score_sheets_final_not_deleted",
    "person_events_no_update",
    "person_events_no_delete",
)


def guard_problems(ws: Workspace) -> list[str]:
    """The store's triggers against what this version of the app makes, by what they do (their SQL),
    not only by name: a guard replaced by a same-named trigger that does nothing is found, and so is
    a trigger nobody made (it could rewrite what is written)."""
    expected, present = migrations.expected_triggers(), migrations.triggers(ws.db)
    missing = sorted(set(expected) - set(present))
    both = expected.keys() & present.keys()
    changed = sorted(n for n in both if not migrations.same_sql(expected[n], present[n]))
    added = sorted(set(present) - set(expected))
    found = []
    if missing:
        guards = [n for n in missing if n in GUARDS]
        kind = "append-only guards" if len(guards) == len(missing) else "guards and change records"
        found.append(f"the store's {kind} were removed ({', '.join(missing)})")
    if changed:
        found.append(f"the store's guards were rewritten outside PPO Panel ({', '.join(changed)})")
    if added:
        found.append(f"triggers PPO Panel does not make were added to the store ({', '.join(added)})")
    return found


def restore_guards(ws: Workspace) -> None:
    """Put every trigger back as this version of the app makes it (inside the caller's transaction):
    removed or rewritten ones made again, ones nobody made dropped."""
    expected, present = migrations.expected_triggers(), migrations.triggers(ws.db)
    for name, sql in present.items():
        if name not in expected or not migrations.same_sql(sql, expected[name]):
            ws.db.execute(f'DROP TRIGGER "{name}"')
    for name, sql in expected.items():
        if name not in present or not migrations.same_sql(sql, present[name]):
            ws.db.execute(sql)


def revert_user(ws: Workspace, user_id: str) -> dict[str, Any]:
    """Put a user record that failed its seal back as the audit log last recorded it (inside the
    caller's transaction) and seal that; returns what it was set to."""
    recorded: dict[str, Any] = {}
    for (after,) in ws.db.execute(  # oldest first: later entries win
        "SELECT after FROM audit WHERE entity = 'user' AND entity_id = ? AND after IS NOT NULL ORDER BY seq",
        [user_id],
    ):
        recorded.update({k: v for k, v in json.loads(after).items() if k in ("role", "active")})
    values = {"role": recorded.get("role", Role.PANEL_MEMBER.value), "active": int(recorded.get("active", 1))}
    if "role" not in recorded:
        values["active"] = 0  # nothing on record about this account: it is not let in
    ws.db.execute("UPDATE users SET role = ?, active = ? WHERE id = ?", [*values.values(), user_id])
    seal_user(ws, user_id)
    return values


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
    found = guard_problems(ws)
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
    found.extend(Witness(ws).problems())
    return found


USERS_SEALED = "users.sealed"  # noted once every user record carries its seal


def tampered_users(ws: Workspace) -> list[str]:
    """Users whose role or state no longer matches its seal (nothing is written here). A record with
    no seal is one from before the seal only while the store has not yet sealed them all (see
    ``seal_legacy_users``); from then on a blank seal is an edit like any other (it was the way to
    bless a role raised with raw SQL)."""
    key = ws.vault.derive_key("users")
    all_sealed = ws.setting(USERS_SEALED) == "1"
    return [
        r["id"]
        for r in ws.db.query("SELECT id, role, active, display_name, seal FROM users")
        if (r["seal"] or all_sealed) and not hmac.compare_digest(r["seal"], user_seal(key, r))
    ]


def seal_legacy_users(ws: Workspace) -> None:
    """Once, for a store from before user seals: seal the records that have none — only where the
    store can be written and no sealed record fails its seal — and note that all are sealed."""
    if ws.setting(USERS_SEALED) == "1" or ws.vault.read_only or tampered_users(ws):
        return
    unsealed = [r[0] for r in ws.db.execute("SELECT id FROM users WHERE coalesce(seal, '') = ''")]
    with ws.vault.transaction() as db:
        for user_id in unsealed:
            seal_user(ws, user_id)
        db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, '1')", [USERS_SEALED])


def acknowledge(ws: Workspace, reason: str) -> None:
    """An administrator has looked at the problems: what the app can put back is put back — the
    guards as the app makes them, a user record as the audit log last recorded it (its role and
    whether it is active; an account the log never recorded is deactivated) — and the rest (a log
    cut short, an earlier copy) is accepted as it is now. Recorded in the audit log with the
    problems; then writing is allowed and the anchor moves to the log's end. A changed role is never
    made legitimate by acknowledging it."""
    if ws.user.role is not Role.ADMINISTRATOR:
        raise PermissionDenied(_("Only an administrator can acknowledge a failed store check."))
    if not reason.strip():
        raise ServiceError(_("Say why the store is accepted as it is (recorded in the audit log)."))
    if not ws.blocked:
        raise ServiceError(_("There is nothing to acknowledge: the store's checks passed."))
    seen = ws.blocked
    with ws.vault.transaction():
        restore_guards(ws)  # what the check found changed is put back, never accepted as it is
        reverted = {user_id: revert_user(ws, user_id) for user_id in tampered_users(ws)}
        Witness(ws).acknowledge()  # a rollback a partner saw: accepted as it is now, with the reason
        ws.audit.record(
            AuditKind.ALTERATION,
            "store",
            ws.vault.store_id,
            "Failed store check acknowledged by an administrator",
            at=ws.now(),
            before={"problems": seen},
            after={"users_reverted": reverted} if reverted else None,
            justification=reason,
        )
    ws.blocked = ""
    ws.vault.set_anchor(ws.audit.anchor())
