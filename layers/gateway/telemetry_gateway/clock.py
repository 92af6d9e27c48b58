"""One seam for time and sleep, so long-polls, deadlines and expiry are tested without waiting."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Wall-clock time, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back; used for deadlines."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


_current: Clock = SystemClock()


def current() -> Clock:
    """The clock handlers hand to the domain; tests and the local runtime may install another."""
    return _current


def install(clock: Clock) -> Clock:
    """Replace the process clock and return the previous one."""
    global _current
    previous, _current = _current, clock
    return previous
