"""A date typed as people type dates ("14 03 1998", "14/03/1998", "14.03.1998", "14 Mar 1998",
"1998-03-14"): a plain text box, so Tab leaves it like any other field; blank means not known."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QWidget

from ppo_desktop.imports.nominations import parse_date


class DateField(QLineEdit):
    def __init__(self, name: str, parent: QWidget | None = None, *, required: bool = False) -> None:
        super().__init__(parent)
        self.setPlaceholderText("DD MM YYYY" + ("" if required else "  (blank: not known)"))
        self.setAccessibleName(name)
        self.required = required
        self.editingFinished.connect(self._tidy)

    def date(self) -> dt.date | None:
        """The date typed, None when blank; ValueError (in words) when it is not a date."""
        text = self.text().strip()
        if not text:
            if self.required:
                raise ValueError(f"{self.accessibleName()}: a date is needed (DD MM YYYY).")
            return None
        try:
            day = parse_date(text)
        except ValueError:
            raise ValueError(f"{self.accessibleName()}: {text!r} is not a date (DD MM YYYY).") from None
        assert day is not None
        return day

    def set_date(self, day: dt.date | None) -> None:
        self.setText(f"{day:%d %b %Y}" if day else "")

    def _tidy(self) -> None:
        """Show a date that was understood the way it was understood (14 03 1998 → 14 Mar 1998)."""
        try:
            day = self.date()
        except ValueError:
            return
        if day is not None:
            self.set_date(day)
