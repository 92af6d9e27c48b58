"""A pending message past its deadline counts as expired everywhere, marked or not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telemetry_gateway.notify.records import EXPIRED, PENDING, REPLIED, Message, epoch_ms

NOW = datetime(2025, 7, 30, 13, 1, 13, tzinfo=UTC)


def message(state: str, deadline: datetime) -> Message:
    return Message("demo", 1, "id", "user", NOW.isoformat(), epoch_ms(deadline), 0, 0, state, (), b"")


def test_state_follows_the_deadline_only_while_pending() -> None:
    later = NOW + timedelta(seconds=25)

    assert message(PENDING, later).state_at(NOW) == PENDING
    assert message(PENDING, later).state_at(later) == EXPIRED
    assert message(REPLIED, later).state_at(later) == REPLIED
    assert message(EXPIRED, later).state_at(NOW) == EXPIRED
