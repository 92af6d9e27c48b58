"""heartbeat/{client_id} (section 8): liveness, location and cell counts, sensors, event rates, the response."""

from __future__ import annotations

from typing import Any

import pytest

from support.clock import ManualClock
from support.sensor_client import CPP_CLIENT, DATE, SensorClient, Transport, signature
from support.tgw import tgw_json
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors.geohash import encode
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientMetadata, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import (
    ACCELEROMETER_3_AXIS,
    GPS,
    INVALID_REQUEST,
    SUCCESS,
    UNKNOWN_SENSOR,
    WIFI,
)
from telemetry_gateway.sensors.pb.heartbeat_pb2 import HeartbeatMessage, SensorReadingDescription
from telemetry_gateway.sensors.records import ClientRecord
from telemetry_gateway.sensors.store import SensorStore

PASADENA = (34.1377, -118.1253)
ALTADENA = (34.1897, -118.1312)


def stored(store: SensorStore, client: SensorClient, deadline: Deadline) -> ClientRecord:
    return store.get_client(client.namespace, client.client_id, deadline)


def count(store: SensorStore, cell: str, deadline: Deadline) -> int:
    return store.active_count("test", cell, deadline)


@pytest.fixture
def located(transport: Transport) -> SensorClient:
    """A client with a stored location and two sensors."""
    client = SensorClient(transport)
    client.create(
        ClientCreateMessage(
            client_data=ClientMetadata(latitude=PASADENA[0], longitude=PASADENA[1]),
            attached_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS)] * 2,
        )
    )
    return client


def test_a_new_client_is_inactive_until_its_first_heartbeat(
    located: SensorClient, store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    cell = encode(*PASADENA)
    before = stored(store, located, deadline)
    count_before = count(store, cell, deadline)

    answer = located.heartbeat()

    after = stored(store, located, deadline)
    assert (before.active, before.last_seen, count_before) == (False, None, 0)
    assert (after.active, after.last_seen, count(store, cell, deadline)) == (True, "2025-07-30T13:01:13.000", 1)
    assert answer.status.type == SUCCESS
    located.heartbeat()
    assert count(store, cell, deadline) == 1  # counted once, however many heartbeats


def test_the_response_is_complete_with_nothing_to_deliver(located: SensorClient) -> None:
    offers = [SensorReadingDescription(sensor_id=located.sensor_ids[0], current_data=True)] * 2  # not wanted

    answer = located.heartbeat(current_data_offers=offers)

    assert (answer.status.type, list(answer.data_requests), list(answer.current_data_upload_urls)) == (
        SUCCESS,
        [],
        ["", ""],
    )
    assert answer.HasField("latest_request_id")
    assert answer.HasField("metadata_changed")
    assert answer.latest_request_id == 0


def test_the_request_cursor_follows_the_message_else_the_last_returned_value(located: SensorClient) -> None:
    sent = located.heartbeat(latest_request_id=7).latest_request_id
    kept = located.heartbeat().latest_request_id

    assert (sent, kept) == (7, 7)


def test_a_location_change_moves_the_active_count(
    located: SensorClient, store: SensorStore, deadline: Deadline
) -> None:
    located.heartbeat()

    located.heartbeat(latitude=ALTADENA[0], longitude=ALTADENA[1], location_source_type=WIFI)

    client = stored(store, located, deadline)
    assert (count(store, encode(*PASADENA), deadline), count(store, encode(*ALTADENA), deadline)) == (0, 1)
    assert (client.location.latitude, client.location.source, client.cell) == (  # type: ignore[union-attr]
        ALTADENA[0],
        WIFI,
        encode(*ALTADENA),
    )


def test_client_data_locations_move_the_count_only_while_active(
    located: SensorClient, store: SensorStore, deadline: Deadline
) -> None:
    located.signed("client/update", client_data=ClientMetadata(latitude=ALTADENA[0], longitude=ALTADENA[1]))
    located.heartbeat()
    located.signed("client/update", client_data=ClientMetadata(latitude=PASADENA[0], longitude=PASADENA[1]))

    assert (count(store, encode(*PASADENA), deadline), count(store, encode(*ALTADENA), deadline)) == (1, 0)


def test_a_client_without_location_is_active_in_no_cell(
    client: SensorClient, store: SensorStore, deadline: Deadline
) -> None:
    client.heartbeat()

    record = stored(store, client, deadline)
    assert (record.active, record.cell) == (True, None)


@pytest.mark.parametrize("change", [HeartbeatMessage.SLEEP, HeartbeatMessage.QUIT])
def test_going_away_makes_the_client_inactive_at_once(
    located: SensorClient, store: SensorStore, deadline: Deadline, change: int
) -> None:
    located.heartbeat()

    located.heartbeat(status_change=change)

    record = stored(store, located, deadline)
    assert (record.active, record.status_change, count(store, encode(*PASADENA), deadline)) == (False, change, 0)
    located.heartbeat(status_change=HeartbeatMessage.RESTART)
    assert stored(store, located, deadline).active is True


def test_sensor_connections_and_event_rates_are_stored(
    located: SensorClient, store: SensorStore, deadline: Deadline
) -> None:
    first, second = located.sensor_ids
    rate = HeartbeatMessage.SensorEventRate(sensor_id=first, event_count=12, time_window=600)

    located.heartbeat(connected_sensors=[first], disconnected_sensors=[second], event_rates=[rate])

    sensors = {s.sensor_id: s for s in stored(store, located, deadline).sensors}
    assert (sensors[first].connected, sensors[second].connected) == (True, False)
    rate_stored = sensors[first].event_rate
    assert rate_stored is not None
    assert (rate_stored.event_count, rate_stored.time_window) == (12, 600)
    assert sensors[second].event_rate is None


def test_removed_sensors_are_ignored(located: SensorClient, store: SensorStore, deadline: Deadline) -> None:
    removed = located.sensor_ids[1]
    located.signed("client/update", removed_sensors=[removed])

    located.heartbeat(connected_sensors=[removed])

    assert {s.sensor_id: s.connected for s in stored(store, located, deadline).sensors}[removed] is None


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"connected_sensors": [5]}, UNKNOWN_SENSOR, "unknown sensor 5"),
        ({"disconnected_sensors": [6]}, UNKNOWN_SENSOR, "unknown sensor 6"),
        ({"event_rates": [HeartbeatMessage.SensorEventRate(sensor_id=7)]}, UNKNOWN_SENSOR, "unknown sensor 7"),
        (
            {"event_rates": [HeartbeatMessage.SensorEventRate()]},
            INVALID_REQUEST,
            "missing required field: event_rates[0].sensor_id",
        ),
        ({"latitude": 1.0}, INVALID_REQUEST, "missing required field: longitude"),
        ({"longitude": 1.0}, INVALID_REQUEST, "missing required field: latitude"),
        ({"latitude": 1.0, "longitude": 180.5}, INVALID_REQUEST, "longitude out of range: 180.5"),
        ({"latitude": float("nan"), "longitude": 0.0}, INVALID_REQUEST, "latitude out of range: nan"),
    ],
)
def test_invalid_heartbeats_change_nothing(
    located: SensorClient,
    store: SensorStore,
    deadline: Deadline,
    fields: dict[str, Any],
    status: int,
    message: str,
) -> None:
    code, answer = located.signed("heartbeat", **fields)

    assert (code, answer.status.type, answer.status.message) == (400, status, message)
    assert stored(store, located, deadline).active is False


