"""A child process that writes an output and is killed (os._exit, as kill -9 would) after the
plaintext is in its temporary file but before it is renamed into place."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ppo_desktop import output_files


def main(target: str) -> None:
    def die(_fd: int) -> None:
        os._exit(9)  # no clean-up runs: the temporary file stays, as after a kill -9

    output_files.os.fsync = die  # type: ignore[attr-defined]
    output_files.write_private(Path(target), b"Reference,Family name\nN00001,FICTIONAL\n")


if __name__ == "__main__":
    main(sys.argv[1])
