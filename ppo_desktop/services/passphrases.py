"""A new passphrase is judged once, the same way wherever it is set — a new store, a new user, a
reset, a change, a transfer pack: long enough, not guessable by zxcvbn when it is told this store's
own words (the partnership, the store's name, the users, the scheme), and not one printed anywhere
(the demo store's, shown on its unlock screen and in the README)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from db.errors import SlotError
from db.keyfile import check_strength
from ppo_desktop.i18n import _
from ppo_desktop.rules import profiles
from ppo_desktop.services.workspace import ServiceError

if TYPE_CHECKING:
    from ppo_desktop.services.workspace import Workspace

# Printed where anyone can read them: never a real store's passphrase.
PUBLISHED = frozenset({"fictional-demo-only"})


class WeakPassphrase(ServiceError):
    """The passphrase cannot be used; ``str()`` says why (it never repeats the passphrase)."""


def scheme_words() -> list[str]:
    """The names of the schemes the app knows (a panel's own scheme is an obvious guess)."""
    return [p.name for p in profiles.shipped().values()]


def store_words(ws: Workspace) -> list[str]:
    """This store's own words: what someone who knows the panel would try first."""
    words = [ws.setting("partnership"), Path(ws.status().store_path).stem, ws.profile().name]
    for user_id, display_name in ws.db.execute("SELECT id, display_name FROM users"):
        words += [user_id, display_name]
    return words + scheme_words()


def check_new(passphrase: str, words: Iterable[str], *, published_ok: bool = False) -> None:
    """Refuse ``passphrase`` with a sentence (WeakPassphrase), or return."""
    if not published_ok and passphrase.strip().lower() in PUBLISHED:
        raise WeakPassphrase(
            _(
                "That passphrase is printed in PPO Panel's README for the fictional demo store; choose "
                "your own."
            )
        )
    known = split(words)
    try:
        check_strength(passphrase, *known)
    except SlotError as exc:
        raise WeakPassphrase(str(exc)) from None
    rest = without(passphrase, known)
    if rest != passphrase:
        try:  # what is left once the store's own words are guessed must hold by itself
            check_strength(rest, *known)
        except SlotError:
            raise WeakPassphrase(
                _(
                    "That passphrase is mostly this store's own words (the partnership, the users, the "
                    "scheme), which anyone who knows the panel would try first. Add words of your own."
                )
            ) from None


def without(passphrase: str, words: Iterable[str]) -> str:
    """``passphrase`` with every one of ``words`` taken out (whatever the case), longest first."""
    ordered = sorted({w.lower() for w in words if w}, key=len, reverse=True)
    if not ordered:
        return passphrase
    return re.sub("|".join(re.escape(w) for w in ordered), "", passphrase, flags=re.IGNORECASE)


def split(words: Iterable[str]) -> list[str]:
    """Each word whole and in its parts ("Fictionshire CSP 2026" → it, "Fictionshire", "CSP",
    "2026"; "demo.coordinator" → it, "demo", "coordinator")."""
    out: list[str] = []
    for text in words:
        if not text:
            continue
        out.append(text)
        out += [part for part in _parts(text) if len(part) > 2]
    return out


def _parts(text: str) -> list[str]:
    return re.split(r"[\W_]+", text)
