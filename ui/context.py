"""The unlocked session as the UI sees it: services, the task runner and one 'changed' signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ppo_desktop.services import Changes, Workspace
from ppo_desktop.services.actions import Actions
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.users import Users
from ui.tasks import TaskRunner


class AppContext(QObject):
    """Screens read through the services here and refresh when ``changed`` names what they show."""

    changed = Signal(object)  # Changes

    def __init__(self, ws: Workspace, runner: TaskRunner, *, keyring_note: str = "") -> None:
        super().__init__()
        self.ws = ws
        self.runner = runner
        self.keyring_note = keyring_note
        self.cases = Cases(ws)
        self.nominations = Nominations(ws)
        self.actions = Actions(ws)
        self.meetings = Meetings(ws)
        self.users = Users(ws)

    def broadcast(self, changes: Changes) -> None:
        if changes.tables:
            self.changed.emit(changes)

    @property
    def partnership(self) -> str:
        return self.ws.setting("partnership", "PPO Panel")
