"""Transfer packs against someone who has the chair's public key and a text editor: forged senders,
invented scores, work-factor and decompression bombs, records claiming to be the receiver's own,
and random bytes. Every one is refused with a sentence, and the store is unchanged."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ppo_desktop.transfer.pack as pack
from ppo_desktop.domain import MeetingState
from ppo_desktop.services.exchange import Exchange
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.transfer import FORMAT, Transfer
from ppo_desktop.services.transfer_keys import TransferKeys
from ppo_desktop.services.workspace import ServiceError, Workspace

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass


def _state(ws: Workspace) -> tuple[int, ...]:
    return tuple(
        ws.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("nominals", "score_sheets", "memberships", "audit", "settings")
    )


def _real_payload(demo: Workspace, laptop: Workspace) -> dict[str, Any]:
    """A genuine pack from the coordinator, opened on the chair's laptop (and merged: key pinned)."""
    key = TransferKeys(laptop).public_key()
    data = Transfer(demo).export([1, 2], recipient_key=key, recipient="Chair", justification="Panel")
    plan = Transfer(laptop).plan(data)
    Transfer(laptop).commit(plan, justification="Panel", trusted=plan.fingerprint)
    return plan.opened.whole()


def _records(payload: dict[str, Any], table: str) -> list[dict[str, Any]]:
    return [r for r in payload["records"] if r["t"] == table]


def _forge(payload: dict[str, Any], laptop: Workspace, **options: Any) -> bytes:
    """What an outsider can make: the chair's public key is not secret; their signing key is their own."""
    public = pack.parse_public_key(TransferKeys(laptop).public_key())
    return pack.seal(payload, signing_key=pack.new_signing_key(), recipient=public, **options)


def test_a_forged_sender_is_refused(demo: Workspace, laptop: Workspace) -> None:
    payload = _real_payload(demo, laptop)
    sheet = _records(payload, "score_sheets")[0]
    sheet["uid"] = "elsewhere:score_sheets:1"
    before = _state(laptop)
    with pytest.raises(ServiceError, match="It was not made there"):
        Transfer(laptop).plan(_forge(payload, laptop))
    assert _state(laptop) == before


def test_an_invented_score_is_refused_even_on_a_first_exchange(demo: Workspace, laptop: Workspace) -> None:
    payload = _real_payload(demo, laptop)
    payload["from"].update(store="a-store-never-seen", user="Someone Else")  # (a known name is refused)
    sheet = _records(payload, "score_sheets")[0]
    payload["records"].append(
        {**sheet, "uid": "a-store-never-seen:score_sheets:77", "v": {**sheet["v"], "total": 999.0}}
    )
    with pytest.raises(ServiceError, match="total does not follow from its inputs"):
        Transfer(laptop).plan(_forge(payload, laptop))


def test_records_claiming_to_be_the_receivers_own_are_refused(demo: Workspace, laptop: Workspace) -> None:
    payload = _real_payload(demo, laptop)
    payload["from"].update(store="a-store-never-seen", user="Someone Else")  # (a known name is refused)
    _records(payload, "nominals")[0]["uid"] = f"{laptop.vault.store_id}:nominal:4242"
    with pytest.raises(ServiceError, match="claims to have been made in this store"):
        Transfer(laptop).plan(_forge(payload, laptop))
    payload["from"]["store"] = laptop.vault.store_id
    with pytest.raises(ServiceError, match="from this very store"):
        Transfer(laptop).plan(_forge(payload, laptop))


def test_unknown_fields_are_refused(demo: Workspace, laptop: Workspace) -> None:
    payload = _real_payload(demo, laptop)
    payload["from"].update(store="a-store-never-seen", user="Someone Else")  # (a known name is refused)
    _records(payload, "person_events")[0]["v"]["role"] = "administrator"
    with pytest.raises(ServiceError, match="fields this store does not know \\(role\\)"):
        Transfer(laptop).plan(_forge(payload, laptop))


def _signed(meta: dict[str, Any], sealed: bytes) -> bytes:
    """A pack built by hand: any header the attacker likes, signed with their own key."""
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    signer = pack._b64(key.public_key().public_bytes_raw())
    body = pack.MAGIC + json.dumps({**meta, "signer": signer}).encode() + b"\n" + sealed
    return body + key.sign(body)


