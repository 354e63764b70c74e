"""A deterministic, obviously fictional partnership for trying the app (no real people)."""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop import clock as system_clock
from ppo_desktop.domain import (
    ActionState,
    Basis,
    DecisionKind,
    Nominal,
    Pathway,
    RemovalOutcome,
    RemovalReason,
    Status,
    Strand,
)
from ppo_desktop.services.actions import Actions
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.cohort_years import CohortYears
from ppo_desktop.services.custody import Custody
from ppo_desktop.services.decisions import Decisions
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.offences import Offences
from ppo_desktop.services.room import Room
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.session import create_store
from ppo_desktop.services.workspace import Workspace

DEMO_USER = "demo.coordinator"
DEMO_PASSPHRASE = "fictional-demo-only"
PARTNERSHIP = "Fictionshire Community Safety Partnership (DEMO)"

FAMILY = [
    "Bramblewick",
    "Thistledown",
    "Mossbottom",
    "Quillfeather",
    "Puddleford",
    "Wobblecombe",
    "Fizzlethorpe",
    "Nettlebed",
    "Crumpleton",
    "Gigglesworth",
    "Snorkelby",
    "Tumbleweed",
    "Marrowfat",
    "Picklesham",
    "Dribbleton",
    "Wafflestone",
    "Bumblethwaite",
    "Custardine",
    "Sprocketson",
    "Noodleham",
]
GIVEN_M = [
    "Zebedee",
    "Barnaby",
    "Ignatius",
    "Peregrine",
    "Horatio",
    "Montgomery",
    "Cuthbert",
    "Rufus",
    "Bartholomew",
    "Ptolemy",
]
GIVEN_F = [
    "Ermintrude",
    "Clementine",
    "Gwendolyn",
    "Philippa",
    "Araminta",
    "Marigold",
    "Hermione",
    "Prudence",
    "Wilhelmina",
    "Tabitha",
]
AREAS = ["Northbrook", "Eastmarsh", "Riverside", "Old Town"]
STREETS = ["Imaginary Lane", "Makebelieve Road", "Nowhere Close", "Pretend Street", "Fable Avenue"]
ETHNICITY = ["White British", "White Other", "Black British", "Asian British", "Mixed", "Not stated"]
AGENCIES = ["Police", "Probation", "YOS", "Council ASB", "DIP", "Housing", "Prison"]
ATTENDEES = [
    ("DI Demo Chair", "Police", "Chair"),
    ("Probation Manager Demo", "Probation", "Deputy chair"),
    ("PC Example", "Police", "PPO officer"),
    ("YOS Worker Demo", "YOS", "Case manager"),
    ("ASB Officer Mock", "Council ASB", "ASB manager"),
    ("Housing Officer Demo", "Housing", "Homeless manager"),
]
OFFICERS = ["PC Example", "DS Sample", "PO Placeholder", "YOS Worker Demo", "ASB Officer Mock"]


@dataclass(frozen=True)
class DemoFacts:
    nominals: int
    meetings: int


def build_demo(
    path: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
    seed: int = 2009,
    cost: KdfCost | None = None,
) -> DemoFacts:
    """Create the demo store at ``path`` (passphrase-only: it never touches the OS keyring)."""
    today = today or system_clock.today()
    clock_day = [today - relativedelta(years=2)]

    def clock() -> dt.datetime:
        return dt.datetime.combine(clock_day[0], dt.time(10, 0), tzinfo=dt.UTC)

    ws, _recovery = create_store(
        path,
        user_id=DEMO_USER,
        display_name="Demo Coordinator",
        passphrase=DEMO_PASSPHRASE,
        partnership=PARTNERSHIP,
        device=DeviceSecrets(None, "demo store"),
        cost=cost,
        clock=clock,
        published_ok=True,  # its passphrase is printed on purpose: fictional people only
    )
    try:
        with ws.anchored_once():  # thousands of changes: the key file rewritten once, not each time
            facts = _populate(ws, random.Random(seed), today, lambda d: clock_day.__setitem__(0, d))
        clock_day[0] = today
        return facts
    finally:
        ws.close()


