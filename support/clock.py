"""A manual clock: sleeping advances time instantly, so waits and expiry are tested without waiting."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class ManualClock:
    def __init__(self, start: datetime | None = None) -> None:
        self._start = start or datetime(2025, 7, 30, 13, 1, 13, tzinfo=UTC)
        self._elapsed = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._start + timedelta(seconds=self._elapsed)

    def monotonic(self) -> float:
        with self._lock:
            return self._elapsed

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._elapsed += max(0.0, seconds)


class InstantClock(ManualClock):
    """Backing off returns at once and time stands still: for races, where many threads back off together
    and a shared manual clock would run their deadlines out."""

    def sleep(self, seconds: float) -> None:
        pass