def test_a_work_factor_bomb_is_refused_before_any_work(
    laptop: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    salt, nonce = pack._b64(b"s" * 16), pack._b64(b"n" * 12)
    data = _signed(
        {"mode": "passphrase", "salt": salt, "nonce": nonce, "n": 2**20, "r": 8, "p": 1000000}, b"x" * 64
    )

    def no_scrypt(*_a: object, **_k: object) -> None:
        raise AssertionError("scrypt must not run for a refused header")

    monkeypatch.setattr(pack, "Scrypt", no_scrypt)
    with pytest.raises(ServiceError, match="key-derivation settings"):
        Transfer(laptop).plan(data, passphrase="a long pack passphrase 9")


def test_a_decompression_bomb_is_refused(laptop: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack, "MAX_CONTENTS", 1 << 20)
    signer = pack.new_signing_key()
    bomb = zlib.compress(b" " * (4 << 20), 9)  # 4 MB of spaces in a few kilobytes
    monkeypatch.setattr(pack, "_pack", lambda _payload: bomb)
    public = pack.parse_public_key(TransferKeys(laptop).public_key())
    data = pack.seal({"format": 1}, signing_key=signer, recipient=public)
    with pytest.raises(ServiceError, match="larger than 1 MB unpacked"):
        Transfer(laptop).plan(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.one_of(
        st.binary(max_size=300),
        st.dictionaries(st.sampled_from(["mode", "salt", "nonce", "n", "r", "p", "signer", "recipient"]),
                        st.one_of(st.integers(), st.text(max_size=20), st.none(), st.lists(st.integers())),
                        max_size=8).map(lambda d: json.dumps(d).encode()),
    ),
    tail=st.binary(max_size=200),
)  # fmt: skip
def test_random_headers_give_a_sentence_never_a_traceback(
    laptop: Workspace,
    header: bytes,
    tail: bytes,
) -> None:
    before = _state(laptop)
    with pytest.raises(ServiceError):
        Transfer(laptop).plan(pack.MAGIC + header + b"\n" + tail, passphrase="a long pack passphrase 9")
    assert _state(laptop) == before


def test_csv_and_workbook_fuzz_gives_a_sentence_never_a_traceback(laptop: Workspace, tmp_path: Path) -> None:
    from hypothesis import given as given_

    from ppo_desktop.imports.nominations import NominationImport
    from ppo_desktop.imports.sources import ImportProblem

    csv_like = st.text(alphabet=',;\t|"\n\r aZ09é=-/', max_size=400).map(str.encode)
    header = "Surname,Forenames,Agency,Strand,Reason\n"
    with_header = st.text(alphabet=',;\t|"\n\r aZ09é=-/', max_size=400).map(lambda t: (header + t).encode())
    raw = st.one_of(st.binary(max_size=2000), csv_like, with_header)

    @settings(max_examples=200, deadline=None)
    @given_(data=raw, suffix=st.sampled_from([".csv", ".xlsx", ".tsv"]))
    def attempt(data: bytes, suffix: str) -> None:
        path = tmp_path / f"fuzz{suffix}"
        path.write_bytes(data)
        before = _state(laptop)
        try:
            plan = NominationImport(laptop).plan(path)
        except (ImportProblem, ServiceError):
            pass
        else:
            assert all(r.message.startswith(f"Row {r.number}:") for r in plan.rows)
        assert _state(laptop) == before

    attempt()


def _membership(payload: dict[str, Any]) -> dict[str, Any]:
    return _records(payload, "person_events")[0]


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda p: p["records"].append({"t": "users", "uid": "x:users:1", "v": {}}), "kind this version"),
        (lambda p: p["records"].append({"t": "audit", "uid": "x:audit:1", "v": {}}), "kind this version"),
        (lambda p: _membership(p)["vv"].update(status={"elsewhere": -3}), "version details"),
        (lambda p: _membership(p)["vv"].update(status={"elsewhere": "9"}), "version details"),
        (lambda p: _membership(p)["vv"].update(secret={"elsewhere": 9}), "version details"),
        (lambda p: _membership(p)["by"].update(status=["a", 1, None]), "version details"),
        (lambda p: _membership(p)["v"].update(nominal_id="elsewhere:meeting:1"), "another kind"),
        (lambda p: _membership(p).update(deleted=False), "damaged"),
        (lambda p: p.update(upto="12"), "exchange details"),
        (lambda p: p["disclosures"].append({"uid": "x:disclosure:1"}), "incomplete"),
    ],
)  # fmt: skip
def test_crafted_changes_are_refused_whole(
    demo: Workspace, laptop: Workspace, tamper: Any, message: str
) -> None:
    """Tables a pack may not touch, version vectors that are not counts, references to the wrong kind
    of record: refused before anything is merged."""
    payload = _real_payload(demo, laptop)
    payload["from"].update(store="a-store-never-seen", user="Someone Else")  # (a known name is refused)
    tamper(payload)
    before = _state(laptop)
    with pytest.raises(ServiceError, match=message):
        Transfer(laptop).plan(_forge(payload, laptop))
    assert _state(laptop) == before


