"""ClientMetadata and SensorMetadata as the registry keeps them: stored as serialized protobuf, so every
field the client sent (presence included) comes back exactly, merged by the update rules of section 7."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from telemetry_gateway.sensors.errors import missing
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientMetadata, KeyValue, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import LocationSourceType, SensorType

if TYPE_CHECKING:
    from telemetry_gateway.sensors.records import Location, Sensor

# Kept as the client's one location, and beside the sensor metadata, respectively.
LOCATION_FIELDS: tuple[Literal["latitude", "longitude", "location_source_type"], ...] = (
    "latitude",
    "longitude",
    "location_source_type",
)
SENSOR_KEY_FIELDS: tuple[Literal["sensor_id", "sensor_type"], ...] = ("sensor_id", "sensor_type")


def check_keys(data: ClientMetadata, path: str) -> None:
    for index, entry in enumerate(data.other_metadata):
        if not entry.HasField("key"):
            raise missing(f"{path}.other_metadata[{index}].key")


def merge_client_data(stored: bytes, update: ClientMetadata) -> bytes:
    """Present fields overwrite; key-values are upserted by key, and `unset` deletes the key."""
    merged = ClientMetadata.FromString(stored)
    delta = ClientMetadata()
    delta.CopyFrom(update)
    for name in LOCATION_FIELDS:
        delta.ClearField(name)
    delta.ClearField("other_metadata")
    merged.MergeFrom(delta)
    _upsert(merged, update.other_metadata)
    return merged.SerializeToString(deterministic=True)


def _upsert(data: ClientMetadata, changes: Iterable[KeyValue]) -> None:
    entries = {entry.key: entry for entry in data.other_metadata}
    for change in changes:
        if change.unset:
            entries.pop(change.key, None)
        else:
            entries[change.key] = change
    kept = list(entries.values())
    del data.other_metadata[:]
    data.other_metadata.extend(kept)


def key_values(stored: bytes) -> dict[str, KeyValue]:
    return {entry.key: entry for entry in ClientMetadata.FromString(stored).other_metadata}


def render_client_data(stored: bytes, location: Location | None) -> ClientMetadata:
    data = ClientMetadata.FromString(stored)
    if location is not None:
        data.latitude, data.longitude = location.latitude, location.longitude
        if location.source is not None:
            data.location_source_type = LocationSourceType.ValueType(location.source)
    return data


def sensor_metadata(update: SensorMetadata, stored: bytes = b"") -> bytes:
    """A sensor's metadata after `update`: present fields overwrite; id and type are kept apart."""
    merged = SensorMetadata.FromString(stored)
    delta = SensorMetadata()
    delta.CopyFrom(update)
    for name in SENSOR_KEY_FIELDS:
        delta.ClearField(name)
    merged.MergeFrom(delta)
    return merged.SerializeToString(deterministic=True)


def render_sensor(sensor: Sensor) -> SensorMetadata:
    rendered = SensorMetadata.FromString(sensor.metadata)
    rendered.sensor_id = sensor.sensor_id
    rendered.sensor_type = SensorType.ValueType(sensor.sensor_type)
    return rendered
