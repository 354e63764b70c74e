"""Committing an import: every row, the column mapping remembered for its sender, and the audit entry
naming both — one transaction, all or nothing. (The importers in ``ppo_desktop.imports`` read and
plan; only this service writes.)"""

from __future__ import annotations

from collections.abc import Callable

from ppo_desktop.imports import mapping
from ppo_desktop.imports.counts import CountsImport, CountsPlan
from ppo_desktop.imports.nominations import KIND as NOMINATIONS
from ppo_desktop.imports.nominations import ImportPlan, NominationImport
from ppo_desktop.imports.offence_history import OffenceImport, OffencePlan
from ppo_desktop.services.workspace import Changes, Progress, Workspace


class Imports:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def committing(
        self,
        plan: ImportPlan | CountsPlan | OffencePlan,
        decisions: dict[int, int | None] | None = None,
        *,
        justification: str,
        progress: Progress | None = None,
    ) -> Callable[[], Changes]:
        """``commit`` as a job for a worker thread (a large file takes a while), with progress;
        stopped, it imports nothing."""
        return self.ws.on_worker(
            lambda ws: Imports(ws).commit(plan, decisions, justification=justification), progress
        )

    def commit(
        self,
        plan: ImportPlan | CountsPlan | OffencePlan,
        decisions: dict[int, int | None] | None = None,
        *,
        justification: str,
        remember: bool = True,
    ) -> Changes:
        """Import a dry run's rows. ``decisions`` settles each possible duplicate of a nominations
        file (row → the person it is, or None for a new person); ``remember`` keeps the column
        mapping for the next file from the same sender."""
        with self.ws.writing():
            if isinstance(plan, ImportPlan):
                changes = NominationImport(self.ws).write(plan, decisions, justification=justification)
                kind = NOMINATIONS
            elif isinstance(plan, OffencePlan):
                changes = OffenceImport(self.ws).write(plan, justification=justification)
                kind = plan.kind
            else:
                changes = CountsImport(self.ws, plan.kind).write(plan, justification=justification)
                kind = plan.kind
            if remember:
                mapping.remember(self.ws, kind, plan.source, plan.mapping)
        return changes