def test_a_final_score_sheet_is_never_rewritten_by_a_pack(demo: Workspace, laptop: Workspace) -> None:
    """A partner's pack can change what partners change; a final score sheet is not among them."""
    payload = _real_payload(demo, laptop)
    payload["from"].update(store="a-store-never-seen", user="Someone Else")  # (a known name is refused)
    sheet = _records(payload, "score_sheets")[0]
    sheet["v"]["scorer"] = "Someone Else"
    sheet["vv"]["scorer"] = {"a-store-never-seen": 10**9}
    transfer = Transfer(laptop)
    forged = transfer.plan(_forge(payload, laptop))
    transfer.commit(forged, justification="Panel", trusted=forged.fingerprint)
    scorers = {r[0] for r in laptop.db.execute("SELECT scorer FROM score_sheets")}
    assert "Someone Else" not in scorers


def _hostile(demo: Workspace, receiver: Workspace, attacker: str, user: str, partnership: str) -> bytes:
    """A pack for ``receiver`` from a store never seen that turns a decision of a meeting closed on
    ``demo`` from whatever it was into a de-selection, with vectors that claim to be newer."""
    closed = next(m for m in Meetings(demo).all() if m.state is MeetingState.CLOSED)
    decision = Meetings(demo).decisions(closed.id)[0]
    [record] = Exchange(demo).records([("decisions", decision.id)])
    record["v"] = {**record["v"], "kind": "deselect", "note": "the attacker's words"}
    record["vv"] = {**record["vv"], "kind": {attacker: 99}, "note": {attacker: 99}}  # "newer than yours"
    payload = {
        "format": FORMAT, "from": {"store": attacker, "partnership": partnership, "user": user,
                                   "at": "2026-11-20T10:00:00"},
        "to": None, "upto": 100, "ack": None, "meeting": None, "records": [record], "disclosures": [],
    }  # fmt: skip
    public = pack.parse_public_key(TransferKeys(receiver).public_key())
    return pack.seal(payload, signing_key=pack.new_signing_key(), recipient=public)


def test_a_pack_never_changes_a_meeting_closed_here_silently(demo: Workspace, laptop: Workspace) -> None:
    """A store never seen sends a change to a decision of a meeting this store closed: it is a
    conflict a person decides (a closed meeting changes only by amendment), never merged as it stands."""
    closed = next(m for m in Meetings(demo).all() if m.state is MeetingState.CLOSED)
    before = [(d.kind, d.note) for d in Meetings(demo).decisions(closed.id)]
    plan = Transfer(demo).plan(_hostile(demo, demo, "a-store-never-seen", "Mallory", "Elsewhere CSP"))
    assert plan.conflicts
    assert all("closed here: it changes only by amendment" in c.record for c in plan.conflicts)
    with pytest.raises(ServiceError, match="conflict"):
        Transfer(demo).commit(plan, justification="Merging what arrived", trusted=plan.fingerprint)
    assert [(d.kind, d.note) for d in Meetings(demo).decisions(closed.id)] == before


def test_a_new_store_under_a_known_partners_name_is_refused(demo: Workspace, laptop: Workspace) -> None:
    """'From Demo Chair …' — the name of the laptop this store exchanges with, from a store and key
    never seen: refused before anything is read into a plan."""
    _real_payload(demo, laptop)  # the laptop now knows the coordinator's store by its name
    coordinator = Exchange(laptop).partners()[0]["label"]
    user, _, partnership = coordinator.partition(" (")
    data = _hostile(demo, laptop, "a-store-never-seen", user, partnership.removesuffix(")"))
    with pytest.raises(ServiceError, match="the name of a store this laptop exchanges with"):
        Transfer(laptop).plan(data)


