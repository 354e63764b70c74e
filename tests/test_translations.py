"""Welsh, and any language after it: every string marked for translation in the code has its Welsh in
resources/translations/cy.po (placeholders and access keys kept); in the modules translated so far no
string a person reads reaches a widget unmarked; plural forms and dates follow the language."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from ppo_desktop import i18n

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}  # as ./dev translations extracts them
# Every screen, dialog and printed document passes each visible string through the catalogue.
SHOWN_IN = ("ui", "ppo_desktop/documents")  # the screens, and the printed documents
TRANSLATED = (
    *sorted(str(p.relative_to(ROOT)) for d in SHOWN_IN for p in (ROOT / d).rglob("*.py")),
    "ppo_desktop/projection.py", "ppo_desktop/summary.py",
)  # fmt: skip
# Calls that put text in front of a person, and which of their arguments is the text: it must be marked.
SHOWN = {
    **dict.fromkeys(
        ("QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton",
         "setText", "setWindowTitle", "setAccessibleName", "setAccessibleDescription", "setPlaceholderText",
         "setToolTip", "setStatusTip", "setWhatsThis", "setTitle", "setSuffix", "setPrefix",
         "setSpecialValueText", "addItem", "addMenu", "addRow", "showMessage", "setLabelText",
         "QProgressDialog", "Column", "title_label", "para", "DateField", "perform_long", "addButton"),
        (0,),
    ),
    "addTab": (1,), "insertTab": (2,), "read_only_table": (1,), "configure_table": (1,), "choices_view": (1,),
    "date_edit": (1,), "_button": (1,), "ask_disclosure": (1,),
    **dict.fromkeys(("information", "warning", "question", "critical", "getText", "getMultiLineText",
                     "getItem", "getInt"), (1, 2)),
    **dict.fromkeys(("getSaveFileName", "getOpenFileName", "getExistingDirectory"), (1,)),
    **dict.fromkeys(("confirm", "_confirm", "ask_reason", "_ask_reason"), (0, 1)),
}  # fmt: skip
MARKED = {"_", "N_", "ngettext"}


@pytest.fixture
def welsh() -> Iterator[None]:
    i18n.use("cy")
    yield
    i18n.use(i18n.ENGLISH)


def _marked_in_code() -> dict[str | tuple[str, str], str]:
    found: dict[str | tuple[str, str], str] = {}
    code, labels = [("**.py", "python")], [("**.toml", "ppo_desktop.i18n:extract_labels")]  # as babel.cfg
    sources = (("ppo_desktop", code), ("ui", code), ("db", code), ("resources/policies", labels))
    for folder, method_map in sources:
        for filename, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / folder), method_map=method_map, keywords=KEYWORDS, comment_tags=()
        ):
            found[message] = f"{folder}/{filename}"
    return found


def test_every_marked_string_has_its_welsh() -> None:
    catalogue = i18n.catalogue("cy")
    missing = []
    for message, where in _marked_in_code().items():
        entry = catalogue.get(message)
        strings = entry.string if entry is not None else ""
        if not strings or (isinstance(strings, tuple) and not all(strings)):
            missing.append(f"{where}: {message!r}")
    assert not missing, "No Welsh yet (add it to resources/translations/cy.po):\n" + "\n".join(missing)


def _placeholders(text: str) -> set[str]:
    """Each {name}, with its conversion and format ({value!r}, {total:g}): the same in every language."""
    return set(re.findall(r"\{([^{}]*)\}", text.replace("{{", "").replace("}}", "")))


def _keys(text: str) -> int:
    return len(re.findall(r"&[^&\s]", text.replace("&&", "")))


def test_each_welsh_string_keeps_its_placeholders_and_its_access_key() -> None:
    wrong = []
    for entry in i18n.catalogue("cy"):
        if not entry.id:
            continue
        english = entry.id if isinstance(entry.id, str) else entry.id[1]
        for welsh in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            if _placeholders(welsh) != _placeholders(english) or _keys(welsh) != _keys(english):
                wrong.append(f"{english!r} → {welsh!r}")
    assert not wrong, "\n".join(wrong)


def _unmarked(source: str) -> list[str]:
    """Text given to a widget without going through the catalogue (a literal or an f-string)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        texts = [node.args[i] for i in SHOWN.get(name, ()) if i < len(node.args)]
        texts += [k.value for k in node.keywords if k.arg in ("placeholderText", "text", "toolTip")]
        for text in texts:
            if isinstance(text, ast.Constant) and re.search("[A-Za-z]", str(text.value)):
                found.append(f"line {text.lineno}: {text.value!r}")
            elif isinstance(text, ast.JoinedStr) and any(  # words of its own, not only what it joins
                isinstance(v, ast.Constant) and re.search("[A-Za-z]", str(v.value)) for v in text.values
            ):
                found.append(f"line {text.lineno}: an f-string")
    return found


