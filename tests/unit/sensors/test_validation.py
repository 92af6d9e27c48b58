"""Locations, finite readings and UTF-8 text in decoded messages."""

from __future__ import annotations

import pytest

from telemetry_gateway.sensors.errors import SensorError
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientKeyValueRequest, ClientMetadata
from telemetry_gateway.sensors.pb.common_pb2 import GPS
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage
from telemetry_gateway.sensors.pb.heartbeat_pb2 import HeartbeatMessage
from telemetry_gateway.sensors.records import Location
from telemetry_gateway.sensors.validation import finite, location, present, valid_text


def test_presence_counts_defaults_that_were_sent() -> None:
    message = HeartbeatMessage(latest_request_id=0)

    assert (present(message, "latest_request_id"), present(message, "status_change")) == (0, None)


def test_a_location_is_both_coordinates_with_an_optional_source() -> None:
    assert location(HeartbeatMessage()) is None
    assert location(HeartbeatMessage(latitude=0.0, longitude=0.0)) == Location(0.0, 0.0, None)
    assert location(ClientMetadata(latitude=-90.0, longitude=180.0, location_source_type=GPS), "client_data") == (
        Location(-90.0, 180.0, GPS)
    )
    assert location(EventMessage(latitude=1.0, longitude=2.0, location_type=GPS), source_field="location_type") == (
        Location(1.0, 2.0, GPS)
    )


@pytest.mark.parametrize(
    ("message", "text"),
    [
        (ClientMetadata(latitude=1.0), "missing required field: client_data.longitude"),
        (ClientMetadata(longitude=1.0), "missing required field: client_data.latitude"),
        (ClientMetadata(latitude=-90.5, longitude=0.0), "latitude out of range: -90.5"),
        (ClientMetadata(latitude=0.0, longitude=float("-inf")), "longitude out of range: -inf"),
    ],
)
def test_invalid_locations(message: ClientMetadata, text: str) -> None:
    with pytest.raises(SensorError) as refused:
        location(message, "client_data")

    assert refused.value.message == text


def test_readings_must_be_finite_and_storable() -> None:
    assert finite([0.0, -1.5, 1e-300], "event.readings") == (0.0, -1.5, 1e-300)
    for bad in (float("nan"), float("inf"), 1e126):
        with pytest.raises(SensorError, match=r"invalid value: event\.readings"):
            finite([bad], "event.readings")


def test_invalid_utf8_is_found_in_nested_and_repeated_strings() -> None:
    nested = EventMessage.FromString(b"\x0a\x04\x0a\x02\xff\xfe")  # client_signature.date
    repeated = ClientKeyValueRequest.FromString(b"\x12\x01a\x12\x01\xff")  # client_keys[1]

    assert (valid_text(nested), valid_text(repeated)) == (False, False)
    assert valid_text(ClientKeyValueRequest(client_keys=["a", "é"])) is True
