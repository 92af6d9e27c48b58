"""The 64-id sliding window's bit arithmetic (section 6)."""

from __future__ import annotations

import pytest

from telemetry_gateway.sensors.errors import SensorError
from telemetry_gateway.sensors.replay import MASK64, ReplayWindow, accept


def test_the_first_message_opens_the_window() -> None:
    assert accept(None, 0) == ReplayWindow(0, 1)
    assert accept(None, 2**32 - 1) == ReplayWindow(2**32 - 1, 1)


def test_a_higher_id_shifts_the_mask_by_the_distance() -> None:
    assert accept(ReplayWindow(10, 0b101), 12) == ReplayWindow(12, 0b10101)


@pytest.mark.parametrize("distance", [64, 65, 1000, 2**32])
def test_shifts_of_64_or_more_clear_the_mask(distance: int) -> None:
    assert accept(ReplayWindow(5, MASK64), 5 + distance) == ReplayWindow(5 + distance, 1)


def test_a_shift_of_63_keeps_only_the_lowest_bit_at_the_top() -> None:
    assert accept(ReplayWindow(5, MASK64), 68) == ReplayWindow(68, (1 << 63) | 1)


def test_the_mask_never_grows_past_64_bits() -> None:
    window = ReplayWindow(0, 1)
    for message_id in range(1, 200):
        window = accept(window, message_id)
        assert window.mask <= MASK64
    assert window == ReplayWindow(199, MASK64)


def test_an_older_id_inside_the_window_sets_its_bit() -> None:
    assert accept(ReplayWindow(100, 1), 37) == ReplayWindow(100, 1 | 1 << 63)
    assert accept(ReplayWindow(100, 1), 99) == ReplayWindow(100, 0b11)


@pytest.mark.parametrize(
    ("window", "message_id"),
    [
        (ReplayWindow(100, 1), 100),  # the top itself
        (ReplayWindow(100, 0b11), 99),  # a bit already set
        (ReplayWindow(100, 1), 36),  # exactly 64 behind
        (ReplayWindow(100, 1), 0),  # far behind
    ],
)
def test_replays_and_too_old_ids_are_refused(window: ReplayWindow, message_id: int) -> None:
    with pytest.raises(SensorError) as refused:
        accept(window, message_id)

    assert (refused.value.http_status, refused.value.message) == (400, "replayed message_id")
