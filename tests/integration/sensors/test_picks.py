"""event/{client_id} (section 9): picks are stored with client, sensor, time and location, and marked counted or not."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from support.clock import ManualClock
from support.sensor_client import DATE, SensorClient, Transport
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors.geohash import encode
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientMetadata, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import (
    ACCELEROMETER_3_AXIS,
    GPS,
    INVALID_REQUEST,
    OVER_QUOTA_ERROR,
    SUCCESS,
    TEMPERATURE,
    UNKNOWN_SENSOR,
    USER_INPUT,
)
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage
from telemetry_gateway.sensors.store import SensorStore
from telemetry_gateway.storage.dynamo import from_item

Event = EventMessage.SensorEvent


def picks(store: SensorStore, client: SensorClient) -> list[dict[str, Any]]:
    response = boto3.client("dynamodb").query(
        TableName=store.table.name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"test#picks#{client.client_id}"}},
    )
    return [from_item(item) for item in response["Items"]]


@pytest.fixture
def located(transport: Transport) -> SensorClient:
    client = SensorClient(transport)
    client.create(
        ClientCreateMessage(
            client_data=ClientMetadata(latitude=34.1377, longitude=-118.1253, location_source_type=USER_INPUT),
            attached_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS)],
        )
    )
    return client


def test_a_pick_from_an_active_client_is_stored_and_counted(
    located: SensorClient, store: SensorStore, manual_clock: ManualClock
) -> None:
    located.heartbeat()
    event = Event(sensor_id=located.sensor_ids[0], readings=[0.01, -0.02, 0.98], event_count=3, time_window=10)

    status, answer = located.pick(event=event, other_readings=[Event(sensor_id=1, readings=[1.0])])

    assert (status, answer.status.type) == (200, SUCCESS)
    [pick] = picks(store, located)
    assert pick["clientId"] == str(located.client_id)
    assert pick["sensorId"] == str(located.sensor_ids[0])
    assert (pick["pickTime"], pick["receivedAt"]) == (DATE, "2025-07-30T13:01:13.000")
    assert [float(r) for r in pick["readings"]] == [0.01, -0.02, 0.98]
    assert (pick["eventCount"], pick["timeWindow"], pick["sensorType"]) == (3, 10, ACCELEROMETER_3_AXIS)
    assert (float(pick["latitude"]), pick["locationSource"], pick["cell"]) == (
        34.1377,
        USER_INPUT,
        encode(34.1377, -118.1253),
    )
    assert Event.FromString(pick["otherReadings"][0]).readings == [1.0]
    assert pick["counted"] is True


def test_a_pick_from_an_inactive_client_is_stored_but_not_counted_and_does_not_activate(
    located: SensorClient, store: SensorStore, deadline: Deadline
) -> None:
    status, _ = located.pick()

    assert status == 200
    assert picks(store, located)[0]["counted"] is False
    assert store.get_client("test", located.client_id, deadline).active is False


def test_event_date_and_message_location_win(located: SensorClient, store: SensorStore) -> None:
    event = Event(sensor_id=located.sensor_ids[0], readings=[0.5], date="2014-04-13T19:42:16.5Z")

    located.pick(event=event, latitude=35.0, longitude=-117.0, location_type=GPS)

    [pick] = picks(store, located)
    assert (pick["pickTime"], float(pick["latitude"]), pick["locationSource"]) == ("2014-04-13T19:42:16.500", 35.0, GPS)


def test_a_pick_without_any_location_is_stored_without_one(client: SensorClient, store: SensorStore) -> None:
    status, _ = client.pick()

    [pick] = picks(store, client)
    assert status == 200
    assert "latitude" not in pick
    assert "cell" not in pick


def test_a_retried_pick_is_stored_once(located: SensorClient, store: SensorStore) -> None:
    event = Event(sensor_id=located.sensor_ids[0], readings=[0.5], date="2014-04-13T19:42:16.500")

    first, _ = located.pick(event=event)
    second, _ = located.pick(event=event)  # re-signed with a new id, as clients retry

    assert (first, second, len(picks(store, located))) == (200, 200, 1)


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({}, INVALID_REQUEST, "missing required field: event"),
        ({"event": Event(readings=[1.0])}, INVALID_REQUEST, "missing required field: event.sensor_id"),
        ({"event": Event(sensor_id=1)}, INVALID_REQUEST, "missing required field: event.readings"),
        ({"event": Event(sensor_id=77, readings=[1.0])}, UNKNOWN_SENSOR, "unknown sensor 77"),
    ],
)
def test_invalid_events_are_refused(client: SensorClient, fields: dict[str, Any], status: int, message: str) -> None:
    code, answer = client.signed("event", **fields)

    assert (code, answer.status.type, answer.status.message) == (400, status, message)


def test_type_date_location_and_readings_are_checked(client: SensorClient, store: SensorStore) -> None:
    sensor = client.sensor_ids[0]
    cases: list[tuple[dict[str, Any], str]] = [
        (
            {"event": Event(sensor_id=sensor, readings=[1.0], sensor_type=TEMPERATURE)},
            f"sensor type does not match sensor {sensor}",
        ),
        ({"event": Event(sensor_id=sensor, readings=[1.0], date="13/04/2014")}, "unparseable date: 13/04/2014"),
        ({"event": Event(sensor_id=sensor, readings=[1.0]), "latitude": 1.0}, "missing required field: longitude"),
        ({"event": Event(sensor_id=sensor, readings=[float("inf")])}, "invalid value: event.readings"),
    ]
    for fields, message in cases:
        code, answer = client.signed("event", **fields)
        assert (code, answer.status.type, answer.status.message) == (400, INVALID_REQUEST, message)
    code, answer = client.signed("event", date="yesterday", event=Event(sensor_id=sensor, readings=[1.0]))
    assert (code, answer.status.message) == (400, "unparseable date: yesterday")
    assert picks(store, client) == []


def test_a_pick_too_large_to_store_is_413(client: SensorClient, store: SensorStore) -> None:
    others = [Event(sensor_id=client.sensor_ids[0], readings=[0.5] * 20_000)] * 2  # 2 x 160 kB

    code, answer = client.pick(other_readings=others)

    assert (code, answer.status.type, answer.status.message) == (413, OVER_QUOTA_ERROR, "event too large")
    assert picks(store, client) == []
