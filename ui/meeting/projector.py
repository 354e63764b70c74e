"""The projector window: what the room sees, in a large high-contrast theme; a curtain blanks it.

It renders a ``Projection`` only (built through the projector policy in ppo_desktop), so nothing
outside the policy can reach it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QFont, QResizeEvent, QScreen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

from ppo_desktop.i18n import N_, _
from ppo_desktop.projection import Projection

PROJECTOR_QSS = """
QWidget#projector, QWidget#page, QWidget#curtain { background: #000000; }
QLabel { color: #ffffff; }
QLabel#progress { color: #ffd54f; }
QLabel#caption { color: #b0bec5; }
"""
# Type sizes in pixels at 1080 lines, scaled with the window's height; the text steps down to fit,
# never below FLOOR (still read from the back of a room), then long lines are shortened with "…more".
SIZES = {"heading": 72, "value": 40, "caption": 34, "progress": 30, "timer": 34}
FLOOR = 28
MORE = N_(" …more (F7)")  # a shortened line's end (the window says it in the language in use)


TIMER_COLOURS = {
    "amber": "color: #3d2e00; background: #ffd43b; padding: 4px 12px;",
    "red": "color: #ffffff; background: #c92a2a; padding: 4px 12px;",
}


PROJECTOR_MIN_WIDTH = 480  # narrower than this, the room could not read it beside the console
CONSOLE_COMFORT_WIDTH = 1200  # the chair's console beside the projector reads whole from this width


def tile(area: QRect, console_min: int) -> tuple[QRect, QRect | None]:
    """One screen shared by the console (left) and the projector (right): the projector gets what
    the console does not need to be read comfortably, at most half; None when there is not room for
    both side by side. (Given only its minimum, 992 px of 1920, the console's scoring header wrapped
    a word to a line and its labels were cut.)"""
    room = min(area.width() // 2, area.width() - max(console_min, CONSOLE_COMFORT_WIDTH))
    if room < PROJECTOR_MIN_WIDTH:
        return area, None
    console = QRect(area.x(), area.y(), area.width() - room, area.height())
    return console, QRect(area.x() + area.width() - room, area.y(), room, area.height())


def _font(label: QLabel, px: int, *, bold: bool = False) -> None:
    font = QFont(label.font())
    font.setPixelSize(max(px, 8))
    font.setBold(bold)
    label.setFont(font)


class ProjectorWindow(QWidget):
    for_the_room = True  # the one window a shared screen should show (ui.platform.CaptureGuard)

    def __init__(self) -> None:
        # The room's screen never takes the keyboard from the chair's console.
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setObjectName("projector")
        self.setWindowTitle(_("PPO Panel — projector"))
        self.more = _(MORE)
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
        column = self.column = QVBoxLayout(page)
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
        self.values: list[QLabel] = []
        self.captions: list[QLabel] = []
        self.full: list[str] = []  # each line's whole text; what is shown may be a part of it
        self.offsets: list[int] = []  # where each shown part starts (F7 pages a shortened line)
        self.value_px = SIZES["value"]

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
        self.values, self.captions = [], []
        self.full = [text for _label, text in projection.lines]
        self.offsets = [0] * len(self.full)
        for row, (label, text) in enumerate(projection.lines):
            caption = QLabel(label)
            caption.setObjectName("caption")
            caption.setWordWrap(True)
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value = QLabel(text)
            value.setWordWrap(True)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(caption, row, 0)
            self.grid.addWidget(value, row, 1)
            self.captions.append(caption)
            self.values.append(value)
        self.fit()
        for w in (*self.captions, *self.values):
            w.show()

    # -- fitting the room's screen --------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Every line whole at this size: wrap, then step the type down to FLOOR, then shorten the
        longest lines with "…more" (the chair pages them with F7). Never clipped."""
        scale = max(self.height(), 360) / 1080
        margin_x, margin_y = round(60 * scale), round(40 * scale)
        self.column.setContentsMargins(margin_x, margin_y, margin_x, margin_y)
        self.grid.setVerticalSpacing(round(18 * scale))
        self.grid.setHorizontalSpacing(round(32 * scale))
        self._show_parts()
        for px in range(SIZES["value"], FLOOR - 1, -2):
            self._sizes(px, scale)
            if self._needed(scale) <= self.height():
                return
        while self._needed(scale) > self.height() and self._shorten_longest():
            pass

    def _sizes(self, value_px: int, scale: float) -> None:
        self.value_px = value_px
        ratio = value_px / SIZES["value"]
        for label, role in ((self.heading, "heading"), (self.progress, "progress"), (self.timer, "timer")):
            _font(label, round(SIZES[role] * ratio * scale), bold=role != "progress")
        for caption in self.captions:
            _font(caption, round(SIZES["caption"] * ratio * scale))
        for value in self.values:
            _font(value, round(value_px * scale))

    def _needed(self, scale: float) -> int:
        """The height the page needs at the window's width, from each label's own wrapped height."""
        margins = self.column.contentsMargins()
        width = max(self.width(), 320) - margins.left() - margins.right()
        caption_w = min(max((c.sizeHint().width() for c in self.captions), default=0), width // 3)
        value_w = max(width - caption_w - self.grid.horizontalSpacing(), 50)
        rows = sum(
            max(c.heightForWidth(caption_w), v.heightForWidth(value_w)) + self.grid.verticalSpacing()
            for c, v in zip(self.captions, self.values, strict=True)
        )
        top = max(
            self.progress.sizeHint().height(), self.timer.sizeHint().height() if self.timer.text() else 0
        )
        heading = self.heading.heightForWidth(width)
        return margins.top() + margins.bottom() + top + heading + round(20 * scale) + rows + 24

    def _show_parts(self) -> None:
        for value, text, start in zip(self.values, self.full, self.offsets, strict=True):
            value.setText(("…" if start else "") + text[start:])

    def _shorten_longest(self) -> bool:
        """Cut the longest shown line at a word near its middle, ending "…more"; False when none can be."""
        shown = [(len(v.text()), i) for i, v in enumerate(self.values) if len(v.text()) > 40]
        if not shown:
            return False
        _length, i = max(shown)
        text = self.values[i].text().removesuffix(self.more)
        cut = text.rfind(" ", 0, max(20, len(text) // 2 - len(self.more)))
        self.values[i].setText(text[: cut if cut > 0 else len(text) // 2] + self.more)
        return True

    def page_more(self) -> bool:
        """F7: the next part of every shortened line (back to the start after the last part)."""
        moved = False
        for i, value in enumerate(self.values):
            if value.text().endswith(self.more):
                shown = len(value.text().removesuffix(self.more).removeprefix("…"))
                self.offsets[i] += shown
                moved = True
            elif self.offsets[i]:
                self.offsets[i] = 0
                moved = True
        if moved:
            self.fit()
        return moved

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
