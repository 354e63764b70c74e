"""The rooms: ppo_desktop and db import no Qt; ui imports no SQL or vault; no plain-SQLite opens."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass

ROOT = Path(__file__).resolve().parent.parent
SQL_MODULES = ("sqlite3", "sqlcipher3", "sqlite_utils", "db")


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("package", ["ppo_desktop", "db"])
def test_core_imports_no_qt(package: str) -> None:
    offenders = {
        f: sorted(n for n in names if top(n) in ("PySide6", "shiboken6", "ui", "pytestqt"))
        for f, names in imported_modules(package).items()
    }
    assert {f: n for f, n in offenders.items() if n} == {}


def test_db_knows_no_ppo_rules() -> None:
    offenders = {
        f: sorted(n for n in names if top(n) == "ppo_desktop") for f, names in imported_modules("db").items()
    }
    assert {f: n for f, n in offenders.items() if n} == {}


def test_ui_imports_no_sql_or_vault() -> None:
    offenders = {
        f: sorted(n for n in names if top(n) in SQL_MODULES) for f, names in imported_modules("ui").items()
    }
    assert {f: n for f, n in offenders.items() if n} == {}


def test_store_is_never_opened_with_plain_sqlite() -> None:
    """Only db/connection.py connects, and only through sqlcipher3 (see ARCHITECTURE 'Known traps')."""
    pattern = re.compile(r"sqlite3\.connect\(|Database\(\s*(?!conn\b|memory)[\w\"'./]+")
    offenders = []
    for package in ("ppo_desktop", "db", "ui"):
        for path in (ROOT / package).rglob("*.py"):
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if pattern.search(line) and "sqlcipher3.connect" not in line:
                    offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}")
    assert offenders == []


def test_the_scan_would_catch_a_plain_open() -> None:
    pattern = re.compile(r"sqlite3\.connect\(|Database\(\s*(?!conn\b|memory)[\w\"'./]+")
    assert pattern.search('db = Database("panel.ppo")')
    assert pattern.search("conn = sqlite3.connect(path)")
    assert not pattern.search("db = Database(conn)")


CLOCK_READ = re.compile(
    r"\b(?:date\.today|datetime\.now|datetime\.utcnow|QDate\.currentDate|QDateTime\.current\w*)\("
)


def test_the_time_is_read_in_one_place() -> None:
    """Only ppo_desktop/clock.py reads the system clock, so a test (and a workspace) can set the day."""
    offenders = []
    for package in ("ppo_desktop", "db", "ui"):
        for path in (ROOT / package).rglob("*.py"):
            if path == ROOT / "ppo_desktop" / "clock.py":
                continue
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if CLOCK_READ.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}")
    assert offenders == []


def test_the_clock_scan_would_catch_a_direct_read() -> None:
    assert CLOCK_READ.search("today = dt.date.today()")
    assert CLOCK_READ.search("stamp = datetime.now(dt.UTC)")
    assert CLOCK_READ.search("QDate.currentDate()")
    assert not CLOCK_READ.search("today = clock.today()")


# The vault is the workspace's: screens ask ``ws.status()`` (the admin CLI, in the core, may manage key
# slots). A transaction is a service's: screens and importers call a service that opens one (and
# audits what it writes).
REFUSALS = r"ServiceError|PermissionDenied|StoreBlocked|NotSaved|OutputRefused"
# Only the modules that open a store (and the session that holds it while a window shows it) name the
# Workspace; every screen is given services and a status object (ppo_desktop/services/bundle.py).
STORE_OPENERS = ("ui/session_controller.py", "ui/app.py", "ui/unlock_dialog.py", "ui/create_dialog.py",
                 "ui/selftest.py", "ui/screenshots.py")  # fmt: skip
ROOM_RULES = {
    "the vault in ui": (re.compile(r"\.vault\b"), ("ui",), ()),
    "the Workspace in ui but where a store is opened": (
        re.compile(r"\bws\b|\bWorkspace\b|\._ws\b"),
        ("ui",),
        STORE_OPENERS,
    ),
    "the store's database in ui": (re.compile(r"\.db\b|\bexecute\(|\.table\("), ("ui",), ()),
    "a service's refusal caught in ui but at its one door (ui/context.py)": (
        re.compile(rf"\bexcept\b.*\b(?:{REFUSALS})\b"),
        ("ui",),
        ("ui/context.py",),
    ),
    "a transaction opened outside ppo_desktop/services": (
        re.compile(r"\.writing\(|\.transaction\(\)"),
        ("ui", "ppo_desktop"),
        ("ppo_desktop/services/",),
    ),
}


def _breaches(pattern: re.Pattern[str], packages: tuple[str, ...], allowed: tuple[str, ...],
              files: dict[str, str]) -> list[str]:  # fmt: skip
    found = []
    for name, text in files.items():
        if not name.startswith(tuple(f"{p}/" for p in packages)) or name.startswith(allowed):
            continue
        for lineno, line in enumerate(text.splitlines(), start=1):
            code = line.split("#", 1)[0]
            if pattern.search(code):
                found.append(f"{name}:{lineno}: {line.strip()}")
    return found


def _sources() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for package in ("ppo_desktop", "ui")
        for path in (ROOT / package).rglob("*.py")
    }


@pytest.mark.parametrize("rule", sorted(ROOM_RULES))
def test_the_rooms_keep_their_doors(rule: str) -> None:
    pattern, packages, allowed = ROOM_RULES[rule]
    assert _breaches(pattern, packages, allowed, _sources()) == []


def test_the_door_checks_would_catch_a_planted_breach() -> None:
    planted = {
        "ui/screens/planted.py": "status = ctx.ws.vault.read_only\n",
        "ppo_desktop/imports/planted.py": "    with self.ws.writing():\n        pass\n",
        "ppo_desktop/services/fine.py": "    with self.ws.writing():\n        x = self.ws.vault.db\n",
    }
    planted |= {
        "ui/screens/reach.py": "ctx.ws.db.table('users').update('admin', {'role': 'x'})\n",
        "ui/screens/catch.py": "try:\n    f()\nexcept (OSError, ServiceError) as exc:\n    pass\n",
        "ui/context.py": "try:\n    f()\nexcept ServiceError as exc:\n    pass\n",
        "ui/screens/given.py": "self.sheets = ScoreSheets(ctx.ws)\n",
        "ui/screens/inside.py": "open_now = self.sheets.ws.is_open or ctx.services._ws\n",
        "ui/session_controller.py": "ctx = AppContext(Services(ws), runner)\n",
    }
    rules = dict(ROOM_RULES)
    vault, transaction = rules["the vault in ui"], rules["a transaction opened outside ppo_desktop/services"]
    database = rules["the store's database in ui"]
    caught = next(v for k, v in rules.items() if k.startswith("a service's refusal"))
    assert _breaches(*vault, planted) == ["ui/screens/planted.py:1: status = ctx.ws.vault.read_only"]
    assert _breaches(*transaction, planted) == ["ppo_desktop/imports/planted.py:1: with self.ws.writing():"]
    assert _breaches(*database, planted) == [
        "ui/screens/reach.py:1: ctx.ws.db.table('users').update('admin', {'role': 'x'})"
    ]
    assert _breaches(*caught, planted) == ["ui/screens/catch.py:3: except (OSError, ServiceError) as exc:"]
    given = rules["the Workspace in ui but where a store is opened"]  # or a service's own, reached through it
    assert _breaches(*given, planted) == [
        "ui/screens/planted.py:1: status = ctx.ws.vault.read_only",
        "ui/screens/reach.py:1: ctx.ws.db.table('users').update('admin', {'role': 'x'})",
        "ui/screens/given.py:1: self.sheets = ScoreSheets(ctx.ws)",
        "ui/screens/inside.py:1: open_now = self.sheets.ws.is_open or ctx.services._ws",
    ]


def test_the_import_contracts_hold() -> None:
    """The rooms as import-linter contracts (pyproject.toml), on the whole graph: imports inside
    functions and through other modules included, which the scans above do not follow."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


PLANTED_IMPORTS = {  # one breach of each contract, in a copy of the tree
    "db/planted.py": "def later():\n    import ui.context\n",  # rooms (inside a function)
    "ppo_desktop/planted_qt.py": "from PySide6 import QtCore\n",  # no-qt
    "ui/screens/planted.py": "import sqlite3\n",  # no-sql-in-ui
    "ppo_desktop/rules/planted.py": "from ppo_desktop.summary import summary_lines\n",  # pure-rules, indirect
    "ppo_desktop/scoring/planted.py": "import sqlcipher3\n",  # no-sql-in-rules
}


def test_the_import_contracts_would_catch_planted_breaches(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    for package in ("ppo_desktop", "db", "ui"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    summary = tmp_path / "ppo_desktop" / "summary.py"  # the indirect route: summary reaches a service
    summary.write_text(summary.read_text("utf-8") + "\nfrom ppo_desktop.services import cases\n", "utf-8")
    for name, text in PLANTED_IMPORTS.items():
        (tmp_path / name).write_text(text, "utf-8")
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
         "sys.exit(lint_imports_command())", "--no-cache"],
        cwd=tmp_path, env={"PYTHONPATH": str(tmp_path), "PATH": ""}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    assert "0 kept, 5 broken" in run.stdout, run.stdout
    found = [
        "db.planted -> ui.context",
        "ppo_desktop.planted_qt -> PySide6",
        "ui.screens.planted -> sqlite3",
        "ppo_desktop.rules.planted -> ppo_desktop.summary",
        "ppo_desktop.scoring.planted -> sqlcipher3",
    ]
    assert [f for f in found if f not in run.stdout] == []


DATED = re.compile(r"\b(?:today|DEMO_DAY|TEST_NOW|timedelta|relativedelta|held_on|due_on)\b|dt\.date\(")


def test_a_module_marked_dateless_names_no_day() -> None:
    """CI's moved-clock pass leaves out the modules marked ``dateless``: the mark stays true only if
    nothing in them reads or builds a date."""
    marked = [p for p in (ROOT / "tests").rglob("test_*.py") if "mark.dateless" in p.read_text("utf-8")]
    assert len(marked) > 10
    offenders = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in marked
        if p != Path(__file__)  # this file names the words it looks for
        for m in [DATED.search(p.read_text("utf-8"))]
        if m
    ]
    assert offenders == []
    assert DATED.search("window.ctx.ws.today()") and DATED.search("dt.date(2027, 1, 5)")


