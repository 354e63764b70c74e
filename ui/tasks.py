"""Run slow work (key derivation, PDF building, import) off the UI thread and report back by signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """One per runner, made and kept on the UI thread: a job emits its answer through it, keyed by
    its number. Jobs never own it, so a QObject of the UI thread is never destroyed on a worker (a
    job is freed by the pool on the worker's thread, whenever that is)."""

    done = Signal(int, object)
    failed = Signal(int, object)


_RELAYS: list[_Relay] = []  # kept for the process's life: never freed from a worker thread


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, key: int) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.key = key

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - even SystemExit: a waiting screen must hear of it
            self.relay.failed.emit(self.key, exc)
        else:
            self.relay.done.emit(self.key, result)


class TaskRunner:
    """Runs ``fn`` on the global thread pool; callbacks run on the UI thread (queued signals)."""

    def __init__(self) -> None:
        self._relay = _Relay()
        _RELAYS.append(self._relay)
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._waiting: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self._count = 0

    def run(
        self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> None:
        self._count += 1
        self._waiting[self._count] = (on_done, on_error)
        QThreadPool.globalInstance().start(_Job(fn, self._relay, self._count))

    def _done(self, key: int, value: Any) -> None:
        on_done, _on_error = self._waiting.pop(key)
        on_done(value)

    def _failed(self, key: int, exc: BaseException) -> None:
        _on_done, on_error = self._waiting.pop(key)
        on_error(exc)


class SyncRunner(TaskRunner):
    """Runs tasks inline: used by tests and the screenshot command."""

    def run(
        self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> None:
        try:
            result = fn()
        except BaseException as exc:  # noqa: BLE001 - as the thread pool's jobs do
            on_error(exc)
        else:
            on_done(result)
