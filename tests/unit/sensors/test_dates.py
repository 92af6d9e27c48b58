"""Sensor dates: what the server writes and what it accepts (section 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from telemetry_gateway.sensors.dates import format_date, parse_date


def test_the_server_writes_milliseconds_without_a_zone() -> None:
    moment = datetime(2014, 4, 13, 19, 42, 17, 744999, tzinfo=UTC)

    assert format_date(moment) == "2014-04-13T19:42:17.744"
    assert format_date(moment.astimezone(timezone(timedelta(hours=-7)))) == "2014-04-13T19:42:17.744"


@pytest.mark.parametrize(
    ("text", "micros"),
    [
        ("2014-04-13T19:42:17", 0),
        ("2014-04-13T19:42:17.7", 700000),
        ("2014-04-13T19:42:17.744", 744000),
        ("2014-04-13T19:42:17.744123", 744123),
        ("2014-04-13T19:42:17.744Z", 744000),
        ("2014-04-13T19:42:17+00:00", 0),
    ],
)
def test_accepted_shapes(text: str, micros: int) -> None:
    assert parse_date(text) == datetime(2014, 4, 13, 19, 42, 17, micros, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2014-04-13",
        "2014-04-13 19:42:17",
        "2014-04-13T19:42:17.",
        "2014-04-13T19:42:17.7441234",
        "2014-04-13T19:42:17+01:00",
        "2014-02-30T00:00:00",
        "2014-04-13T24:00:00",
    ],
)
def test_refused_shapes(text: str) -> None:
    assert parse_date(text) is None


def test_written_dates_sort_as_strings() -> None:
    earlier = format_date(datetime(2014, 4, 13, 9, 0, 0, tzinfo=UTC))
    later = format_date(datetime(2014, 4, 13, 10, 0, 0, 1000, tzinfo=UTC))

    assert earlier < later
