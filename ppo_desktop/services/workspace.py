"""An unlocked store plus who is using it: the context every service works in."""

from __future__ import annotations

import contextlib
import datetime as dt
import platform
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlite_utils import Database

from db.errors import StoreFull, StoreIOError, StoreReadOnly
from db.vault import Vault
from ppo_desktop import clock as system_clock
from ppo_desktop.audit import AuditLog
from ppo_desktop.domain import Role, User
from ppo_desktop.i18n import _
from ppo_desktop.projection import ProjectorPolicy, policy_from_setting
from ppo_desktop.rules import profiles
from ppo_desktop.rules.profiles import SchemeProfile

Clock = system_clock.Clock
T = TypeVar("T")
# Long work says how far it has got: (what it is doing, done, out of). Called on the thread doing the
# work; the one waiting may stop it by raising Stopped from here (the transaction then rolls back).
Progress = Callable[[str, int, int], None]


def _unheard(_stage: str, _done: int, _total: int) -> None:
    pass


class ServiceError(Exception):
    """A request the panel's rules refuse; ``str()`` is the message for the user."""


class PermissionDenied(ServiceError):
    pass


class StoreBlocked(ServiceError):
    """The store failed a check at unlock; nothing is written until an administrator acknowledges it."""


class Stopped(ServiceError):
    """Long work stopped by the person waiting for it (Cancel): its transaction rolled back."""


class NotSaved(ServiceError):
    """The store could not take the change (disk full, read-only, a disk error): it was rolled back,
    and what the person typed should be kept for them to try again."""


OUTSIDE, OUTSIDE_WHERE = "outside", "outside PPO Panel"  # who changed what the app did not


class Topic(StrEnum):
    """What a change can touch, as screens watch it: the tables, and two topics that are not tables —
    a draft score sheet saved as it is typed (screens showing records leave it alone) and the audit
    log. A topic not declared here is refused, so a typo never silently stops a screen refreshing."""

    NOMINALS = "nominals"
    MEMBERSHIPS = "memberships"
    PERSON_EVENTS = "person_events"
    NOMINATIONS = "nominations"
    ACTIONS = "actions"
    SCORE_SHEETS = "score_sheets"
    SCORE_DRAFTS = "score_drafts"
    SENTENCES = "sentences"
    CASE_FACTS = "case_facts"
    MEETINGS = "meetings"
    ATTENDANCE = "attendance"
    ATTENDANCE_MOVES = "attendance_moves"
    AGENDA_ITEMS = "agenda_items"
    DECISIONS = "decisions"
    MEETING_AMENDMENTS = "meeting_amendments"
    USERS = "users"
    SETTINGS = "settings"
    COHORT_YEARS = "cohort_years"
    CONVICTIONS = "convictions"
    AUDIT = "audit"
    ACCESS_RESTRICTIONS = "access_restrictions"
    OFFENCES = "offences"
    LEGAL_HOLDS = "legal_holds"
    RISK_SCORES = "risk_scores"


def as_topics(names: Iterable[str]) -> frozenset[Topic]:
    """``names`` as topics; ValueError naming any that is not one."""
    found = frozenset(names)
    unknown = sorted(n for n in found if n not in Topic.__members__.values())
    if unknown:
        raise ValueError(_("not a change topic: {join} (see Topic)").format(join=", ".join(unknown)))
    return frozenset(Topic(n) for n in found)


@dataclass(frozen=True)
class Changes:
    """What a mutation touched, so each screen refreshes only what it shows (Anki's OpChanges)."""

    topics: frozenset[Topic] = field(default_factory=frozenset)  # typed (mypy) and checked on creation
    nominal_ids: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "topics", as_topics(self.topics))

    @classmethod
    def of(cls, *tables: Topic, nominal_id: int | None = None) -> Changes:
        return cls(frozenset(tables), frozenset({nominal_id} if nominal_id is not None else set()))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.topics | other.topics, self.nominal_ids | other.nominal_ids)

    def made(self, record: T) -> Made[T]:
        """These changes, carrying the record they made or changed (as it now is)."""
        return Made(self.topics, self.nominal_ids, record=record)


@dataclass(frozen=True, kw_only=True)
class Made(Changes, Generic[T]):
    """What a service writer returns when it made or changed one record: the changes, and the record."""

    record: T


