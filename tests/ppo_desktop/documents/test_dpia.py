"""The DPIA draft (issue 27, deliver 4): the store's own facts, counted right, naming no one the data
is about, for an administrator only; the DPO's sections left to complete."""

from __future__ import annotations

import pytest

from ppo_desktop.domain import Role
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.documents import Documents
from ppo_desktop.services.dpia import gather
from ppo_desktop.services.retention import Retention
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import PermissionDenied, Workspace
from tests.ppo_desktop.documents.test_minutes_record import text_of


def test_the_draft_counts_what_is_held_and_names_no_one(demo: Workspace) -> None:
    facts = gather(demo)
    held = dict(facts.held)
    assert held["People (identity, date of birth, address, PNC / CRO numbers, aliases)"] == (
        demo.db.execute("SELECT count(*) FROM nominals").fetchone()[0]
    )
    assert dict(facts.roles) == {"administrator": 1}
    text = " ".join(text_of(Documents(demo).dpia().pdf).split())
    for line in (str(p) for p in Retention(demo).schedule()):
        assert " ".join(line.split())[:60] in text
    assert "To complete: Necessity and proportionality" in text and "DPA 2018 s.64" in text
    people = [r.nominal for r in Cases(demo).cohort()]
    assert people and not any(n.family_name.upper() in text.upper() for n in people)
    assert not any(n.ref in text for n in people)


def test_only_an_administrator_makes_the_draft(demo: Workspace) -> None:
    user = Users(demo).add("coord", "Coordinator", Role.COORDINATOR, "coordinator passphrase 1").record
    with pytest.raises(PermissionDenied, match="impact assessment"):
        gather(Workspace(demo.vault, user))
