"""Transfer packs: two laptops keep one record (issue 14).

The coordinator sends a meeting's cases to the chair's laptop; the chair sends the outcome back.
A pack carries what changed since the last exchange with that store (everything in scope the
first time): new records and changes to existing ones, each field with its version vector, so the
merge can tell a newer value from a conflict (see ``services.exchange`` and ``transfer.sync``).

Export is a disclosure (recipient and justification recorded first). Import decrypts and checks,
then matches each person not yet known here with the nomination import's rules (the same PNC id or
CRO number, the same name and date of birth) and puts possible duplicates — and conflicts — to a
person. The merge is one transaction; merging the same pack twice changes nothing the second time,
and packs merged out of order reach the same state.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import DecisionKind
from ppo_desktop.i18n import _
from ppo_desktop.imports.nominations import PersonIndex
from ppo_desktop.scoring import Definition
from ppo_desktop.services import passphrases, witness
from ppo_desktop.services.cases import NominalDraft
from ppo_desktop.services.documents import Document, Documents
from ppo_desktop.services.exchange import LABEL, Exchange
from ppo_desktop.services.merge import PROGRESS_EVERY, Conflict, Merge, Outcome, Writing
from ppo_desktop.services.person_history import PersonHistory
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.transfer_keys import TransferKeys
from ppo_desktop.services.witness import Witness
from ppo_desktop.services.workspace import Changes, Progress, ServiceError, Workspace, as_topics
from ppo_desktop.transfer import pack
from ppo_desktop.transfer.checks import RecordChecks, check_details
from ppo_desktop.transfer.pack import PackError
from ppo_desktop.transfer.sync import TABLES, entity

FORMAT = 3  # 3: nominations, sentences and case facts travel as history events
MERGED = as_topics({"agenda_items", *TABLES})  # what a merge touches: checked as topics on import
ERASED_ELSEWHERE = "erased on the other laptop after its retention review"
BATCH = 2000  # records reconciled, then written, at a time (a whole store's pack is never held whole)
NOMINAL_COLUMNS = ("family_name", "given_names", "aliases", "dob", "gender", "ethnicity", "address", "pnc_id",
                   "cro", "area")  # fmt: skip
PLURAL = {"nominals": "people", "meetings": "meetings", "agenda_items": "agenda items",
          "person_events": "history events",
          "score_sheets": "score sheets",
          "attendance": "attendance records", "attendance_moves": "comings and goings", "actions": "actions",
          "decisions": "decisions",
          "meeting_amendments": "amendments"}  # fmt: skip


@dataclass(frozen=True)
class PersonFate:
    number: int  # the person's place in the pack, from 1
    uid: str
    name: str
    fate: str  # "new", "matched", "possible-duplicate"
    message: str
    nominal_id: int | None = None


@dataclass(frozen=True)
class Preview:
    """What merging would do, as a person is told before saying yes (kept small: a whole store's
    pack is merged again, record by record, when they do)."""

    counts: Mapping[str, int] = field(default_factory=dict)  # new or changed records, by table
    deselections: int = 0
    erased: int = 0  # people erased on the other laptop (put to review here)
    conflicts: tuple[Conflict, ...] = ()

    @classmethod
    def of(cls, tally: Tally) -> Preview:
        return cls(dict(tally.counts), tally.deselections, tally.erased, tuple(tally.conflicts))


@dataclass
class Tally:
    """What merging a pack would do, counted as its records are reconciled (the outcomes themselves
    are not kept: a whole store's pack is read a record at a time)."""

    counts: dict[str, int] = field(default_factory=dict)  # new and changed records, by kind
    deselections: int = 0
    erased: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    def add(self, o: Outcome) -> None:
        self.conflicts.extend(o.conflicts)
        self.erased += o.table == "nominals" and o.left_out == ERASED_ELSEWHERE
        deselecting = o.create and o.changes.get("kind") == DecisionKind.DESELECT
        self.deselections += o.table == "decisions" and deselecting
        if not o.left_out and (o.create or o.delete or o.changes or o.conflicts):
            self.counts[o.table] = self.counts.get(o.table, 0) + 1


@dataclass(frozen=True)
class TransferPlan:
    opened: pack.Opened  # the pack, opened: its details, and its records read one at a time
    people: tuple[PersonFate, ...]
    fingerprint: str = ""  # the sending store's signing key, as checked
    first_exchange: bool = False  # no key known for that store yet: this one will be pinned
    preview: Preview = field(default_factory=Preview)  # people not yet decided taken as new
    rollbacks: tuple[str, ...] = ()  # what the pack's chain head says about either store's audit log

    @property
    def payload(self) -> dict[str, Any]:
        """The transfer's details (who sent it, how far it goes, its disclosures and chain head)."""
        return self.opened.payload

    def records(self) -> Iterator[object]:
        return self.opened.records()

    @property
    def sender(self) -> str:
        return sender_of(self.payload)

    @property
    def signed_by(self) -> str:
        pinned = (
            "first exchange with this store: its key will be remembered"
            if self.first_exchange
            else "known key"
        )
        return f"signed by the sending store's key {self.fingerprint} ({pinned})"

    @property
    def conflicts(self) -> list[Conflict]:
        return list(self.preview.conflicts)

    def summary(self) -> str:
        """What the pack brings, as a person is told before merging it, e.g. '3 decisions,
        1 de-selection, 4 actions, 1 conflict'."""
        parts = []
        if self.people:
            fates = {
                f: sum(1 for p in self.people if p.fate == f)
                for f in ("new", "matched", "possible-duplicate")
            }
            parts.append(
                f"{len(self.people)} people ({fates['new']} new, {fates['matched']} matched, "
                f"{fates['possible-duplicate']} possible duplicates)"
            )
        counts = self.preview.counts
        for table in TABLES[1:]:
            if counts.get(table):
                parts.append(
                    f"{counts[table]} {PLURAL[table] if counts[table] > 1 else LABEL[table].lower()}"
                )
                if table == "decisions" and (n := self.preview.deselections):
                    parts.append(f"{n} de-selection{'s' if n > 1 else ''}")
        if erased := self.preview.erased:
            parts.append(f"{erased} erased on the other laptop (review under Retention here)")
        if self.conflicts:
            n = len(self.conflicts)
            parts.append(f"{n} conflict{'s' if n > 1 else ''}")
        agenda = " and an agenda" if self.payload.get("meeting") else ""
        text = f"From {self.sender}{agenda}: {', '.join(parts) or 'nothing new for this laptop'}"
        return "".join((text, *(f". WARNING — {r}" for r in self.rollbacks)))


class Transfer:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.keys = TransferKeys(ws)
        self.exchange = Exchange(ws)
        self.merger = Merge(ws, self.exchange)

    # -- export ------------------------------------------------------------------------------------
    def partners(self) -> list[tuple[str, str]]:
        """The stores this one has exchanged packs with, most recent first: (store id, who)."""
        return [(p["store"], p["label"] or p["store"]) for p in self.exchange.partners()]

    def partner_of_meeting(self, meeting_id: int) -> str | None:
        """The store a meeting came from (where its outcome goes back to), if it came in a pack."""
        uid = self.exchange.uid("meetings", meeting_id)
        store = uid.split(":", 1)[0]
        return None if store == self.ws.vault.store_id else store

    def export(
        self,
        nominal_ids: Sequence[int],
        *,
        meeting_id: int | None = None,
        partner: str | None = None,
        passphrase: str | None = None,
        recipient_key: str | None = None,
        recipient: str,
        justification: str,
    ) -> bytes:
        """The sealed pack; the disclosure is recorded before the bytes are returned. With a
        ``partner`` (a store this one has exchanged with), the pack carries what changed since
        the last exchange with it, as well as the chosen people and meeting."""
        self.ws.require("A transfer pack (personal data in bulk)")
        if passphrase is not None and len(passphrase) >= pack.MIN_PASSPHRASE:  # (a shorter one: said below)
            passphrases.check_new(passphrase, passphrases.store_words(self.ws))
        ids = set(nominal_ids)
        if meeting_id is not None:
            self.ws.row("meetings", meeting_id, "meeting")
            ids |= {
                r[0]
                for r in self.ws.db.execute(
                    "SELECT nominal_id FROM agenda_items WHERE meeting_id = ? AND nominal_id IS NOT NULL",
                    [meeting_id],
                )
            }
        known = self.exchange.partner(partner) if partner else None
        if partner and known is None:
            raise ServiceError(
                _("This store has not exchanged packs with that store yet; send it a whole pack.")
            )
        if not ids and meeting_id is None and known is None:
            raise ServiceError(_("Choose the people (or the meeting) to put in the pack."))
        meetings = {meeting_id} if meeting_id is not None else set()
        if known is None:
            keys = self.exchange.scope(ids, meetings)
        else:  # what it has not got: new records of the people and meetings shared with it too
            shared = self.exchange.known_to(known["store"])
            ids |= {i for t, i in shared if t == "nominals"}
            meetings |= {i for t, i in shared if t == "meetings"}
            changed = self.exchange.changed_since(known["store"], int(known["acked"]))
            keys = (self.exchange.scope(ids, meetings) - shared) | changed
        upto = self.exchange.tick()
        records = self.exchange.records(keys)
        people = self._people_of(records)
        chain = Witness(self.ws).outgoing(known["store"] if known else None)
        payload = {
            "format": FORMAT,
            "from": {
                "store": self.ws.vault.store_id,
                "partnership": self.ws.setting("partnership"),
                "user": self.ws.user.display_name,
                "at": self.ws.now().isoformat(timespec="seconds"),
            },
            "to": known["store"] if known else None,
            "upto": upto,
            "ack": int(known["received"]) if known else None,
            "meeting": self.exchange.uid("meetings", meeting_id) if meeting_id is not None else None,
            "count": len(records),
            "records": records,
            "disclosures": self.exchange.disclosures(people),
            "chain": chain,
        }
        try:
            public = pack.parse_public_key(recipient_key) if recipient_key else None
            data = pack.seal(
                payload, signing_key=self.keys.signing_key(), passphrase=passphrase, recipient=public
            )
        except PackError as exc:
            raise ServiceError(str(exc)) from None
        how = "transfer pack for a public key" if public else "transfer pack protected by a passphrase"
        Documents(self.ws).disclose(
            Document(
                "transfer", f"Transfer pack ({len(people)} people)", lambda: data, tuple(sorted(people))
            ),
            how=how,
            recipient=recipient,
            justification=justification,
        )
        if known is not None:
            with self.ws.transaction():
                self.exchange.sent(known["store"], keys, upto)
                Witness(self.ws).sent(known["store"], chain, upto)
        return data

    def _people_of(self, records: Iterable[dict[str, Any]]) -> set[int]:
        found = set()
        for r in records:
            uid = r["uid"] if r["t"] == "nominals" else (r.get("v") or {}).get("nominal_id")
            if uid and (local := self.exchange.local(uid, "nominals")) is not None:
                found.add(local)
        return found

    # -- import --------------------------------------------------------------------------------------
    def planning(
        self, data: bytes, *, passphrase: str | None = None, progress: Progress | None = None
    ) -> Callable[[], TransferPlan]:
        """``plan`` as a job for a worker thread (a whole store's pack takes a while to read)."""
        return self.ws.on_worker(lambda ws: Transfer(ws).plan(data, passphrase=passphrase), progress)

    def merging(
        self, plan: TransferPlan, decisions: Mapping[int, int | None] | None = None, *,
        justification: str, resolutions: Mapping[str, str] | None = None, trusted: str = "",
        progress: Progress | None = None,
    ) -> Callable[[], Changes]:  # fmt: skip
        """``commit`` as a job for a worker thread, with progress; stopped, it merges nothing."""
        return self.ws.on_worker(
            lambda ws: Transfer(ws).commit(
                plan, decisions, justification=justification, resolutions=resolutions, trusted=trusted
            ),
            progress,
        )

    def plan(self, data: bytes, *, passphrase: str | None = None) -> TransferPlan:
        """Open the pack and say what would happen to each person and record; nothing is written.
        The records are read one at a time (a whole store's pack is never held whole)."""
        self.ws.progress("Opening the pack", 0, 0)
        private = self.ws.setting("transfer_private_key")
        try:
            opened = pack.open_pack(
                data, passphrase=passphrase, private=bytes.fromhex(private) if private else None
            )
            payload = opened.payload
            if payload.get("format") != FORMAT:
                raise PackError(
                    _(
                        "This pack was made by a different version of PPO Panel; ask the sender to make it "
                        "again with this version."
                    )
                )
            check_details(payload, own_store=self.ws.vault.store_id, exists=self._exists)
            chain = witness.parse(payload.get("chain"))
        except PackError as exc:
            raise ServiceError(str(exc)) from None
        sender = str(payload["from"]["store"])
        pinned = self.ws.setting(f"transfer_pin:{sender}")
        if pinned and pinned != opened.fingerprint:
            raise ServiceError(
                _(
                    "This pack says it comes from a store whose key this laptop knows as {pinned}, but it "
                    "is signed by {fingerprint}. It was not made there; nothing was merged."
                ).format(pinned=pinned, fingerprint=opened.fingerprint)
            )
        if not pinned:
            self._refuse_borrowed_name(sender, payload)
        tally, fates = Tally(), list[PersonFate]()
        for o in self._outcomes(opened, decided=None, fates=fates):
            tally.add(o)
        rollbacks = Witness(self.ws).preview(sender, sender_of(payload), chain, self._ack(payload))
        return TransferPlan(
            opened, tuple(fates), opened.fingerprint, not pinned, Preview.of(tally), tuple(rollbacks)
        )

    def _outcomes(
        self,
        opened: pack.Opened,
        *,
        decided: Mapping[str, int | None] | None,
        fates: list[PersonFate] | None = None,
        resolutions: Mapping[str, str] | None = None,
    ) -> Iterator[Outcome]:
        """What merging each record of the pack would do, a record at a time, each checked as it is
        read (PackError said as a ServiceError). The people come first in a pack: once they have been
        read, each not known here is matched (``fates``, at the plan) or taken as decided (``decided``:
        origin → local person or None, at the merge), and the rest follow."""
        read = _Read(ScoreSheets(self.ws))
        checks = RecordChecks(
            {t: self.exchange.fields(t) for t in TABLES}, read.sheets.catalogue, self.ws.vault.store_id,
            self._exists, again=decided is not None,
        )  # fmt: skip
        self.merger.start()
        people: dict[str, int | None] | None = None
        waiting: list[dict[str, Any]] = []  # the people, until all of them are read
        total = int(opened.payload.get("count") or 0)
        with self.exchange.remembering():
            try:
                for n, raw in enumerate(opened.records()):
                    if n % PROGRESS_EVERY == 0:
                        self.ws.progress("Comparing the pack's records with this laptop's", n, total)
                    record = checks.check(raw)
                    if record["t"] == "nominals" and people is None:
                        waiting.append(record)
                        continue
                    if people is None:
                        people = self._people(waiting, decided, fates)
                        yield from self._each(waiting, people, resolutions, read)
                        waiting = []
                    yield from self._each([record], people, resolutions, read)
            except PackError as exc:
                raise ServiceError(str(exc)) from None
            if people is None:
                people = self._people(waiting, decided, fates)
                yield from self._each(waiting, people, resolutions, read)

    def _people(
        self,
        records: list[dict[str, Any]],
        decided: Mapping[str, int | None] | None,
        fates: list[PersonFate] | None,
    ) -> dict[str, int | None]:
        """Each person in the pack not yet known here by origin, to the local person they are (None:
        new): as decided at the merge, or matched now (the plan), each fate said in ``fates``."""
        if decided is not None:
            return dict(decided)
        found = list(self._fates(records))
        if fates is not None:
            fates.extend(found)
        return {p.uid: p.nominal_id if p.fate == "matched" else None for p in found}

    def _each(
        self,
        records: list[dict[str, Any]],
        people: Mapping[str, int | None],
        resolutions: Mapping[str, str] | None,
        read: _Read,
    ) -> Iterator[Outcome]:
        for record in records:
            o = self.merger.reconcile(record, people, resolutions)
            self._keep_local(o, read)
            yield o

    def _ack(self, payload: dict[str, Any]) -> int | None:
        """What a pack addressed to this store says it has merged of ours (None: not addressed here)."""
        return payload.get("ack") if payload.get("to") == self.ws.vault.store_id else None

    def _refuse_borrowed_name(self, sender: str, payload: dict[str, Any]) -> None:
        """A store never seen, under the name of one this laptop exchanges with ("From h.chair …"):
        a pack's name is its own claim, and a new key claiming a known name is refused."""
        origin = payload.get("from", {})
        label = f"{origin.get('user', '?')} ({origin.get('partnership', '?')})"
        known = [p for p in self.exchange.partners() if p["store"] != sender and p["label"] == label]
        if known:
            raise ServiceError(
                _(
                    "This pack calls itself {label!r}, the name of a store this laptop exchanges with, but "
                    "it comes from a store and a key this laptop has never seen. It was not made there; "
                    "nothing was merged. Ask the sender to confirm their store's fingerprint."
                ).format(label=label)
            )

    def _fates(self, records: list[dict[str, Any]]) -> Iterable[PersonFate]:
        """Each person in the pack not known here by origin: new, matched, or a possible duplicate."""
        index = PersonIndex(self.ws)
        number = 0
        for record in records:
            if record["t"] != "nominals" or record.get("deleted"):
                continue
            number += 1
            n = record["v"]
            name = f"{str(n.get('family_name', '')).upper()}, {n.get('given_names', '')}"
            if self.exchange.local(record["uid"], "nominals") is not None:
                continue  # exchanged before: its changes are merged record by record
            found = index.match_draft(_draft(n), number)
            message = found.message.replace(f"Row {number}", name)
            yield PersonFate(number, record["uid"], name, found.fate, message, found.nominal_id)

    def _exists(self, kind: str, local_id: int) -> bool:
        """Whether a record of ``kind`` was made in this store (a pack may name only those)."""
        table = next((t for t in TABLES if entity(t) == kind), None)
        if table is None:
            return False
        here = self.ws.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [local_id]).fetchone()
        made_here = self.ws.db.execute(  # and deleted since: its deletion is what travels back
            "SELECT 1 FROM sync_fields WHERE tbl = ? AND row_id = ? AND field = ''", [table, local_id]
        ).fetchone()
        return here is not None or made_here is not None

    def commit(
        self,
        plan: TransferPlan,
        decisions: Mapping[int, int | None] | None = None,
        *,
        justification: str,
        resolutions: Mapping[str, str] | None = None,
        trusted: str = "",
    ) -> Changes:
        """Merge the pack: ``decisions`` says who each possible duplicate is (person number →
        local id, or None for a new person); ``resolutions`` picks a side for each conflict
        (its key → "here" or "there"). One transaction: all of it, or nothing. ``trusted``: on a
        first exchange with a store, the fingerprint a person compared with the one its sender reads
        out from their Settings — a new store's key is never taken on first use silently."""
        decisions = decisions or {}
        if not justification.strip():
            raise ServiceError(_("Merging a transfer pack needs the reason (recorded in the audit log)."))
        if plan.first_exchange and trusted.strip() != plan.fingerprint:
            raise ServiceError(
                _(
                    "This is the first pack from this store: compare its fingerprint ({fingerprint}) with "
                    "the one its sender reads out from their Settings, and confirm it. Nothing was merged."
                ).format(fingerprint=plan.fingerprint)
            )
        undecided = [
            p.number for p in plan.people if p.fate == "possible-duplicate" and p.number not in decisions
        ]
        if undecided:
            raise ServiceError(
                _("{len} possible duplicate(s) need a person's decision; nothing was merged.").format(
                    len=len(undecided)
                )
            )
        payload = plan.payload
        sender_store = str(payload["from"]["store"])
        with self.ws.writing():
            if plan.first_exchange:  # trust on first use: later packs from that store must match
                self.ws.db.table("settings").upsert(
                    {"key": f"transfer_pin:{sender_store}", "value": plan.fingerprint}, pk="key"
                )
            people: dict[str, int | None] = {}
            for fate in plan.people:
                who = decisions.get(fate.number, fate.nominal_id) if fate.fate != "new" else None
                people[fate.uid] = who
                if who is not None:
                    self.exchange.remember(fate.uid, "nominals", who)
            done, total = Done(), int(payload.get("count") or 0)
            writing = self.merger.writing(plan.sender, justification)
            batch: list[Outcome] = []
            for o in self._outcomes(plan.opened, decided=people, resolutions=resolutions):
                batch.append(o)
                if len(batch) >= BATCH:
                    self._write(batch, writing, resolutions, done, total)
                    batch = []
            self._write(batch, writing, resolutions, done, total)
            written = writing.finish()
            done.add(writing.deletions)
            PersonHistory(self.ws).project_many(done.people_to_derive(self.ws))
            shown = self.exchange.merge_disclosures(payload.get("disclosures", []), plan.sender)
            ack = self._ack(payload)
            chain = witness.parse(payload.get("chain"))
            Witness(self.ws).received(sender_store, plan.sender, chain, ack)
            self.exchange.received(sender_store, plan.sender, int(payload["upto"]), ack, done.merged)
            touched = sorted(done.people)
            self.ws.audit.record(
                AuditKind.COMBINATION,
                "transfer",
                sender_store,
                f"Transfer pack merged: {plan.summary()}",
                at=self.ws.now(),
                after={
                    "people": touched,
                    "written": written,
                    "disclosures": shown,
                    "conflicts": dict(sorted((resolutions or {}).items())),
                },  # fmt: skip
                justification=justification,
            )
        return Changes(MERGED, frozenset(touched))

    def _write(
        self, batch: list[Outcome], writing: Writing, resolutions: Mapping[str, str] | None, done: Done,
        total: int,
    ) -> None:  # fmt: skip
        """A batch of reconciled records written (any conflict without a choice stops the merge: its
        transaction is rolled back whole)."""
        unresolved = [
            c for o in batch for c in o.conflicts if (resolutions or {}).get(c.key) not in ("here", "there")
        ]
        if unresolved:
            raise ServiceError(
                _(
                    "{len} conflict(s) need a person's choice (this laptop's value or the pack's); nothing "
                    "was merged."
                ).format(len=len(unresolved))
            )
        self.ws.progress("Merging records", done.count, total)
        writing.batch(batch, self.merger.restoring(batch))
        done.add(o for o in batch if not o.delete)

    def _keep_local(self, o: Outcome, read: _Read) -> None:
        """What this laptop keeps whatever a pack says: a score sheet on a matrix this laptop does not
        have is left out, not guessed; a person erased on the other laptop after its retention
        review is not erased here by a pack — an administrator reviews them here (Retention)."""
        if o.delete and o.table == "nominals" and o.local_id is not None:
            read.erased.add(o.local_id)
        if o.delete and (o.table == "nominals" or o.before.get("nominal_id") in read.erased):
            o.left_out = ERASED_ELSEWHERE
        if o.create and o.table == "score_sheets":
            defn = self._matrix(read.sheets, o.changes)
            if defn is None:
                o.left_out = "scored on a matrix this laptop does not have"
            else:  # at the merge, its breakdown is the one worked out here on the same matrix
                if defn.hash not in read.registered:
                    read.sheets.register(defn)
                    read.registered.add(defn.hash)

    @staticmethod
    def _matrix(sheets: ScoreSheets, record: dict[str, Any]) -> Definition | None:
        try:
            defn = sheets.catalogue.get(record["matrix_id"], record["matrix_version"])
        except (KeyError, ValueError):
            return None
        return defn if defn.hash == record["matrix_hash"] else None


