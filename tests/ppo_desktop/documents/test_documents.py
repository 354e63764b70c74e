"""Documents read back as text: contents, marking and 'page x of y' on every page, totals, hostile text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.domain import MeetingState
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.documents import Documents
from ppo_desktop.services.meeting_record import MeetingRecord
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.room import Room
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.session import unlock
from ppo_desktop.services.workspace import ServiceError, Workspace


@pytest.fixture
def demo(demo_store: Path) -> Iterator[Workspace]:
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    yield ws
    ws.close()


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def assert_furniture(texts: list[str], marking: str) -> None:
    for number, text in enumerate(texts, start=1):
        assert text.count(marking) >= 2, f"page {number} lacks the marking top and bottom"
        assert f"Page {number} of {len(texts)}" in text


def test_minutes_carry_every_candidate_decision_and_action(demo: Workspace) -> None:
    meetings = Meetings(demo)
    meeting = next(m for m in meetings.all() if m.state is MeetingState.CLOSED)
    MeetingRecord(meetings.ws).amend(meeting.id, "Item 1: the owner is Housing & Options <team>.")
    doc = Documents(demo).minutes(meeting.id)
    texts = pages(doc.pdf)
    assert_furniture(texts, "OFFICIAL-SENSITIVE")
    body = flat(" ".join(texts))
    for item in meetings.agenda(meeting.id):
        assert item.title in body
    for d in meetings.decisions(meeting.id):
        assert "Retain" in body and d.authority in body
    actions = list(demo.db.query("SELECT description, owner FROM actions WHERE meeting_id = ?", [meeting.id]))
    assert actions and all(a["description"] in body and a["owner"] in body for a in actions)
    for a in Room(meetings.ws).attendance(meeting.id):
        assert a.name in body
    assert "Apologies: Fire Officer Demo (Fire)" in body
    assert "Item 1: the owner is Housing & Options <team>." in body  # escaped, printed as typed
    assert demo.audit.head()[:16] not in ("", None)


def test_scoring_sheet_total_is_the_engines(demo: Workspace) -> None:
    sheets = ScoreSheets(demo)
    nid = next(
        r.nominal.id
        for r in Cases(demo).cohort()
        if r.latest_score and r.membership and r.membership.strand.value == "C&C"
    )
    sheet = next(s for s in sheets.history(nid) if s.final)
    doc = Documents(demo).scoring_sheets([nid])
    texts = pages(doc.pdf)
    assert_furniture(texts, "CONFIDENTIAL")
    body = flat(" ".join(texts))
    from ppo_desktop.scoring import score

    engine_total = score(sheets.definition_of(sheet), sheet.inputs).total
    assert f"TOTAL SCORE {engine_total:g}" in body
    assert Cases(demo).nominal(nid).display_name in body
    assert "Information only" in body  # the stated readings are printed


def test_blank_and_batch_sheets(demo: Workspace) -> None:
    blank = flat(" ".join(pages(Documents(demo).blank_sheet("thurrock-2009-appendix2").pdf)))
    assert "BLANK FORM" in blank and "Burglary dwelling (series) X 6" in blank
    meeting = next(m for m in Meetings(demo).all() if m.state is MeetingState.CLOSED)
    batch = Documents(demo).agenda_sheets(meeting.id)
    text = flat(" ".join(pages(batch.pdf)))
    assert text.count("Prolific Offender Prioritisation") == len(Meetings(demo).agenda(meeting.id))


def test_reports(demo: Workspace) -> None:
    docs = Documents(demo)
    cohort = flat(" ".join(pages(docs.cohort().pdf)))
    current = [r for r in Cases(demo).cohort(include_former=False)]
    assert all(r.nominal.ref in cohort for r in current)
    tracker = docs.action_tracker()
    assert_furniture(pages(tracker.pdf), "OFFICIAL-SENSITIVE")
    assert "Overdue (" in flat(" ".join(pages(tracker.pdf)))
    quarterly = flat(" ".join(pages(docs.quarterly(2026, 4).pdf)))
    assert "Q4 2026" in quarterly and "Added (" in quarterly


def test_hostile_text_renders(demo: Workspace) -> None:
    cases = Cases(demo)
    from ppo_desktop.services.cases import NominalDraft

    nominal = cases.add_nominal(
        NominalDraft(
            "O'Brien <script>&amp;", "Zoë & Zebedee", address="Flat 1 & 2, " + "Very Long Road " * 40
        )
    ).record
    doc = Documents(demo).scoring_sheets([nominal.id])
    body = flat(" ".join(pages(doc.pdf)))
    assert "O'BRIEN <SCRIPT>&AMP;, Zoë & Zebedee" in body
    assert body.count("Very Long Road") == 40


def test_disclosure_needs_recipient_and_reason_and_is_audited(demo: Workspace) -> None:
    docs = Documents(demo)
    doc = docs.action_tracker()
    with pytest.raises(ServiceError, match="recipient and the reason"):
        docs.disclose(doc, how="print", recipient="", justification="board")
    docs.disclose(doc, how="print", recipient="Partnership board", justification="Quarterly board meeting")
    last = demo.audit.entries(limit=1)[0]
    assert (last.kind, last.justification) == ("disclosure", "Quarterly board meeting")
    assert "Partnership board" in (last.after or "")


def test_right_to_left_and_emoji_names(demo: Workspace) -> None:
    from bidi import get_display

    from ppo_desktop.services.cases import NominalDraft

    hebrew, arabic = "דוד כהן", "محمد علي"
    nominal = Cases(demo).add_nominal(
        NominalDraft("Fictional", f"{hebrew} 😀👍", aliases=(arabic,), address=f"{arabic} Street")
    ).record
    pdf = Documents(demo).scoring_sheets([nominal.id]).pdf
    assert b"Symbola" in pdf  # the emoji were set in the fallback font, not dropped
    text = " ".join(pages(pdf))
    assert hebrew in text or get_display(hebrew) in text
    # Arabic is printed joined (presentation forms), so compare letters after normalising them back.
    import unicodedata

    assert unicodedata.normalize("NFKC", arabic).replace(" ", "") in unicodedata.normalize(
        "NFKC", text
    ).replace(" ", "") or unicodedata.normalize("NFKC", get_display(arabic)).replace(
        " ", ""
    ) in unicodedata.normalize("NFKC", text).replace(" ", "")


def test_marking_and_paper_are_settings(demo: Workspace) -> None:
    from ppo_desktop.services.settings import Settings

    settings = Settings(demo)
    with pytest.raises(ServiceError, match="3 to 40 characters"):
        settings.set_marking("x")
    settings.set_marking("official   sensitive personal")
    settings.set_page_size("Letter")
    pdf = Documents(demo).action_tracker().pdf
    assert_furniture(pages(pdf), "OFFICIAL SENSITIVE PERSONAL")
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US Letter in points
    # The scoring sheet keeps the marking its matrix states (CONFIDENTIAL, as the seed's form).
    nid = Cases(demo).cohort()[0].nominal.id
    assert_furniture(pages(Documents(demo).scoring_sheets([nid]).pdf), "CONFIDENTIAL")


def test_minutes_print_in_welsh_for_a_welsh_speaker(demo: Workspace) -> None:
    from ppo_desktop import i18n

    meetings = Meetings(demo)
    meeting = next(m for m in meetings.all() if m.state is MeetingState.CLOSED)
    i18n.use("cy")
    try:
        texts = pages(Documents(demo).minutes(meeting.id).pdf)
    finally:
        i18n.use(i18n.ENGLISH)
    body = flat(" ".join(texts))
    assert f"Tudalen 1 o {len(texts)}" in texts[0] and "Crëwyd " in texts[0]
    headings = ("Presenoldeb", "Cyfrinachedd", "Crynodeb o'r penderfyniadau", "Llofnodwyd fel cofnod cywir")
    assert all(heading in body for heading in headings)
    assert "Cadw" in body and "Awdurdod:" in body  # each decision, in words
    assert "Dydd " in body  # the meeting's day, written out in Welsh
    assert "Attendance" not in body and "Decisions summary" not in body


def test_scoring_sheets_and_reports_print_in_welsh_for_a_welsh_speaker(demo: Workspace) -> None:
    """Every printed document speaks the user's language: its own words, dates and the app's labels;
    what the records hold (names, the matrix's own words) prints as recorded."""
    from ppo_desktop import i18n
    from ppo_desktop.services.performance import Performance

    docs = Documents(demo)
    nid = next(r.nominal.id for r in Cases(demo).cohort() if r.latest_score)
    i18n.use("cy")
    try:
        sheet = flat(" ".join(pages(docs.scoring_sheets([nid]).pdf)))
        tracker = flat(" ".join(pages(docs.action_tracker().pdf)))
        quarterly = flat(" ".join(pages(docs.quarterly(2026, 4).pdf)))
        board = flat(" ".join(pages(docs.performance(Performance(demo).report()).pdf)))
    finally:
        i18n.use(i18n.ENGLISH)
    assert "CYFANSWM Y SGÔR" in sheet and "Gwybodaeth am y gwrthrych:" in sheet and "TOTAL SCORE" not in sheet
    assert Cases(demo).nominal(nid).display_name in sheet
    assert "Hwyr (" in tracker and "Ar " in tracker and "Overdue" not in tracker
    assert "Ch4 2026" in quarterly and "Ychwanegwyd (" in quarterly and "Added (" not in quarterly
    assert "Perfformiad y cynllun" in board and "Monitro cydraddoldeb" in board
    assert "Capasiti a chydbwysedd" in board and "Capacity and balance" not in board
    assert "Cohort score per review round" not in board  # the figures' own tables and charts too


def test_a_partnership_that_prints_in_welsh_and_english_gets_both_whatever_the_readers_language(
    demo: Workspace,
) -> None:
    """Settings → Printed in: Welsh and English. Every document then says each of its words in Welsh
    first and English after, dates in Welsh — for an English-speaking coordinator too — while the
    screens (another thread) go on in the user's language, and the audit log keeps English."""
    import threading

    from ppo_desktop import i18n
    from ppo_desktop.services.settings import Settings

    meeting = next(m for m in Meetings(demo).all() if m.state is MeetingState.CLOSED)
    Settings(demo).set_documents_language("cy+en")
    doc = Documents(demo).minutes(meeting.id)
    said: list[str] = []
    with i18n.bilingual():  # as a document renders on a worker, a screen is built on its own thread
        screen = threading.Thread(target=lambda: said.append(i18n._("Attendance")))
        screen.start()
        screen.join()
    rendered: list[bytes] = []
    worker = threading.Thread(target=lambda: rendered.append(doc.pdf))  # as the preview renders it
    worker.start()
    worker.join()
    texts = pages(rendered[0])
    body = flat(" ".join(texts))
    assert "Presenoldeb / Attendance" in body and "Crynodeb o'r penderfyniadau / Decisions summary" in body
    assert f"Tudalen 1 o {len(texts)} / Page 1 of {len(texts)}" in texts[0]
    assert "Dydd " in body  # the meeting's day in Welsh words
    assert said == ["Attendance"] and i18n._("Attendance") == "Attendance"  # nothing else speaks both
    entry = next(e for e in demo.audit.search(kind="consultation", limit=5) if "Prepared" in e.summary)
    assert entry.summary.startswith("Prepared: Minutes — ")  # the record stays in English
    Settings(demo).set_documents_language("reader")
    assert "Presenoldeb" not in flat(" ".join(pages(Documents(demo).minutes(meeting.id).pdf)))
    with pytest.raises(ServiceError):
        Settings(demo).set_documents_language("fr")


def test_an_agenda_planned_in_welsh_speaks_welsh_and_the_room_sees_no_procedure(demo: Workspace) -> None:
    """The reasons an item is on the agenda are written as the person planning it reads them (a Welsh
    coordinator's agenda speaks Welsh in the console and the minutes); the room never sees what settles
    them, in whichever language they were planned."""
    from ppo_desktop import i18n
    from ppo_desktop.domain import ItemState
    from ppo_desktop.projection import default_policy, project
    from ppo_desktop.rules.agenda import SETTLED_BY

    meetings = Meetings(demo)
    planned = next(m for m in meetings.all() if m.state is MeetingState.PLANNED)
    i18n.use("cy")
    try:
        proposals = meetings.proposals(planned.id)
        settled = next(p for p in proposals if any(" Setlir gan: " in r for r in p.reasons))
        item = meetings.add_item(
            planned.id, settled.title, nominal_id=settled.nominal_id, reasons=settled.reasons
        )
        said = next(i for i in meetings.agenda(planned.id) if i.id == item.record.id)
        assert said.state is ItemState.PENDING and all(SETTLED_BY not in r for r in said.reasons)
        welsh = ("Adolygiad ", "Ar y ", "Dim ", "Dedfrydwyd", "Enwebiad")
        assert any(r.startswith(welsh) for r in said.reasons)
    finally:
        i18n.use(i18n.ENGLISH)
    shown = project(default_policy(), meeting_title="Panel", item=said, position=1, count=1, case=None,
                    day=planned.held_on, score=None, decision=None)  # an English-speaking chair projects it
    room = dict(shown.lines)
    assert room["On the agenda"] and "Setlir gan" not in room["On the agenda"]
