"""The wait loop: a poll every 100 ms (at most 10 reads per waiting second), and one last look when the
window closes."""

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


def test_an_idle_wait_polls_ten_times_a_second_and_looks_once_more_at_the_end() -> None:
    clock = RecordingClock()
    probes: list[float] = []

    found = wait_for(lambda: probes.append(clock.monotonic()), Deadline.after(clock, 25.05))

    assert found is None
    assert clock.sleeps[:-1] == pytest.approx([0.1] * 250)
    assert sum(clock.sleeps) == pytest.approx(25.05)
    assert probes[-1] == pytest.approx(25.05)
    assert len(probes) == 252  # every 100 ms, the last sleep cut to what remains, and the last look


def test_returns_what_the_probe_found_without_sleeping_further() -> None:
    clock = RecordingClock()
    answers = iter([None, None, "reply"])

    assert wait_for(lambda: next(answers), Deadline.after(clock, 25)) == "reply"
    assert clock.sleeps == pytest.approx([0.1, 0.1])


def test_a_closed_window_still_gets_one_look() -> None:
    clock = RecordingClock()

    assert wait_for(lambda: "there", Deadline.after(clock, 0)) == "there"
    assert wait_for(lambda: None, Deadline.after(clock, 0)) is None
    assert clock.sleeps == []