def test_the_architecture_documents_drawing_is_the_codes() -> None:
    """docs/ARCHITECTURE.md's layers drawing is made from the imports; redraw it with
    ``.venv/bin/python -m tests.layers`` when a layer's imports change."""
    from tests import layers

    assert layers.current() == layers.drawing()
    assert "ui " in layers.drawing() and "db " in layers.drawing()  # (the drawing names the rooms)


def _assembled(sources: dict[str, str]) -> list[str]:
    """Service classes (made from a Workspace) that derive from another service class."""
    trees = [ast.parse(text) for name, text in sources.items() if name.startswith("ppo_desktop/services/")]
    classes = [n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]

    def is_service(c: ast.ClassDef) -> bool:  # made from a Workspace, or a part expecting one (a mixin)
        init = next((f for f in c.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
        args = init.args.args if init else []
        made = len(args) > 1 and ast.unparse(args[1].annotation or ast.Constant("")) == "Workspace"
        part = any(isinstance(n, ast.AnnAssign) and ast.unparse(n.annotation) == "Workspace" for n in c.body)
        return made or part

    services = {c.name for c in classes if is_service(c)}
    return sorted(
        f"{c.name}({ast.unparse(b)})" for c in classes for b in c.bases if ast.unparse(b) in services
    )


def test_services_are_composed_not_assembled_from_mixins() -> None:
    """Cases was once StrandSpells + CustodyAndFacts, Meetings a MeetingRecord, Transfer TransferKeys
    (issue 24): each service stands alone and is composed where it is used."""
    assert _assembled(_sources()) == []
    planted = {
        "ppo_desktop/services/a.py": "class Part:\n    ws: Workspace\n",  # the old mixins' shape
        "ppo_desktop/services/b.py": "class Whole(Part):\n    def __init__(self, ws: Workspace): ...\n",
    }
    assert _assembled(planted) == ["Whole(Part)"]


DERIVED_TABLES = "memberships|nominations|sentences|case_facts"
DERIVED_WRITE = re.compile(
    rf"(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+[\"']?(?:{DERIVED_TABLES})\b"
    rf"|table\(\s*[\"'](?:{DERIVED_TABLES})[\"']\s*\)\s*\.\s*(?:insert|update|upsert|delete)"
    rf"|\.insert\(\s*[\"'](?:{DERIVED_TABLES})[\"']"
)
PROJECTION = "ppo_desktop/services/person_hist" + "ory.py"


def _derived_writers() -> list[str]:
    found = []
    for package in ("ppo_desktop", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if DERIVED_WRITE.search(line) and name != PROJECTION:
                    found.append(f"{name}:{lineno}")
    return found


def test_what_the_history_derives_is_written_by_the_projection_alone() -> None:
    """Memberships, nominations, sentences and case facts are the person's history as derived (issue
    22): no code but the projection writes them (a merge and an erasure clear a person's rows by a
    table list, and the projection writes them again)."""
    assert _derived_writers() == []


def test_the_derived_write_scan_would_catch_a_planted_write() -> None:
    planted = [
        "db.table(\"nominations\").update(r['id'], {'state': 'selected'})",
        "db.execute(\"UPDATE sentences SET note = ? WHERE id = ?\", [note, i])",
        "db.execute('DELETE FROM case_facts WHERE nominal_id = ?', [nid])",
        "self.ws.insert(\"nominations\", values)",
        "db.execute(\"INSERT OR REPLACE INTO memberships (id) VALUES (1)\")",
    ]
    assert all(DERIVED_WRITE.search(line) for line in planted)
    assert not DERIVED_WRITE.search('db.query("SELECT * FROM nominations WHERE state = \'open\'")')
