"""Names carry no powers: the recovery key is a kind of slot, not a user name or a label anyone can
take, and a re-key after removing a user makes the slot list again from the users the store knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.device import DeviceSecrets
from ppo_desktop.domain import Role
from ppo_desktop.services import integrity
from ppo_desktop.services.session import StoreProblem, create_store, unlock
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import ServiceError

ADMIN, MEMBER, PLANTED = "admin heron slate 1", "member barge reeds 2", "planted kestrel moor 3"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    ws, _ = create_store(tmp_path / "panel", user_id="admin", display_name="Admin", passphrase=ADMIN,
                         partnership="Testshire", device=DeviceSecrets(None))  # fmt: skip
    Users(ws).add("member", "Member", Role.PANEL_MEMBER, MEMBER)
    ws.close()
    return tmp_path / "panel.ppo"


@pytest.mark.parametrize("name", ["recovery", "Recovery", "system", "outside"])
def test_no_user_takes_a_name_the_app_keeps(store: Path, tmp_path: Path, name: str) -> None:
    ws = unlock(store, ADMIN, user_id="admin", device=DeviceSecrets(None))
    with pytest.raises(ServiceError, match="keeps for itself"):
        Users(ws).add(name, "Someone", Role.PANEL_MEMBER, MEMBER)
    ws.close()
    with pytest.raises(StoreProblem, match="keeps for itself"):
        create_store(tmp_path / "other", user_id=name, display_name="X", passphrase=ADMIN,
                     partnership="Testshire", device=DeviceSecrets(None))  # fmt: skip


def test_a_passphrase_slot_labelled_recovery_is_not_the_recovery_key(store: Path) -> None:
    """A data-key holder plants a passphrase slot called 'recovery' (and a panel member record of
    that name, sealed, as a store from before the reserved names might hold): unlocking with it gives
    that record's own role, never the recovery key holder's administrator rights."""
    ws = unlock(store, ADMIN, user_id="admin", device=DeviceSecrets(None))
    ws.vault.add_user_slot("recovery", PLANTED)
    with ws.vault.transaction() as db:
        db.execute("INSERT INTO users (id, display_name, role, active, created_at) VALUES "
                   "('recovery', 'Old account', 'panel-member', 1, '2026-01-01T00:00:00')")  # fmt: skip
        integrity.seal_user(ws, "recovery")
    ws.close()
    opened = unlock(store, PLANTED, user_id="recovery", device=DeviceSecrets(None))
    assert opened.user.role is Role.PANEL_MEMBER and opened.user.display_name == "Old account"
    assert not opened.vault.by_recovery_key and not opened.status().by_recovery_key
    opened.close()


def test_a_planted_slot_does_not_survive_the_re_key_of_a_removal(store: Path) -> None:
    ws = unlock(store, ADMIN, user_id="admin", device=DeviceSecrets(None))
    ws.vault.add_user_slot("planted", PLANTED)  # a slot with no user record behind it
    assert "planted" in [s["label"] for s in ws.vault.slots()]
    Users(ws).remove("member")
    assert sorted((s["kind"], s["label"]) for s in ws.vault.slots()) == [
        ("passphrase", "admin"), ("recovery", "recovery")
    ]
    last = ws.audit.entries(limit=1)[0]
    assert last.summary.startswith("Store re-keyed") and '"slots_left_out": 1' in (last.after or "")
    ws.close()
    for passphrase, user in ((PLANTED, "planted"), (MEMBER, "member")):
        with pytest.raises(StoreProblem):
            unlock(store, passphrase, user_id=user, device=DeviceSecrets(None))
