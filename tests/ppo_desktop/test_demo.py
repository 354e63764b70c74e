"""The demo store: an obviously fictional partnership with every feature represented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE, FAMILY, build_demo
from ppo_desktop.domain import PPO_STRANDS, MeetingState, Status
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.session import unlock
from tests.conftest import CHEAP, DEMO_DAY


def test_demo_contents(demo_store: Path) -> None:
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    try:
        cohort = Cases(ws).cohort()
        current = [r.membership for r in cohort if r.membership and r.membership.current]
        assert 70 <= len(cohort) <= 90
        assert {m.strand for m in current} == set(PPO_STRANDS)
        assert {m.status for m in current} == set(Status)
        custody = [m for m in current if m.status is Status.CUSTODY]
        assert custody and all(m.release_on and m.custody_on for m in custody)
        assert any(
            r.membership and not r.membership.current and r.membership.removal_authority for r in cohort
        )
        assert any(r.membership is None for r in cohort)  # candidates
        meetings = Meetings(ws).all()
        assert [m.state for m in meetings].count(MeetingState.CLOSED) == 2
        upcoming = [m for m in meetings if m.state is MeetingState.PLANNED]
        assert len(upcoming) == 1 and upcoming[0].held_on > DEMO_DAY
        assert ws.db.execute("SELECT count(*) FROM decisions WHERE meeting_id IS NOT NULL").fetchone()[0] >= 8
        assert ws.db.execute("SELECT count(*) FROM actions WHERE meeting_id IS NOT NULL").fetchone()[0] >= 8
        assert ws.audit.verify().ok
    finally:
        ws.close()


def test_demo_names_are_fictional() -> None:
    # Every family name is built from a made-up word list; none is a common UK surname.
    common = {
        "Smith",
        "Jones",
        "Williams",
        "Taylor",
        "Brown",
        "Davies",
        "Evans",
        "Wilson",
        "Thomas",
        "Johnson",
    }
    assert not common & set(FAMILY)


@pytest.mark.slow
def test_demo_is_deterministic(tmp_path: Path) -> None:
    def names(path: Path) -> list[tuple[str, str, str | None]]:
        build_demo(path, today=dt.date(2026, 1, 1), cost=CHEAP)
        ws = unlock(path, DEMO_PASSPHRASE, device=DeviceSecrets(None))
        try:
            return [
                (
                    r.nominal.family_name,
                    r.nominal.given_names,
                    r.membership.status.value if r.membership else None,
                )
                for r in Cases(ws).cohort()
            ]
        finally:
            ws.close()

    assert names(tmp_path / "a.ppo") == names(tmp_path / "b.ppo")