DEMO_OFFENCES = ("burglary", "robbery", "theft-from-person", "vehicle-crime", "theft", "violence",
                 "criminal-damage")  # fmt: skip


def _offences(ws: Workspace, people: list[Nominal], rng: random.Random, today: dt.date) -> None:
    """Two to six fictional offences each over the last three years, for the IOM scores (the pool ranked
    by them, progress on entry and on leaving); a stream of their own, so the rest of the demo stays."""
    offences = Offences(ws)
    for nominal in people:
        for _n in range(rng.randint(2, 6)):
            offences.record(
                nominal.id, on=today - dt.timedelta(days=rng.randint(1, 3 * 365)),
                category=rng.choice(DEMO_OFFENCES),
                outcome=rng.choice(("convicted", "convicted", "charged", "cautioned")),
                victims=rng.choice((0, 0, 1, 1, 2)), source="demo data",
            )  # fmt: skip


def _populate(ws: Workspace, rng: random.Random, today: dt.date, at: Callable[[dt.date], None]) -> DemoFacts:
    cases, noms, acts, meets = Cases(ws), Nominations(ws), Actions(ws), Meetings(ws)
    memberships = Memberships(ws)
    start = today - relativedelta(years=2)
    statuses = list(Status)
    outcomes = random.Random(seed_outcomes := 7)  # its own stream: the rest of the demo stays as it was
    people = []
    for i in range(80):
        female = i % 5 == 0
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        family = FAMILY[i % len(FAMILY)] + ("" if i < len(FAMILY) else f"-{chr(65 + i // len(FAMILY))}")
        strand = (
            Strand.PREVENT_DETER
            if i % 4 == 0
            else (Strand.REHABILITATE_RESETTLE if i % 4 == 1 else Strand.CATCH_CONVICT)
        )
        age = rng.randint(13, 17) if strand is Strand.PREVENT_DETER else rng.randint(18, 45)
        dob = today - relativedelta(years=age, days=rng.randint(0, 364))
        joined = start + dt.timedelta(days=rng.randint(0, 600))
        at(joined)
        nominal = cases.add_nominal(
            NominalDraft(
                family_name=family,
                given_names=given,
                dob=dob,
                gender="Female" if female else "Male",
                ethnicity=rng.choice(ETHNICITY),
                area=rng.choice(AREAS),
                address=f"{rng.randint(1, 99)} {rng.choice(STREETS)}, {rng.choice(AREAS)}, Fictionshire",
                pnc_id=f"99/{100000 + i:06d}Z",
                cro=f"{500000 + i:06d}/99Z",
                aliases=(f"'{given[:3]}'",) if i % 7 == 0 else (),
            ),
            justification="demo data",
        ).record
        basis = Basis.PRIORITY if i % 3 == 0 else Basis.PROLIFIC
        noms.nominate(
            nominal.id,
            agency=rng.choice(AGENCIES),
            nominator=rng.choice(OFFICERS),
            strand=strand,
            basis=basis,
            reason="Fictional nomination for the demo partnership",
            on=joined,
        )
        people.append((nominal, strand, basis, joined))

    # Most are selected; the last ten stay as open nominations (the candidate pool).
    for i, (nominal, strand, basis, joined) in enumerate(people[:70]):
        added = joined + dt.timedelta(days=rng.randint(7, 35))
        at(added)
        status = statuses[i % len(statuses)]
        membership = memberships.select(
            nominal.id, strand, basis, Status.OFFENDING_CJS, on=added, authority="Demo panel"
        ).record
        if status is Status.CUSTODY:
            months = rng.choice([8, 18, 36, 48])  # the sentence given; about half is served
            release = today + relativedelta(months=rng.choice([1, 2, 5, 14]))
            custody = max(added, release - relativedelta(months=months // 2))
            custody = min(custody, today)
            at(custody)
            Custody(ws).record_sentence(nominal.id, starts_on=custody, months=months, release_on=release)
            if months > 24:
                memberships.place_on_amber_list(membership.id, release, on=custody, authority="Demo panel")
        else:
            quiet = i % 11 == 3  # a few with nothing for over six months: the de-selection prompt
            recent = today - relativedelta(months=rng.randint(7, 10) if quiet else rng.randint(0, 4))
            at(max(added, recent))
            memberships.record_activity(
                nominal.id,
                arrest_on=recent if rng.random() < 0.5 else None,
                intelligence_on=recent - dt.timedelta(days=rng.randint(0, 20)),
            )
        at(added)
        if status not in (Status.OFFENDING_CJS, Status.CUSTODY):
            memberships.set_status(membership.id, status)
        for _n in range(rng.randint(0, 3)):
            due = added + dt.timedelta(days=rng.randint(14, 400))
            action = acts.add(
                nominal.id,
                pathway=rng.choice(Pathway.resettlement()),
                agency=rng.choice(AGENCIES),
                description="Fictional action for the demo",
                owner=rng.choice(OFFICERS),
                due_on=due,
            ).record
            if due < today - dt.timedelta(days=30) and rng.random() < 0.92:
                acts.close(action.id, ActionState.DONE, outcome="Completed (demo)", on=due)
        if i % 9 == 8 and status is not Status.CUSTODY:  # a history in order: no custody after leaving
            removed = min(today - dt.timedelta(days=10), added + relativedelta(months=rng.randint(6, 15)))
            at(removed)
            reason = rng.choice(
                [RemovalReason.STOPPED_OFFENDING, RemovalReason.MOVED_AWAY, RemovalReason.IOM_COHORT]
            )
            memberships.remove(
                membership.id,
                reason,
                authority="Demo panel chair",
                note="Fictional removal",
                on=removed,
                outcomes=outcomes.sample(list(RemovalOutcome), k=outcomes.randint(0, 2)),
            )

    _score_history(ws, rng, people[:70], today, at)

    # Two past meetings run through the agenda and decisions, one upcoming.
    decisions = Decisions(ws)
    held = []
    for months_ago in (2, 1):
        day = today - relativedelta(months=months_ago)
        at(day)
        meeting = meets.plan(
            "C&C / R&R panel",
            day,
            venue="Fictionshire Civic Centre, Room 2",
            chair="DI Demo Chair",
            deputy="Probation Manager Demo",
        ).record
        room = Room(ws)
        for name, agency, role in ATTENDEES:
            room.add_attendee(meeting.id, name, agency, role)
        room.add_attendee(meeting.id, "Fire Officer Demo", "Fire", "Community safety", present=False)
        meets.set_quorum_note(meeting.id, "Quorate: Police, Probation and the Council present.")
        meets.start(meeting.id)
        current = [p for p in people[months_ago * 5 :] if memberships.current_membership(p[0].id)]
        for nominal, strand, _basis, _ in current[:4]:
            item = meets.add_item(
                meeting.id,
                nominal.display_name,
                nominal_id=nominal.id,
                reasons=[f"{strand.value} review (demo)"],
            ).record
            meets.set_notes(
                item.id, "Fictional discussion: engagement with services reviewed; partners agree."
            )
            decisions.decide(item.id, DecisionKind.RETAIN, authority="Panel agreement")
            acts.add(
                nominal.id,
                pathway=Pathway.ACCOMMODATION,
                description="Review housing options (demo)",
                agency="Housing",
                owner="Housing Officer Demo",
                due_on=day + relativedelta(months=1),
                meeting_id=meeting.id,
            )
        meets.close(meeting.id)
        held.append(meeting)
    at(today)
    _cohort_years(ws, random.Random(seed_outcomes + 1), today)
    _offences(ws, [n for n, *_ in people], random.Random(seed_outcomes + 2), today)
    meets.plan(
        "C&C / R&R panel",
        today + relativedelta(months=1) - dt.timedelta(days=today.day - 1),
        venue="Fictionshire Civic Centre, Room 2",
        chair="DI Demo Chair",
        deputy="Probation Manager Demo",
    )
    return DemoFacts(nominals=len(people), meetings=len(held) + 1)


def _cohort_years(ws: Workspace, rng: random.Random, today: dt.date) -> None:
    """Two re-offending cohort years from 1 April: last year complete, this year so far (003 §2)."""
    years = CohortYears(ws)
    first = dt.date(today.year - (1 if today.month >= 4 else 2), 4, 1)
    for start, ceiling, stretch in ((first, 16, 19), (first + relativedelta(years=1), 14, 16)):
        members = [
            r["nominal_id"]
            for r in ws.db.query(
                "SELECT DISTINCT nominal_id FROM memberships WHERE strand != 'P&D' AND added_on <= :d "
                "AND (removed_on IS NULL OR removed_on > :d)",
                {"d": start.isoformat()},
            )
        ]
        year = years.create(
            f"{start.year}/{(start.year + 1) % 100:02d}",
            start,
            baseline=len(members) * 6 + rng.randint(0, 9),
            ceiling_pct=ceiling,
            stretch_pct=stretch,
            members=members,
        ).record
        counts: dict[tuple[int, int], int | None] = {}
        for quarter in range(1, 5):
            if start + relativedelta(months=3 * quarter) > today:
                break
            for nid in members:
                counts[(nid, quarter)] = rng.choice([0, 0, 0, 1, 1, 2, 3])
        years.set_counts(year.id, counts)


def _score_history(
    ws: Workspace,
    rng: random.Random,
    people: list[tuple[Any, Strand, Basis, dt.date]],
    today: dt.date,
    at: Callable[[dt.date], None],
) -> None:
    """Final sheets at selection and at each review since, at the strand's cadence."""
    sheets = ScoreSheets(ws)
    memberships = Memberships(ws)
    profile = ws.profile()
    for nominal, strand, _basis, joined in people:
        day = joined + dt.timedelta(days=14)
        level = rng.randint(2, 6)
        while day < today:
            at(day)
            sheet = sheets.start(nominal.id).record
            inputs: dict[str, Any] = dict(sheet.inputs)
            if sheet.matrix_id == "pd-asset-2008":
                inputs["asset"] = max(0, min(64, 14 + level * 3 + rng.randint(-4, 4)))
                inputs["risk"] = {"rosh": rng.random() < 0.2}
            else:
                rows = rng.sample(DEMO_ROWS, k=min(len(DEMO_ROWS), 2 + level // 2))
                offences: dict[str, dict[str, int]] = {}
                for r in rows:
                    counts = {
                        c: max(0, level - rng.randint(1, 6)) for c in ("convicted", "admitted", "suspected")
                    }
                    if any(counts.values()):
                        offences[r] = {c: n for c, n in counts.items() if n}
                inputs["offences"] = offences
                inputs["intelligence"] = rng.choice([None, 7, 21, 40, 90])
                inputs["impact"] = rng.choice(["serious", "moderate", "moderate", "slight"])
            inputs["lifestyle"] = {
                k: rng.choice(["yes", "no", "unknown"])
                for k in ("drugs", "alcohol", "accommodation", "employment", "relationships")
            }
            sheets.save_draft(sheet.id, inputs, pnc_marker=True)
            sheets.finalise(sheet.id)
            level = max(1, level + rng.choice([-2, -1, -1, 0, 1]))
            day += relativedelta(months=profile.review_months[strand])
            membership = memberships.current_membership(nominal.id)
            if membership is not None and membership.added_on <= ws.today():
                why = "Reviewed with a new score sheet (demo)"
                memberships.set_next_review(membership.id, day, justification=why)


COLUMNS = ("convicted", "admitted", "suspected")
DEMO_ROWS = [
    "burglary_dwelling",
    "burglary_other",
    "handling",
    "theft_of_vehicle",
    "theft_from_vehicle",
    "twoc",
    "shoplifting",
    "theft_other",
    "criminal_damage",
    "robbery",
    "assaults",
    "public_order",
    "drunkenness_drugs",
]
