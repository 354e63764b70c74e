"""Typed access to TOML tables with errors that name the file, the field path and the problem."""

from __future__ import annotations

import datetime as dt
from typing import Any

_REQUIRED = object()


class Fields:
    """Typed access to one TOML table, with errors that name the file and the field path."""

    def __init__(self, raw: Any, where: str, error: type[ValueError] = ValueError) -> None:
        if not isinstance(raw, dict):
            raise error(f"{where}: must be a table")
        self.raw = raw
        self.where = where
        self._error = error

    def error(self, key: str, problem: str) -> ValueError:
        return self._error(f"{self.where}: {key}: {problem}")

    def _get(self, key: str, default: Any) -> Any:
        if key not in self.raw:
            if default is _REQUIRED:
                raise self.error(key, "is missing")
            return default
        return self.raw[key]

    def text(self, key: str, default: Any = None) -> str:
        value = self._get(key, _REQUIRED if default is None else default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self.error(key, "must be a non-empty string" if default is None else "must be a string")
        return value

    def number(self, key: str, default: Any = None) -> float:
        value = self._get(key, _REQUIRED if default is None else default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, not {value!r}")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        return None if key not in self.raw else self.number(key)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, "must be true or false")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            raise self.error(key, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def date(self, key: str) -> dt.date:
        value = self._get(key, _REQUIRED)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(key, f"must be a date (YYYY-MM-DD), not {value!r}")

    def optional_date(self, key: str) -> dt.date | None:
        return None if key not in self.raw else self.date(key)

    def strings(self, key: str) -> list[str]:
        value = self._get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "must be a list of strings")
        return value

    def tables(self, key: str) -> list[Fields]:
        value = self._get(key, [])
        if not isinstance(value, list):
            raise self.error(key, "must be a list of tables ([[...]])")
        return [Fields(item, f"{self.where}: {key}[{i}]", self._error) for i, item in enumerate(value)]
