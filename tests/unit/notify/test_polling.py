"""The wait loop: a poll every 105 ms, spaced start to start (under 10 reads per waiting second), and one last
look when the window closes."""

from __future__ import annotations

import pytest

from support.clock import ManualClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify.polling import POLL_SECONDS, wait_for


class RecordingClock(ManualClock):
    def __init__(self) -> None:
        super().__init__()
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        super().sleep(seconds)


def test_an_idle_wait_polls_every_105_ms_and_looks_once_more_at_the_end() -> None:
    clock = RecordingClock()
    probes: list[float] = []

    found = wait_for(lambda: probes.append(clock.monotonic()), Deadline.after(clock, 25.0))

    assert found is None
    assert POLL_SECONDS == 0.105
    assert clock.sleeps[:-1] == pytest.approx([POLL_SECONDS] * 238)
    assert sum(clock.sleeps) == pytest.approx(25.0)
    assert probes[-1] == pytest.approx(25.0)
    assert len(probes) == 240  # every 105 ms, the last sleep cut to what remains, and the last look
    assert (len(probes) + 2) / 25.0 < 10  # with the two reads before the wait: under 10 per second


def test_polls_are_spaced_start_to_start_so_a_slow_probe_does_not_slow_the_cadence() -> None:
    clock = RecordingClock()
    probes: list[float] = []

    def slow_probe() -> None:
        probes.append(clock.monotonic())
        clock.advance(0.04)  # a read that takes 40 ms

    wait_for(slow_probe, Deadline.after(clock, 1.0))

    assert probes[:4] == pytest.approx([0.0, 0.105, 0.21, 0.315])


def test_a_probe_slower_than_the_cadence_is_followed_at_once_but_never_by_a_burst() -> None:
    clock = RecordingClock()
    durations = iter([0.5, 0.01, 0.01, 0.01])
    probes: list[float] = []

    def probe() -> None:
        probes.append(clock.monotonic())
        clock.advance(next(durations, 0.01))

    wait_for(probe, Deadline.after(clock, 0.8))

    assert probes[:4] == pytest.approx([0.0, 0.5, 0.605, 0.71])


def test_returns_what_the_probe_found_without_sleeping_further() -> None:
    clock = RecordingClock()
    answers = iter([None, None, "reply"])

    assert wait_for(lambda: next(answers), Deadline.after(clock, 25)) == "reply"
    assert clock.sleeps == pytest.approx([POLL_SECONDS, POLL_SECONDS])


def test_a_closed_window_still_gets_one_look() -> None:
    clock = RecordingClock()

    assert wait_for(lambda: "there", Deadline.after(clock, 0)) == "there"
    assert wait_for(lambda: None, Deadline.after(clock, 0)) is None
    assert clock.sleeps == []
