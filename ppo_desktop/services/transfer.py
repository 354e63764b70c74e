"""Transfer packs: the coordinator sends selected cases and an agenda to the chair's laptop.

Export is a disclosure (recipient and justification recorded first). Import decrypts, then matches
each person with the nomination import's rules — a person already merged from a pack, the same PNC
id or CRO number, the same name and date of birth — and puts possible duplicates to a person. The
merge is one transaction, recorded as a combination; records keep their origin, so importing the
same pack twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import MeetingState
from ppo_desktop.imports.nominations import PersonIndex
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.documents import Document, Documents
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.workspace import Changes, ServiceError, Workspace
from ppo_desktop.transfer import pack
from ppo_desktop.transfer.checks import check_payload
from ppo_desktop.transfer.pack import KeyPair, PackError

FORMAT = 1
NOMINAL_COLUMNS = ("family_name", "given_names", "aliases", "dob", "gender", "ethnicity", "address", "pnc_id",
                   "cro", "area")  # fmt: skip
PERSON_TABLES = ("memberships", "nominations", "actions", "score_sheets")


@dataclass(frozen=True)
class PersonFate:
    number: int  # the person's place in the pack, from 1
    uid: str
    name: str
    fate: str  # "new", "matched", "possible-duplicate"
    message: str
    nominal_id: int | None = None


@dataclass(frozen=True)
class TransferPlan:
    payload: dict[str, Any]
    people: tuple[PersonFate, ...]
    fingerprint: str = ""  # the sending store's signing key, as checked
    first_exchange: bool = False  # no key known for that store yet: this one will be pinned

    @property
    def sender(self) -> str:
        origin = self.payload.get("from", {})
        return f"{origin.get('user', '?')} ({origin.get('partnership', '?')})"

    @property
    def signed_by(self) -> str:
        pinned = (
            "first exchange with this store: its key will be remembered"
            if self.first_exchange
            else "known key"
        )
        return f"signed by the sending store's key {self.fingerprint} ({pinned})"

    def summary(self) -> str:
        counts = {
            f: sum(1 for p in self.people if p.fate == f) for f in ("new", "matched", "possible-duplicate")
        }
        agenda = " and an agenda" if self.payload.get("meeting") else ""
        return (
            f"{len(self.people)} people{agenda} from {self.sender}: {counts['new']} new, "
            f"{counts['matched']} matched, {counts['possible-duplicate']} possible duplicates"
        )


class Transfer:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- this store's key --------------------------------------------------------------------------
    def public_key(self) -> str:
        """This store's transfer public key, made the first time it is asked for (the private half
        stays in the encrypted store)."""
        known = self.ws.setting("transfer_public_key")
        if known:
            return pack.public_key_text(bytes.fromhex(known))
        pair = KeyPair.generate()
        with self.ws.writing():
            for key, value in (
                ("transfer_private_key", pair.private.hex()),
                ("transfer_public_key", pair.public.hex()),
            ):
                self.ws.db.table("settings").upsert({"key": key, "value": value}, pk="key")
            self.ws.audit.record(AuditKind.COLLECTION, "settings", "transfer_key", "Transfer key pair made",
                                 at=self.ws.now())  # fmt: skip
        return pack.public_key_text(pair.public)

    # -- export ------------------------------------------------------------------------------------
    def export(
        self,
        nominal_ids: Sequence[int],
        *,
        meeting_id: int | None = None,
        passphrase: str | None = None,
        recipient_key: str | None = None,
        recipient: str,
        justification: str,
    ) -> bytes:
        """The sealed pack; the disclosure is recorded before the bytes are returned."""
        self.ws.require("A transfer pack (personal data in bulk)")
        ids = sorted(set(nominal_ids))
        if meeting_id is not None:
            ids = sorted(set(ids) | {i["nominal_id"] for i in self._agenda(meeting_id) if i["nominal_id"]})
        if not ids and meeting_id is None:
            raise ServiceError("Choose the people (or the meeting) to put in the pack.")
        try:
            public = pack.parse_public_key(recipient_key) if recipient_key else None
            data = pack.seal(
                self._payload(ids, meeting_id), signing_key=self._signing_key(), passphrase=passphrase,
                recipient=public,
            )  # fmt: skip
        except PackError as exc:
            raise ServiceError(str(exc)) from None
        how = "transfer pack for a public key" if public else "transfer pack protected by a passphrase"
        Documents(self.ws).disclose(
            Document("transfer", f"Transfer pack ({len(ids)} people)", lambda: data, tuple(ids)),
            how=how,
            recipient=recipient,
            justification=justification,
        )
        return data

    def _signing_key(self) -> bytes:
        """This store's Ed25519 signing key, made the first time a pack is sent (kept in the store)."""
        known = self.ws.setting("transfer_signing_key")
        if known:
            return bytes.fromhex(known)
        key = pack.new_signing_key()
        with self.ws.writing():
            self.ws.db.table("settings").upsert({"key": "transfer_signing_key", "value": key.hex()}, pk="key")
            self.ws.audit.record(AuditKind.COLLECTION, "settings", "transfer_signing_key",
                                 "Transfer signing key made", at=self.ws.now())  # fmt: skip
        return key

    def signing_fingerprint(self) -> str:
        """What the receiving laptop will show as this store's key (Settings shows it to compare)."""
        from cryptography.hazmat.primitives.asymmetric import ed25519

        key = ed25519.Ed25519PrivateKey.from_private_bytes(self._signing_key())
        return pack.fingerprint(key.public_key().public_bytes_raw())

    def _payload(self, ids: list[int], meeting_id: int | None) -> dict[str, Any]:
        store = self.ws.vault.store_id
        people = []
        for nid in ids:
            nominal = self.ws.row("nominals", nid, "nominal")
            person: dict[str, Any] = {
                "uid": self._uid("nominal", nid),
                "nominal": {k: nominal[k] for k in NOMINAL_COLUMNS},
            }
            for table in PERSON_TABLES:
                extra = " AND state = 'final'" if table == "score_sheets" else ""
                person[table] = [
                    {
                        **{k: v for k, v in r.items() if k not in ("id", "nominal_id", "meeting_id")},
                        "uid": self._uid(table, r["id"]),
                    }  # fmt: skip
                    for r in self.ws.db.query(f"SELECT * FROM {table} WHERE nominal_id = ?{extra}", [nid])
                ]
            people.append(person)
        meeting = None
        if meeting_id is not None:
            m = self.ws.row("meetings", meeting_id, "meeting")
            meeting = {
                "uid": self._uid("meeting", meeting_id),
                **{k: m[k] for k in ("panel", "held_on", "venue", "chair", "deputy", "quorum_note")},
                "attendance": [
                    {k: a[k] for k in ("name", "agency", "role", "present")}
                    for a in self.ws.db.query("SELECT * FROM attendance WHERE meeting_id = ?", [meeting_id])
                ],
                "agenda": [
                    {
                        **{k: i[k] for k in ("position", "title", "reasons", "minutes")},
                        "person": self._uid("nominal", i["nominal_id"]) if i["nominal_id"] else None,
                    }
                    for i in self._agenda(meeting_id)
                ],
            }
        return {
            "format": FORMAT,
            "from": {
                "store": store,
                "partnership": self.ws.setting("partnership"),
                "user": self.ws.user.display_name,
                "at": self.ws.now().isoformat(timespec="seconds"),
            },
            "people": people,
            "meeting": meeting,
        }

    def _agenda(self, meeting_id: int) -> list[dict[str, Any]]:
        return list(
            self.ws.db.query(
                "SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position", [meeting_id]
            )
        )

    def _uid(self, entity: str, local_id: int) -> str:
        """A record's origin: the store it was first made in, and its id there."""
        found = self.ws.db.execute(
            "SELECT uid FROM transfer_origins WHERE entity = ? AND local_id = ?", [entity, local_id]
        ).fetchone()
        return str(found[0]) if found else f"{self.ws.vault.store_id}:{entity}:{local_id}"

    # -- import --------------------------------------------------------------------------------------
    def plan(self, data: bytes, *, passphrase: str | None = None) -> TransferPlan:
        """Open the pack and say what would happen to each person; nothing is written."""
        private = self.ws.setting("transfer_private_key")
        try:
            opened = pack.open_pack(
                data, passphrase=passphrase, private=bytes.fromhex(private) if private else None
            )
            payload = opened.payload
            if payload.get("format") != FORMAT or not isinstance(payload.get("people"), list):
                raise PackError("This pack was made by a different version of PPO Panel.")
            check_payload(
                payload,
                nominal_fields=frozenset(NOMINAL_COLUMNS),
                table_fields={t: self._fields(t) for t in PERSON_TABLES},
                catalogue=ScoreSheets(self.ws).catalogue,
                own_store=self.ws.vault.store_id,
                exists=self._exists,
            )
        except PackError as exc:
            raise ServiceError(str(exc)) from None
        sender = str(payload["from"]["store"])
        pinned = self.ws.setting(f"transfer_pin:{sender}")
        if pinned and pinned != opened.fingerprint:
            raise ServiceError(
                f"This pack says it comes from a store whose key this laptop knows as {pinned}, but it is "
                f"signed by {opened.fingerprint}. It was not made there; nothing was merged."
            )
        index = PersonIndex(self.ws)
        fates = []
        for number, person in enumerate(payload["people"], start=1):
            n = person["nominal"]
            name = f"{str(n['family_name']).upper()}, {n['given_names']}"
            known = self._local(person["uid"], "nominal")
            if known is not None:
                fates.append(
                    PersonFate(number, person["uid"], name, "matched", f"{name}: merged before", known)
                )
                continue
            found = index.match_draft(_draft(n), number)
            message = found.message.replace(f"Row {number}", name)
            fates.append(PersonFate(number, person["uid"], name, found.fate, message, found.nominal_id))
        return TransferPlan(payload, tuple(fates), opened.fingerprint, not pinned)

    def _fields(self, table: str) -> frozenset[str]:
        """The fields a record of ``table`` may carry in a pack: this store's columns, less its ids."""
        columns = {r["name"] for r in self.ws.db.query(f"PRAGMA table_info({table})")}
        return frozenset(columns - {"id", "nominal_id", "meeting_id"})

    def _exists(self, entity: str, local_id: int) -> bool:
        table = {"nominal": "nominals", "meeting": "meetings"}.get(entity, entity)
        if table not in {"nominals", "meetings", *PERSON_TABLES}:
            return False
        return self.ws.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [local_id]).fetchone() is not None

    def commit(
        self, plan: TransferPlan, decisions: dict[int, int | None] | None = None, *, justification: str
    ) -> Changes:
        decisions = decisions or {}
        if not justification.strip():
            raise ServiceError("Merging a transfer pack needs the reason (recorded in the audit log).")
        undecided = [
            p.number for p in plan.people if p.fate == "possible-duplicate" and p.number not in decisions
        ]
        if undecided:
            raise ServiceError(
                f"{len(undecided)} possible duplicate(s) need a person's decision; nothing was merged."
            )
        cases, sheets = Cases(self.ws), ScoreSheets(self.ws)
        added: dict[str, int] = {}
        touched: set[int] = set()
        with self.ws.writing():
            if plan.first_exchange:  # trust on first use: later packs from that store must match
                sender = str(plan.payload["from"]["store"])
                self.ws.db.table("settings").upsert(
                    {"key": f"transfer_pin:{sender}", "value": plan.fingerprint}, pk="key"
                )
            local_people: dict[str, int] = {}
            for fate, person in zip(plan.people, plan.payload["people"], strict=True):
                who = decisions.get(fate.number, fate.nominal_id) if fate.fate != "new" else None
                created = who is None
                if who is None:
                    who = cases.add_nominal(
                        _draft(person["nominal"]), justification=f"transfer from {plan.sender}"
                    )[0].id
                self._remember(person["uid"], "nominal", who)
                local_people[person["uid"]] = who
                touched.add(who)
                for table in PERSON_TABLES:
                    for record in person.get(table, []):
                        if self._local(record["uid"], table) is not None:
                            continue
                        if (
                            table == "memberships"
                            and not created
                            and not record["removed_on"]
                            and cases.current_spell(who)
                        ):
                            continue  # the spell on this laptop stands
                        if table == "score_sheets" and not self._knows_matrix(sheets, record):
                            continue  # scored on a matrix this laptop does not have: left out, not guessed
                        values = {k: v for k, v in record.items() if k != "uid"}
                        local_id = self.ws.insert(table, {**values, "nominal_id": who})
                        self._remember(record["uid"], table, local_id)
                        added[table] = added.get(table, 0) + 1
            if (meeting := plan.payload.get("meeting")) and self._local(meeting["uid"], "meeting") is None:
                self._meeting(meeting, local_people)
                added["meetings"] = 1
            self.ws.audit.record(
                AuditKind.COMBINATION,
                "transfer",
                plan.payload["from"].get("store", ""),
                f"Transfer pack merged: {plan.summary()}",
                at=self.ws.now(),
                after={"people": sorted(touched), "added": added},
                justification=justification,
            )
        tables = frozenset({"nominals", "meetings", "agenda", *PERSON_TABLES})
        return Changes(tables, frozenset(touched))

    def _meeting(self, meeting: dict[str, Any], people: dict[str, int]) -> None:
        values = {k: meeting[k] for k in ("panel", "held_on", "venue", "chair", "deputy", "quorum_note")}
        meeting_id = self.ws.insert("meetings", {**values, "state": MeetingState.PLANNED.value})
        self._remember(meeting["uid"], "meeting", meeting_id)
        for a in meeting.get("attendance", []):
            self.ws.insert("attendance", {**a, "meeting_id": meeting_id})
        for item in meeting.get("agenda", []):
            person = people.get(item["person"]) if item["person"] else None
            entry = {k: item[k] for k in ("position", "title", "reasons", "minutes")}
            self.ws.insert("agenda_items", {**entry, "meeting_id": meeting_id, "nominal_id": person})
        summary = f"Meeting from a transfer pack: {meeting['panel']}"
        self.ws.audit.record(AuditKind.COLLECTION, "meeting", meeting_id, summary, at=self.ws.now())

    @staticmethod
    def _knows_matrix(sheets: ScoreSheets, record: dict[str, Any]) -> bool:
        try:
            defn = sheets.catalogue.get(record["matrix_id"], record["matrix_version"])
        except (KeyError, ValueError):
            return False
        if defn.hash != record["matrix_hash"]:
            return False
        sheets.register(defn)
        return True

    def _local(self, uid: str, entity: str) -> int | None:
        if uid.startswith(f"{self.ws.vault.store_id}:{entity}:"):
            return int(uid.rsplit(":", 1)[1])  # it came from this very store
        found = self.ws.db.execute("SELECT local_id FROM transfer_origins WHERE uid = ?", [uid]).fetchone()
        return int(found[0]) if found else None

    def _remember(self, uid: str, entity: str, local_id: int) -> None:
        if self._local(uid, entity) is None:
            self.ws.db.table("transfer_origins").insert({"uid": uid, "entity": entity, "local_id": local_id})


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
