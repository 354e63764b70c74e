"""The subject access pack from the Audit screen (issue 27): an administrator makes it for one person
through the dialog — the two private files written, the disclosure recorded — and a wrong reference,
a redaction without its reason or a file already there is said, never a traceback."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from pytestqt.qtbot import QtBot

from ui.context import AppContext
from ui.screens.subject_access_dialog import SubjectAccessDialog


def test_the_pack_is_made_from_the_dialog(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    person = ctx.services.cases.cohort(include_former=False)[0].nominal
    dialog = SubjectAccessDialog(ctx)
    qtbot.addWidget(dialog)
    out = tmp_path / "pack"
    out.mkdir()
    dialog.folder.setText(str(out))
    dialog.ref.setText("N99999")
    dialog.make()
    assert "no person with the reference" in dialog.status.text() and dialog.written is None
    dialog.ref.setText(person.ref.lower())
    dialog.redact.setPlainText("DS Example")  # no reason
    dialog.make()
    assert "needs its reason" in dialog.status.text() and not list(out.iterdir())
    dialog.redact.setPlainText("DS Example = a third party")
    dialog.make()
    assert dialog.written is not None and dialog.status.text().startswith("Written:")
    bundle = json.loads(dialog.written[0].read_bytes())
    assert bundle["held"]["person"]["ref"] == person.ref
    assert dialog.written[1].read_bytes().startswith(b"%PDF")
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in dialog.written)
    assert any(e.summary.startswith("Subject access pack made") for e in ctx.ws.audit.search(limit=10))
    dialog.make()  # the files are there now: refused, not replaced
    assert "exists" in dialog.status.text()
