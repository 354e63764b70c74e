"""The per-store device secret kept in the OS keyring, and the policy for which keyrings count.

Only real OS keyrings are trusted. Plaintext, null and fail backends are refused and never written
to; where no trusted keyring exists the vault runs passphrase-only and says so.
"""

from __future__ import annotations

import queue
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

SERVICE = "ppo-panel"
TIMEOUT_SECONDS = 5.0
T = TypeVar("T")


class KeyringTimeout(Exception):
    pass


def _with_timeout(call: Callable[[], T], seconds: float) -> T:
    """Run a keyring call on a daemon thread: a keyring that hangs (a locked wallet waiting for a
    prompt nobody sees) must not freeze the unlock screen. Raises KeyringTimeout."""
    answers: queue.Queue[tuple[bool, Any]] = queue.Queue()

    def run() -> None:
        try:
            answers.put((True, call()))
        except Exception as exc:  # noqa: BLE001 - handed back to the caller
            answers.put((False, exc))

    threading.Thread(target=run, daemon=True, name="ppo-keyring").start()
    try:
        ok, value = answers.get(timeout=seconds)
    except queue.Empty:
        raise KeyringTimeout(f"the keyring did not answer within {seconds:g} s") from None
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


TRUSTED_BACKEND_MODULES = (
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
    "keyring.backends.kwallet",
)


_ALSO_TRUSTED: set[type] = set()


def trust_backend_type(kind: type) -> None:
    """Stand ``kind`` in for an OS keyring (the test suite's in-memory double). The policy is told,
    in-process; no keyring earns trust by what it says of itself (a flag any package could set)."""
    _ALSO_TRUSTED.add(kind)


def is_trusted(backend: Any) -> bool:
    """A real OS keyring, a chainer made only of them, or a type the policy was told to trust."""
    if type(backend) in _ALSO_TRUSTED:
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
    timeout: float = TIMEOUT_SECONDS

    @property
    def available(self) -> bool:
        return self.backend is not None

    def get(self, store_id: str) -> bytes | None:
        if self.backend is None:
            return None
        backend = self.backend
        try:
            value = _with_timeout(lambda: backend.get_password(SERVICE, store_id), self.timeout)
        except Exception as exc:  # noqa: BLE001 - any keyring failure means "not available here"
            self.reason = f"The keyring could not be read ({exc}); use the recovery key."
            return None
        return bytes.fromhex(value) if value else None

    def create(self, store_id: str) -> bytes | None:
        """Make and keep a new secret; None (passphrase-only) when no trusted keyring can take it."""
        if self.backend is None:
            return None
        secret = secrets.token_bytes(32)
        backend = self.backend
        try:
            _with_timeout(lambda: backend.set_password(SERVICE, store_id, secret.hex()), self.timeout)
        except Exception as exc:  # noqa: BLE001
            self.reason = f"The keyring could not be written ({exc}); the store is passphrase-only."
            return None
        return secret

    def get_note(self, store_id: str, name: str) -> str | None:
        """A small value kept in the keyring beside the device secret (e.g. the audit log's anchor,
        so a copy of the store's folder put back cannot also put back where the log ended)."""
        if self.backend is None:
            return None
        backend = self.backend
        try:
            value = _with_timeout(lambda: backend.get_password(SERVICE, f"{store_id}:{name}"), self.timeout)
        except Exception:  # noqa: BLE001 - a keyring that cannot answer keeps no note
            return None
        return str(value) if value else None

    def set_note(self, store_id: str, name: str, value: str) -> bool:
        if self.backend is None:
            return False
        backend = self.backend
        try:
            _with_timeout(lambda: backend.set_password(SERVICE, f"{store_id}:{name}", value), self.timeout)
        except Exception:  # noqa: BLE001
            return False
        return True

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