def test_a_blank_signed_heartbeat_keeps_the_stored_location(
    located: SensorClient, store: SensorStore, deadline: Deadline
) -> None:
    located.heartbeat(latitude=1.5, longitude=2.5, location_source_type=GPS)

    located.heartbeat()

    location = stored(store, located, deadline).location
    assert location is not None
    assert (location.latitude, location.longitude, location.source) == (1.5, 2.5, GPS)


def beat_at(client: SensorClient, message_id: int, date: str, **fields: Any) -> Any:
    message = HeartbeatMessage(client_signature=signature(client.secret, message_id, date), **fields)
    status, answer = client.post("heartbeat", message)
    assert (status, answer.status.type) == (200, SUCCESS), answer
    return answer


def test_a_periodic_heartbeat_arriving_after_the_killed_one_changes_nothing(
    located: SensorClient, store: SensorStore, deadline: Deadline, transport: Transport
) -> None:
    """The C++ client sends its periodic heartbeat and its KILLED heartbeat milliseconds apart."""
    located.headers = dict(CPP_CLIENT)
    beat_at(located, 10, "2025-07-30T10:00:00.000")
    killed = beat_at(located, 12, "2025-07-30T10:10:00.020", status_change=HeartbeatMessage.KILLED)

    late = beat_at(
        located,
        11,
        "2025-07-30T10:10:00.000",
        latitude=ALTADENA[0],
        longitude=ALTADENA[1],
        connected_sensors=[located.sensor_ids[0]],
    )

    record = stored(store, located, deadline)
    assert (killed.status.type, late.status.type) == (SUCCESS, SUCCESS)
    assert (record.active, record.status_change, record.cell) == (False, HeartbeatMessage.KILLED, encode(*PASADENA))
    assert record.sensors[0].connected is None
    assert count(store, encode(*PASADENA), deadline) == 0
    beat_at(located, 13, "2025-07-30T10:20:00.000")  # a newer one applies again
    assert stored(store, located, deadline).active is True


def test_an_older_heartbeat_is_still_answered_with_data_requests_and_upload_urls(
    located: SensorClient, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tgw_json(aws, monkeypatch, "sensors", "request-data", "test", "--all", "--current")
    beat_at(located, 5, "2025-07-30T10:00:00.000")
    offer = SensorReadingDescription(
        sensor_id=located.sensor_ids[0],
        current_data=True,
        start_date=DATE,
        end_date=DATE,
        data_format=SensorReadingDescription.CSNV2,
    )

    older = beat_at(located, 4, "2025-07-30T09:59:59.000", latest_request_id=0, current_data_offers=[offer])

    assert [r.request_id for r in older.data_requests] == [1, 1]
    assert [bool(url) for url in older.current_data_upload_urls] == [True]


def test_a_location_without_source_type_keeps_the_stored_one(
    located: SensorClient, store: SensorStore, deadline: Deadline
) -> None:
    located.heartbeat(latitude=1.5, longitude=2.5, location_source_type=GPS)

    located.heartbeat(latitude=1.6, longitude=2.6)
    after_heartbeat = stored(store, located, deadline).location
    located.signed("client/update", client_data=ClientMetadata(latitude=1.7, longitude=2.7))
    after_update = stored(store, located, deadline).location

    assert after_heartbeat is not None
    assert after_update is not None
    assert (after_heartbeat.latitude, after_heartbeat.source) == (1.6, GPS)
    assert (after_update.latitude, after_update.source) == (1.7, GPS)
