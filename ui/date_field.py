"""A date typed as people type dates ("14 03 1998", "14/03/1998", "14.03.1998", "14 Mar 1998",
"1998-03-14"): a plain text box, so Tab leaves it like any other field; blank means not known."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QWidget

from ppo_desktop import i18n
from ppo_desktop.i18n import _
from ppo_desktop.imports.nominations import parse_date


class DateField(QLineEdit):
    def __init__(self, name: str, parent: QWidget | None = None, *, required: bool = False) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("DD MM YYYY") + ("" if required else "  " + _("(blank: not known)")))
        self.setAccessibleName(name)
        self.required = required
        self.editingFinished.connect(self._tidy)

    def date(self) -> dt.date | None:
        """The date typed, None when blank; ValueError (in words) when it is not a date."""
        text = self.text().strip()
        if not text:
            if self.required:
                raise ValueError(
                    _("{field}: a date is needed (DD MM YYYY).").format(field=self.accessibleName())
                )
            return None
        try:
            day = parse_date(text)
        except ValueError:
            raise ValueError(
                _("{field}: {text!r} is not a date (DD MM YYYY).").format(
                    field=self.accessibleName(), text=text
                )
            ) from None
        assert day is not None
        return day

    def set_date(self, day: dt.date | None) -> None:
        if day is None:
            self.setText("")
        elif i18n.current() == i18n.ENGLISH:
            self.setText(i18n.format_date(day))  # as every screen writes a day
        else:  # digits: read back the same in any language (month names are read in English only)
            self.setText(f"{day:%d %m %Y}")

    def _tidy(self) -> None:
        """Show a date that was understood the way it was understood (14 03 1998 → 14 Mar 1998)."""
        try:
            day = self.date()
        except ValueError:
            return
        if day is not None:
            self.set_date(day)
