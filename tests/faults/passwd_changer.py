"""A child process that changes a user's passphrase back and forth in a loop, printing the
passphrase now in force after each change. Used by the killed-midway test."""

from __future__ import annotations

import sys

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from db.vault import Vault


def main(store: str, first: str, second: str) -> None:
    vault = Vault.open(store, first, device=DeviceSecrets(None))
    cost = KdfCost(n=2**10)
    old, new = first, second
    while True:
        vault.change_passphrase("admin", old, new, cost)
        print(new, flush=True)  # acknowledged: the key file now holds ``new``
        old, new = new, old


if __name__ == "__main__":
    main(*sys.argv[1:4])
