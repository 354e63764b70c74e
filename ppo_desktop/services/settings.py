"""Partnership settings (scheme profile, protective marking), changed with an audit entry."""

from __future__ import annotations

from ppo_desktop import i18n, projection
from ppo_desktop.audit import AuditKind
from ppo_desktop.documents.layout import DEFAULT_MARKING, PAGE_SIZES
from ppo_desktop.domain import Role, Strand
from ppo_desktop.i18n import N_, _
from ppo_desktop.rules import profiles
from ppo_desktop.services.workspace import Changes, ServiceError, Topic, Workspace

DEFAULT_BACKUP_DAYS = 7
LOCK_MINUTES = range(1, 16)  # 1–15 minutes; idle locking cannot be turned off
# Every setting a screen or a document reads, with its default: declared here once.
DEFAULTS = {
    "marking": DEFAULT_MARKING,
    "page_size": "A4",
    "lock_minutes": "5",
    "backup_every_days": str(DEFAULT_BACKUP_DAYS),
    "profile": profiles.DEFAULT_PROFILE,
    "documents_language": "reader",
}
# The languages printed documents speak: each reader's own, or Welsh and English together (a Welsh
# body's compliance notice asks for documents in both; Welsh first).
DOCUMENT_LANGUAGES = {
    "reader": N_("Each reader's own language"),
    "cy+en": N_("Welsh and English (bilingual)"),
}


def value(ws: Workspace, key: str) -> str:
    """The partnership's setting, or its default."""
    return ws.setting(key, DEFAULTS[key])


def language(ws: Workspace) -> str:
    """The language the user unlocking speaks (their own choice; English until they make one)."""
    return ws.setting(f"language:{ws.user.id}", i18n.ENGLISH)


def lock_minutes(ws: Workspace) -> int:
    """Idle minutes before the app locks; a stored value out of range (or not a number) reads as the
    default, so the lock can never be turned off by editing the store."""
    default = int(DEFAULTS["lock_minutes"])
    try:
        minutes = int(ws.setting("lock_minutes", DEFAULTS["lock_minutes"]))
    except ValueError:
        return default
    return minutes if minutes in LOCK_MINUTES else default


def backup_days(ws: Workspace) -> int:
    return int(value(ws, "backup_every_days"))


class Settings:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def set_profile(self, profile_id: str) -> Changes:
        """Pick the scheme profile the rules read (matrices, cadence, capacity, reason codes)."""
        try:
            chosen = profiles.get(profile_id)
        except profiles.ProfileError as exc:
            raise ServiceError(str(exc)) from exc
        held = self._held_outside(chosen.strands)
        if held:
            runs = ", ".join(s.value for s in chosen.strands)
            raise ServiceError(
                _(
                    "{name} runs {runs}; this store still holds {join}. Those lists would have no rules "
                    "under it: de-select the people (and settle the nominations) at a panel first, then "
                    "change the rules and select them again under the new ones."
                ).format(name=chosen.name, runs=runs, join="; ".join(held))
            )
        return self._set("profile", profile_id)

    def _held_outside(self, strands: tuple[Strand, ...]) -> list[str]:
        """Who is on a list (on the scheme, on the amber list, or nominated) that ``strands`` lacks."""
        runs = [s.value for s in strands]
        outside = f"strand NOT IN ({', '.join('?' * len(runs))}) GROUP BY strand"
        held = (
            "SELECT strand, count(DISTINCT nominal_id) FROM memberships WHERE (removed_on IS NULL OR "
            f"(amber = 1 AND (amber_until IS NULL OR amber_until > ?))) AND {outside}",
            [self.ws.today().isoformat(), *runs],
        )
        nominated = (
            f"SELECT strand, count(DISTINCT nominal_id) FROM nominations WHERE state = 'open' AND {outside}",
            runs,
        )
        found = []
        for what, (sql, args) in (("on the scheme or the amber list", held), ("nominated", nominated)):
            found += [f"{n} {what} for {strand}" for strand, n in self.ws.db.execute(sql, args)]
        return found

    def set_language(self, code: str) -> Changes:
        """The language the app speaks to this user (each user their own), from their next unlock."""
        if code not in i18n.LANGUAGES:
            raise ServiceError(_("The app speaks {join}.").format(join=", ".join(i18n.LANGUAGES.values())))
        key = f"language:{self.ws.user.id}"
        before = language(self.ws)
        if before == code:
            return Changes()
        with self.ws.transaction() as db:  # anyone's own choice, a panel member's too
            db.table("settings").insert({"key": key, "value": code}, replace=True)
            self.ws.audit.record(AuditKind.ALTERATION, "setting", key, f"Setting {key} changed",
                                 at=self.ws.now(), before={key: before}, after={key: code})  # fmt: skip
        return Changes.of(Topic.SETTINGS)

    def set_projector_policy(self, shown: dict[str, bool]) -> Changes:
        """Which fields the room may see (Settings); stored as the partnership's choices."""
        policy = projection.default_policy().with_choices(shown)
        return self._set("projector_policy", policy.to_json(), projection.default_policy().to_json())

    def set_documents_language(self, choice: str) -> Changes:
        """Whether printed documents are in each reader's language or in Welsh and English together."""
        if choice not in DOCUMENT_LANGUAGES:
            raise ServiceError(_("Printed documents are in each reader's language, or in Welsh and English."))
        return self._set("documents_language", choice)

    def set_marking(self, marking: str) -> Changes:
        """The protective marking printed on every page (the scoring sheet keeps its matrix's own)."""
        marking = " ".join(marking.split()).upper()
        if not 3 <= len(marking) <= 40:
            raise ServiceError(_("A protective marking is 3 to 40 characters, e.g. OFFICIAL-SENSITIVE."))
        return self._set("marking", marking)

    def set_lock_minutes(self, minutes: int) -> Changes:
        """Idle time before the app locks: 1 to 15 minutes (it cannot be turned off)."""
        if minutes not in LOCK_MINUTES:
            raise ServiceError(_("The idle lock is 1 to 15 minutes; it cannot be turned off."))
        return self._set("lock_minutes", str(minutes))

    def set_backup_days(self, days: int) -> Changes:
        """Back up again to the last backup's folder after this many days (0: only when asked)."""
        if not 0 <= days <= 90:
            raise ServiceError(_("Automatic backups are every 1 to 90 days, or 0 for only when asked."))
        return self._set("backup_every_days", str(days))

    def set_page_size(self, size: str) -> Changes:
        if size not in PAGE_SIZES:
            raise ServiceError(_("Paper size is one of {join}.").format(join=", ".join(PAGE_SIZES)))
        return self._set("page_size", size)

    def _set(self, key: str, value: str, default: str | None = None) -> Changes:
        before = self.ws.setting(key, DEFAULTS[key] if default is None else default)
        if before == value:
            return Changes()
        with self.ws.writing(Role.ADMINISTRATOR, Role.COORDINATOR) as db:
            db.table("settings").insert({"key": key, "value": value}, replace=True)
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "setting",
                key,
                f"Setting {key} changed",
                at=self.ws.now(),
                before={key: before},
                after={key: value},
            )
        return Changes.of(Topic.SETTINGS)
