"""A child process: every file of one kind (nominations CSV, workbook, transfer pack, backup bundle)
from a seeded corpus of hostile and mutated ones, each up to 10 MB, through the app's own entry point,
under a hard address-space cap; then a hypothesis fuzz target over the same entry point (edits to a
valid file: bytes flipped, cut, repeated, spliced), which shrinks any failure to its smallest file.
Prints one JSON line: how many were refused with a sentence, how many read, what failed any other
way, and the process's peak RSS."""

from __future__ import annotations

import io
import json
import random
import resource
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

CAP = 2 << 30  # a runaway allocation ends here as a MemoryError (reported), never the machine's memory
TEN_MB = 10 << 20
MUTANTS = 24
FUZZED = 40  # hypothesis examples per reader (fixed seed: the same files on every run)


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mutants(seed: bytes, rng: random.Random) -> Iterator[bytes]:
    """A valid file changed as a damaged copy or a hostile hand would: bytes flipped, cut short,
    a run repeated until the file is near 10 MB, a piece spliced in from elsewhere."""
    for n in range(MUTANTS):
        data = bytearray(seed)
        kind = n % 4
        if kind == 0:
            for _ in range(rng.randint(1, 40)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:
            data = data[: rng.randrange(1, len(data))]
        elif kind == 2:
            start = rng.randrange(len(data))
            piece = data[start : start + rng.randint(1, 4096)]
            at = rng.randrange(len(data))
            data[at:at] = piece * min(TEN_MB // max(len(piece), 1), 200_000)
        else:
            data[rng.randrange(len(data)) :] = rng.randbytes(rng.randint(1, 1 << 16))
        yield bytes(data[:TEN_MB])


EDITS = ("flip", "cut", "repeat", "splice")


def edited(seed: bytes, edits: list[tuple[int, str, bytes, int]]) -> bytes:
    """``seed`` with the fuzzer's edits: at a position, bytes flipped, the rest cut, a piece repeated
    (up to 10 MB in all), or bytes spliced in."""
    data = bytearray(seed)
    for at, how, piece, times in edits:
        at = at % (len(data) + 1)
        if how == "flip":
            data[at : at + len(piece)] = piece
        elif how == "cut":
            del data[at:]
        elif how == "repeat":
            run = bytes(data[at : at + max(len(piece), 1)])
            data[at:at] = run * min(times, TEN_MB // max(len(run), 1))
        else:
            data[at:at] = piece
    return bytes(data[:TEN_MB])


def fuzz(seed: bytes, enter: Callable[[Path, bytes], object], path: Path, examples: int) -> list[str]:
    """A hypothesis fuzz target over one reader: each edited file is read or refused with a sentence;
    anything else fails, shrunk to the smallest edit that does it (said by type, never by content)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from ppo_desktop.imports.sources import ImportProblem
    from ppo_desktop.services.workspace import ServiceError

    edit = st.tuples(st.integers(0, len(seed)), st.sampled_from(EDITS), st.binary(max_size=64),
                     st.integers(1, 200_000))  # fmt: skip

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.lists(edit, min_size=1, max_size=6))
    def target(edits: list[tuple[int, str, bytes, int]]) -> None:
        data = edited(seed, edits)
        path.write_bytes(data)
        try:
            enter(path, data)
        except (ServiceError, ImportProblem) as exc:
            assert str(exc).strip() and "Traceback" not in str(exc), "a refusal without a sentence"

    try:
        target()
    except Exception as exc:  # noqa: BLE001 - reported by type: the file may hold anything
        return [f"fuzz: {type(exc).__name__}"]
    finally:
        path.unlink(missing_ok=True)
    return []


def csv_corpus(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    good = (Path(__file__).parents[1] / "fixtures" / "imports" / "good.csv").read_bytes()
    header = good.splitlines()[0] + b"\n"
    yield "random bytes", rng.randbytes(TEN_MB)
    yield "a quote never closed", header + b'"' + b"x" * (TEN_MB - len(header) - 1)
    yield "2,000 columns a row", header + b"\n".join([b",".join([b"v"] * 2000)] * 2000)
    rows = (b"A%d,B,01/01/1990,P,Police,C&C,x" % i for i in range(200_000))
    yield "200,000 short rows", header + b"\n".join(rows)
    yield "NULs", header + bytes(TEN_MB // 2)
    yield "one line of 9 MB", header + b"A" * (9 << 20)
    for n, data in enumerate(mutants(good * 50, rng)):
        yield f"mutant {n}", data


def workbook() -> bytes:
    """A valid nominations workbook of 300 fictional rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Surname", "Forenames", "DOB", "PNC", "Agency", "Strand", "Reason"])
    for i in range(300):
        sheet.append([f"Fictional{i}", "Test", "01/01/1990", "", "Police", "C&C", "x"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_corpus(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    seed = workbook()
    yield "random bytes", rng.randbytes(TEN_MB)
    wide = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed)) as source, zipfile.ZipFile(wide, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("sheet1.xml"):  # one row, 100,000 cells
                row = "".join(f'<c r="A1" t="inlineStr"><is><t>{i}</t></is></c>' for i in range(100_000))
                data = data.replace(b"<sheetData>", f"<sheetData><row r=\"1\">{row}</row>".encode(), 1)
            out.writestr(item, data)
    yield "a row of 100,000 cells", wide.getvalue()
    for n, data in enumerate(mutants(seed, rng)):
        yield f"mutant {n}", data


def with_random(seed: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    yield "random bytes", rng.randbytes(TEN_MB)
    for n, data in enumerate(mutants(seed, rng)):
        yield f"mutant {n}", data


def run(kind: str, folder: Path) -> dict[str, object]:
    from db.device import DeviceSecrets
    from db.keyfile import KdfCost
    from ppo_desktop.imports.nominations import NominationImport
    from ppo_desktop.imports.sources import ImportProblem
    from ppo_desktop.services.backups import Backups, restore
    from ppo_desktop.services.session import create_store
    from ppo_desktop.services.transfer import Transfer
    from ppo_desktop.services.workspace import ServiceError

    rng = random.Random(f"hostile {kind}")
    ws, _ = create_store(folder / "panel", user_id="admin", display_name="Test Admin",
                         passphrase="admin passphrase 1", partnership="Testshire CSP (TEST)",
                         device=DeviceSecrets(None), cost=KdfCost(n=2**10))  # fmt: skip
    corpus: Iterator[tuple[str, bytes]]
    enter: Callable[[Path, bytes], object]
    seed: bytes
    if kind == "csv":
        seed = (Path(__file__).parents[1] / "fixtures" / "imports" / "good.csv").read_bytes()
        corpus = csv_corpus(rng)
        enter = lambda path, _data: NominationImport(ws).plan(path)  # noqa: E731
    elif kind == "xlsx":
        corpus, seed = xlsx_corpus(rng), workbook()
        enter = lambda path, _data: NominationImport(ws).plan(path)  # noqa: E731
    elif kind == "pack":
        from ppo_desktop.services.cases import Cases, NominalDraft

        person = Cases(ws).add_nominal(NominalDraft("Fictional", "Test")).record.id
        key = Transfer(ws).keys.public_key()
        seed = Transfer(ws).export([person], recipient_key=key, recipient="Test", justification="Test")
        corpus = with_random(seed, rng)
        enter = lambda _path, data: Transfer(ws).plan(data)  # noqa: E731
    else:
        info = Backups(ws).backup(folder)
        seed = info.path.read_bytes()
        corpus = with_random(seed, rng)

        def enter(path: Path, _data: bytes) -> object:
            target = folder / f"restored-{path.stem}"
            restored = restore(path, target / "panel.ppo", passphrase="admin passphrase 1",
                               device=DeviceSecrets(None))  # fmt: skip
            restored.close()
            return restored

    suffix = {"csv": ".csv", "xlsx": ".xlsx", "pack": ".ppopack", "backup": ".ppobackup"}[kind]
    refused, read, unexpected = 0, 0, []
    for n, (name, data) in enumerate(corpus):
        path = folder / f"input-{n}{suffix}"
        path.write_bytes(data)
        try:
            enter(path, data)
        except (ServiceError, ImportProblem) as exc:
            refused += 1
            if not str(exc).strip() or "Traceback" in str(exc):
                unexpected.append(f"{name}: a refusal without a sentence")
        except Exception as exc:  # noqa: BLE001 - what the person would see as "unexpected error"
            unexpected.append(f"{name}: {type(exc).__name__}")
        else:
            read += 1
        path.unlink()
    unexpected += fuzz(seed, enter, folder / f"fuzzed{suffix}", FUZZED)
    ws.close()
    return {"kind": kind, "refused": refused, "read": read, "unexpected": unexpected, "fuzzed": FUZZED,
            "rss_mb": peak_rss_mb()}  # fmt: skip


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))
    print(json.dumps(run(sys.argv[1], Path(sys.argv[2]))))
