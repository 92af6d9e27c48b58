"""Merging ClientMetadata and SensorMetadata by the update rules of section 7."""

from __future__ import annotations

from telemetry_gateway.sensors import client_data
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientMetadata, KeyValue, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import ACCELEROMETER_3_AXIS, GPS, IP
from telemetry_gateway.sensors.records import Location, Sensor


def merged(stored: ClientMetadata, update: ClientMetadata) -> ClientMetadata:
    return ClientMetadata.FromString(client_data.merge_client_data(stored.SerializeToString(), update))


def test_present_fields_overwrite_and_absent_ones_stay() -> None:
    result = merged(
        ClientMetadata(name="a", floor="1", mobility_type=ClientMetadata.LAPTOP),
        ClientMetadata(name="", building="B", mobility_type=ClientMetadata.STANDALONE),
    )

    assert (result.name, result.floor, result.building) == ("", "1", "B")
    assert result.HasField("mobility_type")
    assert result.mobility_type == ClientMetadata.STANDALONE


def test_key_values_are_upserted_by_key_and_unset_deletes() -> None:
    stored = ClientMetadata(other_metadata=[KeyValue(key="a", long_value=1), KeyValue(key="b", string_value="x")])
    update = ClientMetadata(
        other_metadata=[
            KeyValue(key="b", bool_value=False),
            KeyValue(key="a", unset=True),
            KeyValue(key="c", unset=True),
        ]
    )

    result = merged(stored, update)

    assert [(kv.key, kv.HasField("bool_value"), kv.HasField("string_value")) for kv in result.other_metadata] == [
        ("b", True, False)
    ]


def test_the_location_is_kept_apart_from_the_stored_data() -> None:
    result = merged(ClientMetadata(), ClientMetadata(latitude=1.0, longitude=2.0, location_source_type=GPS, name="n"))
    rendered = client_data.render_client_data(result.SerializeToString(), Location(3.0, 4.0, IP))

    assert [field.name for field, _ in result.ListFields()] == ["name"]
    assert (rendered.latitude, rendered.longitude, rendered.location_source_type, rendered.name) == (3.0, 4.0, IP, "n")


def test_sensor_metadata_keeps_id_and_type_apart() -> None:
    stored = client_data.sensor_metadata(SensorMetadata(sensor_id=9, sensor_type=ACCELEROMETER_3_AXIS, model="m"))
    updated = client_data.sensor_metadata(SensorMetadata(sensor_id=9, serial="s", num_samples=0), stored)

    rendered = client_data.render_sensor(Sensor(sensor_id=5, sensor_type=ACCELEROMETER_3_AXIS, metadata=updated))

    assert SensorMetadata.FromString(updated) == SensorMetadata(model="m", serial="s", num_samples=0)
    assert (rendered.sensor_id, rendered.sensor_type, rendered.model, rendered.HasField("num_samples")) == (
        5,
        ACCELEROMETER_3_AXIS,
        "m",
        True,
    )
