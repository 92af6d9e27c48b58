"""client/create, client/update, client/metadata and client/get-keyvalue (section 7) on moto."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest

from cli import sensor_admin
from support.sensor_client import SensorClient, Transport
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors import registry
from telemetry_gateway.sensors.config import SensorConfig
from telemetry_gateway.sensors.items import new_client_item
from telemetry_gateway.sensors.pb.client_messages_pb2 import (
    ClientCreateMessage,
    ClientMetadata,
    KeyValue,
    SensorMetadata,
)
from telemetry_gateway.sensors.pb.common_pb2 import (
    ACCELEROMETER_1_AXIS,
    ACCELEROMETER_3_AXIS,
    GPS,
    INVALID_REQUEST,
    OVER_QUOTA_ERROR,
    SUCCESS,
    TEMPERATURE,
    UNKNOWN_SENSOR,
)
from telemetry_gateway.sensors.records import ClientRecord, EventRate, Location, Sensor
from telemetry_gateway.sensors.signatures import client_secret
from telemetry_gateway.sensors.store import SensorStore
from telemetry_gateway.storage.dynamo import item_size


def sensor(sensor_type: int = ACCELEROMETER_3_AXIS, **fields: Any) -> SensorMetadata:
    return SensorMetadata(sensor_type=sensor_type, **fields)  # type: ignore[arg-type]


def metadata(client: SensorClient, include_sensor_data: bool = True) -> Any:
    status, answer = client.signed("client/metadata", include_sensor_data=include_sensor_data)
    assert (status, answer.status.type) == (200, SUCCESS)
    return answer


def test_create_answers_ids_in_order_a_derived_secret_and_the_request_cursor(transport: Transport) -> None:
    client = SensorClient(transport)
    message = ClientCreateMessage(
        client_data=ClientMetadata(name="lab", latitude=34.1377, longitude=-118.1253, location_source_type=GPS),
        attached_sensors=[sensor(model="first", sensor_id=99), sensor(TEMPERATURE, model="second")],
    )

    status, created = client.post("client/create", message)

    assert (status, created.status.type, created.status.HasField("message")) == (200, SUCCESS, False)
    assert 1 <= created.client_id < 2**63
    assert re.fullmatch(r"[0-9a-f]{64}", created.client_secret)
    assert created.HasField("latest_request_id")
    assert created.latest_request_id == 0
    assert len(created.sensor_ids) == 2
    assert 99 not in created.sensor_ids
    client.client_id, client.secret = created.client_id, created.client_secret
    answer = metadata(client)
    assert [(s.sensor_id, s.model) for s in answer.sensor_data] == list(
        zip(created.sensor_ids, ["first", "second"], strict=True)
    )
    assert (answer.client_data.name, answer.client_data.latitude, answer.client_data.location_source_type) == (
        "lab",
        34.1377,
        GPS,
    )


def test_the_secret_is_hmac_of_namespace_id_and_generation_and_never_stored(
    client: SensorClient, store: SensorStore
) -> None:
    assert client.secret == client_secret(SensorConfig.from_env().secret_key.value(), "test", client.client_id, 1)
    stored = boto3.client("dynamodb").scan(TableName=store.table.name)["Items"]  # a test may look at everything
    assert client.secret not in repr(stored)


def test_create_with_an_empty_body_makes_a_client_without_sensors(transport: Transport) -> None:
    client = SensorClient(transport)

    status, created = client.post("client/create", b"")

    assert (status, created.status.type, list(created.sensor_ids)) == (200, SUCCESS, [])


def test_create_needs_each_sensor_type_and_then_creates_nothing(
    transport: Transport, store: SensorStore, deadline: Deadline
) -> None:
    client = SensorClient(transport)
    message = ClientCreateMessage(attached_sensors=[sensor(), SensorMetadata(model="typeless")])

    status, answer = client.post("client/create", message)

    assert (status, answer.status.type, answer.status.message) == (
        400,
        INVALID_REQUEST,
        "missing required field: attached_sensors[1].sensor_type",
    )
    assert not answer.HasField("client_id")
    assert list(sensor_admin.namespace_keys(store.table, "test", deadline)) == []


def test_create_stores_key_values_but_ignores_unset_ones(transport: Transport) -> None:
    client = SensorClient(transport)
    values = [KeyValue(key="station", string_value="CI.PAS"), KeyValue(key="gone", unset=True)]
    client.create(ClientCreateMessage(client_data=ClientMetadata(other_metadata=values)))

    status, answer = client.signed("client/get-keyvalue")

    assert status == 200
    assert [(kv.key, kv.string_value) for kv in answer.client_data] == [("station", "CI.PAS")]


def test_update_applies_a_delta(client: SensorClient) -> None:
    client.signed(
        "client/update",
        client_data=ClientMetadata(
            name="before",
            floor="1",
            other_metadata=[KeyValue(key="a", long_value=1), KeyValue(key="b", bool_value=True)],
        ),
    )

    status, answer = client.signed(
        "client/update",
        client_data=ClientMetadata(
            name="after", other_metadata=[KeyValue(key="a", double_value=2.5), KeyValue(key="b", unset=True)]
        ),
        new_sensors=[sensor(TEMPERATURE, model="t1"), sensor(ACCELEROMETER_1_AXIS, model="z")],
        updated_sensors=[SensorMetadata(sensor_id=client.sensor_ids[0], serial="SN-1", calibrated=True)],
    )

    assert (status, answer.status.type, len(answer.sensor_ids)) == (200, SUCCESS, 2)
    current = metadata(client)
    assert (current.client_data.name, current.client_data.floor) == ("after", "1")
    assert [(kv.key, kv.double_value, kv.HasField("long_value")) for kv in current.client_data.other_metadata] == [
        ("a", 2.5, False)
    ]
    assert [s.sensor_id for s in current.sensor_data] == [client.sensor_ids[0], *answer.sensor_ids]
    assert [s.model for s in current.sensor_data] == ["", "t1", "z"]
    first = current.sensor_data[0]
    assert (first.sensor_type, first.serial, first.calibrated) == (ACCELEROMETER_3_AXIS, "SN-1", True)


def test_sensor_type_is_immutable_and_a_refused_update_changes_nothing(client: SensorClient) -> None:
    status, answer = client.signed(
        "client/update",
        client_data=ClientMetadata(name="not applied"),
        updated_sensors=[SensorMetadata(sensor_id=client.sensor_ids[0], sensor_type=TEMPERATURE)],
    )

    assert (status, answer.status.type, answer.status.message) == (
        400,
        INVALID_REQUEST,
        "sensor type cannot be changed; remove the sensor and add a new one",
    )
    assert metadata(client).client_data.name == ""


def test_the_same_sensor_type_may_be_repeated_in_an_update(client: SensorClient) -> None:
    update = SensorMetadata(sensor_id=client.sensor_ids[0], sensor_type=ACCELEROMETER_3_AXIS, units="g")

    status, _ = client.signed("client/update", updated_sensors=[update])

    assert status == 200
    assert metadata(client).sensor_data[0].units == "g"


def test_removed_sensors_are_kept_out_of_metadata_and_refused_for_picks(client: SensorClient) -> None:
    removed = client.sensor_ids[0]

    status, _ = client.signed("client/update", removed_sensors=[removed], new_sensors=[sensor()])
    again, _ = client.signed("client/update", removed_sensors=[removed])  # repeating a removal is a no-op
    refused, pick = client.pick()

    assert (status, again) == (200, 200)
    assert removed not in [s.sensor_id for s in metadata(client).sensor_data]
    assert (refused, pick.status.type, pick.status.message) == (400, UNKNOWN_SENSOR, f"unknown sensor {removed}")


def test_removal_wins_over_an_update_of_the_same_sensor(client: SensorClient) -> None:
    sensor_id = client.sensor_ids[0]

    status, _ = client.signed(
        "client/update",
        updated_sensors=[SensorMetadata(sensor_id=sensor_id, sensor_type=TEMPERATURE)],
        removed_sensors=[sensor_id],
    )

    assert status == 200
    assert list(metadata(client).sensor_data) == []


def test_removing_a_sensor_of_another_client_is_unknown(client: SensorClient, transport: Transport) -> None:
    other = SensorClient(transport)
    other.create()

    status, answer = client.signed("client/update", removed_sensors=[other.sensor_ids[0]])

    assert (status, answer.status.type, answer.status.message) == (
        400,
        UNKNOWN_SENSOR,
        f"unknown sensor {other.sensor_ids[0]}",
    )


def test_updating_a_sensor_of_no_one_is_unknown(client: SensorClient) -> None:
    status, answer = client.signed("client/update", updated_sensors=[SensorMetadata(sensor_id=12345, model="x")])

    assert (status, answer.status.type, answer.status.message) == (400, UNKNOWN_SENSOR, "unknown sensor 12345")


def test_update_of_a_removed_sensor_is_unknown(client: SensorClient) -> None:
    client.signed("client/update", removed_sensors=[client.sensor_ids[0]])

    status, answer = client.signed("client/update", updated_sensors=[SensorMetadata(sensor_id=client.sensor_ids[0])])

    assert (status, answer.status.type) == (400, UNKNOWN_SENSOR)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"new_sensors": [SensorMetadata(model="x")]}, "missing required field: new_sensors[0].sensor_type"),
        ({"updated_sensors": [SensorMetadata(model="x")]}, "missing required field: updated_sensors[0].sensor_id"),
        ({"client_data": ClientMetadata(latitude=10.0)}, "missing required field: client_data.longitude"),
        ({"client_data": ClientMetadata(latitude=91.0, longitude=0.0)}, "latitude out of range: 91.0"),
        (
            {"client_data": ClientMetadata(other_metadata=[KeyValue(string_value="no key")])},
            "missing required field: client_data.other_metadata[0].key",
        ),
    ],
)
def test_invalid_updates_are_400(client: SensorClient, fields: dict[str, Any], message: str) -> None:
    status, answer = client.signed("client/update", **fields)

    assert (status, answer.status.type, answer.status.message) == (400, INVALID_REQUEST, message)


def test_an_update_requesting_nothing_says_so(client: SensorClient) -> None:
    status, answer = client.signed("client/update")

    assert (status, answer.status.type, answer.status.message) == (200, SUCCESS, "no changes requested")


def test_metadata_without_sensor_data_and_the_changed_flag(
    client: SensorClient, store: SensorStore, deadline: Deadline
) -> None:
    sensor_admin.edit_client(store.table, "test", client.client_id, {"note": "call me"}, [], None, deadline)

    flagged = client.heartbeat().metadata_changed
    answer = metadata(client, include_sensor_data=False)
    cleared = client.heartbeat()

    assert flagged is True
    assert list(answer.sensor_data) == []
    assert [(kv.key, kv.string_value) for kv in answer.client_data.other_metadata] == [("note", "call me")]
    assert cleared.HasField("metadata_changed")
    assert cleared.metadata_changed is False


def test_get_keyvalue_in_request_order_with_unset_for_missing_keys(client: SensorClient) -> None:
    values = [KeyValue(key="b", string_value="2"), KeyValue(key="a", long_value=1)]
    client.signed("client/update", client_data=ClientMetadata(other_metadata=values))

    _, some = client.signed("client/get-keyvalue", client_keys=["b", "missing", "a", "b"])
    _, every = client.signed("client/get-keyvalue")

    assert [(kv.key, kv.unset) for kv in some.client_data] == [
        ("b", False),
        ("missing", True),
        ("a", False),
        ("b", False),
    ]
    assert some.client_data[0].string_value == "2"
    assert some.client_data[2].long_value == 1
    assert [kv.key for kv in every.client_data] == ["a", "b"]


def test_client_data_too_large_to_store_is_413(client: SensorClient) -> None:
    huge = ClientMetadata(other_metadata=[KeyValue(key=str(n), string_value="x" * 1000) for n in range(300)])

    status, answer = client.signed("client/update", client_data=huge)

    assert (status, answer.status.type, answer.status.message) == (413, OVER_QUOTA_ERROR, "client data too large")


def test_client_data_near_the_limit_can_be_replaced_again_and_again(client: SensorClient) -> None:
    """About 226 KB of client data, replaced twice: the item stays under DynamoDB's 400 KB throughout."""

    def near_the_limit(fill: str) -> ClientMetadata:
        return ClientMetadata(other_metadata=[KeyValue(key=str(n), string_value=fill * 1000) for n in range(220)])

    answers = [client.signed("client/update", client_data=near_the_limit(fill))[0] for fill in "abc"]

    assert answers == [200, 200, 200]
    assert {kv.string_value[0] for kv in metadata(client).client_data.other_metadata} == {"c"}


