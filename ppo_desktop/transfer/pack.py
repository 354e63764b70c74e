"""The encrypted transfer pack: one file carrying selected cases (and an agenda) between laptops.

Protected either by a passphrase (scrypt → AES-256-GCM, the same construction as the key slots) or
by the receiving store's public key (HPKE, RFC 9180: X25519, HKDF-SHA256, AES-256-GCM, from the
``cryptography`` library). The header is authenticated with the contents, so neither can be
swapped. Nothing is written in plaintext at any point: the caller gets bytes.
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"PPO-PANEL-TRANSFER-1\n"
INFO = b"ppo-panel transfer pack v1"
SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
MIN_PASSPHRASE = 12


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
        raise PackError("That is not a PPO Panel public key (it starts 'ppo-pk1:').")
    try:
        raw = base64.b64decode(text[8:], validate=True)
    except ValueError:
        raise PackError("The public key is damaged (not valid base64).") from None
    if len(raw) != 32:
        raise PackError("The public key is damaged (wrong length).")
    return raw


def seal(payload: dict[str, Any], *, passphrase: str | None = None, recipient: bytes | None = None,
         cost: tuple[int, int, int] = (SCRYPT_N, SCRYPT_R, SCRYPT_P)) -> bytes:  # fmt: skip
    """Encrypt ``payload`` for a passphrase or for the holder of ``recipient``'s private key."""
    if (passphrase is None) == (recipient is None):
        raise PackError("Protect the pack with a passphrase or a recipient's public key (one of them).")
    body = zlib.compress(json.dumps(payload, sort_keys=True).encode("utf-8"), 9)
    if passphrase is not None:
        if len(passphrase) < MIN_PASSPHRASE:
            raise PackError(f"The pack's passphrase needs at least {MIN_PASSPHRASE} characters.")
        salt, nonce = os.urandom(16), os.urandom(12)
        n, r, p = cost
        header = _header(
            {"mode": "passphrase", "salt": _b64(salt), "nonce": _b64(nonce), "n": n, "r": r, "p": p}
        )
        key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
        return header + AESGCM(key).encrypt(nonce, body, header)
    assert recipient is not None
    header = _header({"mode": "public-key", "recipient": public_key_text(recipient)})
    sealed = SUITE.encrypt(body, x25519.X25519PublicKey.from_public_bytes(recipient), info=INFO + header)
    return header + sealed


def mode_of(data: bytes) -> str:
    return str(_split(data)[0]["mode"])


def open_pack(data: bytes, *, passphrase: str | None = None, private: bytes | None = None) -> dict[str, Any]:
    meta, header, sealed = _split(data)
    try:
        if meta["mode"] == "passphrase":
            if passphrase is None:
                raise PackError("This pack is protected by a passphrase; enter it to open the pack.")
            key = Scrypt(salt=_unb64(meta["salt"]), length=32, n=meta["n"], r=meta["r"], p=meta["p"]).derive(
                passphrase.encode("utf-8")
            )
            body = AESGCM(key).decrypt(_unb64(meta["nonce"]), sealed, header)
        elif meta["mode"] == "public-key":
            if private is None:
                raise PackError("This pack was sealed for a store's public key; open it in that store.")
            body = SUITE.decrypt(
                sealed, x25519.X25519PrivateKey.from_private_bytes(private), info=INFO + header
            )
        else:
            raise PackError(f"Unknown pack protection {meta['mode']!r}.")
    except InvalidTag:
        if meta["mode"] == "passphrase":
            raise PackError("Wrong passphrase, or the pack has been damaged.") from None
        raise PackError("This pack was sealed for another store's key, or it has been damaged.") from None
    payload = json.loads(zlib.decompress(body))
    if not isinstance(payload, dict):
        raise PackError("The pack's contents are not a transfer.")
    return payload


def _header(meta: dict[str, Any]) -> bytes:
    return MAGIC + json.dumps(meta, sort_keys=True).encode("ascii") + b"\n"


def _split(data: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    if not data.startswith(MAGIC):
        raise PackError("This is not a PPO Panel transfer pack.")
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        raise PackError("The transfer pack is damaged (no header).")
    try:
        meta = json.loads(data[len(MAGIC) : end])
    except ValueError:
        raise PackError("The transfer pack is damaged (unreadable header).") from None
    if not isinstance(meta, dict) or "mode" not in meta:
        raise PackError("The transfer pack is damaged (unreadable header).")
    return meta, data[: end + 1], data[end + 1 :]


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)