@pytest.mark.parametrize(
    ("table", "field", "value", "says"),
    [
        ("person_events", "kind", "exploded", "its kind is not one this store knows"),
        ("person_events", "details", '{"state": "exploded"}', "its state is not one this store knows"),
        ("person_events", "details", '{"release_on": "soon"}', "its release_on is not a date"),
        ("person_events", "details", '{"years": "ten"}', "its years is not a whole number"),
        ("person_events", "details", "[1, 2]", "its details are not a record"),
        ("person_events", "occurred_on", "31/02/2026", "its occurred_on is not a date"),
        ("nominals", "dob", 19990101, "its dob is not a date"),
    ],
)
def test_a_value_outside_its_domain_is_refused_at_the_door(
    demo: Workspace, laptop: Workspace, table: str, field: str, value: object, says: str
) -> None:
    """An unknown meeting state once left the Meetings screen failing every time it opened: values
    with a fixed set (states, kinds, strands) and dates are checked before anything is stored."""
    payload = _real_payload(demo, laptop)
    payload["from"].update(store="a-store-never-seen", user="Someone Else")
    record = next(r for r in _records(payload, table) if field in r["v"])
    record["v"][field] = value
    before = _state(laptop)
    with pytest.raises(ServiceError, match=says):
        Transfer(laptop).plan(_forge(payload, laptop))
    assert _state(laptop) == before


def test_an_unknown_meeting_state_is_refused(demo: Workspace, laptop: Workspace) -> None:
    meeting = next(m for m in Meetings(demo).all() if m.state is MeetingState.PLANNED)
    [record] = Exchange(demo).records([("meetings", meeting.id)])
    record["v"]["state"] = "exploded"
    payload = {
        "format": FORMAT, "from": {"store": "a-store-never-seen", "partnership": "X", "user": "Y",
                                   "at": "2026-11-20T10:00:00"},
        "to": None, "upto": 1, "ack": None, "meeting": None, "records": [record], "disclosures": [],
    }  # fmt: skip
    public = pack.parse_public_key(TransferKeys(laptop).public_key())
    data = pack.seal(payload, signing_key=pack.new_signing_key(), recipient=public)
    with pytest.raises(ServiceError, match="its state is not one this store knows"):
        Transfer(laptop).plan(data)


def test_a_pack_is_read_a_record_at_a_time_in_the_order_a_merge_needs(
    demo: Workspace, laptop: Workspace
) -> None:
    """The merge reads a pack a record at a time (a whole store's pack is never held whole), so a
    record must come after those it may refer to: a pack with its people after their records was not
    made by PPO Panel, and is refused before anything is merged."""
    payload = _real_payload(demo, laptop)
    payload["from"].update(store="a-store-never-seen", user="Someone Else")
    people = [r for r in payload["records"] if r["t"] == "nominals"]
    payload["records"] = [r for r in payload["records"] if r["t"] != "nominals"] + people
    before = _state(laptop)
    with pytest.raises(ServiceError, match="out of order"):
        Transfer(laptop).plan(_forge(payload, laptop))
    assert _state(laptop) == before


def test_a_pack_with_one_enormous_record_or_cut_short_is_refused(
    laptop: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pack, "MAX_LINE", 1 << 20)
    public = pack.parse_public_key(TransferKeys(laptop).public_key())
    details = json.dumps({"format": 3}).encode() + b"\n"
    for body, said in (
        (zlib.compress(details + b"[" + b" " * (2 << 20) + b"]\n"), "larger than 1 MB; refused"),
        (zlib.compress(details + b'{"t": "nominals"}\n')[:-6], "cut short"),
    ):
        monkeypatch.setattr(pack, "_pack", lambda _payload, body=body: body)
        data = pack.seal({"format": 3}, signing_key=pack.new_signing_key(), recipient=public)
        opened = pack.open_pack(data, private=bytes.fromhex(str(laptop.setting("transfer_private_key"))))
        with pytest.raises(pack.PackError, match=said):
            list(opened.records())