def test_a_client_that_keeps_replacing_its_sensors_keeps_the_latest_history_and_is_never_refused(
    client: SensorClient, store: SensorStore, deadline: Deadline
) -> None:
    first, removed_last, answers = client.sensor_ids[0], list[int](), list[int]()
    for _ in range(9):  # 64 removed and 64 added each time: 576 removed in all
        status, answer = client.signed(
            "client/update", removed_sensors=client.sensor_ids, new_sensors=[sensor() for _ in range(64)]
        )
        answers.append(status)
        removed_last, client.sensor_ids = client.sensor_ids, list(answer.sensor_ids)

    again, _ = client.signed("client/update", removed_sensors=[removed_last[0]])  # recent history: a no-op
    status, answer = client.signed("client/update", removed_sensors=[first])  # the earliest was let go
    stored = store.get_client("test", client.client_id, deadline)

    assert answers == [200] * 9
    assert [s.sensor_id for s in metadata(client).sensor_data] == client.sensor_ids
    assert again == 200
    assert (status, answer.status.type, answer.status.message) == (400, UNKNOWN_SENSOR, f"unknown sensor {first}")
    assert sum(s.removed for s in stored.sensors) == registry.MAX_REMOVED_SENSORS_KEPT


def test_the_largest_client_item_fits_dynamodb() -> None:
    """All the client data there may be, 64 live sensors and all the history kept, every field at its
    longest: the item is under DynamoDB's 400 KB (409,600 bytes) by DynamoDB's own measure."""
    rate = EventRate(event_count=2**63 - 1, time_window=2**63 - 1, reported_at="2025-07-30T10:00:00.000000Z")
    sensors = tuple(
        Sensor(sensor_id=2**63 - 1 - n, sensor_type=999, metadata=b"", removed=n >= 64, connected=True, event_rate=rate)
        for n in range(64 + registry.MAX_REMOVED_SENSORS_KEPT)
    )
    window = {"top": 2**63 - 1, "mask": 2**64 - 1, "newestDate": "2025-07-30T10:00:00.000"}  # written apart
    biggest = ClientRecord(
        namespace="n" * 64,
        client_id=2**63 - 1,
        generation=2**31,
        version=2**63 - 1,
        created_at="2025-07-30T10:00:00.000",
        client_data=b"d" * registry.MAX_CLIENT_DATA_BYTES,
        location=Location(latitude=-89.123456789, longitude=-179.123456789, source=999),
        sensors=sensors,
        last_seen="2025-07-30T10:00:00.000",
        active=True,
        request_cursor=2**63 - 1,
        metadata_changed=True,
        disabled=True,
        window=None,
        status_change=999,
        status_changed_at="2025-07-30T10:00:00.000",
        last_beat=("2025-07-30T10:00:00.000", 2**63 - 1),
    )

    assert item_size({**new_client_item(biggest), **window}) < 400 * 1024
