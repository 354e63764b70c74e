"""A child process that merges a transfer pack and, partway through writing it, says so and waits
to be killed. Used by the kill -9 test: nothing of the pack may be in the store afterwards."""

from __future__ import annotations

import sys
from pathlib import Path

from db.device import DeviceSecrets
from db.keyfile import KdfCost, KdfPolicy, use_kdf_policy
from ppo_desktop.services.merge import Merge
from ppo_desktop.services.session import unlock
from ppo_desktop.services.transfer import Transfer


def main(store: str, passphrase: str, pack_file: str, pack_passphrase: str, after: int) -> None:
    use_kdf_policy(KdfPolicy(slots=KdfCost(n=2**10), packs=KdfCost(n=2**10)))  # the suite's policy
    ws = unlock(store, passphrase, device=DeviceSecrets(None))
    written = 0
    insert = Merge._insert

    def insert_then_stop(self: Merge, table: str, values: dict[str, object]) -> int:
        nonlocal written
        written += 1
        if written == after:
            print("midway", flush=True)  # records written, the transaction still open
            sys.stdin.readline()  # wait here for the kill
        return insert(self, table, values)

    Merge._insert = insert_then_stop  # type: ignore[method-assign]
    transfer = Transfer(ws)
    plan = transfer.plan(Path(pack_file).read_bytes(), passphrase=pack_passphrase)
    transfer.commit(plan, justification="Merge that is killed", trusted=plan.fingerprint)
    print("finished", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
