from datetime import UTC, datetime, timedelta, timezone

import pytest

from telemetry_gateway.telemetry.timefmt import format_server_time, parse_rfc3339


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2025, 7, 30, 13, 1, 13, 123400, tzinfo=UTC), "2025-07-30T13:01:13.1234Z"),
        (datetime(2025, 7, 30, 13, 1, 13, tzinfo=UTC), "2025-07-30T13:01:13Z"),
        (datetime(2025, 7, 30, 13, 1, 13, 500000, tzinfo=UTC), "2025-07-30T13:01:13.5Z"),
        (datetime(2025, 7, 30, 13, 1, 13, 123456, tzinfo=UTC), "2025-07-30T13:01:13.123456Z"),
        (datetime(2025, 7, 30, 13, 1, 13, 1, tzinfo=UTC), "2025-07-30T13:01:13.000001Z"),
        (datetime(2025, 7, 31, 1, 0, 0, tzinfo=timezone(timedelta(hours=2))), "2025-07-30T23:00:00Z"),
        (datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC), "0999-01-02T03:04:05Z"),
    ],
)
def test_server_times_use_go_rfc3339nano_style(moment: datetime, text: str) -> None:
    assert format_server_time(moment) == text


def test_naive_server_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_server_time(datetime(2025, 7, 30))


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2025-07-30T10:00:00.123456789Z", datetime(2025, 7, 30, 10, 0, 0, 123456, tzinfo=UTC)),
        ("2025-07-30T10:00:00Z", datetime(2025, 7, 30, 10, tzinfo=UTC)),
        ("2025-07-30T10:00:00.5Z", datetime(2025, 7, 30, 10, 0, 0, 500000, tzinfo=UTC)),
        ("2025-07-30T10:00:00.999999999+02:00", datetime(2025, 7, 30, 8, 0, 0, 999999, tzinfo=UTC)),
        ("2025-07-30T23:30:00-01:30", datetime(2025, 7, 31, 1, 0, tzinfo=UTC)),
        ("2024-02-29T00:00:00+00:00", datetime(2024, 2, 29, tzinfo=UTC)),
    ],
)
def test_rfc3339_timestamps_parse_to_utc(text: str, moment: datetime) -> None:
    parsed = parse_rfc3339(text)

    assert parsed == moment
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        "2025-07-30",
        "2025-07-30T10:00:00",
        "2025-07-30 10:00:00Z",
        "2025-07-30t10:00:00z",
        "2025-07-30T10:00Z",
        "2025-07-30T10:00:00.Z",
        "2025-07-30T10:00:00.1234567890Z",
        "2025-07-30T10:00:00+0200",
        "2025-13-01T00:00:00Z",
        "2025-02-29T00:00:00Z",
        "2025-07-30T24:00:00Z",
        "2025-07-30T10:00:60Z",
        "2025-07-30T10:00:00+24:00",
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "\uff12\uff10\uff12\uff15-07-30T10:00:00Z"  # full-width digits,
        "2025-07-30T10:00:00Z\n",
    ],
)
def test_non_rfc3339_timestamps_do_not_parse(text: str) -> None:
    assert parse_rfc3339(text) is None
