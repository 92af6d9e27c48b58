"""Server timestamps in Go's RFC3339Nano style, and RFC 3339 parsing of client timestamps."""

import re
from datetime import UTC, datetime, timedelta, timezone

# Go's time.Parse(time.RFC3339, ...) shape: fraction optional (up to 9 digits), `Z` or ±hh:mm.
_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,9}))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))"
)


def format_server_time(dt: datetime) -> str:
    """UTC with `Z`, trailing fraction zeros dropped, no dot for whole seconds (spec section 2)."""
    if dt.tzinfo is None:
        raise ValueError("server times must be timezone-aware")
    utc = dt.astimezone(UTC)
    fraction = f".{utc.microsecond:06d}".rstrip("0") if utc.microsecond else ""
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}{fraction}Z"


def parse_rfc3339(text: str) -> datetime | None:
    """The UTC instant of a client timestamp, or None when it is not RFC 3339.

    Nanoseconds are truncated to microseconds, the precision Python datetimes carry.
    """
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    if int(off_h or 0) > 23 or int(off_m or 0) > 59:
        return None
    offset = timedelta(hours=int(off_h or 0), minutes=int(off_m or 0))
    tz = UTC if zulu else timezone(-offset if sign == "-" else offset)
    micros = int((fraction or "0").ljust(6, "0")[:6])
    try:
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micros, tzinfo=tz)
        return local.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
