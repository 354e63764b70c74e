"""The console's hold on the projector window: which screen, show or hide (F5), the curtain (F8),
and on one screen too narrow for both, the projector in front or behind (F6) — the keyboard stays
with the chair's console throughout."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from ppo_desktop.i18n import _
from ui.meeting.projector import ProjectorWindow


class ProjectorControls:
    def __init__(
        self,
        console: QWidget,
        projector: ProjectorWindow,
        shown: Callable[[], None],
        reveal: Callable[[bool], None],
    ) -> None:
        """``shown``: called whenever what the room sees changed (the item is projected again);
        ``reveal(True)``: called before the room is about to see the item (the disclosure first)."""
        self.console = console
        self.projector = projector
        self._shown = shown
        self._reveal = reveal
        self.in_front = False
        self.screen_choice = QComboBox()
        self.screen_choice.setAccessibleName(_("Projector screen"))
        for i, screen in enumerate(QGuiApplication.screens()):
            size = screen.size()
            self.screen_choice.addItem(
                _("Screen {n}: {name} {width}×{height}").format(
                    n=i + 1, name=screen.name(), width=size.width(), height=size.height()
                ),
                i,
            )
        self.screen_choice.setCurrentIndex(self.screen_choice.count() - 1)
        self.show_button = QPushButton(_("Show pro&jector  (F5)"))
        self.show_button.clicked.connect(self.toggle)
        self.curtain_button = QPushButton(_("&Curtain  (F8)"))
        self.curtain_button.clicked.connect(self.toggle_curtain)

    def toggle(self) -> None:
        if self.projector.isVisible():
            self.projector.hide()
            self.show_button.setText(_("Show pro&jector  (F5)"))
            self._shown()  # the room sees nothing now: the presenter knows
            return
        screens = QGuiApplication.screens()
        chosen = screens[self.screen_choice.currentData() or 0] if screens else None
        second = len(screens) > 1 and chosen is not self.console.screen()
        self._reveal(True)  # recorded before the window appears
        self.projector.place_on(chosen, full_screen=second, beside=None if second else self.console)
        self.show_button.setText(_("Hide pro&jector  (F5)"))
        self.projector.set_curtain(False)
        self._shown()

    def bring_forward(self) -> None:
        """One screen too narrow for both (F6): the projector in front, showing the room's view, or
        "sent back" — curtained where it stands, never lowered: lowered, the room saw whatever window
        lay behind it (the coordinator's screen, addresses and intelligence). The keyboard stays with
        the console either way."""
        if not self.projector.isVisible():
            return
        self.in_front = not self.in_front
        if self.in_front:
            self.projector.raise_()
            if self.projector.curtained:
                self.toggle_curtain()  # the room's view comes back (its disclosure recorded first)
        elif not self.projector.curtained:
            self.toggle_curtain()
        self.console.activateWindow()

    def toggle_curtain(self) -> None:
        lifting = self.projector.curtained
        if lifting and self.projector.isVisible():
            self._reveal(True)  # what the room will see is recorded before the curtain lifts
        self.projector.set_curtain(not lifting)
        self._shown()
        self.curtain_button.setText(
            _("Lift &curtain  (F8)") if self.projector.curtained else _("&Curtain  (F8)")
        )
