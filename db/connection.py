"""Open an SQLCipher 4 connection with the house connection profile, and check it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlcipher3

from db.errors import N_, StoreDamaged, VaultError

PAGE_SIZE = 4096
# Raw 256-bit key, SQLCipher 4 defaults pinned explicitly so a future library default cannot drift.
PROFILE = (
    "PRAGMA cipher_compatibility = 4",
    f"PRAGMA cipher_page_size = {PAGE_SIZE}",
    "PRAGMA cipher_hmac_algorithm = HMAC_SHA512",
)
AFTER_KEY = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    # Decrypted pages are kept in SQLite's cache (the OS caches only ciphertext): 64 MiB keeps a
    # large store's working set decrypted once rather than on every query.
    "PRAGMA cache_size = -65536",
)
DatabaseError = sqlcipher3.DatabaseError


def connect(path: Path, data_key: bytes) -> sqlcipher3.Connection:
    """Open ``path`` with ``data_key``; raise StoreDamaged if the key is right but the file is not."""
    conn = sqlcipher3.connect(str(path), check_same_thread=True)
    try:
        _keyed(conn, data_key)
        for pragma in AFTER_KEY:
            conn.execute(pragma)
        verify_profile(conn)
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise StoreDamaged(
            N_(
                "The store {name} is damaged: the key is right but the file cannot be read ({exc}). "
                "Restore it from a backup."
            ),
            name=path.name,
            exc=exc,
        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def connect_read_only(path: Path, data_key: bytes, *, immutable: bool = False) -> sqlcipher3.Connection:
    """A read-only connection: a second one for checks on a worker thread, or the only one for a
    store in a place that cannot be written (``immutable``: no WAL index or lock files are made)."""
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    conn = sqlcipher3.connect(f"file:{path}?{flags}", uri=True, check_same_thread=True)
    try:
        _keyed(conn, data_key)
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise StoreDamaged(
            N_("The store {name} cannot be read for its check ({exc})."), name=path.name, exc=exc
        ) from exc
    return conn


def _keyed(conn: sqlcipher3.Connection, data_key: bytes) -> None:
    """The key given, the profile set, and the first page read (a wrong key or a damaged file fails here)."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
    for pragma in PROFILE:
        conn.execute(pragma)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def verify_profile(conn: sqlcipher3.Connection) -> None:
    """Assert the profile really took effect (a pragma that silently fails is a security bug)."""
    expected = {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "temp_store": 2,
        "secure_delete": 1,
    }
    for name, want in expected.items():
        got = conn.execute(f"PRAGMA {name}").fetchone()[0]
        if got != want:
            raise VaultError(
                N_("The store connection could not be secured: PRAGMA {name} is {got!r}, not {want!r}."),
                name=name,
                got=got,
                want=want,
            )


def quick_check(conn: sqlcipher3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


@contextlib.contextmanager
def stoppable(
    conn: sqlcipher3.Connection, ask: Callable[[], None] | None, every: int = 50_000
) -> Iterator[None]:
    """Statements on ``conn`` that ``ask`` may stop: SQLite calls it every ``every`` steps, and an
    exception it raises interrupts the statement and is raised here in the statement's place."""
    if ask is None:
        yield
        return
    raised: list[BaseException] = []

    def handler() -> int:
        try:
            ask()
        except BaseException as exc:  # noqa: BLE001 - raised again below, in the statement's place
            raised.append(exc)
            return 1  # interrupts the statement
        return 0

    conn.set_progress_handler(handler, every)
    try:
        yield
    except sqlcipher3.OperationalError:
        if raised:
            raise raised[0] from None
        raise
    finally:
        conn.set_progress_handler(None, 0)
    if raised:
        raise raised[0]


def integrity_check(conn: sqlcipher3.Connection) -> list[str]:
    problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    problems = [] if problems == ["ok"] else problems
    problems += [r[0] for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    return problems
