"""A request's time budget, taken from the Lambda context and measured on the injected clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from telemetry_gateway.clock import Clock


class HasRemainingTime(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


@dataclass(frozen=True)
class Deadline:
    """When this request's work must stop, on the request's clock."""

    clock: Clock
    at: float  # on clock.monotonic()

    @classmethod
    def from_context(cls, context: HasRemainingTime, clock: Clock, reserve_seconds: float) -> Deadline:
        """The moment work must stop so that `reserve_seconds` remain to answer before Lambda kills us."""
        remaining = context.get_remaining_time_in_millis() / 1000.0 - reserve_seconds
        return cls(clock, clock.monotonic() + max(0.0, remaining))

    @classmethod
    def after(cls, clock: Clock, seconds: float) -> Deadline:
        return cls(clock, clock.monotonic() + seconds)

    def remaining(self) -> float:
        return max(0.0, self.at - self.clock.monotonic())

    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def before(self, seconds: float) -> Deadline:
        """This deadline moved `seconds` earlier: a first step that must leave time for a fallback."""
        return Deadline(self.clock, self.at - seconds)

    def earliest(self, other: Deadline) -> Deadline:
        return self if self.at <= other.at else other
