"""What the room sees: the projector policy (data) and the projection of one agenda item through it.

The projector window renders only what ``project`` returns, so a field the policy withholds never
reaches a widget.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from ppo_desktop import paths
from ppo_desktop.data_files import Fields
from ppo_desktop.domain import Action, AgendaItem, CaseFile, Decision, DecisionKind, Strand
from ppo_desktop.i18n import _, format_date, in_every_language
from ppo_desktop.rules.agenda import SETTLED_BY


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class PolicyField:
    key: str
    label: str
    show: bool


@dataclass(frozen=True)
class ProjectorPolicy:
    fields: tuple[PolicyField, ...]

    def allows(self, key: str) -> bool:
        return any(f.key == key and f.show for f in self.fields)

    def with_choices(self, shown: dict[str, bool]) -> ProjectorPolicy:
        return ProjectorPolicy(
            tuple(PolicyField(f.key, f.label, shown.get(f.key, f.show)) for f in self.fields)
        )

    def to_json(self) -> str:
        return json.dumps({f.key: f.show for f in self.fields}, sort_keys=True)


@cache
def default_policy() -> ProjectorPolicy:
    path = paths.resource("policies", "projector.toml")
    f = Fields(tomllib.loads(path.read_text(encoding="utf-8")), path.name, PolicyError)
    return ProjectorPolicy(
        tuple(
            PolicyField(t.text("key"), t.text("label"), t.boolean("show", False)) for t in f.tables("fields")
        )
    )


def policy_from_setting(stored: str) -> ProjectorPolicy:
    """The default policy with the partnership's stored choices applied (unknown keys ignored)."""
    base = default_policy()
    if not stored:
        return base
    try:
        choices = json.loads(stored)
    except json.JSONDecodeError:
        return base
    return base.with_choices({k: bool(v) for k, v in choices.items() if isinstance(k, str)})


@dataclass(frozen=True)
class Projection:
    """Field key → text, in display order; only allowed fields are present."""

    heading: str
    progress: str
    lines: tuple[tuple[str, str], ...]


def _for_the_room(reason: str) -> str:
    """A reason without the procedure for the chair, in whichever language it was planned."""
    for marker in in_every_language(SETTLED_BY):
        reason = reason.split(marker)[0]
    return reason.rstrip(".")


def project(
    policy: ProjectorPolicy,
    *,
    meeting_title: str,
    item: AgendaItem,
    position: int,
    count: int,
    case: CaseFile | None,
    day: dt.date,
    score: tuple[float, float | None] | None,
    decision: Decision | None,
    actions: tuple[Action, ...] = (),
    reason_labels: Mapping[str, str] | None = None,
    strand_names: Mapping[Strand, str] | None = None,
) -> Projection:
    """The item as the room may see it. Free text (a nomination's own words) only where the policy
    allows it; decisions in words (a reason's label, never its code)."""
    lines: list[tuple[str, str]] = []
    names = strand_names or {}

    def strand(s: Strand) -> str:
        return _(names.get(s, s.long_name))

    def add(key: str, label: str, text: str) -> None:
        if policy.allows(key) and text:
            lines.append((label, text))

    title = _(item.title)
    if case is not None:
        n = case.nominal
        hidden = n.ref if policy.allows("ref") else _("Candidate")
        title = n.display_name if policy.allows("name") else hidden
        add("ref", _("Reference"), n.ref)
        age = n.age_on(day)
        add("age", _("Age"), "" if age is None else str(age))
        add("dob", _("Date of birth"), format_date(n.dob))
        add("area", _("Area"), n.area)
        add("address", _("Address"), n.address)
        add("pnc", _("PNC id"), n.pnc_id)
        add("cro", _("CRO"), n.cro)
        m = case.current
        add(
            "strand",
            _("Strand"),
            f"{strand(m.strand)} · {_(m.basis.value)} · {_(m.status.label)}" if m else _("Candidate"),
        )
    # The room reads why the person is here, not the procedure for the chair ("Settled by: …").
    add("reasons", _("On the agenda"), "; ".join(_for_the_room(r) for r in item.reasons))
    add("reason_text", _("In the nomination's words"), "; ".join(item.free_text))
    if score is not None:
        total, previous = score
        prev = "" if previous is None else _("   (previous {before:g}, {change:+g})").format(
            before=previous, change=total - previous)  # fmt: skip
        add("score", _("Score"), f"{total:g}{prev}")
    if decision is not None:
        kind = _(DecisionKind(decision.kind).label)
        labels = reason_labels or {}
        reason = (
            labels.get(decision.reason_code, decision.reason_code.replace("-", " "))
            if decision.reason_code
            else ""
        )
        detail = " — ".join(x for x in (strand(decision.strand) if decision.strand else "", reason) if x)
        add("decision", _("Decision"), f"{kind} {detail}".strip())
    add(
        "actions",
        _("Open actions"),
        "; ".join(
            f"{_(a.pathway.label)} — {a.agency}"
            + (_(", due {day}").format(day=format_date(a.due_on, year=False)) if a.due_on else "")
            for a in actions
        ),
    )  # fmt: skip
    add("notes", _("Notes"), item.notes)
    progress = _("{meeting} · item {n} of {count}").format(meeting=meeting_title, n=position, count=count)
    return Projection(heading=title, progress=progress, lines=tuple(lines))
