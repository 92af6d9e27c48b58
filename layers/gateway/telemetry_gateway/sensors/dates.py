"""Sensor API dates: `%Y-%m-%dT%H:%M:%S.fff` UTC without a zone, as the original server wrote them.

The written form is fixed-width, so it also sorts correctly as a DynamoDB string key.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

# 0-6 fractional digits, an optional `Z` or `+00:00` (section 2).
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:Z|\+00:00)?")


def format_date(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}"


def parse_date(text: str) -> datetime | None:
    """The UTC instant of a client date, or None when it is not in the accepted shape."""
    found = _DATE.fullmatch(text)
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in found.groups()[:6])
    micros = int((found.group(7) or "0").ljust(6, "0"))
    try:
        return datetime(year, month, day, hour, minute, second, micros, tzinfo=UTC)
    except ValueError:
        return None
