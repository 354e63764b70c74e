"""A merge travels to the other laptop (issue 29): the records moved arrive there under the kept
person. The merged record itself stays on the other laptop, with nothing of the meeting naming it,
until a person merges it there too (a pack never deletes a person)."""

from __future__ import annotations

from ppo_desktop.domain import MeetingState
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.person_merge import PersonMerge
from ppo_desktop.services.transfer import Transfer
from ppo_desktop.services.workspace import Workspace
from tests.ppo_desktop.exchange.test_two_laptops import PACK, merge, send


def test_a_merge_reaches_the_other_laptop(demo: Workspace, laptop: Workspace) -> None:
    meetings = Meetings(demo)
    meeting = next(m for m in meetings.all() if m.state is MeetingState.PLANNED)
    kept = Cases(demo).cohort(include_former=False)[0].nominal
    dupe = Cases(demo).add_nominal(NominalDraft(kept.family_name, "Dupe", dob=kept.dob)).record
    for person in (kept, dupe):
        meetings.add_item(meeting.id, person.display_name, nominal_id=person.id, reasons=["test"])
    merge(laptop, send(demo, meeting.id))
    PersonMerge(demo).merge(kept.id, dupe.id, justification="One person (test)")
    plan = Transfer(laptop).plan(send(demo, meeting.id), passphrase=PACK)
    Transfer(laptop).commit(plan, justification="Exchange", trusted=plan.fingerprint)
    items = [i for i in Meetings(laptop).agenda(next(m.id for m in Meetings(laptop).all()
                                                     if m.state is MeetingState.PLANNED))]
    there_kept = {i.nominal_id for i in items if i.title == kept.display_name}
    there_dupe = {i.nominal_id for i in items if i.title == dupe.display_name}
    assert there_kept == there_dupe and len(there_kept) == 1  # both items name one person there too
    named = {r[0] for r in laptop.db.execute("SELECT nominal_id FROM agenda_items")}
    left = [r[0] for r in laptop.db.execute("SELECT id FROM nominals WHERE given_names = 'Dupe'")]
    assert left and not set(left) & named  # still there, named by nothing of the meeting
