"""The encrypted transfer pack: one file carrying selected cases (and an agenda) between laptops.

Protected either by a passphrase (scrypt → AES-256-GCM, the same construction as the key slots) or
by the receiving store's public key (HPKE, RFC 9180: X25519, HKDF-SHA256, AES-256-GCM, from the
``cryptography`` library). The header is authenticated with the contents, so neither can be
swapped, and the whole pack is signed (Ed25519) by the sending store's signing key: having a
store's public key no longer lets anyone write packs that look as if they came from its
partner. Nothing is written in plaintext at any point: the caller gets bytes.

A hostile pack is refused before it costs anything: the signature is checked first, only the app's
own key-derivation settings are accepted, the header and the unpacked contents have a size limit.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric import ed25519, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from db.errors import SlotError
from db.keyfile import check_strength, kdf_policy
from ppo_desktop.i18n import _

MAGIC = b"PPO-PANEL-TRANSFER-2\n"
OLD_MAGIC = b"PPO-PANEL-TRANSFER-1\n"
INFO = b"ppo-panel transfer pack v2"
SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
MIN_PASSPHRASE = 12
MAX_HEADER = 4096
MAX_CONTENTS = 256 * 1024 * 1024  # unpacked: a whole large cohort fits many times over
MAX_LINE = 32 * 1024 * 1024  # one record (or the transfer's details: a disclosure per person)
STEP = 1 << 16  # unpacked this much at a time
SIGNATURE = 64


class PackError(ValueError):
    """A pack that cannot be opened; ``str()`` says why in the user's terms."""


@dataclass(frozen=True)
class KeyPair:
    private: bytes  # raw 32 bytes, kept only inside the encrypted store
    public: bytes

    @classmethod
    def generate(cls) -> KeyPair:
        key = x25519.X25519PrivateKey.generate()
        return cls(key.private_bytes_raw(), key.public_key().public_bytes_raw())


def public_key_text(public: bytes) -> str:
    """A public key as a person passes it on: 'ppo-pk1:' and base64."""
    return "ppo-pk1:" + base64.b64encode(public).decode()


def parse_public_key(text: str) -> bytes:
    text = text.strip()
    if not text.startswith("ppo-pk1:"):
        raise PackError(_("That is not a PPO Panel public key (it starts 'ppo-pk1:')."))
    try:
        raw = base64.b64decode(text[8:], validate=True)
    except ValueError:
        raise PackError(_("The public key is damaged (not valid base64).")) from None
    if len(raw) != 32:
        raise PackError(_("The public key is damaged (wrong length)."))
    return raw


@dataclass(frozen=True)
class Opened:
    payload: dict[str, Any]  # the transfer's details; its records are read one at a time (``records``)
    signer: bytes  # the sending store's Ed25519 public key (the signature was checked)
    body: bytes = b""  # the contents, still compressed: unpacked a line at a time, as often as needed

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signer)

    def records(self) -> Iterator[object]:
        """Each record as it comes in the pack (checked by the caller: a pack's claims are claims)."""
        lines = _lines(self.body)
        next(lines, None)  # the transfer's details
        for line in lines:
            try:
                yield json.loads(line)
            except ValueError:
                raise PackError(_("The transfer pack is damaged (a record is not readable).")) from None

    def whole(self) -> dict[str, Any]:
        """The details with every record (for a person or a test to read a small pack whole)."""
        return {**self.payload, "records": list(self.records())}


def new_signing_key() -> bytes:
    return ed25519.Ed25519PrivateKey.generate().private_bytes_raw()


def fingerprint(public: bytes) -> str:
    """A signing key as a person compares it: eight groups of four hex digits."""
    digest = hashlib.sha256(public).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def seal(payload: dict[str, Any], *, signing_key: bytes, passphrase: str | None = None,
         recipient: bytes | None = None) -> bytes:  # fmt: skip
    """Encrypt ``payload`` for a passphrase or for the holder of ``recipient``'s private key, and
    sign the whole pack with the sending store's ``signing_key``."""
    signer = ed25519.Ed25519PrivateKey.from_private_bytes(signing_key)
    signed = {"signer": _b64(signer.public_key().public_bytes_raw())}
    if (passphrase is None) == (recipient is None):
        raise PackError(_("Protect the pack with a passphrase or a recipient's public key (one of them)."))
    body = _pack(payload)
    if passphrase is not None:
        if len(passphrase) < MIN_PASSPHRASE:
            raise PackError(
                _("The pack's passphrase needs at least {MIN_PASSPHRASE} characters.").format(
                    MIN_PASSPHRASE=MIN_PASSPHRASE
                )
            )
        try:
            check_strength(passphrase)
        except SlotError as exc:
            raise PackError(str(exc).replace("passphrase", "pack's passphrase", 1)) from None
        salt, nonce = os.urandom(16), os.urandom(12)
        n, r, p = kdf_policy().packs.as_tuple()
        header = _header(
            {"mode": "passphrase", "salt": _b64(salt), "nonce": _b64(nonce), "n": n, "r": r, "p": p, **signed}
        )
        key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
        sealed = header + AESGCM(key).encrypt(nonce, body, header)
    else:
        assert recipient is not None
        header = _header({"mode": "public-key", "recipient": public_key_text(recipient), **signed})
        sealed = header + SUITE.encrypt(
            body, x25519.X25519PublicKey.from_public_bytes(recipient), info=INFO + header
        )
    return sealed + signer.sign(sealed)


def mode_of(data: bytes) -> str:
    return str(_split(data)[0]["mode"])


