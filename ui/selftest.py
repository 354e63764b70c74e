"""``ppo-desktop --self-test``: prove a build works end to end on a throwaway store, offscreen.

Opens a temporary encrypted store, scores a sheet, builds a PDF in memory, shows and closes the main
window, and exits 0 (or 1 with the failing step named). Used by CI on the frozen app.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    step = "starting"
    try:
        from PySide6.QtWidgets import QApplication

        from ppo_desktop.scoring import score, shipped
        from ppo_desktop.services.bundle import Services
        from ppo_desktop.services.cases import NominalDraft
        from ppo_desktop.services.documents import Documents
        from ppo_desktop.services.score_sheets import ScoreSheets
        from ppo_desktop.services.session import DeviceSecrets, create_store
        from ui.context import AppContext
        from ui.main_window import MainWindow
        from ui.tasks import SyncRunner

        app = QApplication.instance() or QApplication(sys.argv[:1])
        with tempfile.TemporaryDirectory(prefix="ppo-selftest-") as tmp:
            step = "creating an encrypted store"
            ws, _recovery = create_store(
                Path(tmp) / "selftest",
                user_id="selftest",
                display_name="Self Test",
                passphrase="self-test passphrase",
                partnership="Self-test (FICTIONAL)",
                device=DeviceSecrets(None, "self-test"),
            )
            try:
                step = "checking the store"
                assert ws.integrity_check() == [], "integrity check failed"
                step = "scoring"
                ctx = AppContext(Services(ws), SyncRunner())
                nominal = ctx.services.cases.add_nominal(NominalDraft("Selftest", "Fictional")).record
                defn = shipped().get("thurrock-2009-appendix2")
                breakdown = score(defn, {"offences": {"robbery": {"convicted": 2}}, "impact": "serious"})
                assert breakdown.total == 18, f"engine total {breakdown.total}"
                sheet = ScoreSheets(ws).start(nominal.id).record
                step = "building a PDF in memory"
                pdf = Documents(ws).scoring_sheets([nominal.id]).pdf
                assert pdf.startswith(b"%PDF-"), "not a PDF"
                step = "showing the main window"
                window = MainWindow(ctx)
                window.show()
                app.processEvents()
                assert window.cohort.model.rowCount() == 1
                step = "showing the performance charts"
                window.show_screen("Performance")
                app.processEvents()
                from PySide6.QtCharts import QChartView

                assert window.screens["Performance"].findChildren(QChartView), "no charts"
                step = "speaking Welsh (the catalogue and the language's dates)"
                from ppo_desktop import i18n

                i18n.use("cy")
                try:
                    welsh = (i18n._("Cohort"), i18n.format_date(dt.date(2026, 12, 7)))
                finally:
                    i18n.use(i18n.ENGLISH)
                assert welsh == ("Carfan", "7 Rhag 2026"), f"Welsh reads {welsh}"
                step = "verifying the audit chain"
                assert ws.audit.verify().ok, "audit chain broken"
                assert sheet.id > 0
                window.close()  # closes the store too
            finally:
                if ws.status().open:
                    try:
                        ws.close()
                    except Exception:  # noqa: BLE001 - already closed by the window
                        pass
    except Exception as exc:  # noqa: BLE001 - the point is to report any failure
        print(f"self-test: FAILED while {step}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(
        f"self-test: ok ({time.perf_counter() - started:.2f} s; store, scoring, PDF {len(pdf):,} bytes, "
        "main window, charts, Welsh, audit chain)"
    )
    return 0
