"""Two stores that start from the same pack, edited apart (the same records too) and exchanging
packs in both directions in any order, end with the same case data; every audit chain verifies."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop.domain import Basis, DecisionKind, MeetingState, Pathway, Status, Strand
from ppo_desktop.services.actions import Actions
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.decisions import Decisions
from ppo_desktop.services.exchange import Exchange
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.room import Room
from ppo_desktop.services.session import create_store
from ppo_desktop.services.transfer import Transfer
from ppo_desktop.services.workspace import ServiceError, Workspace
from ppo_desktop.transfer.sync import REFERENCES, TABLES
from tests.ppo_desktop.exchange.test_two_laptops import PACK

EDITS = ("quorum", "notes", "minutes", "address", "arrest", "status", "action", "attendee", "remove-item",
         "decide", "undo")  # fmt: skip


def _store(folder: Path, name: str, cost: KdfCost) -> Workspace:
    ws, _ = create_store(
        folder / name, user_id=name, display_name=f"Test {name}", passphrase=f"{name} passphrase 12",
        partnership="Testshire (TEST)", device=DeviceSecrets(None), cost=cost,
    )  # fmt: skip
    return ws


def _seed(ws: Workspace) -> int:
    cases, meetings = Cases(ws), Meetings(ws)
    meeting = meetings.plan("Testshire PPO panel", ws.today() + dt.timedelta(days=7)).record
    for n, family in enumerate(("Quillfeather", "Tumbletoe", "Wobbleton")):
        person = cases.add_nominal(NominalDraft(family, "Test", dob=dt.date(1990, 1, 1 + n))).record
        Memberships(cases.ws).select(person.id, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS)
        meetings.add_item(meeting.id, f"Review {family}", nominal_id=person.id)
    return meeting.id


def _edit(ws: Workspace, meeting_id: int, edit: str, pick: int, text: str) -> None:
    """One edit as a person would make it; one the rules refuse (a closed meeting, an item with a
    decision) is refused as it would be, and the sequence goes on."""
    try:
        _make(ws, meeting_id, edit, pick, text)
    except ServiceError:
        pass


def _make(ws: Workspace, meeting_id: int, edit: str, pick: int, text: str) -> None:
    meetings, cases = Meetings(ws), Cases(ws)
    items = meetings.agenda(meeting_id)
    people = [r.nominal.id for r in cases.cohort()]
    if edit == "quorum":
        meetings.set_quorum_note(meeting_id, text)
    elif edit == "notes" and items:
        meetings.set_notes(items[pick % len(items)].id, text)
    elif edit == "minutes" and items:
        meetings.set_minutes(items[pick % len(items)].id, 5 + pick)
    elif edit == "address":
        cases.update_nominal(people[pick % len(people)], address=text)
    elif edit == "arrest":
        arrest_on = ws.today() - dt.timedelta(days=pick + 1)
        Memberships(cases.ws).record_activity(people[pick % len(people)], arrest_on=arrest_on)
    elif edit == "status":
        membership = Memberships(cases.ws).current_membership(people[pick % len(people)])
        if membership is not None:
            status = (Status.CUSTODY, Status.NOT_OFFENDING)[pick % 2]
            Memberships(cases.ws).set_status(membership.id, status, custody_on=ws.today())
    elif edit == "action":
        Actions(ws).add(people[pick % len(people)], pathway=Pathway.ACCOMMODATION, description=text or "x",
                        agency="Probation", owner="Example Officer", due_on=None)  # fmt: skip
    elif edit == "attendee":
        Room(meetings.ws).add_attendee(meeting_id, text or "x", "Police")
    elif edit == "remove-item" and len(items) > 1 and not meetings.decisions(meeting_id):
        meetings.remove_item(items[pick % len(items)].id)
    elif edit == "decide" and items:
        if meetings.get(meeting_id).state is MeetingState.PLANNED:
            meetings.start(meeting_id)  # on either laptop, or both: the same state, joined
        Decisions(ws).decide(items[pick % len(items)].id, DecisionKind.RETAIN, note=text)
    elif edit == "undo" and items:
        taken = Decisions(ws).for_item(items[pick % len(items)].id)
        if taken:
            Decisions(ws).undo(taken[-1].id)


def _send(ws: Workspace, meeting_id: int, partner: str) -> bytes:
    return Transfer(ws).export([], meeting_id=meeting_id, partner=partner, passphrase=PACK,
                               recipient="the other laptop", justification="Exchange")  # fmt: skip


def _merge(ws: Workspace, data: bytes) -> int:
    """Merge, settling each conflict by a rule both sides share: the value that sorts last."""
    transfer = Transfer(ws)
    plan = transfer.plan(data, passphrase=PACK)
    choose = {c.key: "there" if str(c.there) > str(c.here) else "here" for c in plan.conflicts}
    transfer.commit(plan, justification="Exchange", resolutions=choose, trusted=plan.fingerprint)
    return len(plan.conflicts)


def _case_data(ws: Workspace) -> dict[str, set[tuple[Any, ...]]]:
    """Every tracked record by its origin, references as origins: comparable across stores."""
    exchange = Exchange(ws)
    out: dict[str, set[tuple[Any, ...]]] = {}
    for table in TABLES:
        fields = sorted(exchange.fields(table))
        rows = set()
        for r in ws.db.query(f"SELECT * FROM {table}"):
            values = tuple(
                exchange.uid(REFERENCES[f], r[f]) if f in REFERENCES and r[f] is not None else r[f]
                for f in fields
            )
            rows.add((exchange.uid(table, r["id"]), *values))
        out[table] = rows
    return out


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # explaining takes minutes
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(("a", "b")), st.sampled_from((*EDITS, "send", "deliver")),
                  st.integers(0, 5), st.sampled_from(("", "alpha", "beta", "gamma"))),
        min_size=4, max_size=18,
    ),
    seed=st.integers(0, 2**16),
)  # fmt: skip
@pytest.mark.slow
def test_any_edits_and_any_order_of_exchange_converge(
    steps: list[tuple[str, str, int, str]], seed: int, cost: KdfCost
) -> None:
    shuffle = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        a, b = _store(Path(folder), "a", cost), _store(Path(folder), "b", cost)
        try:
            meeting_a = _seed(a)
            first = Transfer(a).export(
                [], meeting_id=meeting_a, passphrase=PACK, recipient="b", justification="x"
            )
            _merge(b, first)
            meeting_b = next(m.id for m in Meetings(b).all())
            _merge(a, _send(b, meeting_b, a.vault.store_id))
            stores = {"a": (a, meeting_a, b.vault.store_id), "b": (b, meeting_b, a.vault.store_id)}
            in_flight: dict[str, list[bytes]] = {"a": [], "b": []}  # packs on their way to each store
            for side, step, pick, text in steps:
                ws, meeting_id, partner = stores[side]
                if step == "send":
                    in_flight["b" if side == "a" else "a"].append(_send(ws, meeting_id, partner))
                elif step == "deliver" and in_flight[side]:
                    _merge(ws, in_flight[side].pop(shuffle.randrange(len(in_flight[side]))))
                else:
                    _edit(ws, meeting_id, step, pick, text)
            for side in ("a", "b"):  # whatever is still on its way arrives, in any order
                shuffle.shuffle(in_flight[side])
                for data in in_flight[side]:
                    _merge(stores[side][0], data)
            for _ in range(2):  # then one exchange each way, twice: nothing is left to settle
                _merge(b, _send(a, meeting_a, b.vault.store_id))
                _merge(a, _send(b, meeting_b, a.vault.store_id))
            assert _case_data(a) == _case_data(b)
            assert a.audit.verify().ok and b.audit.verify().ok
        finally:
            a.close()
            b.close()
