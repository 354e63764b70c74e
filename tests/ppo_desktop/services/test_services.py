"""Every write goes through a service, in one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ppo_desktop.domain import ActionState, Basis, Pathway, RemovalReason, Role, Status, Strand, User
from ppo_desktop.services.actions import Actions
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.workspace import PermissionDenied, ServiceError, Workspace


def audit_rows(ws: Workspace) -> list[dict[str, object]]:
    return list(ws.db.query("SELECT * FROM audit ORDER BY seq"))


def test_add_nominal_writes_row_and_audit_entry(ws: Workspace) -> None:
    before = len(audit_rows(ws))
    changes = Cases(ws).add_nominal(
        NominalDraft("Quillfeather", "Zebedee", dob=dt.date(1990, 1, 2), pnc_id=" 99/123456z ")
    )
    nominal = changes.record
    assert nominal.ref == "N00001"
    assert nominal.pnc_id == "99/123456Z"
    assert changes.topics == frozenset({"nominals"}) and changes.nominal_ids == frozenset({nominal.id})
    entries = audit_rows(ws)[before:]
    assert [(e["kind"], e["entity"], e["nominal_id"]) for e in entries] == [
        ("collection", "nominal", nominal.id)
    ]


def test_update_records_before_and_after(ws: Workspace) -> None:
    cases = Cases(ws)
    nominal = cases.add_nominal(NominalDraft("Quillfeather", "Zebedee", area="Northbrook")).record
    changes = cases.update_nominal(nominal.id, area="Eastmarsh", justification="moved")
    updated = changes.record
    assert updated.area == "Eastmarsh"
    last = audit_rows(ws)[-1]
    assert last["kind"] == "alteration"
    assert json.loads(str(last["before"])) == {"area": "Northbrook"}
    assert json.loads(str(last["after"])) == {"area": "Eastmarsh"}
    assert last["justification"] == "moved"
    nothing = cases.update_nominal(nominal.id, area="Eastmarsh")
    assert nothing.topics == frozenset()



def test_a_correction_cannot_blank_a_name_or_give_a_birth_date_after_today(ws: Workspace) -> None:
    """update_nominal checked nothing add_nominal checks: a correction could blank the family name."""
    cases = Cases(ws)
    nominal = cases.add_nominal(NominalDraft("Quillfeather", "Zebedee")).record
    entries = len(audit_rows(ws))
    with pytest.raises(ServiceError, match="family name and given names"):
        cases.update_nominal(nominal.id, family_name="  ", justification="slip")
    tomorrow = ws.today() + dt.timedelta(days=1)
    with pytest.raises(ServiceError, match="cannot be after today"):
        cases.update_nominal(nominal.id, dob=tomorrow, justification="slip")
    assert cases.nominal(nominal.id).family_name == "Quillfeather" and len(audit_rows(ws)) == entries
    born = cases.update_nominal(nominal.id, dob=ws.today(), justification="born today").record
    assert born.dob == ws.today()


def test_failed_write_leaves_no_row_and_no_audit(ws: Workspace) -> None:
    cases = Cases(ws)
    count = len(audit_rows(ws))
    with pytest.raises(ServiceError, match="family name"):
        cases.add_nominal(NominalDraft(" ", "Zebedee"))
    with pytest.raises(ServiceError, match="Unknown nominal field"):
        cases.update_nominal(1, shoe_size="12")
    assert len(audit_rows(ws)) == count
    assert ws.db.execute("SELECT count(*) FROM nominals").fetchone()[0] == 0


def test_strand_history_and_removal_needs_authority(ws: Workspace) -> None:
    cases = Cases(ws)
    nominal = cases.add_nominal(NominalDraft("Mossbottom", "Rufus")).record
    membership = Memberships(cases.ws).select(
        nominal.id, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS, on=dt.date(2026, 1, 10)
    ).record
    assert membership.next_review_on == dt.date(2026, 7, 10)  # C&C: six-monthly
    with pytest.raises(ServiceError, match="already on Catch & Convict"):
        Memberships(cases.ws).select(nominal.id, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS)
    moved = Memberships(cases.ws).select(
        nominal.id, Strand.REHABILITATE_RESETTLE, Basis.PROLIFIC, Status.NOT_OFFENDING, on=dt.date(2026, 3, 1)
    ).record
    assert Memberships(cases.ws).membership(membership.id).is_lead is False
    assert Memberships(cases.ws).current_membership(nominal.id) == moved
    with pytest.raises(ServiceError, match="on whose authority"):
        Memberships(cases.ws).remove(moved.id, RemovalReason.MOVED_AWAY, authority=" ")
    removed = Memberships(cases.ws).remove(
        moved.id, RemovalReason.MOVED_AWAY, authority="DI Chair (panel 2026-04)", on=dt.date(2026, 4, 2)
    ).record
    assert (removed.removed_on, removed.removal_reason) == (dt.date(2026, 4, 2), RemovalReason.MOVED_AWAY)
    case = cases.open_case(nominal.id, purpose="test")
    assert [m.strand for m in case.memberships] == [Strand.REHABILITATE_RESETTLE, Strand.CATCH_CONVICT]
    assert audit_rows(ws)[-1]["kind"] == "consultation"


def test_actions_close_with_outcome(ws: Workspace) -> None:
    nominal = Cases(ws).add_nominal(NominalDraft("Nettlebed", "Prudence")).record
    actions = Actions(ws)
    action = actions.add(
        nominal.id,
        pathway=Pathway.ACCOMMODATION,
        description="Find a hostel place",
        agency="Housing",
        owner="Officer Example",
        due_on=dt.date(2026, 12, 1),
    ).record
    assert action.overdue_on(dt.date(2026, 12, 2)) and not action.overdue_on(dt.date(2026, 11, 30))
    with pytest.raises(ServiceError, match="outcome"):
        actions.close(action.id, ActionState.OPEN, outcome="")
    closed = actions.close(action.id, ActionState.NOT_POSSIBLE, outcome="Circumstances changed").record
    assert closed.state is ActionState.NOT_POSSIBLE and not closed.overdue_on(dt.date(2027, 1, 1))
    assert actions.open_actions() == []


def test_nomination_needs_who_and_why(ws: Workspace) -> None:
    nominal = Cases(ws).add_nominal(NominalDraft("Puddleford", "Cuthbert")).record
    noms = Nominations(ws)
    with pytest.raises(ServiceError, match="agency, the nominator and the reason"):
        noms.nominate(
            nominal.id,
            agency="Police",
            nominator="",
            strand=Strand.CATCH_CONVICT,
            basis=Basis.PROLIFIC,
            reason="volume",
        )
    nomination = noms.nominate(
        nominal.id,
        agency="Police",
        nominator="PC Example",
        strand=Strand.CATCH_CONVICT,
        basis=Basis.PROLIFIC,
        reason="volume",
    ).record
    assert noms.open_nominations() == [nomination]


def test_panel_member_cannot_write(ws: Workspace) -> None:
    ws.user = User("member", "Panel Member", Role.PANEL_MEMBER)
    with pytest.raises(PermissionDenied, match="may not make this change"):
        Cases(ws).add_nominal(NominalDraft("Wobblecombe", "Tabitha"))
    assert ws.db.execute("SELECT count(*) FROM nominals").fetchone()[0] == 0


def test_a_welsh_speaker_is_refused_in_welsh(ws: Workspace) -> None:
    """The services' refusals speak the user's language (a screen shows them as they come)."""
    from ppo_desktop import i18n

    nominal = Cases(ws).add_nominal(NominalDraft("Puddleford", "Cuthbert")).record
    i18n.use("cy")
    try:
        with pytest.raises(ServiceError, match="^Mae enwebiad angen yr asiantaeth, yr enwebydd a'r rheswm.$"):
            Nominations(ws).nominate(nominal.id, agency="Police", nominator="", strand=Strand.CATCH_CONVICT,
                                     basis=Basis.PROLIFIC, reason="volume")  # fmt: skip
        with pytest.raises(ServiceError, match="^Nid oes unigolyn â'r cyfeirnod 'N99999'.$"):
            Cases(ws).by_ref("N99999")
    finally:
        i18n.use(i18n.ENGLISH)