@dataclass
class _Read:
    """What reading a pack's records keeps as it goes."""

    sheets: ScoreSheets
    erased: set[int] = field(default_factory=set)  # the people the pack deletes, as read so far (first)
    registered: set[str] = field(default_factory=set)  # the matrices known to be recorded here, by hash


@dataclass
class Done:
    """What a merge wrote, kept small (ids, not records): for the exchange's bookkeeping, the people
    it touched, and whose history to derive again."""

    count: int = 0
    merged: list[tuple[str, int]] = field(default_factory=list)
    people: set[int] = field(default_factory=set)
    history: dict[str, list[int]] = field(default_factory=lambda: {"person_events": [], "decisions": []})

    def add(self, outcomes: Iterable[Outcome]) -> None:
        for o in outcomes:
            self.count += 1
            if o.local_id is None:
                continue
            if not o.left_out:
                self.merged.append((o.table, o.local_id))
            if o.table == "nominals":
                self.people.add(o.local_id)
            if o.table in self.history:
                self.history[o.table].append(o.local_id)

    def people_to_derive(self, ws: Workspace) -> set[int]:
        """Everyone whose history (or a decision behind it) arrived."""
        touched: set[int] = set()
        for table, ids in self.history.items():
            ids = sorted(set(ids))
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found = ws.db.execute(f"SELECT DISTINCT nominal_id FROM {table} WHERE id IN ({marks})", chunk)
                touched |= {int(nid) for (nid,) in found}
        return touched


def sender_of(payload: Mapping[str, Any]) -> str:
    """Who a pack says it comes from, as a person reads it (the pack's claim)."""
    origin = payload.get("from", {})
    return f"{origin.get('user', '?')} ({origin.get('partnership', '?')})"


def _draft(n: dict[str, Any]) -> NominalDraft:
    aliases: Iterable[str] = json.loads(n.get("aliases") or "[]")
    return NominalDraft(
        family_name=n["family_name"],
        given_names=n["given_names"],
        dob=dt.date.fromisoformat(n["dob"]) if n.get("dob") else None,
        aliases=tuple(aliases),
        gender=n.get("gender", ""),
        ethnicity=n.get("ethnicity", ""),
        address=n.get("address", ""),
        pnc_id=n.get("pnc_id", ""),
        cro=n.get("cro", ""),
        area=n.get("area", ""),
    )