@pytest.mark.parametrize("module", TRANSLATED)
def test_no_visible_string_in_a_translated_screen_escapes_the_catalogue(module: str) -> None:
    assert _unmarked((ROOT / module).read_text(encoding="utf-8")) == []


def test_the_scan_finds_a_string_that_escapes() -> None:
    planted = 'QLabel("Cohort")\nbox.setToolTip(f"{n} people")\nedit = QLineEdit(placeholderText="Find")\n'
    assert len(_unmarked(planted)) == 3
    assert len(_unmarked('para(f"Minutes — {panel}")\n')) == 1
    assert _unmarked('para(f"{kind} — {panel}")') == []  # it only joins what was translated
    assert _unmarked('label = QLabel(_("Cohort"))\nbox.addItem(_(ANY), ANY)\n') == []
    assert len(_unmarked('QMessageBox.warning(self, "Stop", _("Why"))\ntabs.addTab(page, "Notes")\n')) == 2


def test_welsh_plurals_and_dates(welsh: None) -> None:
    one, many = "{shown} of {n} person shown", "{shown} of {n} people shown"
    assert i18n.ngettext(one, many, 1).format(shown=1, n=1) == "Yn dangos 1 o 1 person"
    assert i18n.ngettext(one, many, 6).format(shown=2, n=6) == "Yn dangos 2 o 6 o bobl"
    assert i18n.format_date(dt.date(2026, 12, 7)) == "7 Rhag 2026"
    assert i18n._("A string nobody translated yet") == "A string nobody translated yet"  # never blank


def test_english_is_the_code_itself() -> None:
    assert i18n._("Cohort") == "Cohort" and i18n.format_date(dt.date(2026, 12, 7)) == "07 Dec 2026"
    i18n.use("xx")  # not a language the app speaks: English
    assert i18n.current() == i18n.ENGLISH


def _hidden_in_fstrings(source: str) -> list[int]:
    """Lines where _("...") sits inside an f-string: the extractor does not read f-strings' insides,
    so the text would never reach the catalogue (and would read in English for ever)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                name = getattr(getattr(inner, "func", None), "id", "")
                if (
                    isinstance(inner, ast.Call)
                    and name in MARKED
                    and any(isinstance(a, ast.Constant) for a in inner.args)
                ):
                    found.append(inner.lineno)
    return found


def _across_the_code(lines_found: Callable[[str], list[int]]) -> list[str]:
    """``path:line`` for every line a check finds in the app's modules."""
    return [
        f"{path.relative_to(ROOT)}:{line}"
        for folder in ("ppo_desktop", "ui")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line in lines_found(path.read_text(encoding="utf-8"))
    ]


def test_no_marked_text_hides_inside_an_f_string() -> None:
    assert _across_the_code(_hidden_in_fstrings) == []
    assert _hidden_in_fstrings("""x = f"{_('Passphrase only.')} {note}"\n""") == [1]


def _shadowing(source: str) -> list[int]:
    """Lines that bind the name ``_`` in a module that translates with it (``chosen, _ = ...``): the
    function's ``_`` is then a local, and a ``_("...")`` in it fails, or says the wrong thing."""
    tree = ast.parse(source)
    if not any(isinstance(n, ast.ImportFrom) and any(a.name == "_" for a in n.names) for n in tree.body):
        return []
    found = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "_"
             and isinstance(n.ctx, ast.Store)]  # fmt: skip
    found += [n.lineno for n in ast.walk(tree) if isinstance(n, ast.arg) and n.arg == "_"]
    return found


def test_no_module_that_translates_rebinds_the_name_it_translates_with() -> None:
    assert _across_the_code(_shadowing) == []
    planted = "from ppo_desktop.i18n import _\n\ndef f():\n    chosen, _ = ask(_('Save'))\n"
    assert _shadowing(planted) == [4]


def test_a_date_field_in_welsh_shows_digits_it_reads_back(qapp: object, welsh: None) -> None:
    from ui.date_field import DateField

    field = DateField("Dyddiad")
    field.set_date(dt.date(2026, 12, 7))
    assert field.text() == "07 12 2026" and field.date() == dt.date(2026, 12, 7)
    field.setText("31 02 2026")
    with pytest.raises(ValueError, match="yn ddyddiad"):
        field.date()


def test_the_vaults_messages_are_said_in_the_language_in_use(welsh: None, tmp_path: Path) -> None:
    """db/ imports nothing above it: its errors keep their message's template and values, and say them
    when read — so the unlock dialog tells a Welsh speaker in Welsh that a store is missing."""
    from db.device import DeviceSecrets
    from ppo_desktop.services.session import StoreProblem, unlock

    missing = tmp_path / "panel.ppo"
    with pytest.raises(StoreProblem) as refused:
        unlock(missing, "a passphrase that opens nothing", device=DeviceSecrets(None))
    assert str(refused.value) == f"Nid oes storfa yn {missing}."
    i18n.use(i18n.ENGLISH)
    assert str(refused.value.__cause__) == f"There is no store at {missing}."  # the same error, read now
