"""The device-secret keyring policy, for the UI's unlock and create screens (cheap to import).

Finding the OS keyring takes a while (a third of a second where there is a Secret Service to ask),
so the first window does not wait for it: ``PendingDevice`` looks on a thread of its own while
the person types, and whoever needs the answer waits for it then (usually it is long ready)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from db.device import DeviceSecrets

__all__ = ["DeviceSource", "PendingDevice", "no_device", "resolve", "system_device_secrets"]


def system_device_secrets() -> DeviceSecrets:
    from db.device import system_device_secrets as discover  # (on the look-up's own thread)

    return discover()


def no_device(reason: str = "") -> DeviceSecrets:
    """Passphrase only (the demo store; a look-up that failed)."""
    from db.device import DeviceSecrets

    return DeviceSecrets(None, reason)


class PendingDevice:
    def __init__(
        self, discover: Callable[[], DeviceSecrets] = system_device_secrets, *, start: bool = True
    ) -> None:
        self._discover = discover
        self._result: DeviceSecrets | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="keyring-discovery", daemon=True)
        self._starting = threading.Lock()
        if start:
            self.start()

    def start(self) -> None:
        """Begin looking (once): the first window starts it when it is on screen, so the look-up
        does not compete with drawing it."""
        with self._starting:  # the UI thread and a waiting worker may both ask
            if self._thread.ident is None:
                self._thread.start()

    def _run(self) -> None:
        try:
            self._result = self._discover()
        except Exception as exc:  # noqa: BLE001 - never leave a waiter hanging: passphrase only
            self._result = no_device(f"No keyring could be loaded ({type(exc).__name__}).")
        finally:
            self._done.set()

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def get(self) -> DeviceSecrets:
        self.start()
        self._done.wait()
        assert self._result is not None
        return self._result


DeviceSource: TypeAlias = "DeviceSecrets | PendingDevice"


def resolve(source: Any) -> DeviceSecrets:
    """The device secrets, waiting for a look-up still going."""
    return source.get() if isinstance(source, PendingDevice) else source
