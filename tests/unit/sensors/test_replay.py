"""The 64-id sliding window's bit arithmetic (section 6)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from telemetry_gateway.sensors.errors import SensorError
from telemetry_gateway.sensors.replay import MASK64, ReplayWindow, accept


def test_the_first_message_opens_the_window() -> None:
    assert accept(None, 0, None) == ReplayWindow(0, 1)
    assert accept(None, 2**32 - 1, None) == ReplayWindow(2**32 - 1, 1)


def test_a_higher_id_shifts_the_mask_by_the_distance() -> None:
    assert accept(ReplayWindow(10, 0b101), 12, None) == ReplayWindow(12, 0b10101)


@pytest.mark.parametrize("distance", [64, 65, 1000, 2**32])
def test_shifts_of_64_or_more_clear_the_mask(distance: int) -> None:
    assert accept(ReplayWindow(5, MASK64), 5 + distance, None) == ReplayWindow(5 + distance, 1)


def test_a_shift_of_63_keeps_only_the_lowest_bit_at_the_top() -> None:
    assert accept(ReplayWindow(5, MASK64), 68, None) == ReplayWindow(68, (1 << 63) | 1)


def test_the_mask_never_grows_past_64_bits() -> None:
    window = ReplayWindow(0, 1)
    for message_id in range(1, 200):
        window = accept(window, message_id, None)
        assert window.mask <= MASK64
    assert window == ReplayWindow(199, MASK64)


def test_an_older_id_inside_the_window_sets_its_bit() -> None:
    assert accept(ReplayWindow(100, 1), 37, None) == ReplayWindow(100, 1 | 1 << 63)
    assert accept(ReplayWindow(100, 1), 99, None) == ReplayWindow(100, 0b11)


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
        accept(window, message_id, None)

    assert (refused.value.http_status, refused.value.message) == (400, "replayed message_id")


EARLIER, LATER = datetime(2025, 7, 30, 10, tzinfo=UTC), datetime(2025, 7, 30, 11, tzinfo=UTC)


def test_the_newest_accepted_date_is_kept_with_the_window() -> None:
    window = accept(None, 5, LATER)
    window = accept(window, 6, EARLIER)  # an older date is accepted on its id, but the newest stays

    assert window == ReplayWindow(6, 0b11, "2025-07-30T11:00:00.000")


def test_a_seen_id_with_a_later_date_restarts_the_window_there() -> None:
    seen = ReplayWindow(100, MASK64, "2025-07-30T10:00:00.000")

    assert accept(seen, 3, LATER) == ReplayWindow(3, 1, "2025-07-30T11:00:00.000")


@pytest.mark.parametrize("sent", [EARLIER, None], ids=["same-date", "unparseable-date"])
def test_a_seen_id_without_a_later_date_stays_replayed(sent: datetime | None) -> None:
    with pytest.raises(SensorError):
        accept(ReplayWindow(100, MASK64, "2025-07-30T10:00:00.000"), 3, sent)
