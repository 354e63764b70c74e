"""The key file: key slots that each open the store's data key (LUKS-style), kept beside the store.

A slot's wrapping key is scrypt(passphrase or recovery key), optionally mixed through HKDF with a
per-store device secret from the OS keyring. Since version 2 each slot holds its own X25519 key
pair: the private half is sealed (AES-256-GCM) under the wrapping key, and the data key is sealed to
the public half (HPKE, RFC 9180). So anyone holding the data key can re-key the store — seal a new
data key to every remaining slot — without knowing anyone's passphrase, and a removed user's
passphrase opens nothing afterwards. Both seals bind the store id, the slot's id, kind and label (a
label edited in the file no longer opens), and the whole file carries a MAC under a key derived from
the data key, checked at every unlock. The key file also holds a key-check value so that a wrong key
and a damaged store can be told apart.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import uuid
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from db.errors import N_, DeviceSecretUnavailable, KeyFileDamaged, SlotError, WrongPassphrase

FORMAT = "ppo-panel-keyfile/1"  # the file's format name (its slots say their own version)
SLOT_VERSION = 2
DATA_KEY_BYTES = 32
SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
RECOVERY_KIND = "recovery"
PASSPHRASE_KIND = "passphrase"
MIN_PASSPHRASE_LENGTH = 10


@dataclass(frozen=True)
class KdfCost:
    """scrypt work factors. The default costs ~128 MiB and a fraction of a second per attempt."""

    n: int = 2**17
    r: int = 8
    p: int = 1

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.n, self.r, self.p)


@dataclass(frozen=True)
class KdfPolicy:
    """How hard passphrases are stretched, in one place: key slots, and transfer packs (a pack that
    asks for any other work is refused, not attempted). The app runs on the standard policy; the test
    suite sets a cheap one once, where it starts (tests/conftest.py)."""

    slots: KdfCost = KdfCost()
    packs: KdfCost = KdfCost()


_POLICY = [KdfPolicy()]


def kdf_policy() -> KdfPolicy:
    return _POLICY[0]


def use_kdf_policy(policy: KdfPolicy) -> None:
    _POLICY[0] = policy


@dataclass
class Slot:
    id: str
    kind: str
    label: str
    device_bound: bool
    n: int
    r: int
    p: int
    salt: str
    nonce: str
    wrapped: str  # v1: the data key; v2: the slot's X25519 private key
    v: int = 1
    public: str = ""  # v2: the slot's X25519 public key
    sealed: str = ""  # v2: the data key, sealed to ``public``


@dataclass
class KeyFile:
    store_id: str
    key_check: str
    slots: list[Slot] = field(default_factory=list)
    # SQLCipher's per-file salt (the store's first 16 bytes, not secret): tells "this key file belongs
    # to another store" apart from "the store is damaged".
    store_salt: str = ""
    # The audit log's newest entry when the store was last closed ({"seq": n, "mac": hex}), so that
    # entries dropped from the end are noticed at the next unlock. db stores it; ppo_desktop checks it.
    anchor: dict[str, Any] = field(default_factory=dict)
    # Which data key this is: 1 at creation, one more at each re-key (backups record it).
    generation: int = 1
    # HMAC over everything above, under a key derived from the data key ("" in files made before it).
    mac: str = ""

    # -- reading and writing -------------------------------------------------------------
    @classmethod
    def read(cls, path: Path) -> KeyFile:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                raise KeyFileDamaged(N_("The key file {name} is not a PPO Panel key file."), name=path.name)
            return cls(
                store_id=str(raw["store_id"]),
                key_check=str(raw["key_check"]),
                slots=[Slot(**s) for s in raw["slots"]],
                store_salt=str(raw.get("store_salt", "")),
                anchor=dict(raw.get("anchor", {})),
                mac=str(raw.get("mac", "")),
                generation=int(raw.get("generation", 1)),
            )
        except KeyFileDamaged:
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise KeyFileDamaged(
                N_("The key file {name} is damaged and cannot be read; restore it from a backup."),
                name=path.name,
            ) from exc

    def content(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "store_id": self.store_id,
            "key_check": self.key_check,
            "store_salt": self.store_salt,
            "anchor": self.anchor,
            "generation": self.generation,
            "slots": [asdict(s) for s in self.slots],
        }

    def seal(self, data_key: bytes) -> None:
        """Set the MAC over the whole file (call before writing)."""
        self.mac = self._mac(data_key)

    def sealed_by(self, data_key: bytes) -> bool:
        """Whether the file is as the app last wrote it (a file from before the MAC passes once)."""
        return not self.mac or hmac.compare_digest(self.mac, self._mac(data_key))

    def _mac(self, data_key: bytes) -> str:
        text = json.dumps(self.content(), sort_keys=True, separators=(",", ":"))
        key = hmac.new(data_key, b"ppo-panel derive|keyfile", hashlib.sha256).digest()
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()

    def text(self) -> str:
        return json.dumps({**self.content(), "mac": self.mac}, indent=1)

    def write(self, path: Path) -> None:
        """Replace the key file atomically: a crash leaves either the old or the new file whole."""
        text = self.text()
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)

    # -- keys ----------------------------------------------------------------------------
    @classmethod
    def new(cls, data_key: bytes) -> KeyFile:
        store_id = uuid.uuid4().hex
        return cls(store_id=store_id, key_check=key_check_value(data_key, store_id))

    def matches(self, data_key: bytes) -> bool:
        return hmac.compare_digest(self.key_check, key_check_value(data_key, self.store_id))

    def add_slot(
        self, kind: str, label: str, secret: str, data_key: bytes, device_secret: bytes | None, cost: KdfCost
    ) -> Slot:
        if kind == PASSPHRASE_KIND:
            check_strength(secret, label)
        if kind == PASSPHRASE_KIND and any(s.label == label and s.kind == kind for s in self.slots):
            raise SlotError(N_("User {label!r} already has a key slot."), label=label)
        slot = self._new_slot(uuid.uuid4().hex[:12], kind, label, secret, data_key, device_secret, cost)
        self.slots.append(slot)
        return slot

    def _new_slot(
        self,
        slot_id: str,
        kind: str,
        label: str,
        secret: str,
        data_key: bytes,
        device_secret: bytes | None,
        cost: KdfCost,
    ) -> Slot:
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        pair = x25519.X25519PrivateKey.generate()
        binding = self._binding(slot_id, kind, label)
        wrapping = _wrapping_key(secret, salt, cost, device_secret, slot_id)
        slot = Slot(
            id=slot_id,
            kind=kind,
            label=label,
            device_bound=device_secret is not None,
            n=cost.n,
            r=cost.r,
            p=cost.p,
            salt=_b64(salt),
            nonce=_b64(nonce),
            wrapped=_b64(AESGCM(wrapping).encrypt(nonce, pair.private_bytes_raw(), binding)),
            v=SLOT_VERSION,
            public=_b64(pair.public_key().public_bytes_raw()),
        )
        slot.sealed = self._seal_to(slot, data_key)
        return slot

    def _seal_to(self, slot: Slot, data_key: bytes) -> str:
        public = x25519.X25519PublicKey.from_public_bytes(_unb64(slot.public))
        return _b64(SUITE.encrypt(data_key, public, info=self._binding(slot.id, slot.kind, slot.label)))

    def upgraded(self, slot: Slot, secret: str, data_key: bytes, device_secret: bytes | None) -> Slot:
        """A version-1 slot made again as version 2 (its owner's secret is at hand while unlocking)."""
        return self._new_slot(
            slot.id,
            slot.kind,
            slot.label,
            secret,
            data_key,
            device_secret if slot.device_bound else None,
            KdfCost(slot.n, slot.r, slot.p),
        )

    def rekeyed(self, new_key: bytes, users: Collection[str] | None = None) -> KeyFile:
        """The same slots opening ``new_key`` instead (each sealed to its own public key; nobody's
        passphrase is needed). Version-1 slots cannot be: they are left out, and their users must be
        re-enrolled. With ``users``, a passphrase slot is kept only for one of them (the slot list is
        made again from the people the store knows: a slot someone planted does not survive)."""
        slots = [
            dataclasses.replace(s)
            for s in self.slots
            if s.v >= SLOT_VERSION and (users is None or s.kind != PASSPHRASE_KIND or s.label in users)
        ]
        fresh = dataclasses.replace(
            self,
            key_check=key_check_value(new_key, self.store_id),
            slots=slots,
            anchor=dict(self.anchor),
            generation=self.generation + 1,
        )
        for s in fresh.slots:
            s.sealed = fresh._seal_to(s, new_key)
        fresh.seal(new_key)
        return fresh

    def unwrap(self, slot: Slot, secret: str, device_secret: bytes | None) -> bytes:
        """Return the data key sealed in ``slot`` or raise WrongPassphrase."""
        if slot.device_bound and device_secret is None:
            raise DeviceSecretUnavailable(
                N_(
                    "This store's device secret is not in this computer's keyring, so the passphrase alone "
                    "cannot open it here. Unlock with the recovery key; the passphrase is re-enrolled "
                    "afterwards."
                )
            )
        try:
            wrapping = _wrapping_key(
                secret,
                _unb64(slot.salt),
                KdfCost(slot.n, slot.r, slot.p),
                device_secret if slot.device_bound else None,
                slot.id,
            )
            if slot.v < SLOT_VERSION:
                return AESGCM(wrapping).decrypt(_unb64(slot.nonce), _unb64(slot.wrapped), self._aad(slot.id))
            binding = self._binding(slot.id, slot.kind, slot.label)
            private = AESGCM(wrapping).decrypt(_unb64(slot.nonce), _unb64(slot.wrapped), binding)
            key = x25519.X25519PrivateKey.from_private_bytes(private)
            return SUITE.decrypt(_unb64(slot.sealed), key, info=binding)
        except InvalidTag:
            what = "recovery key" if slot.kind == RECOVERY_KIND else "passphrase"
            raise WrongPassphrase(
                N_("That {what} does not open this store. Check it and try again."), what=what
            ) from None
        except (ValueError, TypeError) as exc:
            raise SlotError(N_("Key slot {id} is damaged."), id=slot.id) from exc

    def slots_of(self, kind: str, label: str | None = None) -> list[Slot]:
        return [s for s in self.slots if s.kind == kind and (label is None or s.label == label)]

    def _aad(self, slot_id: str) -> bytes:
        """Version-1 slots: bound to the store and slot id only."""
        return f"{FORMAT}|{self.store_id}|{slot_id}".encode()

    def _binding(self, slot_id: str, kind: str, label: str) -> bytes:
        """Version-2 slots: bound to the store, the slot, and whom it is for."""
        return json.dumps(["ppo-panel slot v2", self.store_id, slot_id, kind, label]).encode()


ZXCVBN_LIMIT = 72
MIN_STRENGTH = 3  # zxcvbn's score (0–4): 3 = "safely unguessable" against an offline attack at scale


def check_strength(passphrase: str, *context: str) -> None:
    """Refuse a passphrase that is short or easy to guess (ten spaces, ten of one letter, a name, a
    keyboard walk), judged by zxcvbn's estimate rather than length alone; the message says why."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise SlotError(
            N_("A passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters."),
            MIN_PASSPHRASE_LENGTH=MIN_PASSPHRASE_LENGTH,
        )
    from zxcvbn import zxcvbn

    # zxcvbn refuses more than 72 characters: a longer passphrase is judged on its first 72
    verdict = zxcvbn(passphrase[:ZXCVBN_LIMIT], user_inputs=[c for c in context if c])
    if verdict["score"] < MIN_STRENGTH:
        advice = verdict["feedback"].get("warning") or "It would be guessed quickly."
        hints = " ".join(verdict["feedback"].get("suggestions") or ["Use four or more unrelated words."])
        raise SlotError(f"That passphrase is too easy to guess. {advice} {hints}".strip())


def key_check_value(data_key: bytes, store_id: str) -> str:
    return hmac.new(data_key, f"ppo-panel key check|{store_id}".encode(), hashlib.sha256).hexdigest()


def new_recovery_key() -> str:
    """160 random bits as eight groups of four base32 characters, easy to print and type."""
    text = base64.b32encode(secrets.token_bytes(20)).decode()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise_recovery_key(text: str) -> str:
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _wrapping_key(
    secret: str, salt: bytes, cost: KdfCost, device_secret: bytes | None, slot_id: str
) -> bytes:
    stretched = Scrypt(salt=salt, length=32, n=cost.n, r=cost.r, p=cost.p).derive(secret.encode("utf-8"))
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=device_secret or b"",
        info=f"ppo-panel slot|{slot_id}".encode(),
    ).derive(stretched)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def temp_prefix(path: Path) -> str:
    """Half-written copies of this key file are named so; a process killed mid-write leaves one."""
    return f".{path.name}-"


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def describe(slot: Slot) -> dict[str, Any]:
    """What may be shown of a slot (never the salt or sealed key)."""
    return {"id": slot.id, "kind": slot.kind, "label": slot.label, "device_bound": slot.device_bound,
            "version": slot.v}  # fmt: skip
