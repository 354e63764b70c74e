"""The per-store device secret kept in the OS keyring, and the policy for which keyrings count.

Only real OS keyrings are trusted. Plaintext, null and fail backends are refused and never written
to; where no trusted keyring exists the vault runs passphrase-only and says so.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

SERVICE = "ppo-panel"
TRUSTED_BACKEND_MODULES = (
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
    "keyring.backends.kwallet",
)


def is_trusted(backend: Any) -> bool:
    """A real OS keyring, a chainer made only of them, or a backend that declares itself a test double."""
    if getattr(backend, "ppo_trusted_test_backend", False):
        return True
    module = type(backend).__module__
    if module == "keyring.backends.chainer":
        inner = list(getattr(backend, "backends", []))
        return bool(inner) and all(is_trusted(b) for b in inner)
    return module.startswith(TRUSTED_BACKEND_MODULES)


@dataclass
class DeviceSecrets:
    """Reads and writes device secrets through one keyring backend, or none."""

    backend: Any | None
    reason: str = ""

    @property
    def available(self) -> bool:
        return self.backend is not None

    def get(self, store_id: str) -> bytes | None:
        if self.backend is None:
            return None
        try:
            value = self.backend.get_password(SERVICE, store_id)
        except Exception:  # noqa: BLE001 - any keyring failure means "not available here"
            return None
        return bytes.fromhex(value) if value else None

    def create(self, store_id: str) -> bytes | None:
        """Make and keep a new secret; None (passphrase-only) when no trusted keyring can take it."""
        if self.backend is None:
            return None
        secret = secrets.token_bytes(32)
        try:
            self.backend.set_password(SERVICE, store_id, secret.hex())
        except Exception:  # noqa: BLE001
            return None
        return secret

    def forget(self, store_id: str) -> None:
        if self.backend is None:
            return
        try:
            self.backend.delete_password(SERVICE, store_id)
        except Exception:  # noqa: BLE001
            pass


def system_device_secrets() -> DeviceSecrets:
    """The OS keyring if it is a trusted one; otherwise passphrase-only with a stated reason."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001
        return DeviceSecrets(None, f"No keyring could be loaded ({type(exc).__name__}).")
    if not is_trusted(backend):
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        return DeviceSecrets(
            None,
            f"No trusted OS keyring is available (found {name}); the store is protected by passphrase only.",
        )
    return DeviceSecrets(backend)
