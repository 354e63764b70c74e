"""Hostile zips within stated limits: a workbook or a backup bundle that would unpack to gigabytes is
refused from its directory, before anything is unpacked, with the limit it broke."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ppo_desktop.imports.nominations import NominationImport
from ppo_desktop.imports.sources import ImportProblem
from ppo_desktop.services.backups import restore
from ppo_desktop.services.workspace import ServiceError, Workspace

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass

ZEROS = 64 * 1024 * 1024  # 64 MB of zeros deflate to about 64 KB


def bomb(path: Path, names: tuple[str, ...], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for name in names:
            with z.open(name, "w") as part:
                for _ in range(ZEROS // (1 << 20)):
                    part.write(bytes(1 << 20))
    return path


def test_a_workbook_bomb_is_refused_before_it_is_unpacked(ws: Workspace, tmp_path: Path) -> None:
    book = bomb(tmp_path / "nominations.xlsx", ("[Content_Types].xml", "xl/worksheets/sheet1.xml"))
    assert book.stat().st_size < 1_000_000
    with pytest.raises(ImportProblem, match=r"a part expands [\d,]+ times \(at most 200\)"):
        NominationImport(ws).plan(book)


def test_a_backup_bundle_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    """The app writes its bundles stored, not compressed: a compressed part is refused outright, so
    the bundle's own size bounds what restoring it can unpack (1 MB took 2.1 GB and 1 GB of disk)."""
    from db.device import DeviceSecrets

    bundle = bomb(tmp_path / "panel-20261124.ppobackup", ("manifest.json", "store.ppo", "store.ppo.keys"))
    restored, device = tmp_path / "restored.ppo", DeviceSecrets(None)
    with pytest.raises(ServiceError, match="a part is compressed"):
        restore(bundle, restored, passphrase="whatever passphrase", device=device)
    assert not restored.exists()
    stored = tmp_path / "other.ppobackup"
    with zipfile.ZipFile(stored, "w") as z:
        z.writestr("manifest.json", "{}")
        z.writestr("extra.bin", b"x")
        z.writestr("store.ppo", b"y")
    with pytest.raises(ServiceError, match="its parts are not the app's"):
        restore(stored, restored, passphrase="whatever passphrase", device=device)


def test_a_csv_that_is_one_enormous_line_is_refused_unread(ws: Workspace, tmp_path: Path) -> None:
    """A header, then one 'row' of 8 MB with no line break: read in bounded pieces and refused at the
    first megabyte, named by its line, never held whole."""
    path = tmp_path / "nominations.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("Surname,Forenames,DOB\n")
        f.write("A" * (8 << 20))
    with pytest.raises(ImportProblem, match="line 2 is longer than 1024 KB"):
        NominationImport(ws).plan(path)
