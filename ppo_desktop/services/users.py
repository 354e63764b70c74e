"""Users and roles: one key slot each, managed by an administrator."""

from __future__ import annotations

from db.errors import VaultError
from db.keyfile import RECOVERY_KIND, KdfCost
from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Role, User
from ppo_desktop.i18n import _
from ppo_desktop.services import integrity, passphrases, rows
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Topic, Workspace

RESERVED_USER_IDS = frozenset({RECOVERY_KIND, "system", "outside"})  # what the app calls itself


def check_user_id(user_id: str) -> None:
    if not user_id or not user_id.replace("-", "").replace(".", "").replace("_", "").isalnum():
        raise ServiceError(_("A user name may use letters, digits, '.', '-' and '_' only."))
    if user_id.lower() in RESERVED_USER_IDS:
        raise ServiceError(
            _("{user_id!r} is a name the app keeps for itself; choose another user name.").format(
                user_id=user_id
            )
        )


class Users:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def add(
        self, user_id: str, display_name: str, role: Role, passphrase: str, cost: KdfCost | None = None
    ) -> Made[User]:
        check_user_id(user_id)
        if list(self.ws.db.query("SELECT id FROM users WHERE id = ?", [user_id])):
            raise ServiceError(_("There is already a user {user_id!r}.").format(user_id=user_id))
        passphrases.check_new(passphrase, [user_id, display_name, *passphrases.store_words(self.ws)])
        values = {
            "id": user_id,
            "display_name": display_name,
            "role": role.value,
            "active": 1,
            "created_at": self.ws.now().isoformat(timespec="seconds"),
        }
        with self.ws.writing(Role.ADMINISTRATOR) as db:
            db.table("users").insert(values)
            integrity.seal_user(self.ws, user_id)
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "user",
                user_id,
                f"User {user_id} added as {role.value}",
                at=self.ws.now(),
                after={"role": role.value},
            )
            # The key slot is written last: if it fails the transaction rolls the user back.
            self.ws.vault.add_user_slot(user_id, passphrase, cost)
        return Changes.of(Topic.USERS).made(User(user_id, display_name, role))

    def remove(self, user_id: str, *, rekey: bool = True) -> Changes:
        """Deactivate a user and remove their key slot; by default the store is then re-keyed, so
        their passphrase and any copy of the key file they kept open nothing afterwards."""
        if user_id == self.ws.user.id:
            raise ServiceError(_("You cannot remove your own account."))
        with self.ws.writing(Role.ADMINISTRATOR) as db:
            db.table("users").update(user_id, {"active": 0})
            integrity.seal_user(self.ws, user_id)
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "user",
                user_id,
                f"User {user_id} deactivated",
                at=self.ws.now(),
                before={"active": 1},
                after={"active": 0},
            )
            self.ws.vault.remove_user_slot(user_id)
        if rekey:
            self.rekey(f"user {user_id} removed")
        return Changes.of(Topic.USERS)

    def rekey(self, reason: str) -> int:
        """A new data key for the store, every remaining slot opening it (see Vault.rekey); recorded
        in the audit log. Backups made before stay readable by the key set of their time (a backup's
        check says so). Returns how many slots were left out: old-format ones (re-enrol those users)
        and any passphrase slot with no active user behind it."""
        if self.ws.user.role is not Role.ADMINISTRATOR:
            raise ServiceError(_("Only an administrator can re-key the store."))
        if not reason.strip():
            raise ServiceError(_("Say why the store is re-keyed (recorded in the audit log)."))
        before = self.ws.vault.key_generation
        try:
            active = [r[0] for r in self.ws.db.execute("SELECT id FROM users WHERE active = 1")]
            left_out = self.ws.vault.rekey(active)  # a slot with no live user does not survive it
        except VaultError as exc:
            raise ServiceError(str(exc)) from None
        with self.ws.writing(Role.ADMINISTRATOR):
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "store",
                self.ws.vault.store_id,
                "Store re-keyed: a new data key; earlier key files and backups do not open it",
                at=self.ws.now(),
                before={"key_generation": before},
                after={"key_generation": self.ws.vault.key_generation, "slots_left_out": left_out},
                justification=reason,
            )
        return left_out

    def all(self) -> list[User]:
        return [rows.user(r) for r in self.ws.db.query("SELECT * FROM users ORDER BY id")]
