"""The console's new-action form: pathway, what, which agency, who, and when it is due (a month
after the meeting, from the rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit, QPushButton, QWidget

from ppo_desktop.domain import Pathway
from ppo_desktop.i18n import _
from ui.date_field import DateField
from ui.widgets import add_rows, shrinkable


class ActionForm(QGroupBox):
    def __init__(self, due: dt.date, add: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(_("New action"), parent)
        form = QFormLayout(self)
        self.pathway = QComboBox()
        for p in Pathway:
            self.pathway.addItem(_(p.label), p.value)
        shrinkable(self.pathway, 14)  # as wide as a short pathway: the longest asked for 728 px at 200 %
        self.text = QLineEdit()
        self.agency = QLineEdit()
        self.owner = QLineEdit()
        self.due = DateField(_("Due"))
        self.default_due = due
        self.due.set_date(due)
        add_rows(
            form,
            (
                (_("Pat&hway:"), self.pathway),
                (_("Act&ion:"), self.text),
                (_("A&gency:"), self.agency),
                (_("O&wner:"), self.owner),
                (_("Du&e:"), self.due),
            ),
        )
        button = QPushButton(_("&Add action  (Ctrl+Shift+A)"))
        button.clicked.connect(add)
        form.addRow(button)

    def clear(self) -> None:
        """Start empty for the next person: their action is not the last person's agency and owner
        (the minutes printed them under the wrong person)."""
        self.pathway.setCurrentIndex(0)
        for field in (self.text, self.agency, self.owner):
            field.clear()
        self.due.set_date(self.default_due)

    def values(self) -> tuple[Pathway, str, str, str, dt.date | None]:
        """What was typed; ValueError (in words) for a due date that is not a date."""
        due = self.due.date()
        return (
            Pathway(self.pathway.currentData()),
            self.text.text(),
            self.agency.text(),
            self.owner.text(),
            due,
        )
