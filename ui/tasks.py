"""Run slow work (key derivation, PDF building, import) off the UI thread and report back by signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - even SystemExit: a waiting screen must hear of it
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class TaskRunner:
    """Runs ``fn`` on the global thread pool; callbacks run on the UI thread (queued signals)."""

    def __init__(self) -> None:
        self._relays: set[_Relay] = set()

    def run(
        self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)

        def finish(cb: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                self._relays.discard(relay)
                cb(value)

            return call

        relay.done.connect(finish(on_done))
        relay.failed.connect(finish(on_error))
        QThreadPool.globalInstance().start(_Job(fn, relay))


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
