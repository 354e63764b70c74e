"""The screens translated so far, in Welsh, driven through the real widgets: what they say, and that
a filter chosen in Welsh still filters by what it means."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ppo_desktop import i18n
from ppo_desktop.domain import Strand
from tests.ui.conftest import StoreContext
from ui.context import AppContext
from ui.main_window import MainWindow


@pytest.fixture
def welsh() -> Iterator[None]:
    i18n.use("cy")
    yield
    i18n.use(i18n.ENGLISH)


def test_the_cohort_in_welsh_says_welsh_and_filters_by_what_it_means(
    qtbot: QtBot, ctx: AppContext, welsh: None
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert [window.nav.item(i).text() for i in range(3)] == ["Carfan", "Ymgeiswyr", "Cyfarfodydd"]
    assert window.windowTitle().startswith("Panel PPO — ")
    cohort = window.cohort
    headers = [cohort.model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Cyf", "Enw", "Oed", "Elfen"]
    total = cohort.model.rowCount()
    assert cohort.count.text() == f"Yn dangos {total} o {total} o bobl"
    cohort.strand.setCurrentIndex(cohort.strand.findText("Rhestr ambr"))
    assert cohort.strand.currentData() == "Amber list"  # the key the filter reads
    assert ctx.services.cases.cohort() and cohort.proxy.rowCount() < total
    shown = {cohort.proxy.index(r, 3).data() for r in range(cohort.proxy.rowCount())}
    assert shown and all(s.startswith("Rhestr ambr (") for s in shown)
    cohort.strand.setCurrentIndex(cohort.strand.findData(Strand.CATCH_CONVICT.value))
    assert {cohort.proxy.index(r, 3).data() for r in range(cohort.proxy.rowCount())} == {"C&C"}


def test_a_user_chooses_welsh_for_their_next_unlock(ctx: StoreContext) -> None:
    ctx.services.settings.set_language("cy")
    assert ctx.session.language() == "cy"
    assert ctx.ws.setting(f"language:{ctx.session.user.id}") == "cy"  # theirs alone
    entry = ctx.services.audit.search(kind="alteration", limit=1)[0]
    assert entry.summary == f"Setting language:{ctx.session.user.id} changed"


@pytest.fixture
def noted_here() -> Iterator[None]:
    """Whatever the test notes on this computer, the next tests start in English."""
    from ppo_desktop import paths

    yield
    paths.remember_language(i18n.ENGLISH)
    i18n.use(i18n.ENGLISH)


def test_the_unlock_dialog_speaks_the_last_language_chosen_here_with_each_key_once(
    qtbot: QtBot, ctx: StoreContext, demo_store: Path, noted_here: None
) -> None:
    from ppo_desktop import paths
    from ppo_desktop.keyring_policy import no_device
    from tests.ui.test_mnemonics import repeated
    from ui.session_controller import SessionController
    from ui.tasks import SyncRunner
    from ui.unlock_dialog import UnlockDialog

    ctx.services.settings.set_language("cy")
    controller = SessionController(demo_store, no_device(), SyncRunner())
    window = controller.start(ctx.ws)  # the user's language, from this unlock on; noted on this computer
    qtbot.addWidget(window)
    assert window.nav.item(0).text() == "Carfan" and paths.remembered_language() == "cy"
    dialog = UnlockDialog(demo_store, no_device(), SyncRunner(), offer_restore=True)
    qtbot.addWidget(dialog)
    dialog.recovery.setChecked(True)
    assert dialog.windowTitle() == "Datgloi storfa Panel PPO"
    assert dialog.secret_label.text() == "Allwedd &adfer:" and dialog.unlock_button.text() == "&Datgloi"
    dialog.recovery.setChecked(False)
    assert repeated(dialog) == {}


def test_the_candidates_screen_in_welsh_ranks_as_in_english(
    qtbot: QtBot, ctx: AppContext, welsh: None
) -> None:
    from tests.ui.test_mnemonics import repeated
    from ui.screens.pool import CandidatesScreen

    screen = CandidatesScreen(ctx)
    qtbot.addWidget(screen)
    model = screen.pool
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert headers == ["Safle", "Cyf", "Enw"]
    assert screen.summary.text().startswith("Dal ac Euogfarnu: ")  # C&C, the strand shown first here
    assert "Sgoriau cyfartal:" in screen.summary.text()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = titles.index("Llinell capasiti")
    lines = {model.data(model.index(r, column)) for r in range(model.rowCount())}
    said = {"o fewn y capasiti", "── o dan y llinell", "── ddim yn gymwys (o dan y trothwy)"}
    assert lines and lines <= said
    assert repeated(screen) == {}


def test_settings_in_welsh_keeps_each_access_key_once(qtbot: QtBot, ctx: AppContext, welsh: None) -> None:
    from tests.ui.test_mnemonics import repeated
    from ui.screens.settings import SettingsScreen

    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    assert screen.backup_button.text() == "Gwneud copi wrth gefn &nawr…"
    assert screen.users.headerData(0, Qt.Orientation.Horizontal) == "Defnyddiwr"
    assert screen.policy_boxes["age"].text() == "Oed (byth y dyddiad geni)"  # the policy file's label
    assert repeated(screen) == {}


def test_the_meetings_screen_in_welsh_keeps_each_access_key_once(
    qtbot: QtBot, ctx: AppContext, welsh: None
) -> None:
    from tests.ui.test_mnemonics import repeated
    from ui.screens.meetings import MeetingsScreen

    screen = MeetingsScreen(ctx)
    qtbot.addWidget(screen)
    assert screen.model.headerData(0, Qt.Orientation.Horizontal) == "Dyddiad"
    assert screen.edit_button.text() == "Ne&wid y cyfarfod…"
    assert repeated(screen) == {}


def test_settings_chooses_welsh_and_english_for_printed_documents(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.screens.settings import SettingsScreen

    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    assert screen.documents_language.currentData() == "reader"  # each reader's own, by default
    screen.documents_language.setCurrentIndex(screen.documents_language.findData("cy+en"))
    assert ctx.session.setting("documents_language") == "cy+en"
    entry = ctx.services.audit.search(kind="alteration", limit=1)[0]
    assert entry.summary == "Setting documents_language changed"


def test_a_case_in_welsh_tells_its_history_in_welsh(qtbot: QtBot, ctx: AppContext, welsh: None) -> None:
    """The timeline is said as it is shown (the history keeps its events, not words)."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    member = next(r for r in ctx.services.cases.cohort(include_former=False) if r.membership)
    window.open_case(member.nominal.id)
    view = window.case_view
    events = {view.history.index(r, 1).data() for r in range(view.history.rowCount())}
    assert any(e.startswith("Dewiswyd — ") for e in events), events
    assert not any(e.startswith("Selected") for e in events)
    assert view.tabs.tabText(0) == "&Llinell amser" and view.fields["Ref"].accessibleName() == "Cyf"
