"""Dates the operator types: ISO 8601 dates and date-times, UTC unless they carry an offset.

`2025-07-30`, `2025-07-30T10:00`, `2025-07-30 10:00:00`, `2025-07-30T10:00:00.5Z`, `2025-07-30T12:00:00+02:00`
are all accepted; anything else is refused with an example of what is. A date alone means the start of that
day, or its end where it closes a span (`--until`, `--end`), so that `--until 2025-07-30` includes the day.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

EXAMPLES = "2025-07-30 or 2025-07-30T10:00:00Z"
ZONE_RULE = "UTC unless an offset is given"
# Fractions beyond microseconds (telemetry timestamps carry nanoseconds) are cut, not refused.
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


class NotADate(ValueError):
    """The text is not a date; the message says what is."""


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime:
    """The UTC instant `text` names; a date alone is its day's first (or, with end_of_day, last) instant."""
    cleaned = _LONG_FRACTION.sub(r"\1", text.strip())
    try:
        moment = datetime.fromisoformat(cleaned)
        if end_of_day and _is_date_only(cleaned):
            moment = datetime.combine(moment.date(), time.max)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):  # not ISO 8601, or out of range once in UTC
        raise NotADate(f"{text!r} is not a date; use e.g. {EXAMPLES} ({ZONE_RULE})") from None


def _is_date_only(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
