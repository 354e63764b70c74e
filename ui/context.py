"""The unlocked session as the UI sees it: services, the task runner and one 'changed' signal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from ppo_desktop.services import Changes, ServiceError
from ppo_desktop.services.bundle import Services, SessionStatus
from ui.tasks import TaskRunner

C = TypeVar("C", bound=Changes)
T = TypeVar("T")


class MessageArea(Protocol):
    """Where a screen says what went wrong: a QLabel, usually."""

    def setText(self, text: str) -> None: ...  # noqa: N802 - Qt's name

    def clear(self) -> None: ...


class Said:
    """A message area that is a function (a dialog's report line, a status bar's message)."""

    def __init__(self, say: Callable[[str], object]) -> None:
        self._say = say

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._say(text)

    def clear(self) -> None:
        pass


@dataclass(frozen=True)
class Done(Generic[T]):
    """A service call that went through, and what it returned (which may be None)."""

    value: T


def attempt(work: Callable[[], T], shown_in: MessageArea) -> Done[T] | None:
    """The one place ``ui/`` meets a ServiceError: run a service call that is not a change (a case
    opened, a document prepared, a draft kept — each may be refused or fail to be recorded); a refusal
    is said in the screen's own message area and None returned. Changes go through ``perform``."""
    try:
        return Done(work())
    except ServiceError as exc:
        shown_in.setText(str(exc))
        return None


class AppContext(QObject):
    """Screens read through the services here and refresh when ``changed`` names what they show."""

    changed = Signal(object)  # Changes

    def __init__(self, services: Services, runner: TaskRunner, *, keyring_note: str = "") -> None:
        super().__init__()
        self.services = services  # every service, made once; never the Workspace (issue 23)
        self.session: SessionStatus = services.status  # who, the day, the profile, the store's state
        self.runner = runner
        self.keyring_note = keyring_note
        # The services the screens use most, by their short names.
        self.cases, self.memberships, self.custody = services.cases, services.memberships, services.custody
        self.nominations, self.actions = services.nominations, services.actions
        self.meetings = services.meetings
        self.room = services.room  # who came, and who was in the room for each item
        self.record = services.record  # a closed meeting's amendments
        self.users = services.users

    def broadcast(self, changes: Changes) -> None:
        if changes.topics:
            self.changed.emit(changes)

    def perform(self, change: Callable[[], C], shown_in: MessageArea) -> C | None:
        """The one way a screen makes a change (Anki's CollectionOp): run the service call; a
        ServiceError is shown in the screen's own message area (and None returned), otherwise the
        area is cleared and the Changes broadcast to every screen that shows what they touch."""
        done = attempt(change, shown_in)
        if done is None:
            return None
        changes = done.value
        shown_in.clear()
        self.broadcast(changes)
        return changes

    @property
    def partnership(self) -> str:
        return self.session.partnership
