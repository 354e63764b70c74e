"""What a front end is given for an unlocked session: the services (each made once, on first use)
and a status object — never the Workspace, its database or its vault (issue 23, "one door").

``ui/`` reaches the store only through these, so a screen cannot write without the service's
transaction and audit entry; tests/test_layering.py refuses ``ws`` and ``Workspace`` in ``ui/``
outside the few modules that open a store and hand it here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property
from typing import Any

from ppo_desktop.domain import AuditEntry, Strand, User
from ppo_desktop.imports.counts import CountsImport
from ppo_desktop.imports.nominations import NominationImport
from ppo_desktop.imports.offence_history import OffenceImport
from ppo_desktop.projection import ProjectorPolicy
from ppo_desktop.rules.profiles import SchemeProfile
from ppo_desktop.services import integrity, settings
from ppo_desktop.services.actions import Actions
from ppo_desktop.services.backups import Backups
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.cohort_years import CohortYears
from ppo_desktop.services.custody import Custody
from ppo_desktop.services.decisions import Decisions
from ppo_desktop.services.documents import Documents
from ppo_desktop.services.drafts import Drafts
from ppo_desktop.services.exports import Exports
from ppo_desktop.services.imports import Imports
from ppo_desktop.services.meeting_record import MeetingRecord
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.offences import Offences
from ppo_desktop.services.performance import Performance
from ppo_desktop.services.person_merge import PersonMerge
from ppo_desktop.services.pools import Pools
from ppo_desktop.services.retention import Retention
from ppo_desktop.services.risk_scores import RiskScores
from ppo_desktop.services.room import Room
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.session import reenrol
from ppo_desktop.services.settings import Settings
from ppo_desktop.services.subject_access import SubjectAccess
from ppo_desktop.services.transfer import Transfer
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import Progress, StoreStatus, Workspace


class SessionStatus:
    """Who is signed in, the day, the partnership's profile and policy, and the store's state — read
    only, except for the session's own end (``close``) and an administrator's acknowledgement."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    @property
    def user(self) -> User:
        return self._ws.user

    def today(self) -> dt.date:
        return self._ws.today()

    def profile(self) -> SchemeProfile:
        return self._ws.profile()

    def projector_policy(self) -> ProjectorPolicy:
        return self._ws.projector_policy()

    def setting(self, key: str) -> str:
        """A partnership setting a screen shows (marking, page size…), or its default."""
        return settings.value(self._ws, key)

    @property
    def partnership(self) -> str:
        return self._ws.setting("partnership", "PPO Panel")

    def store(self) -> StoreStatus:
        return self._ws.status()

    @property
    def is_open(self) -> bool:
        return self._ws.is_open

    @property
    def blocked(self) -> str:
        """Why nothing may be written (a failed check at unlock), or ""."""
        return self._ws.blocked

    def lock_minutes(self) -> int:
        return settings.lock_minutes(self._ws)

    def language(self) -> str:
        return settings.language(self._ws)

    def backup_days(self) -> int:
        return settings.backup_days(self._ws)

    def record_log_end(self) -> None:
        """After long work a worker committed: the anchor moves to the audit log's new end."""
        if self._ws.is_open:
            self._ws.advance_anchor()

    def acknowledge(self, reason: str) -> None:
        """An administrator has looked at a failed check (see ``integrity.acknowledge``)."""
        integrity.acknowledge(self._ws, reason)

    def reenrol(self, user_id: str, new_passphrase: str) -> None:
        """A new passphrase for a user after a recovery-key unlock (see ``session.reenrol``)."""
        reenrol(self._ws, user_id, new_passphrase)

    def close(self) -> None:
        self._ws.close()


class AuditTrail:
    """The audit log as the Audit screen reads it: searched, and its chain checked on a worker.
    (Entries are written only by the services, inside the transaction of what they record.)"""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def users(self) -> list[str]:
        return self._ws.audit.users()

    def search(self, **criteria: Any) -> list[AuditEntry]:
        """Entries by person, user, kind and period, newest first (``AuditLog.search``'s criteria)."""
        return self._ws.audit.search(**criteria)

    def chain_check(self, progress: Progress | None = None) -> Callable[[], str]:
        """For a worker: the whole audit chain verified on a connection of its own (``progress`` may
        stop it)."""
        return self._ws.chain_check(progress)


class Services:
    """Every service a screen uses, made on first use and kept for the session."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self.status = SessionStatus(ws)

    def counts_import(self, kind: str) -> CountsImport:
        return CountsImport(self._ws, kind)

    def nomination_import(self, strand: Strand | None) -> NominationImport:
        return NominationImport(self._ws, strand)

    def offence_import(self) -> OffenceImport:
        return OffenceImport(self._ws)

    @cached_property
    def actions(self) -> Actions:
        return Actions(self._ws)

    @cached_property
    def audit(self) -> AuditTrail:
        return AuditTrail(self._ws)

    @cached_property
    def backups(self) -> Backups:
        return Backups(self._ws)

    @cached_property
    def cases(self) -> Cases:
        return Cases(self._ws)

    @cached_property
    def cohort_years(self) -> CohortYears:
        return CohortYears(self._ws)

    @cached_property
    def custody(self) -> Custody:
        return Custody(self._ws)

    @cached_property
    def decisions(self) -> Decisions:
        return Decisions(self._ws)

    @cached_property
    def documents(self) -> Documents:
        return Documents(self._ws)

    @cached_property
    def drafts(self) -> Drafts:
        return Drafts(self._ws)

    @cached_property
    def exports(self) -> Exports:
        return Exports(self._ws)

    @cached_property
    def imports(self) -> Imports:
        return Imports(self._ws)

    @cached_property
    def meetings(self) -> Meetings:
        return Meetings(self._ws)

    @cached_property
    def memberships(self) -> Memberships:
        return Memberships(self._ws)

    @cached_property
    def nominations(self) -> Nominations:
        return Nominations(self._ws)

    @cached_property
    def offences(self) -> Offences:
        return Offences(self._ws)

    @cached_property
    def performance(self) -> Performance:
        return Performance(self._ws)

    @cached_property
    def person_merge(self) -> PersonMerge:
        return PersonMerge(self._ws)

    @cached_property
    def pools(self) -> Pools:
        return Pools(self._ws)

    @cached_property
    def record(self) -> MeetingRecord:
        return MeetingRecord(self._ws)

    @cached_property
    def retention(self) -> Retention:
        return Retention(self._ws)

    @cached_property
    def risk_scores(self) -> RiskScores:
        return RiskScores(self._ws)

    @cached_property
    def room(self) -> Room:
        return Room(self._ws)

    @cached_property
    def score_sheets(self) -> ScoreSheets:
        return ScoreSheets(self._ws)

    @cached_property
    def settings(self) -> Settings:
        return Settings(self._ws)

    @cached_property
    def subject_access(self) -> SubjectAccess:
        return SubjectAccess(self._ws)

    @cached_property
    def transfer(self) -> Transfer:
        return Transfer(self._ws)

    @cached_property
    def users(self) -> Users:
        return Users(self._ws)
