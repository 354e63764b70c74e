"""A store's own keys for transfer packs: the X25519 pair packs are sealed for (the public half
given to partners), and the Ed25519 key that signs every pack it sends — both made the first time
they are needed and kept inside the encrypted store."""

from __future__ import annotations

from ppo_desktop.audit import AuditKind
from ppo_desktop.services.workspace import Workspace
from ppo_desktop.transfer import pack
from ppo_desktop.transfer.pack import KeyPair


class TransferKeys:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- this store's key --------------------------------------------------------------------------
    def public_key(self) -> str:
        """This store's transfer public key, made the first time it is asked for (the private half
        stays in the encrypted store)."""
        known = self.ws.setting("transfer_public_key")
        if known:
            return pack.public_key_text(bytes.fromhex(known))
        pair = KeyPair.generate()
        with self.ws.writing():
            for key, value in (
                ("transfer_private_key", pair.private.hex()),
                ("transfer_public_key", pair.public.hex()),
            ):
                self.ws.db.table("settings").upsert({"key": key, "value": value}, pk="key")
            self.ws.audit.record(AuditKind.COLLECTION, "settings", "transfer_key", "Transfer key pair made",
                                 at=self.ws.now())  # fmt: skip
        return pack.public_key_text(pair.public)

    def signing_key(self) -> bytes:
        """This store's Ed25519 signing key, made the first time a pack is sent (kept in the store)."""
        known = self.ws.setting("transfer_signing_key")
        if known:
            return bytes.fromhex(known)
        key = pack.new_signing_key()
        with self.ws.writing():
            self.ws.db.table("settings").upsert({"key": "transfer_signing_key", "value": key.hex()}, pk="key")
            self.ws.audit.record(AuditKind.COLLECTION, "settings", "transfer_signing_key",
                                 "Transfer signing key made", at=self.ws.now())  # fmt: skip
        return key

    def signing_fingerprint(self) -> str:
        """What the receiving laptop will show as this store's key (Settings shows it to compare)."""
        from cryptography.hazmat.primitives.asymmetric import ed25519

        key = ed25519.Ed25519PrivateKey.from_private_bytes(self.signing_key())
        return pack.fingerprint(key.public_key().public_bytes_raw())