@dataclass(frozen=True)
class StoreStatus:
    """What the screens may know of the store itself (they never reach the vault)."""

    open: bool
    read_only: str  # why it is open read-only, "" when writable
    name: str  # the store file's name
    store_path: str
    key_path: str
    device_bound: bool  # passphrase + this computer's keyring
    schema_version: int
    unlocked_by: str  # the key slot used, or "recovery"
    by_recovery_key: bool = False


WRITER_ROLES = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.CHAIR})


class Workspace:
    def __init__(
        self, vault: Vault, user: User, *, clock: Clock | None = None, workstation: str | None = None
    ) -> None:
        self.vault = vault
        self.user = user
        self._clock = clock or system_clock.now
        self.audit = AuditLog(
            vault.db, vault.derive_key("audit-chain"), user.id, workstation or platform.node() or "unknown"
        )
        # Why nothing may be written (a failed check at unlock, see services.integrity), or "".
        self.blocked = ""
        self._depth = 0  # transactions open (nested ones are savepoints of the outermost)
        self.progress: Progress = _unheard  # long work reports here (see ``on_worker``)
        self._moves_anchor = True  # False for a worker's copy: the thread that owns the store moves it

    @property
    def db(self) -> Database:
        return self.vault.db

    @property
    def is_open(self) -> bool:
        """Whether the store is still open (no query: for paths that run often, like autosave)."""
        return self.vault.is_open

    def status(self) -> StoreStatus:
        vault = self.vault
        is_open = vault.is_open
        return StoreStatus(
            open=is_open,
            read_only=vault.read_only,
            name=vault.paths.store.name,
            store_path=str(vault.paths.store),
            key_path=str(vault.paths.keyfile),
            device_bound=vault.device_bound,
            schema_version=vault.schema_version() if is_open else 0,
            unlocked_by=vault.unlocked_by,
            by_recovery_key=vault.by_recovery_key,
        )

    def integrity_check(self) -> list[str]:
        """SQLite's full integrity check of the store (the self-test's last word)."""
        return self.vault.integrity_check()

    def now(self) -> dt.datetime:
        return self._clock()

    def today(self) -> dt.date:
        return self.now().date()

    def require(self, what: str, roles: frozenset[Role] = WRITER_ROLES) -> None:
        """Refuse ``what`` to a user whose role does not include it (e.g. bulk exports of personal
        data are for coordinators, chairs and administrators, not panel members)."""
        if self.user.role not in roles:
            raise PermissionDenied(
                _("{what} is not open to a {replace}.").format(
                    what=what, replace=self.user.role.value.replace("-", " ")
                )
            )

    @contextlib.contextmanager
    def writing(self, *roles: Role) -> Iterator[Database]:
        """One transaction for a change and its audit entry; refuses users without a writer role."""
        allowed = frozenset(roles) or WRITER_ROLES
        if self.user.role not in allowed:
            raise PermissionDenied(
                _("{display_name} ({role}) may not make this change.").format(
                    display_name=self.user.display_name, role=self.user.role
                )
            )
        with self.transaction() as db:
            yield db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One transaction (audit entries included); a store that cannot take it says why."""
        if self.blocked:
            raise StoreBlocked(
                _(
                    "Nothing can be saved: the store failed its check at unlock ({blocked}). An "
                    "administrator must look at it and acknowledge it (Audit → Acknowledge)."
                ).format(blocked=self.blocked)
            )
        self._depth += 1
        try:
            with self.vault.transaction() as db:
                self._sign_changes(db)
                yield db
                if self._depth == 1:
                    self._unsign_changes(db)
        except (StoreFull, StoreReadOnly, StoreIOError) as exc:
            raise NotSaved(str(exc)) from exc
        finally:
            self._depth -= 1
        if self._depth == 0 and self._moves_anchor:
            self.advance_anchor()

    def on_worker(self, work: Callable[[Workspace], T], progress: Progress | None = None) -> Callable[[], T]:
        """Long work (merging a pack, an import) as a job for a worker thread, so the window goes on
        answering: ``work`` is given a Workspace of its own — the same user, clock and workstation,
        the same failed check if there is one, on a connection the worker opens (connections are per
        thread) — and commits or rolls back there while this one goes on reading. ``progress`` hears
        how far it has got and may stop it (raise Stopped). Call ``advance_anchor`` here when it is
        done: the anchor (the key file, the keyring note) is moved only by the store's own thread."""
        open_on_worker = self.vault.for_worker()
        user, clock, workstation, blocked = self.user, self._clock, self.audit.workstation, self.blocked

        def job() -> T:
            vault = open_on_worker()
            try:
                ws = Workspace(vault, user, clock=clock, workstation=workstation)
                ws.blocked, ws._moves_anchor = blocked, False
                ws.progress = progress or _unheard
                return work(ws)
            finally:
                vault.close(checkpoint=False)

        return job

    @contextlib.contextmanager
    def anchored_once(self) -> Iterator[None]:
        """Many changes made in a row by the app itself (building the demo store), the anchor moved
        once at the end rather than after each (each move rewrites and syncs the key file)."""
        moves, self._moves_anchor = self._moves_anchor, False
        try:
            yield
        finally:
            self._moves_anchor = moves
        self.advance_anchor()

    def advance_anchor(self) -> None:
        """Record where the audit log ends now — after every committed change, not only at a clean
        close — so that entries cut from its end after a crash (kill -9, power) are noticed too.
        The anchor only moves forward, and not at all while a failed check stands."""
        with contextlib.suppress(Exception):  # a damaged or read-only store still works as before
            now, before = self.audit.anchor(), self.vault.anchor
            if not self.blocked and not self.vault.read_only and now.get("seq", 0) > before.get("seq", 0):
                self.vault.set_anchor(now)

    def _sign_changes(self, db: Database) -> None:
        """Who, where and when for the change triggers (they stamp what this transaction changes)."""
        db.execute(
            "UPDATE sync_clock SET store = ?, user_id = ?, workstation = ?, at = ?",
            [self.vault.store_id, self.user.id, self.audit.workstation, self.now().isoformat("T", "seconds")],
        )

    def _unsign_changes(self, db: Database) -> None:
        """At the end of each change: whatever changes the store next without the app (raw SQL with
        the data key) is stamped as done outside it, never as the last user's (it travelled to the
        other laptop "by k.coord")."""
        db.execute("UPDATE sync_clock SET user_id = ?, workstation = ?, at = ''", [OUTSIDE, OUTSIDE_WHERE])

    def insert(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row (inside the caller's transaction) and return its id."""
        pk = self.db.table(table).insert(values).last_pk
        assert pk is not None
        return int(pk)

    def row(self, table: str, row_id: object, what: str) -> dict[str, Any]:
        """One row by id, or a ServiceError naming what is missing."""
        found = list(self.db.query(f"SELECT * FROM {table} WHERE id = ?", [row_id]))
        if not found:
            raise ServiceError(_("There is no {what} with id {row_id}.").format(what=what, row_id=row_id))
        return found[0]

    def setting(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else default

    def profile(self) -> SchemeProfile:
        """The scheme profile the partnership picked in Settings (Thurrock 2009/11 until then)."""
        return profiles.get(self.setting("profile", profiles.DEFAULT_PROFILE))

    def projector_policy(self) -> ProjectorPolicy:
        return policy_from_setting(self.setting("projector_policy"))

    def close(self) -> None:
        """Record where the audit log ends (so a shortened log is noticed), then close the store."""
        self.advance_anchor()
        self.vault.close()

    def chain_check(self, progress: Progress | None = None) -> Callable[[], str]:
        """For a worker: the whole audit chain verified on a read-only connection of its own (the
        window goes on answering, however long the log); returns what was found, in words.
        ``progress`` hears how far it has got, and may stop it (raise Stopped)."""
        key = self.vault.derive_key("audit-chain")
        heard = progress or _unheard

        def check(conn: Any) -> list[str]:
            total = int(conn.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0])
            log = AuditLog(Database(conn), key, "", "")
            return [str(log.verify(lambda n: heard("Checking the audit chain", n, total)))]

        job = self.vault.background_check(check)
        return lambda: "; ".join(job())

    def background_checks(self) -> Callable[[], list[str]]:
        """For a worker: the store's quick check, the whole audit chain and its anchor, on a
        read-only connection of its own. Returns the problems found."""
        key, anchor = self.vault.derive_key("audit-chain"), self.vault.anchor

        def audit_checks(conn: Any) -> list[str]:
            log = AuditLog(Database(conn), key, "", "")
            report = log.verify()
            problems = [] if report.ok else [str(report)]
            cut = log.check_anchor(anchor) if report.ok else ""
            return problems + ([cut] if cut else [])

        return self.vault.background_check(audit_checks)
