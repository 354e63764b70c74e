"""A new passphrase is judged the same way wherever it is set, told the store's own words: the
guesses someone who knows the panel would make are refused, long passphrases are welcome, and the
demo's printed passphrase never protects a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE, DEMO_USER, PARTNERSHIP
from ppo_desktop.domain import Role
from ppo_desktop.services.passphrases import PUBLISHED, WeakPassphrase, split, without
from ppo_desktop.services.session import StoreProblem, create_store, reenrol
from ppo_desktop.services.transfer import Transfer
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import Workspace

LONG = "the heron stood in the reeds while a barge of slate went by at dusk " * 2  # 138 characters


@pytest.mark.parametrize(
    "guess",
    [
        f"{DEMO_USER}1",  # the user id, and a digit
        "Fictionshire Safety 2026",  # the partnership's words and a year
        "Thurrock20092011",  # the scheme's name and its years
    ],
)
def test_the_stores_own_words_are_guesses(demo: Workspace, guess: str) -> None:
    with pytest.raises(WeakPassphrase, match="too easy to guess|mostly this store's own words"):
        Users(demo).add("new.member", "New Member", Role.PANEL_MEMBER, guess)
    assert [r[0] for r in demo.db.execute("SELECT id FROM users WHERE id = 'new.member'")] == []


def test_the_words_are_split_as_a_guesser_would() -> None:
    assert split(["Fictionshire CSP 2026", "demo.coordinator", ""]) == [
        "Fictionshire CSP 2026", "Fictionshire", "CSP", "2026", "demo.coordinator", "demo", "coordinator",
    ]  # fmt: skip
    assert PARTNERSHIP.startswith("Fictionshire") and DEMO_PASSPHRASE in PUBLISHED
    assert without("Fictionshire heron slate barge", ["fictionshire", "heron"]) == "  slate barge"


def test_the_stores_words_beside_words_of_ones_own_are_fine(demo: Workspace) -> None:
    Users(demo).add("own.words", "Own Words", Role.PANEL_MEMBER, "Fictionshire heron slate barge at dusk")
    assert demo.db.execute("SELECT count(*) FROM users WHERE id = 'own.words'").fetchone()[0] == 1


def test_a_long_passphrase_is_welcome_everywhere(demo: Workspace, laptop: Workspace, tmp_path: Path) -> None:
    """Over 72 characters (zxcvbn's own limit) failed with an unexpected error at create, add-user
    and pack export."""
    ws, _ = create_store(tmp_path / "long", user_id="admin", display_name="Admin", passphrase=LONG,
                         partnership="Testshire", device=DeviceSecrets(None))  # fmt: skip
    ws.close()
    Users(demo).add("long.member", "Long Member", Role.PANEL_MEMBER, LONG)
    nid = demo.db.execute("SELECT id FROM nominals LIMIT 1").fetchone()[0]
    pack = Transfer(demo).export([nid], passphrase=LONG, recipient="Chair", justification="Panel")
    assert Transfer(laptop).plan(pack, passphrase=LONG).people


def test_the_demo_passphrase_never_protects_a_real_store(demo: Workspace, tmp_path: Path) -> None:
    with pytest.raises(StoreProblem, match="printed in PPO Panel's README"):
        create_store(tmp_path / "real", user_id="admin", display_name="Admin", passphrase=DEMO_PASSPHRASE,
                     partnership="Testshire", device=DeviceSecrets(None))  # fmt: skip
    assert not (tmp_path / "real.ppo").exists()
    with pytest.raises(WeakPassphrase, match="printed"):
        Users(demo).add("copycat", "Copy Cat", Role.PANEL_MEMBER, DEMO_PASSPHRASE.upper())
    with pytest.raises(StoreProblem, match="printed"):
        reenrol(demo, DEMO_USER, DEMO_PASSPHRASE)
