"""The console's notes for the minutes, and the offer of notes kept from a session that ended
unexpectedly (restore or discard)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QWidget

from ppo_desktop.i18n import _
from ui.context import attempt
from ui.meeting.presenter import MeetingPresenter

NOTES_SAVE_MS = 800
DRAFT_KEEP_MS = 250  # typed text reaches the encrypted store this soon, as a draft
Perform = Callable[[Callable[[], Any], Any], Any]  # AppContext.perform


class DraftOffer(QWidget):
    """'Notes for this item were being typed when PPO Panel last closed unexpectedly…'"""

    def __init__(
        self, restore: Callable[[], None], discard: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.restore = QPushButton(_("&Restore those notes"))
        self.restore.clicked.connect(restore)
        self.discard = QPushButton(_("Discard them"))
        self.discard.clicked.connect(discard)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.restore)
        layout.addWidget(self.discard)
        self.setStyleSheet("background: #fff3bf; color: #3d2e00;")
        self.hide()

    def offer(self, saved_at: str) -> None:
        self.text.setText(
            _(
                "Notes for this item were being typed when PPO Panel last closed unexpectedly ({when} UTC) "
                "and were kept, encrypted."
            ).format(when=saved_at[:16].replace("T", " "))
        )
        self.show()


def notes_editor() -> QPlainTextEdit:
    notes = QPlainTextEdit()
    notes.setAccessibleName(_("Discussion notes for the minutes"))
    notes.setPlaceholderText(_("Discussion summary for the minutes (saved as you type)"))
    return notes


class NotesPanel(QObject):
    """The notes for the minutes as the chair types them: saved a moment after typing stops, kept as
    an encrypted draft sooner still (a crash loses at most a moment), and a draft from a session
    that ended unexpectedly offered back."""

    draft_kept = Signal()

    def __init__(self, presenter: MeetingPresenter, perform: Perform, error: QLabel, parent: QObject) -> None:
        super().__init__(parent)
        self.presenter, self.perform, self.error = presenter, perform, error
        self.editor = notes_editor()
        self.offer = DraftOffer(self.take_draft, self.drop_draft)
        self.save_timer = _single_shot(self, NOTES_SAVE_MS, self.save)
        self.draft_timer = _single_shot(self, DRAFT_KEEP_MS, self.keep_draft)
        self.editor.textChanged.connect(self.save_timer.start)
        self.editor.textChanged.connect(self.draft_timer.start)

    def show_item(self, notes: str) -> None:
        self.editor.blockSignals(True)
        self.editor.setPlainText(notes)
        self.editor.blockSignals(False)
        draft = self.presenter.draft_to_offer()
        if draft is None:
            self.offer.hide()
        else:
            self.offer.offer(draft.saved_at)

    def save(self) -> None:
        self.save_timer.stop()
        self.draft_timer.stop()
        if self.presenter.current is None:
            return
        text = self.editor.toPlainText()
        if self.perform(lambda: self.presenter.save_notes(text), self.error) is None:
            return  # not saved: the text stays in the editor (and in its draft) for a retry
        if not self.offer.isVisible():
            self.presenter.settle_draft()

    def keep_draft(self) -> None:
        kept = attempt(lambda: self.presenter.keep_draft(self.editor.toPlainText()), self.error)
        if kept is not None and kept.value:
            self.draft_kept.emit()

    def take_draft(self) -> None:
        draft = self.presenter.draft_to_offer()
        self.offer.hide()
        if draft is not None:
            self.editor.setPlainText(draft.text)
            self.save()

    def drop_draft(self) -> None:
        self.offer.hide()
        item = self.presenter.current
        if item is not None:
            self.presenter.drafts.discard(self.presenter.draft_key(item))


def _single_shot(parent: QObject, ms: int, slot: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(slot)
    return timer
