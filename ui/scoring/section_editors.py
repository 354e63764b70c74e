"""The editors for a sheet's sections that are not count tables: a band (a number, or the number
counted from the offences), a choice, yes/no flags, lifestyle factors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLabel, QWidget

from ppo_desktop.i18n import N_, _
from ppo_desktop.scoring.definition import FACTOR_VALUES, Section

NONE = N_("(none)")
SetValue = Callable[[str, Any], None]
SetSubValue = Callable[[str, str, Any], None]


def section_editors(
    s: Section, value: Any, set_value: SetValue, set_sub_value: SetSubValue
) -> tuple[list[tuple[str, str, QWidget]], dict[str, QWidget]]:
    """The editors for one section of a sheet that is not a count table, (key, label, editor) per
    row, and those the sheet's repaint writes into (a counted band, a choice), by key."""
    if s.kind in ("band", "external"):
        if s.derived:
            shown = QLabel()
            return [(s.key, _("{unit} (counted)").format(unit=s.unit.capitalize()), shown)], {s.key: shown}
        spin = QDoubleSpinBox()
        spin.setDecimals(0)
        spin.setRange(-1, s.maximum if s.maximum is not None else 100000)
        spin.setSpecialValueText(_(NONE))
        spin.setValue(-1 if value is None else float(value))
        spin.valueChanged.connect(lambda v, k=s.key: set_value(k, None if v < 0 else int(v)))
        return [(s.key, s.unit.capitalize() or s.title, spin)], {s.key: spin}
    if s.kind == "choice":
        combo = _combo()
        combo.addItem(_(NONE), None)
        for o in s.options:
            combo.addItem(f"{o.label}  ({o.points:g})", o.key)
        combo.setCurrentIndex(max(0, combo.findData(value)))
        combo.currentIndexChanged.connect(lambda _i, c=combo, k=s.key: set_value(k, c.currentData()))
        return [(s.key, s.title, combo)], {s.key: combo}
    out: list[tuple[str, str, QWidget]] = []
    for r in s.rows:
        current = (value or {}).get(r.key)
        if s.kind == "flags":
            box = QCheckBox(_("yes"))
            box.setChecked(bool(current))
            box.toggled.connect(lambda on, k=s.key, rk=r.key: set_sub_value(k, rk, on))
            out.append((r.key, r.label, box))
        else:  # factors
            combo = _combo()
            for answer in FACTOR_VALUES:
                combo.addItem(_(answer), answer)
            combo.setCurrentIndex(max(0, combo.findData(current or "unknown")))
            combo.currentIndexChanged.connect(
                lambda _i, c=combo, k=s.key, rk=r.key: set_sub_value(k, rk, c.currentData())
            )
            out.append((r.key, r.label, combo))
    return out, {}


def _combo() -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo
