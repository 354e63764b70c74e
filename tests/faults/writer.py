"""A child process that records nominals in a loop and prints each id once its transaction commits.
Used by the kill -9 test: every printed id must survive the kill."""

from __future__ import annotations

import sys

from db.device import DeviceSecrets
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.session import unlock


def main(store: str, passphrase: str) -> None:
    ws = unlock(store, passphrase, device=DeviceSecrets(None))
    cases = Cases(ws)
    n = 0
    while True:
        n += 1
        nominal = cases.add_nominal(NominalDraft(f"Killtest{n}", "Fictional", address="1 Crash Lane")).record
        print(nominal.id, flush=True)  # acknowledged: committed before this line is written


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
