"""client/create, client/update, client/metadata and client/get-keyvalue (section 7)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from telemetry_gateway.sensors import client_data, clients, ids, validation
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.errors import invalid, missing, too_large, unknown_sensor
from telemetry_gateway.sensors.pb.client_messages_pb2 import (
    ClientCreateMessage,
    ClientCreateResponse,
    ClientKeyValueRequest,
    ClientKeyValueResponse,
    ClientMetadataRequest,
    ClientMetadataResponse,
    ClientUpdateMessage,
    ClientUpdateResponse,
    KeyValue,
    SensorMetadata,
)
from telemetry_gateway.sensors.pb.common_pb2 import StatusMessage
from telemetry_gateway.sensors.records import ClientRecord, Sensor, moved
from telemetry_gateway.sensors.signatures import client_secret
from telemetry_gateway.storage.errors import Conflict

if TYPE_CHECKING:
    from telemetry_gateway.sensors.calls import SensorCall, SignedCall

# Live sensors per client; keeps a client item and its update transaction well inside DynamoDB's limits.
MAX_LIVE_SENSORS = 64
# Client data and sensor metadata together, so the client item stays below DynamoDB's 400 KB.
MAX_CLIENT_DATA_BYTES = 256 * 1024
# Removed sensors kept for history (the most recently added ones): with the live ones and the client data
# above, the client item stays below DynamoDB's 400 KB however often a client replaces its sensors.
MAX_REMOVED_SENSORS_KEPT = 448
TYPE_IMMUTABLE = "sensor type cannot be changed; remove the sensor and add a new one"


def create(call: SensorCall[ClientCreateMessage], key: bytes) -> ClientCreateResponse:
    message = call.message
    _require_types(message.attached_sensors, "attached_sensors")
    _check_capacity(0, len(message.attached_sensors))
    location = validation.location(message.client_data, "client_data")
    client_data.check_keys(message.client_data, "client_data")
    stored_data = client_data.merge_client_data(b"", message.client_data)
    store, namespace = call.store, call.namespace
    store.register_namespace(namespace, call.deadline)
    latest_request_id = store.latest_request_id(namespace, call.deadline)  # a new client gets no old requests
    for _ in range(ids.MAX_DRAWS):
        record = ClientRecord(
            namespace=namespace,
            client_id=ids.random_id(),
            generation=1,
            version=1,
            created_at=format_date(call.received),
            client_data=stored_data,
            location=location,
            sensors=tuple(_new_sensor(sensor) for sensor in message.attached_sensors),
            last_seen=None,
            active=False,  # until the first heartbeat
            request_cursor=latest_request_id,
            metadata_changed=False,
            disabled=False,
            window=None,
            status_change=None,
            status_changed_at=None,
        )
        _check_size(record)
        try:
            store.create_client(record, call.deadline)
        except Conflict:  # an id in use (or, all but impossibly, a racing transaction on one): draw again
            continue
        return ClientCreateResponse(
            client_id=record.client_id,
            client_secret=client_secret(key, namespace, record.client_id, record.generation),
            sensor_ids=[sensor.sensor_id for sensor in record.sensors],
            latest_request_id=latest_request_id,
        )
    raise RuntimeError("could not draw unused ids")


def update(call: SignedCall[ClientUpdateMessage]) -> ClientUpdateResponse:
    """A delta, validated in full and then written at once (all or nothing)."""
    message = call.message
    requested = message.client_data.ListFields() or message.new_sensors or message.updated_sensors
    if not requested and not message.removed_sensors:
        return ClientUpdateResponse(status=StatusMessage(message="no changes requested"))
    _require_types(message.new_sensors, "new_sensors")
    for index, sensor in enumerate(message.updated_sensors):
        if not sensor.HasField("sensor_id"):
            raise missing(f"updated_sensors[{index}].sensor_id")
    location = validation.location(message.client_data, "client_data")
    client_data.check_keys(message.client_data, "client_data")
    removed = set(message.removed_sensors)

    def change(client: ClientRecord) -> tuple[ClientRecord, ClientUpdateResponse]:
        sensors = {sensor.sensor_id: sensor for sensor in client.sensors}
        for sensor_id in message.removed_sensors:
            if sensor_id not in sensors:
                raise unknown_sensor(sensor_id)
        for update in message.updated_sensors:
            if update.sensor_id in removed:
                continue  # removal wins
            current = client.live_sensor(update.sensor_id)
            if current is None:
                raise unknown_sensor(update.sensor_id)
            if update.HasField("sensor_type") and update.sensor_type != current.sensor_type:
                raise invalid(TYPE_IMMUTABLE)
            sensors[current.sensor_id] = replace(
                current, metadata=client_data.sensor_metadata(update, current.metadata)
            )
        for sensor_id in removed:
            sensors[sensor_id] = replace(sensors[sensor_id], removed=True)
        live = sum(not sensor.removed for sensor in sensors.values())
        _check_capacity(live, len(message.new_sensors))
        added = [_new_sensor(sensor) for sensor in message.new_sensors]
        after = replace(
            client,
            client_data=client_data.merge_client_data(client.client_data, message.client_data),
            location=moved(client.location, location),
            sensors=_bounded_history((*sensors.values(), *added)),
        )
        _check_size(after)
        return after, ClientUpdateResponse(sensor_ids=[sensor.sensor_id for sensor in added])

    return clients.mutate(call, change)


def metadata(call: SignedCall[ClientMetadataRequest]) -> ClientMetadataResponse:
    """The stored client data (and live sensors); clears the client's metadata-changed flag."""

    def change(client: ClientRecord) -> tuple[ClientRecord, ClientMetadataResponse]:
        response = ClientMetadataResponse(
            client_data=client_data.render_client_data(client.client_data, client.location)
        )
        if call.message.include_sensor_data:
            response.sensor_data.extend(client_data.render_sensor(sensor) for sensor in client.live_sensors)
        return replace(client, metadata_changed=False), response

    return clients.mutate(call, change)


