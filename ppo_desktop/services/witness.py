"""The audit chain witnessed outside the laptop (issue 23).

Someone holding the data key on this laptop can cut the log's tail or put back an earlier copy of
the store and re-seal both anchors; nothing on this laptop can then tell. What the partner laptop
saw is out of their reach, so every transfer pack carries its sender's chain head, and the receiver
remembers each head it has seen of each partner:

- a pack whose head is behind one already seen, or beside it (same entry, another MAC): the
  sender's log came back shorter or different — found by the receiver at once;
- the receiver's next pack asks to be shown the newest entry it saw (by number only: never its MAC,
  which a rolled-back store could copy); the sender's next pack shows its MAC at that entry, and a
  different or missing one is a rollback;
- a partner whose acknowledgement goes backwards no longer holds a pack it had merged from here:
  it was put back to an earlier copy (as is one that shows an entry older than the one asked for,
  after merging the pack that asked).

What one laptop finds it records (an audit entry and a finding) and sends back in its next pack, so
both laptops report it. A finding about this store blocks writing at the next unlock, like any
failed check, until an administrator acknowledges it with the reason (a restore from a backup after
a lost disk is a rollback too, and a person must say so).

Left open, and said in SECURITY.md: entries written after the last head a partner saw are
witnessed by nobody; a data-key holder who forges packs by hand (with the store's own signing key)
can answer with the MACs of a copy they kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.i18n import _
from ppo_desktop.services.workspace import ServiceError, Workspace
from ppo_desktop.transfer.pack import PackError

KINDS = {
    "shorter": "its audit log is shorter than when {who} last saw it (entry {seq} is gone)",
    "different": "its audit log differs from what {who} saw: entry {seq} is not the one seen",
    "missing": "its audit log no longer has entry {seq}, which {who} saw",
    "forgot": "it no longer holds a pack it had merged from {who} (it was put back to an earlier copy)",
}
MAC = re.compile(r"[0-9a-f]{64}")
MARK = re.compile(r"[0-9a-f]{16}")  # a mark shows the start of its MAC: 64 bits tell two logs apart
MAX_FOUND = 20
MAX_MARKS = 8 * 64
MIN_PREFIX = 16  # hex characters of a printed head that must match


@dataclass(frozen=True)
class Finding:
    partner: str
    about: str  # "here" (a partner found this store rolled back) or "partner"
    seq: int
    kind: str
    found_at: str

    def sentence(self, label: str) -> str:
        whose = "This store" if self.about == "here" else f"The store of {label}"
        who = f"the store of {label}" if self.about == "here" else "this laptop"
        return f"{whose} was rolled back or cut: {KINDS[self.kind].format(who=who, seq=self.seq)}"


@dataclass(frozen=True)
class Chain:
    """A pack's chain details, checked: the sender's head, the entry of ours it asks to see next
    time, its answer to our last question, and what it found about us."""

    seq: int
    mac: str
    ask: int | None
    proof: tuple[int, str | None] | None
    found: tuple[tuple[int, str], ...]
    marks: tuple[tuple[int, str], ...] = ()


def mark_positions(head: int) -> list[int]:
    """The entries whose MACs a pack shows besides its head: the multiples of 2**k within 8 * 2**k
    entries of the head, for each k — dense near the head, sparse further back, and at fixed
    positions, so two packs from one log share some wherever their heads are (a log put back to an
    earlier copy and grown again past the head a partner saw still differs at a shared one)."""
    found: set[int] = set()
    step = 1
    while step <= head:
        top = head - head % step
        found.update(s for s in range(top, top - 8 * step, -step) if s >= 1)
        step *= 2
    return sorted(found)


def parse(value: object) -> Chain | None:
    """The pack's ``chain`` (PackError if damaged; None for a pack that has none)."""
    if value is None:
        return None
    damaged = PackError("The pack's audit chain details are damaged.")
    if not isinstance(value, dict) or set(value) - {"head", "ask", "proof", "found", "marks"}:
        raise damaged
    head, ask, proof, found = (value.get(k) for k in ("head", "ask", "proof", "found"))
    if not isinstance(head, dict) or not _seq(head.get("seq")) or not _mac(head.get("mac"), blank=True):
        raise damaged
    if ask is not None and not _seq(ask):
        raise damaged
    shown: tuple[int, str | None] | None = None
    if proof is not None:
        if not isinstance(proof, dict) or not _seq(proof.get("seq")) or not _mac(proof.get("mac"), none=True):
            raise damaged
        shown = (proof["seq"], proof["mac"])
    if not isinstance(found, list) or len(found) > MAX_FOUND:
        raise damaged
    for item in found:
        if not isinstance(item, dict) or not _seq(item.get("seq")) or item.get("kind") not in KINDS:
            raise damaged
    marks = value.get("marks", [])
    if not isinstance(marks, list) or len(marks) > MAX_MARKS:
        raise damaged
    for mark in marks:
        if not isinstance(mark, list) or len(mark) != 2 or not _seq(mark[0]) or not _mark(mark[1]):
            raise damaged
    return Chain(head["seq"], head["mac"], ask, shown, tuple((f["seq"], f["kind"]) for f in found),
                 tuple((m[0], m[1]) for m in marks))  # fmt: skip


