"""Benchmarks: `python -m benchmarks.run [--size small|large]` prints a table of figures, each with the
ratio to a baseline measured in the same run, and the peak RSS of the process that measured it.

Every figure comes from a fresh process on a fresh copy of a synthetic, fictional store. Nothing here
asserts a threshold: machines are noisy; the targets are printed for reading, not enforced.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import LARGE, PASSPHRASE, SMALL, build

ROWS = [  # probe, what is measured, field, unit, target (for reading), baseline meaning
    ("unlock_to_cohort", "unlock → cohort shown", "value", "ms", "", "same cohort query, plain SQLite"),
    ("keystroke", "keystroke → repainted total p50", "p50", "ms", "", "label setText + paint p95"),
    ("keystroke", "keystroke → repainted total p95", "p95", "ms", "≤ 16 ms", "label setText + paint p95"),
    ("keystroke", "draft autosave p95", "save_p95", "ms", "", "label setText + paint p95"),
    (
        "next_item",
        "next agenda item (console + projector) p95",
        "p95",
        "ms",
        "≤ 50 ms",
        "label setText + paint p95",
    ),
    ("agenda_proposal", "agenda proposal", "value", "ms", "", "cohort query, plain SQLite"),
    ("cohort_filter", "cohort search / filter p95", "p95", "ms", "", "list comprehension over names p95"),
    ("open_case", "open the busiest case", "value", "ms", "", "its queries, plain SQLite"),
    ("minutes_40", "minutes, 40 items", "value", "ms", "≤ 1.5× plain", "same story, plain SimpleDocTemplate"),
    ("sheets_100", "scoring sheets, batch of 100", "value", "ms", "", "same story, plain SimpleDocTemplate"),
    ("encrypted_vs_plain", "same queries, SQLCipher vs SQLite", "value", "ms", "≤ 1.3×", "plain SQLite"),
    (
        "performance_figures",
        "performance dashboard figures",
        "value",
        "ms",
        "",
        "reading its rows, plain SQLite",
    ),
    (
        "import_dry_run",
        "import dry run, 200,000 rows",
        "value",
        "ms",
        "≤ 20×, 200 MB",
        "csv.reader over the file",
    ),
    ("merge_pack", "transfer pack, every person merged", "value", "ms", "≤ 2×, 300 MB",
     "same rows inserted plainly"),  # fmt: skip
    ("rfg_scores", "IOM scores (RFGV) for everyone, 20 offences each", "value", "ms", "≤ 2 s at 10,000",
     "the offence rows read, plain SQLite"),  # fmt: skip
    (
        "subject_access",
        "subject access pack, busiest person",
        "value",
        "ms",
        "≤ 10 s",
        "their rows read, plain SQLite",
    ),
]


def probe(
    name: str, store: Path, *, copy: bool = True, display: dict[str, str] | None = None
) -> dict[str, float]:
    """Run one probe in a fresh process, on a fresh copy of the store (unless it only reads a path);
    offscreen, or on the X server ``display`` names."""
    work = Path(tempfile.mkdtemp(prefix="ppo-bench-probe-"))
    try:
        for f in store.parent.iterdir():
            if copy and f.name.startswith(store.stem) and not f.name.endswith(".lock"):
                shutil.copy2(f, work / f.name)
        target = work / store.name if copy else store
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.probes", name, str(target)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(display or {})},
        )
        lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
        if out.returncode != 0 or not lines:
            raise RuntimeError(f"probe {name} failed:\n{out.stderr[-2000:]}")
        found: dict[str, float] = json.loads(lines[-1])
        return found
    finally:
        shutil.rmtree(work, ignore_errors=True)


def startup(store: Path, runs: int, name: str = "start_app", display: dict[str, str] | None = None
            ) -> tuple[float, float, float, float]:  # fmt: skip
    """Process start to the first window, median of ``runs``, beside a bare PySide6 window (the runs
    alternate, so a slow membership of the machine falls on both)."""
    times: dict[str, list[float]] = {name: [], "start_bare": []}
    rss = dict.fromkeys(times, 0.0)
    for _ in range(runs):
        for which in times:
            t = time.perf_counter()
            result = probe(which, store, copy=False, display=display)
            times[which].append((time.perf_counter() - t) * 1000)
            rss[which] = max(rss[which], result["rss_mb"])
    return (
        statistics.median(times[name]),
        statistics.median(times["start_bare"]),
        rss[name],
        rss["start_bare"],
    )


class XServer:
    """A private Xvfb for the start-up rows (a real X server maps the window), if there is one."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] | None = None

    def __enter__(self) -> XServer:
        xvfb = shutil.which("Xvfb")
        if xvfb is None:
            return self
        for number in range(91, 99):
            if Path(f"/tmp/.X{number}-lock").exists():
                continue
            command = [xvfb, f":{number}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"]
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            socket = Path(f"/tmp/.X11-unix/X{number}")
            deadline = time.monotonic() + 10
            while not socket.exists() and time.monotonic() < deadline and self.process.poll() is None:
                time.sleep(0.05)  # waiting for a server to start, not synchronising a test
            if socket.exists():
                self.env = {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
            return self
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


def export_plain(store: Path) -> None:
    """An unencrypted copy of the synthetic store, for the SQLite baselines (fictional data only)."""
    from db.device import DeviceSecrets
    from ppo_desktop.services.session import unlock

    plain = store.with_name(store.stem + "-plain.sqlite")
    ws = unlock(store, PASSPHRASE, device=DeviceSecrets(None))
    try:
        ws.db.execute(f"ATTACH DATABASE '{plain}' AS plaintext KEY ''")
        ws.db.execute("SELECT sqlcipher_export('plaintext')")
        ws.db.execute("DETACH DATABASE plaintext")
    finally:
        ws.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "large"], default="small")
    parser.add_argument("--runs", type=int, default=5, help="start-up runs (median)")
    args = parser.parse_args(argv)
    size = SMALL if args.size == "small" else LARGE
    folder = Path(tempfile.mkdtemp(prefix="ppo-bench-"))
    try:
        store = folder / "bench.ppo"
        t = time.perf_counter()
        build(store, size)
        export_plain(store)
        print(
            f"PPO Panel benchmarks — {size.name}: {size.nominals:,} nominals, {size.sheets:,} sheets, "
            f"{size.meetings:,} meetings, {size.audit:,} audit entries "
            f"(built in {time.perf_counter() - t:.1f} s, {store.stat().st_size / 1e6:.0f} MB encrypted)"
        )
        print(
            f"{'figure':46} {'value':>10} {'baseline':>10} {'ratio':>7}  {'target':12} {'RSS MB':>7}  "
            "baseline is"
        )
        with XServer() as x:
            where = "Xvfb" if x.env else "offscreen: no Xvfb"
            ordinary, bare, ordinary_rss, _ = startup(store, args.runs, "start_ordinary", x.env)
            print(
                f"{f'start, ordinary store → unlock dialog ({where})':46} {ordinary:8.0f}ms {bare:8.0f}ms "
                f"{ordinary / bare:6.2f}×  {'≤ 1.3×':12} {ordinary_rss:7.0f}  bare PySide6 window, mapped"
            )
        app, bare, app_rss, _ = startup(store, args.runs)
        print(
            f"{'cold start → unlock dialog (offscreen)':46} {app:8.0f}ms {bare:8.0f}ms "
            f"{app / bare:6.2f}×  "
            f"{'≤ 1.5×':12} {app_rss:7.0f}  bare PySide6 window"
        )
        cache: dict[str, dict[str, float]] = {}
        for name, label, field, unit, target, meaning in ROWS:
            result = cache.get(name) or cache.setdefault(name, probe(name, store))
            value, base = result[field], result["baseline"]
            ratio = value / base if base else float("nan")
            print(
                f"{label:46} {value:8.1f}{unit} {base:8.2f}{unit} {ratio:6.2f}×  {target:12} "
                f"{result['rss_mb']:7.0f}  {meaning}"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