def open_pack(data: bytes, *, passphrase: str | None = None, private: bytes | None = None) -> Opened:
    """The contents and who signed them, or PackError: never a traceback, whatever the bytes."""
    meta, header, sealed, signer = _split(data)
    try:
        if meta["mode"] == "passphrase":
            if passphrase is None:
                raise PackError(_("This pack is protected by a passphrase; enter it to open the pack."))
            cost = (meta.get("n"), meta.get("r"), meta.get("p"))
            if cost != kdf_policy().packs.as_tuple():  # any other scrypt work is refused, not attempted
                raise PackError(
                    _("This pack asks for key-derivation settings PPO Panel does not use; refused.")
                )
            n, r, p = (int(x) for x in cost)
            key = Scrypt(salt=_unb64(meta["salt"]), length=32, n=n, r=r, p=p).derive(
                passphrase.encode("utf-8")
            )
            body = AESGCM(key).decrypt(_unb64(meta["nonce"]), sealed, header)
        elif meta["mode"] == "public-key":
            if private is None:
                raise PackError(_("This pack was sealed for a store's public key; open it in that store."))
            body = SUITE.decrypt(
                sealed, x25519.X25519PrivateKey.from_private_bytes(private), info=INFO + header
            )
        else:
            raise PackError(_("The transfer pack is damaged (unknown protection)."))
    except PackError:
        raise
    except InvalidTag:
        if meta["mode"] == "passphrase":
            raise PackError(_("Wrong passphrase, or the pack has been damaged.")) from None
        raise PackError(_("This pack was sealed for another store's key, or it has been damaged.")) from None
    except (KeyError, TypeError, ValueError):
        raise PackError(_("The transfer pack is damaged (its header is incomplete).")) from None
    payload = _unpack(body)
    return Opened(payload, signer, body)


def _pack(payload: dict[str, Any]) -> bytes:
    """The contents as lines, compressed: the transfer's details first, then one record a line — so
    the receiver reads a pack one record at a time, never whole."""
    deflate = zlib.compressobj(9)
    details = {k: v for k, v in payload.items() if k != "records"}
    parts = [deflate.compress(json.dumps(details, sort_keys=True).encode("utf-8") + b"\n")]
    for record in payload.get("records", ()):
        parts.append(deflate.compress(json.dumps(record, sort_keys=True).encode("utf-8") + b"\n"))
    parts.append(deflate.flush())
    return b"".join(parts)


def _unpack(body: bytes) -> dict[str, Any]:
    """The transfer's details (the first line), checked for shape; its records stay packed."""
    first = next(_lines(body), None)
    try:
        payload = json.loads(first) if first is not None else None
    except ValueError:
        raise PackError(_("The transfer pack is damaged (its contents are not readable).")) from None
    if not isinstance(payload, dict):
        raise PackError(_("The pack's contents are not a transfer."))
    return payload


def _lines(body: bytes) -> Iterator[bytes]:
    """The contents' lines, unpacked a piece at a time and no further than MAX_CONTENTS in all, no
    line longer than MAX_LINE (a small pack cannot become gigabytes, all at once or line by line)."""
    inflate = zlib.decompressobj()
    total, pending = 0, b""
    view = memoryview(body)
    for start in range(0, len(body), STEP):
        data: bytes | memoryview = view[start : start + STEP]
        while data:
            try:
                out = inflate.decompress(data, STEP)
            except zlib.error:
                raise PackError(
                    _("The transfer pack is damaged (its contents cannot be unpacked).")
                ) from None
            data = inflate.unconsumed_tail
            total += len(out)
            if total > MAX_CONTENTS:
                limit = MAX_CONTENTS // 2**20
                raise PackError(
                    _("The pack's contents are larger than {limit} MB unpacked; refused.").format(limit=limit)
                )
            *whole, pending = (pending + out).split(b"\n")
            if len(pending) > MAX_LINE:
                raise PackError(
                    _("A record in the pack is larger than {value} MB; refused.").format(
                        value=MAX_LINE // 2**20
                    )
                )
            yield from whole
    if not inflate.eof:
        raise PackError(_("The transfer pack is damaged (its contents are cut short)."))
    if pending.strip():
        yield pending


def _header(meta: dict[str, Any]) -> bytes:
    return MAGIC + json.dumps(meta, sort_keys=True).encode("ascii") + b"\n"


def _split(data: bytes) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """(header fields, header bytes, sealed contents, signer's public key): the signature over
    header and contents is checked here, before any key derivation or decryption."""
    if data.startswith(OLD_MAGIC):
        raise PackError(
            _("This pack was made by an earlier PPO Panel, without a signature; ask for a new one.")
        )
    if not data.startswith(MAGIC):
        raise PackError(_("This is not a PPO Panel transfer pack."))
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        raise PackError(_("The transfer pack is damaged (no header)."))
    try:
        meta = json.loads(data[len(MAGIC) : end])
    except ValueError:
        raise PackError(_("The transfer pack is damaged (unreadable header).")) from None
    if (
        not isinstance(meta, dict)
        or not isinstance(meta.get("mode"), str)
        or not isinstance(meta.get("signer"), str)
    ):
        raise PackError(_("The transfer pack is damaged (unreadable header)."))
    if len(data) < end + 1 + SIGNATURE:
        raise PackError(_("The transfer pack is damaged (cut short)."))
    body, signature = data[:-SIGNATURE], data[-SIGNATURE:]
    try:
        signer = _unb64(meta["signer"])
        ed25519.Ed25519PublicKey.from_public_bytes(signer).verify(signature, body)
    except (InvalidSignature, ValueError):
        raise PackError(
            _("The pack's signature does not match: it was altered, cut short, or forged.")
        ) from None
    return meta, data[: end + 1], body[end + 1 :], signer


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError(_("not base64 text"))
    return base64.b64decode(text, validate=True)
