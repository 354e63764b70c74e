"""The --self-test flag (what CI runs on the frozen app) passes here and names a failing step."""

from __future__ import annotations

import pytest

from ui.app import main

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass


def test_self_test_passes(
    qapp: object, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["--self-test"]) == 0
    assert capsys.readouterr().out.startswith("self-test: ok")


def test_self_test_names_the_failing_step(
    qapp: object, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("db.vault.kdf_policy", lambda: (_ for _ in ()).throw(OSError(28, "No space left")))
    assert main(["--self-test"]) == 1
    assert "self-test: FAILED while creating an encrypted store" in capsys.readouterr().err
