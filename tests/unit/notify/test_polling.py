"""The wait loop: 100 ms, x1.5, capped at 1 s, and one last look when the window closes."""

from __future__ import annotations

import pytest

from support.clock import ManualClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify.polling import wait_for


class RecordingClock(ManualClock):
    def __init__(self) -> None:
        super().__init__()
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        super().sleep(seconds)


def test_idle_wait_backs_off_to_one_poll_per_second_and_looks_once_more_at_the_end() -> None:
    clock = RecordingClock()
    probes: list[float] = []

    found = wait_for(lambda: probes.append(clock.monotonic()), Deadline.after(clock, 25))

    assert found is None
    assert clock.sleeps[:8] == pytest.approx([0.1, 0.15, 0.225, 0.3375, 0.50625, 0.759375, 1.0, 1.0])
    assert sum(clock.sleeps) == pytest.approx(25)
    assert probes[-1] == pytest.approx(25)
    assert len(probes) == 30  # 6 eager polls in the first 2.1 s, then one a second


def test_returns_what_the_probe_found_without_sleeping_further() -> None:
    clock = RecordingClock()
    answers = iter([None, None, "reply"])

    assert wait_for(lambda: next(answers), Deadline.after(clock, 25)) == "reply"
    assert clock.sleeps == pytest.approx([0.1, 0.15])


def test_a_closed_window_still_gets_one_look() -> None:
    clock = RecordingClock()

    assert wait_for(lambda: "there", Deadline.after(clock, 0)) == "there"
    assert wait_for(lambda: None, Deadline.after(clock, 0)) is None
    assert clock.sleeps == []
