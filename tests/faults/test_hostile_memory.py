"""Every way in, bounded (issue 28): for each kind of file a person can be handed — a nominations
CSV, a workbook, a transfer pack, a backup bundle — a seeded corpus of hostile and mutated files up to
10 MB goes through the app's own entry point in a child process under a hard 2 GB address-space cap,
then a hypothesis fuzz target over the same reader (edits to a valid file, shrunk on failure). Each is
read or refused with a sentence, nothing fails any other way, and the child's peak RSS stays within
300 MB (the figure SECURITY.md states)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.dateless]  # child processes; no date in it

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MB = 300


@pytest.mark.parametrize(("kind", "at_least"), [("csv", 25), ("xlsx", 25), ("pack", 25), ("backup", 25)])
def test_hostile_files_are_refused_with_a_sentence_within_300_mb(
    kind: str, at_least: int, tmp_path: Path
) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tests.faults.hostile_child", kind, str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["refused"] + result["read"] >= 25  # the whole corpus went through
    assert result["refused"] > 0  # (random bytes at least are refused: the corpus reaches the checks)
    assert result["unexpected"] == []  # the seeded corpus, and the hypothesis fuzz target after it
    assert result["fuzzed"] >= 40
    assert result["rss_mb"] <= LIMIT_MB, result


def test_the_fuzz_target_reports_a_reader_that_fails_any_other_way(tmp_path: Path) -> None:
    from tests.faults.hostile_child import fuzz

    def enter(_path: Path, data: bytes) -> object:
        if len(data) < 8:  # a reader that breaks on a short file
            raise KeyError("short")
        return data

    assert fuzz(b"0123456789abcdef", enter, tmp_path / "input.csv", 50) == ["fuzz: KeyError"]
    assert fuzz(b"0123456789abcdef", lambda _p, d: d, tmp_path / "input.csv", 20) == []
