"""Scheme performance from the store: gathers the records once, then works out every figure."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from ppo_desktop.i18n import _
from ppo_desktop.performance.figures import Facts, Filters, Report, SheetFact, build
from ppo_desktop.performance.tables import Table
from ppo_desktop.services import rows
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.cohort_years import CohortYears
from ppo_desktop.services.documents import Documents
from ppo_desktop.services.offences import Offences
from ppo_desktop.services.workspace import ServiceError, Workspace


class Performance:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def default_filters(self) -> Filters:
        end = self.ws.today()
        return Filters(end - relativedelta(years=2), end)

    def areas(self) -> list[str]:
        return [
            r["area"]
            for r in self.ws.db.query("SELECT DISTINCT area FROM nominals WHERE area != '' ORDER BY area")
        ]

    def facts(self) -> Facts:
        years, offences = CohortYears(self.ws), Offences(self.ws)
        return Facts(
            nominals={r["id"]: rows.nominal(r) for r in self.ws.db.query("SELECT * FROM nominals")},
            memberships=[
                rows.membership(r)
                for r in self.ws.db.query("SELECT * FROM memberships ORDER BY added_on, id")
            ],
            open_nominations=[
                rows.nomination(r) for r in self.ws.db.query("SELECT * FROM nominations WHERE state = 'open'")
            ],
            sheets=[
                SheetFact(r["nominal_id"], r["matrix_id"], dt.date.fromisoformat(r["scored_on"]), r["total"])
                for r in self.ws.db.query(
                    "SELECT nominal_id, matrix_id, scored_on, total FROM score_sheets WHERE state = 'final'"
                )
            ],
            years=[years.ceiling(y.id) for y in years.all()],
            profile=self.ws.profile(),
            reason_labels=Documents(self.ws).reason_labels(),
            sentences=Cases(self.ws).latest_sentences(),
            offences=offences.by_person(),
            scores=offences.definition(),
        )

    def report(self, filters: Filters | None = None) -> Report:
        filters = filters or self.default_filters()
        if filters.start > filters.end:
            raise ServiceError(_("The period starts after it ends."))
        return build(self.facts(), filters)

    def export_csv(self, table: Table, *, how: str, recipient: str, justification: str) -> bytes:
        """One table as CSV (small numbers suppressed), recorded as a disclosure before it is returned."""
        data = table.csv()
        Documents(self.ws).disclose_export(
            f"Performance table: {table.title}",
            data,
            [],
            how=how,
            recipient=recipient,
            justification=justification,
        )
        return data
