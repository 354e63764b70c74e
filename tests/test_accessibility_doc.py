"""ACCESSIBILITY.md stays true: every test it names as checking a requirement exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_security_doc import REFERENCE, defined

pytestmark = pytest.mark.dateless

ROOT = Path(__file__).resolve().parent.parent


def test_every_test_the_accessibility_statement_names_exists() -> None:
    text = (ROOT / "ACCESSIBILITY.md").read_text(encoding="utf-8")
    found = [(m.group(1), m.group(3)) for m in REFERENCE.finditer(text) if m.group(3)]
    assert len(found) >= 15
    missing = [
        f"{file}::{name}"
        for file, name in found
        if not (ROOT / file).is_file() or name not in defined(ROOT / file)
    ]
    assert missing == []
