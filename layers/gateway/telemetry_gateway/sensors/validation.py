"""Checks shared by the routes: proto2 presence, locations, finite numbers."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from telemetry_gateway.sensors.errors import invalid, missing
from telemetry_gateway.sensors.records import Location

if TYPE_CHECKING:
    from google.protobuf.message import Message

MAX_MAGNITUDE = 9.99e125  # DynamoDB's largest number


def present(message: Message, name: str) -> Any:
    """The field's value when it was sent (even as its default), else None."""
    return getattr(message, name) if message.HasField(name) else None


def location(
    message: Message,
    path: str = "",
    source_field: str = "location_source_type",
) -> Location | None:
    """`latitude`/`longitude` of `message`: both or neither, within ±90 and ±180."""
    prefix = f"{path}." if path else ""
    latitude, longitude = present(message, "latitude"), present(message, "longitude")
    if latitude is None and longitude is None:
        return None
    if latitude is None:
        raise missing(f"{prefix}latitude")
    if longitude is None:
        raise missing(f"{prefix}longitude")
    if not -90.0 <= latitude <= 90.0:
        raise invalid(f"latitude out of range: {latitude}")
    if not -180.0 <= longitude <= 180.0:
        raise invalid(f"longitude out of range: {longitude}")
    return Location(float(latitude), float(longitude), present(message, source_field))


def finite(values: Iterable[float], path: str) -> tuple[float, ...]:
    numbers = tuple(values)
    if not all(math.isfinite(v) and abs(v) <= MAX_MAGNITUDE for v in numbers):
        raise invalid(f"invalid value: {path}")
    return numbers


def valid_text(message: Message) -> bool:
    """proto2 parsing does not check UTF-8: an invalid string field comes back as bytes. We refuse those."""
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        if field.type == field.TYPE_STRING and any(isinstance(v, bytes) for v in values):
            return False
        if field.type == field.TYPE_MESSAGE and not all(valid_text(v) for v in values):
            return False
    return True
