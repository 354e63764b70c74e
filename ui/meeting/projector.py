"""The projector window: what the room sees, in a large high-contrast theme; a curtain blanks it.

It renders a ``Projection`` only (built through the projector policy in ppo_desktop), so nothing
outside the policy can reach it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

from ppo_desktop.projection import Projection

PROJECTOR_QSS = """
QWidget#projector, QWidget#page, QWidget#curtain { background: #000000; }
QLabel { color: #ffffff; font-size: 30pt; }
QLabel#progress { color: #ffd54f; font-size: 24pt; }
QLabel#heading { font-size: 54pt; font-weight: 700; }
QLabel#caption { color: #b0bec5; font-size: 26pt; }
QLabel#curtainText { color: #333333; font-size: 18pt; }
QLabel#timer { font-size: 28pt; font-weight: 700; }
"""


TIMER_COLOURS = {
    "amber": "color: #3d2e00; background: #ffd43b; padding: 4px 12px;",
    "red": "color: #ffffff; background: #c92a2a; padding: 4px 12px;",
}


PROJECTOR_MIN_WIDTH = 480  # narrower than this, the room could not read it beside the console


def tile(area: QRect, console_min: int) -> tuple[QRect, QRect | None]:
    """One screen shared by the console (left) and the projector (right): the projector gets what
    the console does not need, at most half; None when there is not room for both side by side."""
    room = min(area.width() // 2, area.width() - console_min)
    if room < PROJECTOR_MIN_WIDTH:
        return area, None
    console = QRect(area.x(), area.y(), area.width() - room, area.height())
    return console, QRect(area.x() + area.width() - room, area.y(), room, area.height())


class ProjectorWindow(QWidget):
    def __init__(self) -> None:
        # The room's screen never takes the keyboard from the chair's console.
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setObjectName("projector")
        self.setWindowTitle("PPO Panel — projector")
        self.setStyleSheet(PROJECTOR_QSS)
        self.progress = QLabel()
        self.progress.setObjectName("progress")
        # The item's planned time counting down (a policy field, on by default), in words and colour.
        self.timer = QLabel()
        self.timer.setObjectName("timer")
        self.timer.hide()
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setVerticalSpacing(18)
        self.grid.setHorizontalSpacing(32)
        page = QWidget()
        page.setObjectName("page")
        column = QVBoxLayout(page)
        column.setContentsMargins(60, 40, 60, 40)
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.timer)
        column.addLayout(top)
        column.addWidget(self.heading)
        column.addSpacing(20)
        column.addLayout(self.grid)
        column.addStretch(1)
        curtain = QWidget()
        curtain.setObjectName("curtain")
        blank = QLabel("")
        blank.setObjectName("curtainText")
        QVBoxLayout(curtain).addWidget(blank)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(page)
        self.stack.addWidget(curtain)
        self.curtained = False
        self.set_curtain(True)  # blank until the chair shows the first item
        self.keyboard_owner: QWidget | None = None

    def event(self, event: QEvent) -> bool:
        # Some window systems activate a new window whatever its flags: hand the keyboard straight back.
        if event.type() == QEvent.Type.WindowActivate and self.keyboard_owner is not None:
            self.keyboard_owner.activateWindow()
        return super().event(event)

    def show_projection(self, projection: Projection) -> None:
        self.progress.setText(projection.progress)
        self.heading.setText(projection.heading)
        while self.grid.count():
            taken = self.grid.takeAt(0)
            old = taken.widget() if taken is not None else None
            if old is not None:
                old.hide()  # gone from the room at once, deleted later
                old.deleteLater()
        for row, (label, text) in enumerate(projection.lines):
            caption = QLabel(label)
            caption.setObjectName("caption")
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value = QLabel(text)
            value.setWordWrap(True)
            self.grid.addWidget(caption, row, 0)
            self.grid.addWidget(value, row, 1)
            caption.show()
            value.show()

    def set_curtain(self, on: bool) -> None:
        """Blank the room's screen (the chair's curtain key, and always on lock)."""
        self.curtained = on
        self.stack.setCurrentIndex(1 if on else 0)

    def visible_texts(self) -> list[str]:
        """Every text the room can currently see (tests walk this to prove the policy holds)."""
        if self.curtained:
            return []
        return [w.text() for w in self.findChildren(QLabel) if w.isVisibleTo(self) and w.text()]

    def set_timer(self, text: str, state: str) -> None:
        """``state``: "" (on time), "amber" (nearly out of time) or "red" (over); "" text hides it."""
        self.timer.setText(text)
        self.timer.setProperty("state", state)
        self.timer.setStyleSheet(TIMER_COLOURS.get(state, ""))
        self.timer.setVisible(bool(text))

    def place_on(self, screen: QScreen | None, *, full_screen: bool, beside: QWidget | None = None) -> None:
        """Full screen on the room's screen. With one screen, a window beside the console (``beside``
        gives up the room it can), never on top of it; where the screen is too narrow for both, the
        projector opens behind the console and F6 brings it forward or sends it back."""
        if screen is not None:
            self.setScreen(screen)
            self.move(screen.geometry().topLeft())
        if full_screen or screen is None:
            self.showFullScreen() if full_screen else self.show()
            return
        area = screen.availableGeometry()
        console_min = beside.minimumSizeHint().width() if beside is not None else 0
        console_rect, own = tile(area, console_min)
        if beside is not None:
            beside.setGeometry(console_rect)
        if own is not None:
            self.setGeometry(own)
            self.show()
        else:
            self.setGeometry(area)
            self.show()
            self.lower()  # behind the console; F6 brings it forward
            if beside is not None:
                beside.raise_()
                beside.activateWindow()