def key_values(call: SignedCall[ClientKeyValueRequest]) -> ClientKeyValueResponse:
    """One entry per requested key, in request order (`unset` when missing); none requested: all, by key."""
    stored = client_data.key_values(call.client.client_data)
    keys = call.message.client_keys
    if not keys:
        return ClientKeyValueResponse(client_data=[stored[key] for key in sorted(stored)])
    return ClientKeyValueResponse(client_data=[stored.get(key) or KeyValue(key=key, unset=True) for key in keys])


def _require_types(sensors: Sequence[SensorMetadata], path: str) -> None:
    for index, sensor in enumerate(sensors):
        if not sensor.HasField("sensor_type"):
            raise missing(f"{path}[{index}].sensor_type")


def _check_capacity(live: int, added: int) -> None:
    if live + added > MAX_LIVE_SENSORS:
        raise invalid(f"too many sensors: at most {MAX_LIVE_SENSORS} per client")


def _bounded_history(sensors: tuple[Sensor, ...]) -> tuple[Sensor, ...]:
    """`sensors` without the earliest removed ones past MAX_REMOVED_SENSORS_KEPT; a dropped id is then
    unknown, as a removed one is to picks and offers."""
    removed = [sensor.sensor_id for sensor in sensors if sensor.removed]
    dropped = set(removed[: max(0, len(removed) - MAX_REMOVED_SENSORS_KEPT)])
    return tuple(sensor for sensor in sensors if sensor.sensor_id not in dropped) if dropped else sensors


def _check_size(client: ClientRecord) -> None:
    if len(client.client_data) + sum(len(sensor.metadata) for sensor in client.sensors) > MAX_CLIENT_DATA_BYTES:
        raise too_large("client data too large")


def _new_sensor(sensor: SensorMetadata) -> Sensor:
    """A sent sensor_id is ignored: the server draws the id."""
    return Sensor(
        sensor_id=ids.random_id(), sensor_type=sensor.sensor_type, metadata=client_data.sensor_metadata(sensor)
    )
