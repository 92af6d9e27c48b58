"""How the sensor table stores the registry's records: keys and item attributes, both ways.

Every item carries `nsShard` = "{namespace}#{n}", the partition key of the keys-only ByNamespace
index, so one namespace can be cleared without a Scan; n spreads a namespace's new items over
NAMESPACE_SHARDS index partitions. An active client also carries `activeNs`, the partition key of the
sparse ActiveClients index sorted by `lastSeen`, which the inactivity sweep reads.
"""

from __future__ import annotations

import zlib
from decimal import Decimal
from typing import Any

from telemetry_gateway.sensors.records import ClientRecord, EventRate, Location, Pick, Sensor, StaleClient
from telemetry_gateway.sensors.replay import ReplayWindow

NAMESPACE_INDEX = "ByNamespace"
ACTIVE_INDEX = "ActiveClients"
PICKS_INDEX = "PicksByTime"
PICK_SHARDS = 16  # never change: picks are found through it
NAMESPACE_SHARDS = 16  # never change: items are found through it
NAMESPACES_PK = "namespaces"  # one item per namespace that ever had a client (the sweep's list)
SMALLEST_NUMBER = Decimal("1e-130")  # DynamoDB numbers stop here; smaller magnitudes are stored as 0


def client_pk(namespace: str, client_id: int) -> str:
    return f"{namespace}#client#{client_id}"


def client_key(namespace: str, client_id: int) -> dict[str, str]:
    return {"pk": client_pk(namespace, client_id), "sk": "client"}


def sensor_id_key(namespace: str, sensor_id: int) -> dict[str, str]:
    """The uniqueness record of a sensor id within its namespace (and "sensors by id")."""
    return {"pk": f"{namespace}#sensor#{sensor_id}", "sk": "sensor"}


def cell_key(namespace: str, cell: str) -> dict[str, str]:
    return {"pk": f"{namespace}#cell#{cell}", "sk": "cell"}


def namespace_shard(namespace: str, pk: str) -> str:
    return f"{namespace}#{zlib.crc32(pk.encode()) % NAMESPACE_SHARDS}"


def number(value: float) -> Decimal:
    """A finite double as an exact DynamoDB number (repr round-trips)."""
    exact = Decimal(repr(value))
    return Decimal(0) if abs(exact) < SMALLEST_NUMBER else exact


def new_client_item(record: ClientRecord) -> dict[str, Any]:
    pk = client_pk(record.namespace, record.client_id)
    return {
        "pk": pk,
        "sk": "client",
        "nsShard": namespace_shard(record.namespace, pk),
        "clientId": str(record.client_id),
        "generation": record.generation,
        "createdAt": record.created_at,
        "version": record.version,
        **{name: value for name, value in client_state(record).items() if value is not None},
    }


def client_state(record: ClientRecord) -> dict[str, Any]:
    """Every attribute a client write may change (None: remove it). The replay window is written apart."""
    location = record.location
    return {
        "clientData": record.client_data,
        "latitude": number(location.latitude) if location else None,
        "longitude": number(location.longitude) if location else None,
        "locationSource": location.source if location else None,
        "cell": record.cell,
        "sensors": [_sensor_values(s) for s in record.sensors],
        "lastSeen": record.last_seen,
        "activeNs": record.namespace if record.active else None,
        "requestCursor": record.request_cursor,
        "metadataChanged": record.metadata_changed,
        "disabled": record.disabled,
        "statusChange": record.status_change,
        "statusChangedAt": record.status_changed_at,
        "beatDate": record.last_beat[0] if record.last_beat else None,
        "beatId": record.last_beat[1] if record.last_beat else None,
    }


def _sensor_values(sensor: Sensor) -> dict[str, Any]:
    values: dict[str, Any] = {
        "sensorId": str(sensor.sensor_id),
        "sensorType": sensor.sensor_type,
        "metadata": sensor.metadata,
        "removed": sensor.removed,
        "connected": sensor.connected,
    }
    if sensor.event_rate is not None:
        values["eventCount"] = sensor.event_rate.event_count
        values["timeWindow"] = sensor.event_rate.time_window
        values["rateReportedAt"] = sensor.event_rate.reported_at
    return {name: value for name, value in values.items() if value is not None}


