"""A child process inside its own D-Bus session with a real gnome-keyring (Secret Service).
Modes: "create" a device-bound store; "open" it; "recover" after the keyring was lost."""

from __future__ import annotations

import sys

from db.device import system_device_secrets
from db.errors import DeviceSecretUnavailable
from db.keyfile import KdfCost
from db.vault import Vault

PASS = "integration passphrase 1"


def main(mode: str, store: str) -> None:
    device = system_device_secrets()
    print(f"backend: {type(device.backend).__module__ if device.backend else device.reason}", flush=True)
    if mode == "create":
        vault, recovery = Vault.create(store, "admin", PASS, device=device, cost=KdfCost(n=2**10))
        print(f"bound: {vault.device_bound}", flush=True)
        vault.close()
        print(f"recovery: {recovery}", flush=True)
    elif mode == "open":
        Vault.open(store, PASS, device=device).close()
        print("opened with the passphrase", flush=True)
    elif mode == "recover":
        try:
            Vault.open(store, PASS, device=device).close()
            print("opened without recovery (unexpected)", flush=True)
        except DeviceSecretUnavailable:
            print("the passphrase alone is refused", flush=True)
        vault = Vault.open(store, recovery_key=sys.argv[3], device=device)
        vault.replace_passphrase("admin", PASS, KdfCost(n=2**10))  # re-enrol with this keyring
        print(f"re-enrolled, bound: {vault.device_bound}", flush=True)
        vault.close()
        Vault.open(store, PASS, device=device).close()
        print("opened with the passphrase", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
