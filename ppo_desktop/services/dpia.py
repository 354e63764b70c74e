"""A data protection impact assessment draft from the store's own settings (issue 27, deliver 4).

The app knows much of what a DPIA asks for law enforcement processing (DPA 2018 s.64): what is held
and how much, who can reach it and with which role, how long each class is kept, how it is protected
and where it goes. This gathers those facts — counts and settings, never a person's details — for the
DPO to complete: the parts only a person can judge (necessity, proportionality, the risks to the
people the data is about and what is done about them) are left as headed blanks.
"""

from __future__ import annotations

from collections import Counter

from ppo_desktop.documents.dpia import DpiaFacts
from ppo_desktop.domain import Role
from ppo_desktop.services import settings
from ppo_desktop.services.retention import Retention
from ppo_desktop.services.workspace import Workspace

# What is held, in the words a DPIA uses: each kind of record, and the table it is counted in.
HELD = (
    ("People (identity, date of birth, address, PNC / CRO numbers, aliases)", "nominals"),
    ("Nominations (agency, nominator, reason)", "nominations"),
    ("Time on the scheme (strand, status, removal reasons)", "memberships"),
    ("History events (selections, moves, custody, arrests, intelligence)", "person_events"),
    ("Score sheets (criteria answered, totals)", "score_sheets"),
    ("Sentences and custody", "sentences"),
    ("Offences (dated, for selection scores)", "offences"),
    ("Meetings (attendance, agenda, notes)", "meetings"),
    ("Decisions", "decisions"),
    ("Actions (pathway, agency, owner)", "actions"),
    ("Audit log entries (who consulted, changed or disclosed what, and why)", "audit"),
)


def gather(ws: Workspace) -> DpiaFacts:
    """The facts, from this store as it is now (an administrator's view: no personal details)."""
    ws.require("A data protection impact assessment draft", frozenset({Role.ADMINISTRATOR}))
    count = {t: ws.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for _name, t in HELD}
    roles = Counter(r[0] for r in ws.db.execute("SELECT role FROM users WHERE active"))
    status = ws.status()
    slots = Counter(s["kind"] for s in ws.vault.slots())
    retention = Retention(ws)
    protection = (
        ("Encryption at rest", "SQLCipher 4 (AES-256, every page authenticated); the data key wrapped "
         f"once per user ({slots.get('passphrase', 0)} passphrase slots, {slots.get('recovery', 0)} "
         "recovery key) in a sealed key file"),
        ("Bound to this computer", "yes: a device secret in the OS keyring is needed as well as a "
         "passphrase" if status.device_bound else "no: the passphrase alone opens a copied store"),
        ("Audit log", f"{count['audit']:,} entries, hash-chained; the chain's end kept in the key file "
         "and the OS keyring, printed on every document and witnessed by exchange partners"),
        ("Locking", f"after {settings.lock_minutes(ws)} idle minutes, and with the computer's own lock"),
        ("Backups", f"encrypted bundles, offered every {settings.backup_days(ws)} days"),
        ("Projector", "shows only what the room may see (Settings → projector), each showing recorded "
         "as a disclosure"),
        ("Protective marking", settings.value(ws, "marking")),
        ("Legal holds and restrictions", f"{len(retention.holds())} legal holds; "
         f"{ws.db.execute('SELECT count(*) FROM access_restrictions').fetchone()[0]} subject access "
         "restrictions recorded"),
    )  # fmt: skip
    exchanges = tuple(
        f"{p['label'] or p['store']}: last received {p['received_at'] or 'never'}, last sent "
        f"{p['sent_at'] or 'never'}"
        for p in ws.db.query("SELECT * FROM sync_partners ORDER BY store")
    )
    return DpiaFacts(
        partnership=ws.setting("partnership", "PPO Panel"),
        profile=ws.profile().name,
        store=status.name,
        held=tuple((label, count[table]) for label, table in HELD),
        roles=tuple(sorted((role.replace("-", " "), n) for role, n in roles.items())),
        protection=protection,
        retention=tuple(str(p) for p in retention.schedule()),
        exchanges=exchanges or ("none: this store has not exchanged transfer packs",),
    )