def client_record(values: dict[str, Any], namespace: str) -> ClientRecord:
    """A client item (deserialized) as a record."""
    location = None
    if "latitude" in values:
        source = values.get("locationSource")
        location = Location(
            float(values["latitude"]), float(values["longitude"]), int(source) if source is not None else None
        )
    window = (
        ReplayWindow(int(values["top"]), int(values["mask"]), values.get("newestDate")) if "top" in values else None
    )
    beat = (values["beatDate"], int(values["beatId"])) if "beatDate" in values else None
    status_change = values.get("statusChange")
    return ClientRecord(
        namespace=namespace,
        client_id=int(values["clientId"]),
        generation=int(values["generation"]),
        version=int(values["version"]),
        created_at=values["createdAt"],
        client_data=_bytes(values["clientData"]),
        location=location,
        sensors=tuple(_sensor(s) for s in values.get("sensors", [])),
        last_seen=values.get("lastSeen"),
        active="activeNs" in values,
        request_cursor=int(values["requestCursor"]),
        metadata_changed=bool(values["metadataChanged"]),
        disabled=bool(values["disabled"]),
        window=window,
        status_change=int(status_change) if status_change is not None else None,
        status_changed_at=values.get("statusChangedAt"),
        last_beat=beat,
    )


def _sensor(values: dict[str, Any]) -> Sensor:
    rate = None
    if "rateReportedAt" in values:
        rate = EventRate(
            _optional_int(values.get("eventCount")), _optional_int(values.get("timeWindow")), values["rateReportedAt"]
        )
    return Sensor(
        sensor_id=int(values["sensorId"]),
        sensor_type=int(values["sensorType"]),
        metadata=_bytes(values["metadata"]),
        removed=bool(values["removed"]),
        connected=values.get("connected"),
        event_rate=rate,
    )


def _optional_int(value: Any) -> int | None:
    return int(value) if value is not None else None


def _bytes(value: bytes) -> bytes:
    """Binary attributes are read as bytes (storage.dynamo); a bytearray written in this container is copied."""
    return bytes(value)


def pick_day(namespace: str, day: str, shard: int) -> str:
    """Partition key of the PicksByTime index: one per namespace, UTC day and shard."""
    return f"{namespace}#{day}#{shard}"


def pick_item(pick: Pick) -> dict[str, Any]:
    """Keyed by client, then pick time and sensor: a client's retry of the same pick lands on the same item.
    `pickDay` keys the PicksByTime index (picks by namespace and time), sharded by client so that a burst
    of picks during an earthquake spreads over PICK_SHARDS index partitions."""
    pk = f"{pick.namespace}#picks#{pick.client_id}"
    location = pick.location
    return {
        "pk": pk,
        "sk": f"{pick.pick_time}#{pick.sensor_id}",
        "nsShard": namespace_shard(pick.namespace, pk),
        "pickDay": pick_day(pick.namespace, pick.pick_time[:10], zlib.crc32(pk.encode()) % PICK_SHARDS),
        "clientId": str(pick.client_id),
        "sensorId": str(pick.sensor_id),
        "sensorType": pick.sensor_type,
        "pickTime": pick.pick_time,
        "receivedAt": pick.received_at,
        "readings": [number(r) for r in pick.readings],
        "eventCount": pick.event_count,
        "timeWindow": pick.time_window,
        "latitude": number(location.latitude) if location else None,
        "longitude": number(location.longitude) if location else None,
        "locationSource": location.source if location else None,
        "cell": location.cell if location else None,
        "otherReadings": list(pick.other_readings) or None,
        "counted": pick.counted,
    }


def stale_client(values: dict[str, Any]) -> StaleClient:
    """An ActiveClients index entry (keys plus the projected cell)."""
    return StaleClient(
        namespace=values["activeNs"],
        client_id=int(str(values["pk"]).rsplit("#", 1)[1]),
        last_seen=values["lastSeen"],
        cell=values.get("cell"),
    )
