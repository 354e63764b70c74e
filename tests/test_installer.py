"""The Windows installer's promises, kept true of its WiX source (it is built on Windows only):
per machine, the program only, nothing installed in a user's folders (so uninstalling never touches
a store), and the names build.spec gives the one-folder app."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.dateless

ROOT = Path(__file__).resolve().parent.parent
WXS = ROOT / "installer" / "ppo-panel.wxs"
NS = {"w": "http://wixtoolset.org/schemas/v4/wxs"}
USER_FOLDERS = {
    "LocalAppDataFolder",
    "AppDataFolder",
    "PersonalFolder",
    "DesktopFolder",
    "CommonAppDataFolder",
}


def test_the_msi_installs_the_program_only_per_machine() -> None:
    root = ET.parse(WXS).getroot()
    package = root.find("w:Package", NS)
    assert package is not None and package.get("Scope") == "perMachine"
    assert package.get("Version") == "$(var.Version)"  # from pyproject.toml at build time
    assert re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", package.get("UpgradeCode", ""))
    assert root.find(".//w:MajorUpgrade", NS) is not None  # a new version replaces the old one
    standard = {d.get("Id") for d in root.iter(f"{{{NS['w']}}}StandardDirectory")}
    assert standard == {"ProgramFiles64Folder", "ProgramMenuFolder"}
    assert not standard & USER_FOLDERS  # nothing where the stores live: uninstalling never touches one
    removals = [e for e in root.iter() if e.tag.endswith(("RemoveFile", "RemoveFolderEx"))]
    assert removals == []  # and it deletes nothing it did not install


def test_the_msi_takes_what_build_spec_makes() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    exe = re.search(r'EXE\([^)]*name="([^"]+)"', spec)
    folder = re.search(r'COLLECT\([^)]*name="([^"]+)"', spec)
    assert exe is not None and folder is not None
    root = ET.parse(WXS).getroot()
    files = root.find(".//w:Files", NS)
    assert files is not None and files.get("Include") == f"..\\dist\\{folder.group(1)}\\**"
    shortcut = root.find(".//w:Shortcut", NS)
    assert shortcut is not None and shortcut.get("Target") == f"[INSTALLFOLDER]{exe.group(1)}.exe"
    workflow = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    assert (
        "installer\\ppo-panel.wxs" in workflow
        and f"dist\\{folder.group(1)}\\{exe.group(1)}.exe --self-test" in workflow
    )
