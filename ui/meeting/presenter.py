"""The live meeting without its widgets (issue 17): where the chair is on the agenda, the item's
timer, what the room may be shown, decisions and their undo, actions, notes and the drafts that
keep them through a crash, and closing. The chair console shows it and forwards the chair's keys;
this holds the rules, so they are tested without a window (and no Qt is imported here)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ppo_desktop.domain import (
    Action,
    AgendaItem,
    CaseFile,
    Decision,
    DecisionKind,
    ItemState,
    MeetingState,
    Pathway,
    ScoreSheet,
)
from ppo_desktop.i18n import _, ngettext
from ppo_desktop.projection import Projection, project
from ppo_desktop.rules.decisions import action_due
from ppo_desktop.services import Changes
from ppo_desktop.services.bundle import Services
from ppo_desktop.services.drafts import Draft
from ppo_desktop.summary import summary_lines

AMBER_SECONDS = 120  # the item's last two minutes show amber
SHOWN_NOT_REACHED = 6  # items named in the closing question (the rest are counted)


def item_time(planned: int, spent: int) -> tuple[str, str]:
    """The item's time as the room reads it: counting down, then how far over; and its state
    ("", "amber" in the last two minutes, "red" once over) — the words say it too, never colour alone."""
    left = planned - spent
    if left < 0:
        over = -left
        return _("{minutes}:{seconds:02d} OVER").format(minutes=over // 60, seconds=over % 60), "red"
    state = "amber" if left <= min(AMBER_SECONDS, planned // 2) else ""
    text = _("{minutes}:{seconds:02d} left").format(minutes=left // 60, seconds=left % 60)
    return text + (_(" — nearly out of time") if state else ""), state


@dataclass(frozen=True)
class Progress:
    text: str  # for the chair: where in the agenda, how much is done, this item's time
    timer: str  # this item's time as the room reads it ("" with no item, or once closed)
    state: str  # "", "amber" or "red"


class MeetingPresenter:
    def __init__(
        self, services: Services, meeting_id: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._revealed: int | None = None  # the item the room can see now (its disclosure recorded)
        self.session, self.sheets = services.status, services.score_sheets
        self.meetings, self.cases, self.actions = services.meetings, services.cases, services.actions
        self.decisions, self.drafts, self.offences = services.decisions, services.drafts, services.offences
        self.meeting = self.meetings.get(meeting_id)
        self.items: list[AgendaItem] = []
        self.index = -1
        self.case: CaseFile | None = None
        self._clock = clock
        self._started: float | None = None  # when the chair reached the current item

    # -- the meeting ---------------------------------------------------------------------------
    def start(self) -> Changes:
        """A planned meeting is in progress from the moment its console opens."""
        if self.meeting.state is not MeetingState.PLANNED:
            return Changes()
        changes = self.meetings.start(self.meeting.id)
        self.meeting = self.meetings.get(self.meeting.id)
        return changes

    @property
    def open(self) -> bool:
        return self.meeting.state is MeetingState.IN_PROGRESS

    @property
    def current(self) -> AgendaItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def reload(self) -> None:
        """The agenda as it now is; the chair stays on the same item (it may have moved)."""
        current_id = self.current.id if self.current else None
        self.items = self.meetings.agenda(self.meeting.id)
        if current_id is not None:
            self.index = next((i for i, it in enumerate(self.items) if it.id == current_id), self.index)

    def follow(self, changes: Changes) -> bool:
        """A change made anywhere: whether the console should show the item again."""
        if not changes.topics & {"agenda_items", "decisions", "memberships", "actions", "meetings"}:
            return False
        self.reload()
        item = self.current
        if item is not None and item.nominal_id is not None and item.nominal_id in changes.nominal_ids:
            self.case = self.cases.case_file(item.nominal_id)
        return item is not None

    # -- moving through the agenda ---------------------------------------------------------------
    def can_go_to(self, index: int) -> bool:
        return 0 <= index < len(self.items) and index != self.index

    def go_to(self, index: int) -> AgendaItem:
        """The chair is now on item ``index``: its clock starts, its case is opened (an audited
        consultation, for the meeting's purpose). The item left must be left first (``leave``)."""
        self.index = index
        item = self.items[index] = self.meetings.item(self.items[index].id)  # with the time spent so far
        self._started = self._clock()
        self.case = (
            self.cases.open_case(item.nominal_id, purpose=f"Panel meeting {self.meeting.held_on}")
            if item.nominal_id is not None
            else None
        )
        return item

    def visit_seconds(self) -> int:
        """Time on the current item since the chair reached it this time."""
        return int(self._clock() - self._started) if self._started is not None else 0

    def seconds_on_item(self) -> int:
        """Time on the current item in all: earlier visits (and before a lock) and this one."""
        item = self.current
        return (item.seconds_spent if item else 0) + self.visit_seconds()

    def record_time(self) -> None:
        """The time spent on the item being left (not audited: it is not personal data)."""
        item = self.current
        if item is not None and self._started is not None:
            self.meetings.record_time(item.id, self.visit_seconds())

    def progress(self) -> Progress:
        done = sum(1 for i in self.items if i.state is ItemState.DISCUSSED)
        planned = sum(i.minutes for i in self.items)
        text = _("Item {n} of {count} · {done} discussed · planned {minutes} min").format(
            n=self.index + 1, count=len(self.items), done=done, minutes=planned
        )
        item = self.current
        if item is None or self._started is None:
            return Progress(text, "", "")
        timer, state = item_time(item.minutes * 60, self.seconds_on_item())
        return Progress(text + "\n" + _("This item: {timer}").format(timer=timer), timer, state)

    # -- what the chair sees and the room may see ----------------------------------------------------
    def summary(self) -> list[str]:
        item = self.current
        if item is None:
            return []
        sheets = self.sheets.history(item.nominal_id) if item.nominal_id is not None else []
        latest = next((s for s in sheets if s.final), None)
        day = self.meeting.held_on
        iom = self.offences.score(item.nominal_id, day) if item.nominal_id is not None else None
        return summary_lines(item, self.case, day, self.session.profile(), latest, iom)

    def taken(self) -> list[Decision]:
        item = self.current
        return self.decisions.for_item(item.id) if item else []

    def decided_lines(self) -> list[str]:
        """What has been decided on this item, in words (a reason's label, never its code)."""
        labels = {r.code.value: r.label for r in self.session.profile().removal_reasons}
        return [
            _("Decided: {decision}").format(decision=_(DecisionKind(d.kind).label))
            + (f" ({labels.get(d.reason_code, d.reason_code.replace('-', ' '))})" if d.reason_code else "")
            for d in self.taken()
        ]

    @property
    def can_decide(self) -> bool:
        item = self.current
        return self.open and item is not None and item.nominal_id is not None

    def projection(self, sheet: ScoreSheet | None, total: float | None, previous: float | None) -> Projection:
        """The current item as the room may see it (the projector policy decides what that is); the
        score only when the sheet shown is this person's."""
        item = self.current
        assert item is not None
        score = (
            (total, previous)
            if total is not None and sheet is not None and sheet.nominal_id == item.nominal_id
            else None
        )
        taken = self.taken()
        actions: tuple[Action, ...] = (
            tuple(a for a in self.case.actions if a.state.value == "open") if self.case else ()
        )
        return project(
            self.session.projector_policy(),
            meeting_title=self.meeting.panel,
            item=item,
            position=self.index + 1,
            count=len(self.items),
            case=self.case,
            day=self.meeting.held_on,
            score=score,
            decision=taken[-1] if taken else None,
            actions=actions,
            reason_labels={r.code.value: r.label for r in self.session.profile().removal_reasons},
            strand_names=self.session.profile().strand_names,
        )

    def record_projection(self) -> None:
        """Showing the person to the room is a disclosure, audited before the projector shows it."""
        item = self.current
        if item is not None:
            self.meetings.record_projection(item.id)

    def room_sees(self, sees: bool) -> None:
        """The one place the room's view is known (the projector shown and not curtained, or not):
        call before the projector draws. Whatever reveals an item to the room — a new item while
        it sees, lifting the curtain, showing the projector — records the disclosure first."""
        item = self.current
        if sees and item is not None and self._revealed != item.id:
            self.record_projection()
            self._revealed = item.id
        elif not sees:
            self._revealed = None

    def shows_timer(self) -> bool:
        return self.session.projector_policy().allows("timer")

    # -- decisions, actions, notes ----------------------------------------------------------------
    def decide(self, kind: DecisionKind, values: dict[str, Any]) -> Changes:
        item = self.current
        assert item is not None
        return self.decisions.decide(item.id, kind, **values)

    def undo_last(self) -> Changes:
        """The item's last decision undone (until the meeting closes); nothing to undo: no change."""
        taken = self.taken()
        return self.decisions.undo(taken[-1].id) if taken else Changes()

    def decision_context(self) -> dict[str, Any]:
        """What the decision dialog starts from: the person's membership and open nomination."""
        nominated = [n for n in (self.case.nominations if self.case else ()) if n.state.value == "open"]
        return {
            "current": self.case.current if self.case else None,
            "nomination": nominated[0] if nominated else None,
        }

    def action_due(self) -> Any:
        return action_due(self.meeting.held_on)

    def add_action(self, pathway: Pathway, description: str, agency: str, owner: str, due_on: Any) -> Changes:
        item = self.current
        assert item is not None and item.nominal_id is not None
        return self.actions.add(
            item.nominal_id, pathway=pathway, description=description, agency=agency, owner=owner,
            due_on=due_on, meeting_id=self.meeting.id,
        )  # fmt: skip

    def save_notes(self, text: str) -> Changes:
        """The discussion notes for the minutes, when they differ from what is saved."""
        item = self.current
        if item is None or text == item.notes:
            return Changes()
        return self.meetings.set_notes(item.id, text)

    # -- drafts: what is being typed survives a crash ----------------------------------------------
    @staticmethod
    def draft_key(item: AgendaItem) -> str:
        return f"agenda_item:{item.id}:notes"

    def keep_draft(self, text: str) -> bool:
        """What is being typed, into the encrypted store at once (a kill loses at most a moment)."""
        item = self.current
        if item is None or text == item.notes:
            return False
        self.drafts.keep(self.draft_key(item), text, item.nominal_id)
        return True

    def draft_to_offer(self) -> Draft | None:
        """Notes kept from a session that ended unexpectedly, if they differ from what was saved."""
        item = self.current
        draft = self.drafts.get(self.draft_key(item)) if item else None
        return draft if draft is not None and item is not None and draft.text != item.notes else None

    def settle_draft(self) -> None:
        """The notes are saved: the draft is no longer needed."""
        item = self.current
        if item is not None and self.drafts.get(self.draft_key(item)) is not None:
            self.drafts.discard(self.draft_key(item))

    # -- closing -------------------------------------------------------------------------------------
    def not_reached(self) -> list[AgendaItem]:
        return [
            i for i in self.items if i.state is not ItemState.DISCUSSED and not self.decisions.for_item(i.id)
        ]

    def close_question(self) -> str:
        question = _(
            "Close the meeting? Decisions can no longer be undone; later changes are recorded as amendments."
        )
        waiting = self.not_reached()
        if not waiting:
            return question
        names = ", ".join(f"{i.position}. {i.title}" for i in waiting[:SHOWN_NOT_REACHED])
        more = " …" if len(waiting) > SHOWN_NOT_REACHED else ""
        missed = ngettext(
            "{n} item was not reached: {names}. It will be listed as not reached in the minutes (and come "
            "back on the next agenda if the rules still propose it).",
            "{n} items were not reached: {names}. They will be listed as not reached in the minutes (and "
            "come back on the next agenda if the rules still propose them).",
            len(waiting),
        )
        return missed.format(n=len(waiting), names=names + more) + "\n\n" + question

    def close(self) -> Changes:
        """Closed: its decisions are final, the item clock stops."""
        changes = self.meetings.close(self.meeting.id)
        self.meeting = self.meetings.get(self.meeting.id)
        self._started = None
        return changes
