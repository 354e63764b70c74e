"""Subject access (DPA 2018 Part 3, s.45): everything the store holds about one person, gathered in
one place — every record that names them (found by the schema, so a table added later is not
missed), what other records say of them in free text, and the audit entries about them (who consulted
or disclosed their data, when, why) — as a JSON bundle for the data protection officer and a PDF for
the person.

A restriction (s.45(4)) withholds something, on a stated ground, recorded in the restrictions
register with who decided and until when; withheld records are left out of the person's copy
entirely (neither confirming nor denying) and listed in the DPO's bundle. Third parties' names the
DPO chooses are redacted from both copies, each with its reason. Only an administrator makes a pack,
and making it is an audited disclosure.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Role
from ppo_desktop.i18n import _
from ppo_desktop.services.workspace import Changes, PermissionDenied, ServiceError, Topic, Workspace

# s.45(4): a controller may restrict the right of access to the extent that it is necessary and
# proportionate to ...
GROUNDS = {
    "a": "avoid obstructing an official or legal inquiry, investigation or procedure",
    "b": "avoid prejudicing the prevention, detection, investigation or prosecution of criminal offences "
    "or the execution of criminal penalties",
    "c": "protect public security",
    "d": "protect national security",
    "e": "protect the rights and freedoms of others",
}
# Tables with a person in them that are not part of a pack, and why (every other one is).
NOT_IN_A_PACK = {
    "erasing": "a marker that exists only while an erasure runs",
    "merging": "a marker that exists only while two records are merged",
}
# Free text in other people's records that may name this person.
MENTIONS = (("agenda_items", "notes"), ("decisions", "note"), ("actions", "description"),
            ("meeting_amendments", "text"))  # fmt: skip
REDACTED = "[redacted]"
DPO_ONLY = frozenset({"access_restrictions"})  # the register: in the DPO's bundle, never the person's copy


@dataclass(frozen=True)
class Restriction:
    id: int
    ground: str
    withheld: str  # "table" (all their records in it) or "table:id" (one record)
    reason: str
    until: dt.date | None
    recorded_by: str
    recorded_at: str


@dataclass(frozen=True)
class SubjectAccessPack:
    bundle: bytes  # JSON for the DPO: everything, withheld records listed with their restriction
    for_person: dict[str, Any]  # what the person's copy holds (the PDF is made from it)
    withheld: int
    redactions: dict[str, str] = field(default_factory=dict)  # text → reason


class SubjectAccess:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- what is held ---------------------------------------------------------------------------
    def person_tables(self) -> list[str]:
        """Every table with a column naming a person (``nominal_id``), from the store's schema."""
        found = []
        tables = self.ws.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for (name,) in tables.fetchall():
            columns = {c[1] for c in self.ws.db.execute(f'PRAGMA table_info("{name}")')}
            if "nominal_id" in columns and name not in NOT_IN_A_PACK and name != "audit":
                found.append(str(name))
        return found

    def gather(self, nominal_id: int) -> dict[str, Any]:
        """Everything held about the person, as plain values (dates as text)."""
        person = self.ws.row("nominals", nominal_id, "person")
        nid = nominal_id
        records = {
            table: [dict(r) for r in self.ws.db.query(f'SELECT * FROM "{table}" WHERE nominal_id = ?', [nid])]
            for table in self.person_tables()
        }
        audit = [
            dict(r)
            for r in self.ws.db.query(
                "SELECT seq, at, user_id, workstation, kind, summary, justification FROM audit "
                "WHERE nominal_id = ? ORDER BY seq",
                [nominal_id],
            )
        ]
        return {"person": dict(person), "records": records, "mentions": self._mentions(person, nominal_id),
                "audit": audit}  # fmt: skip

    def _mentions(self, person: Mapping[str, Any], nominal_id: int) -> list[dict[str, Any]]:
        """Other people's records whose free text names this person (family name, whole word)."""
        name = str(person["family_name"]).strip()
        if len(name) < 2:
            return []
        pattern = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
        found = []
        for table, column in MENTIONS:
            has_person = table != "meeting_amendments"
            where = "WHERE (nominal_id IS NULL OR nominal_id != ?)" if has_person else ""
            params = [nominal_id] if has_person else []
            for row in self.ws.db.query(f'SELECT id, "{column}" AS text FROM "{table}" {where}', params):
                if row["text"] and pattern.search(str(row["text"])):
                    found.append({"table": table, "id": row["id"], "text": row["text"]})
        return found

    # -- restrictions (s.45(4)) -----------------------------------------------------------------
    def restrict(
        self, nominal_id: int, *, ground: str, withheld: str, reason: str, until: dt.date | None = None
    ) -> Changes:
        self._administrator()
        if ground not in GROUNDS:
            raise ServiceError(_("Choose the s.45(4) ground: a, b, c, d or e."))
        if not reason.strip():
            raise ServiceError(_("Say why the restriction is necessary and proportionate (it is recorded)."))
        table, _colon, row = withheld.partition(":")
        if table not in self.person_tables() and table != "audit" or (row and not row.isdigit()):
            raise ServiceError(
                _("Name what is withheld: a kind of record (e.g. 'decisions'), or one ('decisions:12').")
            )
        self.ws.row("nominals", nominal_id, "person")
        values = {"nominal_id": nominal_id, "ground": ground, "withheld": withheld, "reason": reason.strip(),
                  "until": until.isoformat() if until else None, "recorded_by": self.ws.user.id,
                  "recorded_at": self.ws.now().isoformat(timespec="seconds")}  # fmt: skip
        with self.ws.writing(Role.ADMINISTRATOR):
            new_id = self.ws.insert("access_restrictions", values)
            self.ws.audit.record(AuditKind.COLLECTION, "access_restriction", new_id,
                                 f"Subject access restricted (s.45(4)({ground})): {withheld}",
                                 at=self.ws.now(), nominal_id=nominal_id, after=values)  # fmt: skip
        return Changes.of(Topic.ACCESS_RESTRICTIONS, nominal_id=nominal_id)

    def restrictions(self, nominal_id: int, on: dt.date | None = None) -> list[Restriction]:
        """The restrictions in force on ``on`` (today by default)."""
        day = on or self.ws.today()
        out = []
        sql = "SELECT * FROM access_restrictions WHERE nominal_id = ? ORDER BY id"
        for r in self.ws.db.query(sql, [nominal_id]):
            until = dt.date.fromisoformat(r["until"]) if r["until"] else None
            if until is None or until >= day:
                out.append(Restriction(r["id"], r["ground"], r["withheld"], r["reason"], until,
                                       r["recorded_by"], r["recorded_at"]))  # fmt: skip
        return out

    # -- the pack -------------------------------------------------------------------------------
    def pack(
        self, nominal_id: int, *, requested_on: dt.date, redact: Mapping[str, str] | None = None
    ) -> SubjectAccessPack:
        """The pack for a request received on ``requested_on``; ``redact``: third parties' words
        (names) → why each is redacted. Recorded as a disclosure before it is returned."""
        self._administrator()
        redact = {k: v for k, v in (redact or {}).items() if k.strip()}
        if any(not why.strip() for why in redact.values()):
            raise ServiceError(_("Each redaction needs its reason (it is recorded)."))
        held = self.gather(nominal_id)
        restrictions = self.restrictions(nominal_id)
        withheld: list[dict[str, Any]] = []
        for_person: dict[str, Any] = {"person": held["person"], "records": {}, "mentions": [], "audit": []}
        for table, rows in held["records"].items():
            if table in DPO_ONLY:
                continue
            kept = []
            for row in rows:
                rule = _restricting(restrictions, table, row.get("id"))
                if rule is not None:
                    withheld.append({"table": table, "id": row.get("id"), "restriction": rule.id})
                else:
                    kept.append(row)
            for_person["records"][table] = kept
        for entry in held["audit"]:
            rule = _restricting(restrictions, "audit", entry["seq"])
            (withheld.append({"table": "audit", "id": entry["seq"], "restriction": rule.id}) if rule
             else for_person["audit"].append(entry))  # fmt: skip
        for_person["mentions"] = [
            m for m in held["mentions"] if _restricting(restrictions, m["table"], m["id"]) is None
        ]
        for_person = _redacted(for_person, redact)
        bundle = {
            "format": "ppo-panel-subject-access/1",
            "requested_on": requested_on.isoformat(),
            "made_at": self.ws.now().isoformat(timespec="seconds"),
            "made_by": self.ws.user.id,
            "store": self.ws.vault.store_id,
            "held": _redacted(held, redact),
            "given_to_the_person": for_person,
            "withheld": withheld,
            "restrictions": [
                {
                    **r.__dict__,
                    "until": r.until.isoformat() if r.until else None,
                    "ground_text": GROUNDS[r.ground],
                }
                for r in restrictions
            ],  # fmt: skip
            "redactions": [{"text_length": len(k), "reason": v} for k, v in redact.items()],
        }
        with self.ws.writing(Role.ADMINISTRATOR):
            self.ws.audit.record(
                AuditKind.DISCLOSURE, "subject_access", nominal_id,
                f"Subject access pack made ({len(withheld)} record(s) withheld under s.45(4), "
                f"{len(redact)} redaction(s))",
                at=self.ws.now(), nominal_id=nominal_id, justification=f"Request of {requested_on:%d %b %Y}",
                after={"redaction_reasons": sorted(redact.values())} if redact else None,
            )  # fmt: skip
        data = json.dumps(bundle, indent=1, sort_keys=True, default=str).encode("utf-8")
        return SubjectAccessPack(data, for_person, len(withheld), dict(redact))

    def pdf(self, pack: SubjectAccessPack) -> bytes:
        """The person's copy as a PDF (from what the pack gives them; nothing withheld is in it)."""
        from ppo_desktop.documents.subject_access import meta_title, subject_access_pdf
        from ppo_desktop.services.documents import Documents

        documents = Documents(self.ws)
        with documents.print_language():
            title = meta_title(pack.for_person["person"])
            return subject_access_pdf(pack.for_person, documents.meta(title))

    def _administrator(self) -> None:
        if self.ws.user.role is not Role.ADMINISTRATOR:
            raise PermissionDenied(_("Subject access is handled by an administrator (the DPO's role here)."))


def _restricting(restrictions: list[Restriction], table: str, row_id: object) -> Restriction | None:
    for r in restrictions:
        kind, _colon, one = r.withheld.partition(":")
        if kind == table and (not one or str(row_id) == one):
            return r
    return None


def _redacted(value: Any, redact: Mapping[str, str]) -> Any:
    """``value`` with every redacted text replaced, wherever it appears (whole words, any case)."""
    if not redact:
        return value
    if isinstance(value, str):
        for text in redact:
            value = re.sub(rf"\b{re.escape(text)}\b", REDACTED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {k: _redacted(v, redact) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v, redact) for v in value]
    return value
