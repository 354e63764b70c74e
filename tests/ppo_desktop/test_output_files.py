"""Every file written for a person: private (0600), whole or not at all, never through a link, never
over a store's own files, never over an existing file unasked; and bulk exports are not for panel
members. Each test tries what broke before."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ppo_desktop import cli
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.domain import Role, User
from ppo_desktop.output_files import OutputExists, OutputRefused, write_private
from ppo_desktop.services.exports import Exports
from ppo_desktop.services.workspace import PermissionDenied, Workspace

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass


def export(store: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    common = ["--no-keyring", "--recipient", "Board", "--why", "Quarterly return"]
    code = cli.main(["export", "cohort", str(store), *common, "--out", str(out), *extra])
    return code, capsys.readouterr().err


@pytest.fixture
def demo_env(demo_store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PPO_PASSPHRASE", DEMO_PASSPHRASE)
    return demo_store


def test_an_export_is_private_and_whole(
    demo_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cohort.csv"
    code, err = export(demo_env, out, capsys)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_an_export_never_replaces_the_store(demo_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = demo_env.read_bytes()
    for target in (demo_env, Path(f"{demo_env}.keys"), Path(f"{demo_env}-wal")):
        code, err = export(demo_env, target, capsys, "--force")
        assert code == 1 and "store's own file" in err
    assert demo_env.read_bytes() == before


def test_an_export_never_follows_a_link(
    demo_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("someone else's file")
    link = tmp_path / "cohort.csv"
    link.symlink_to(elsewhere)
    code, err = export(demo_env, link, capsys, "--force")
    assert code == 1 and "symbolic link" in err
    assert elsewhere.read_text() == "someone else's file"


def test_a_folder_or_a_device_is_refused_in_one_line(
    demo_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = export(demo_env, tmp_path, capsys, "--force")
    assert code == 1 and "is a folder" in err and "Traceback" not in err
    code, err = export(demo_env, Path("/dev/full"), capsys, "--force")
    assert code == 1 and "not an ordinary file" in err and "Traceback" not in err


def test_writing_replaces_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "minutes.pdf"
    write_private(target, b"first")
    with pytest.raises(OutputExists):
        write_private(target, b"second")
    write_private(target, b"second", overwrite=True)
    assert target.read_bytes() == b"second"
    with pytest.raises(OutputRefused, match="does not exist"):
        write_private(tmp_path / "missing" / "x.pdf", b"x")


def test_a_full_disk_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "cohort.csv"
    write_private(target, b"the old export")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputRefused, match="disk is full"):
        write_private(target, b"a new export", overwrite=True)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert target.read_bytes() == b"the old export"
    assert [p.name for p in tmp_path.iterdir()] == ["cohort.csv"]


def test_bulk_exports_are_not_for_panel_members(ws: Workspace) -> None:
    ws.user = User("member", "Member", Role.PANEL_MEMBER)
    with pytest.raises(PermissionDenied, match="not open to a panel member"):
        Exports(ws).export("cohort", how="saved", recipient="Board", justification="Return")


def test_an_unexpected_error_is_one_line_without_values(
    demo_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_a: object, **_k: object) -> bytes:
        raise KeyError("QUILLFEATHER, Zebedee 1990-02-03")  # a record's contents in an error's text

    monkeypatch.setattr(Exports, "export", broken)
    code, err = export(demo_env, tmp_path / "cohort.csv", capsys)
    assert code == 1 and "KeyError in" in err and err.count("\n") == 1
    assert "QUILLFEATHER" not in err and "1990" not in err and "Traceback" not in err
