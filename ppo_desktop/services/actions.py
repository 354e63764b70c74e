"""Action plans: each action sits on a resettlement pathway with an agency, owner and due date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Action, ActionState, Pathway
from ppo_desktop.i18n import _
from ppo_desktop.services import rows
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Topic, Workspace


class Actions:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def add(
        self,
        nominal_id: int,
        *,
        pathway: Pathway,
        description: str,
        agency: str,
        owner: str,
        due_on: dt.date | None,
        meeting_id: int | None = None,
    ) -> Made[Action]:
        if not description.strip() or not agency.strip() or not owner.strip():
            raise ServiceError(_("An action needs a description, an agency and an owner."))
        values = {
            "nominal_id": nominal_id,
            "meeting_id": meeting_id,
            "pathway": pathway.value,
            "description": description,
            "agency": agency,
            "owner": owner,
            "due_on": rows.iso(due_on),
            "state": ActionState.OPEN.value,
            "created_on": self.ws.today().isoformat(),
        }
        with self.ws.writing() as db:
            db.table("actions").insert(values)
            new_id = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "action",
                new_id,
                f"Action added ({pathway.label})",
                at=self.ws.now(),
                nominal_id=nominal_id,
                after=values,
            )
        return Changes.of(Topic.ACTIONS, nominal_id=nominal_id).made(self.get(new_id))

    def close(
        self, action_id: int, state: ActionState, *, outcome: str, on: dt.date | None = None
    ) -> Made[Action]:
        """Close an action with an outcome: done, not possible, or the agency did not act."""
        if state is ActionState.OPEN:
            raise ServiceError(_("Closing an action needs an outcome other than 'open'."))
        current = self.get(action_id)
        if current.state is not ActionState.OPEN:
            raise ServiceError(_("That action is already closed."))
        after = {"state": state.value, "outcome": outcome, "closed_on": (on or self.ws.today()).isoformat()}
        with self.ws.writing() as db:
            db.table("actions").update(action_id, after)
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "action",
                action_id,
                f"Action closed: {state.value}",
                at=self.ws.now(),
                nominal_id=current.nominal_id,
                before={"state": current.state.value},
                after=after,
            )
        return Changes.of(Topic.ACTIONS, nominal_id=current.nominal_id).made(self.get(action_id))

    def update(self, action_id: int, *, justification: str = "", **changes: Any) -> Made[Action]:
        """Edit or reassign an open action (pathway, description, agency, owner, due date); the old
        and new values are audited."""
        allowed = {"pathway", "description", "agency", "owner", "due_on"}
        if unknown := sorted(set(changes) - allowed):
            raise ServiceError(
                _("An action's {join} cannot be changed here.").format(join=", ".join(unknown))
            )
        current = self.get(action_id)
        if current.state is not ActionState.OPEN:
            raise ServiceError(_("That action is closed; its record stands."))
        new = {
            "pathway": Pathway(changes.get("pathway", current.pathway)).value,
            "description": str(changes.get("description", current.description)).strip(),
            "agency": str(changes.get("agency", current.agency)).strip(),
            "owner": str(changes.get("owner", current.owner)).strip(),
            "due_on": rows.iso(changes.get("due_on", current.due_on)),
        }
        if not new["description"] or not new["agency"] or not new["owner"]:
            raise ServiceError(_("An action needs a description, an agency and an owner."))
        old = {
            "pathway": current.pathway.value,
            "description": current.description,
            "agency": current.agency,
            "owner": current.owner,
            "due_on": rows.iso(current.due_on),
        }
        after = {k: v for k, v in new.items() if v != old[k]}
        if not after:
            return Changes().made(current)
        with self.ws.writing() as db:
            db.table("actions").update(action_id, after)
            what = "reassigned" if {"agency", "owner"} & set(after) else "changed"
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "action",
                action_id,
                f"Action {what}: {', '.join(sorted(after))}",
                at=self.ws.now(),
                nominal_id=current.nominal_id,
                before={k: old[k] for k in after},
                after=after,
                justification=justification,
            )
        return Changes.of(Topic.ACTIONS, nominal_id=current.nominal_id).made(self.get(action_id))

    def get(self, action_id: int) -> Action:
        return rows.action(self.ws.row("actions", action_id, "action"))

    def open_actions(self) -> list[Action]:
        return [
            rows.action(r)
            for r in self.ws.db.query(
                "SELECT * FROM actions WHERE state = 'open' ORDER BY due_on IS NULL, due_on"
            )
        ]
