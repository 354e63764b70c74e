"""The unlocked session as the UI sees it: services, the task runner and one 'changed' signal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ppo_desktop.services import Changes, ServiceError
from ppo_desktop.services.bundle import Services, SessionStatus
from ppo_desktop.services.workspace import Progress
from ui.progress import Waiting
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

    def perform_long(
        self,
        title: str,
        start: Callable[[Progress], Callable[[], T]],
        shown_in: MessageArea,
        then: Callable[[T], None],
        parent: QWidget | None = None,
    ) -> None:
        """Work too long for the window's thread (reading a pack, a merge, an import): ``start``
        makes the job (given the progress hook; a refusal to start is said at once), the job runs on
        a worker with a progress window and Cancel, and then — back on this thread — ``then`` hears
        what it returned; a change (Changes) first moves the anchor to the log's new end and is
        broadcast. A refusal, or Cancel (a change is then rolled back whole), is said in the
        screen's message area."""
        waiting = Waiting(title, parent)
        job = attempt(lambda: start(waiting.report), shown_in)
        if job is None:
            waiting.finish()
            return

        def done(value: T) -> None:
            waiting.finish()
            if not self.session.is_open:  # locked meanwhile: the work committed on its own connection,
                return  # and the next unlock finds it (its screens are gone)
            shown_in.clear()
            if isinstance(value, Changes):
                self.session.record_log_end()
                self.broadcast(value)
            then(value)

        def failed(exc: BaseException) -> None:
            waiting.finish()
            if not self.session.is_open:
                return
            if not isinstance(exc, ServiceError):
                raise exc
            shown_in.setText(str(exc))

        self.runner.run(job.value, done, failed)

    @property
    def partnership(self) -> str:
        return self.session.partnership