def _seq(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53


def _mark(value: object) -> bool:
    return isinstance(value, str) and bool(MARK.fullmatch(value))


def _mac(value: object, *, blank: bool = False, none: bool = False) -> bool:
    if value is None:
        return none
    return isinstance(value, str) and (bool(MAC.fullmatch(value)) or (blank and value == ""))


class Witness:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- what a pack carries ------------------------------------------------------------------------
    def outgoing(self, partner: str | None) -> dict[str, Any]:
        head = self.ws.audit.anchor()
        positions = mark_positions(head.get("seq", 0))
        marks = self.ws.db.execute(
            f"SELECT seq, mac FROM audit WHERE seq IN ({', '.join('?' * len(positions))})", positions
        )
        chain: dict[str, Any] = {"head": {"seq": head.get("seq", 0), "mac": head.get("mac", "")},
                                 "ask": None, "proof": None, "found": [],
                                 "marks": [[seq, mac[:16]] for seq, mac in marks]}  # fmt: skip
        if partner is None:
            return chain
        chain["ask"] = self._newest_seen(partner)
        asked = self.ws.db.execute(
            "SELECT seq FROM witness_asked_of_us WHERE partner = ?", [partner]
        ).fetchone()
        if asked is not None:
            row = self.ws.db.execute("SELECT mac FROM audit WHERE seq = ?", [asked[0]]).fetchone()
            chain["proof"] = {"seq": asked[0], "mac": row[0] if row else None}
        chain["found"] = [
            {"seq": f.seq, "kind": f.kind} for f in self.findings(partner=partner, about="partner")
        ][:MAX_FOUND]
        return chain

    def sent(self, partner: str, chain: dict[str, Any], upto: int) -> None:
        """Remember what a pack to ``partner`` asked it to show (inside the caller's transaction)."""
        if chain["ask"] is not None:
            self.ws.db.execute(
                "INSERT OR REPLACE INTO witness_asks (partner, seq, upto) VALUES (?, ?, ?)",
                [partner, chain["ask"], upto],
            )

    # -- what a pack from a partner says -------------------------------------------------------------
    def check(self, partner: str, chain: Chain | None, ack: int | None) -> list[Finding]:
        """What is wrong with ``partner``'s log as this laptop saw it; nothing is written."""
        if chain is None:
            return []
        found: list[tuple[int, str]] = []
        seen = dict(self.ws.db.execute("SELECT seq, mac FROM witnessed_heads WHERE partner = ?", [partner]))
        if seen:
            newest = max(seen)
            if chain.seq < newest:
                found.append((newest, "shorter"))
            shown = [(chain.seq, chain.mac), *chain.marks, *([chain.proof] if chain.proof else [])]
            for seq, mac in shown:
                if seq in seen and (mac or "")[:16] != seen[seq]:
                    found.append((seq, "different" if mac else "missing"))
                    break
        known = self.ws.db.execute("SELECT acked FROM sync_partners WHERE store = ?", [partner]).fetchone()
        asked = self.ws.db.execute(
            "SELECT seq, upto FROM witness_asks WHERE partner = ?", [partner]
        ).fetchone()
        if ack is not None and known is not None and ack < int(known[0]):
            found.append((int(known[0]), "forgot"))
        elif ack is not None and asked is not None and ack >= asked[1]:
            if chain.proof is None or chain.proof[0] < asked[0]:
                found.append((asked[0], "forgot"))
        at = self.ws.now().isoformat(timespec="seconds")
        return [Finding(partner, "partner", seq, kind, at) for seq, kind in dict.fromkeys(found)]

    def preview(self, partner: str, label: str, chain: Chain | None, ack: int | None) -> list[str]:
        """What merging the pack would report, as a person is told before saying yes."""
        if chain is None:
            return []
        known = {(f.seq, f.kind) for f in self.findings(partner=partner, about="here")}
        at = self.ws.now().isoformat(timespec="seconds")
        reported = [Finding(partner, "here", s, k, at) for s, k in chain.found if (s, k) not in known]
        return [f.sentence(label) for f in (*self.check(partner, chain, ack), *reported)]

    def received(self, partner: str, label: str, chain: Chain | None, ack: int | None) -> list[str]:
        """Record a merged pack's chain details (inside the caller's transaction): what is wrong
        with the partner's log, and what the partner found wrong with ours. Returns the sentences."""
        if chain is None:
            return []
        sentences = []
        findings = self.check(partner, chain, ack)
        if findings:  # found once: from here on its log is witnessed from where it now stands
            self.ws.db.execute("DELETE FROM witnessed_heads WHERE partner = ?", [partner])
            self.ws.db.execute("DELETE FROM witness_asks WHERE partner = ?", [partner])
        at = self.ws.now().isoformat(timespec="seconds")
        reported = [Finding(partner, "here", seq, kind, at) for seq, kind in chain.found]
        for finding in (*findings, *reported):
            if self._record(finding, label):
                sentences.append(finding.sentence(label))
        self.ws.db.conn.executemany(
            "INSERT OR REPLACE INTO witnessed_heads (partner, seq, mac, seen_at) VALUES (?, ?, ?, ?)",
            [(partner, seq, mac[:16], at) for seq, mac in (*chain.marks, (chain.seq, chain.mac)) if mac],
        )
        if chain.ask is not None:
            self.ws.db.execute(
                "INSERT OR REPLACE INTO witness_asked_of_us (partner, seq) VALUES (?, ?)",
                [partner, chain.ask],
            )
        return sentences

    def _record(self, finding: Finding, label: str) -> bool:
        cursor = self.ws.db.execute(
            "INSERT OR IGNORE INTO witness_findings (partner, about, seq, kind, found_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [finding.partner, finding.about, finding.seq, finding.kind, finding.found_at],
        )
        if not cursor.rowcount:
            return False
        self.ws.audit.record(
            AuditKind.SESSION,
            "witness",
            finding.partner,
            f"Rollback found: {finding.sentence(label)}",
            at=self.ws.now(),
            after={"about": finding.about, "entry": finding.seq, "kind": finding.kind},
        )
        return True

    # -- reading -------------------------------------------------------------------------------------
    def findings(
        self, *, partner: str | None = None, about: str | None = None, open_only: bool = False
    ) -> list[Finding]:
        sql = "SELECT partner, about, seq, kind, found_at FROM witness_findings WHERE 1"
        params: list[object] = []
        for column, value in (("partner", partner), ("about", about)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        if open_only:
            sql += " AND acknowledged = 0"
        return [Finding(*row) for row in self.ws.db.execute(sql + " ORDER BY id DESC", params)]

    def problems(self) -> list[str]:
        """Rollbacks of this store a partner found, not yet acknowledged (checked at every unlock)."""
        labels = {p: lab for p, lab in self.ws.db.execute("SELECT store, label FROM sync_partners")}
        return [
            f.sentence(labels.get(f.partner) or f.partner)
            for f in self.findings(about="here", open_only=True)
        ]

    def acknowledge(self) -> None:
        """Inside the caller's transaction: the administrator's acknowledgement covers them."""
        self.ws.db.execute("UPDATE witness_findings SET acknowledged = 1 WHERE about = 'here'")

    def _newest_seen(self, partner: str) -> int | None:
        row = self.ws.db.execute(
            "SELECT max(seq) FROM witnessed_heads WHERE partner = ?", [partner]
        ).fetchone()
        return None if row[0] is None else int(row[0])


def check_printed(ws: Workspace, printed: str) -> str:
    """'' if the store's log holds the printed head ('SEQ:MAC…', or a MAC's first characters as a
    document footer prints them); else what is wrong."""
    text = printed.strip().lower()
    seq_text, _colon, mac = text.rpartition(":")
    if not re.fullmatch(rf"[0-9a-f]{{{MIN_PREFIX},64}}", mac) or (seq_text and not seq_text.isdigit()):
        raise ServiceError(
            _(
                "A printed chain head is the entry number and at least {MIN_PREFIX} characters of its MAC, "
                "as the minutes print it (e.g. 1234:3f9a0c…)."
            ).format(MIN_PREFIX=MIN_PREFIX)
        )
    if seq_text:
        row = ws.db.execute("SELECT mac FROM audit WHERE seq = ?", [int(seq_text)]).fetchone()
        if row is None:
            return f"entry {seq_text} is missing from the audit log (it was cut or put back)"
        return "" if row[0].startswith(mac) else f"entry {seq_text} is not the one printed"
    found = ws.db.execute("SELECT 1 FROM audit WHERE substr(mac, 1, ?) = ?", [len(mac), mac]).fetchone()
    return "" if found else "no entry of the audit log has the printed MAC (it was cut or put back)"
