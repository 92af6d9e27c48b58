"""Reading stored telemetry back: by type (across the index shards), registration or sender, in time order."""

from __future__ import annotations

import heapq
from itertools import islice
from typing import Any

from telemetry_gateway.storage.payloads import PayloadStore
from telemetry_gateway.storage.telemetry_data import (
    INDEX_BY_CLIENT,
    INDEX_BY_REGISTRATION,
    INDEX_BY_TYPE,
    TelemetryStore,
)
from telemetry_gateway.telemetry.records import index_value

EARLIEST = "0000"
LATEST = "9999"


def items_of_type(
    store: TelemetryStore,
    telemetry_type: str,
    shards: int,
    since: str = EARLIEST,
    until: str = LATEST,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """A busy type is spread over `shards` index partitions; read each and merge by time."""
    streams = [
        store.query(INDEX_BY_TYPE, ("typeShard", f"{index_value(telemetry_type)}#{n}"), since, until, limit)
        for n in range(shards)
    ]
    merged = heapq.merge(*streams, key=lambda entry: str(entry["eventTime"]))
    return list(islice(merged, limit))


def items_of_registration(
    store: TelemetryStore, registration_id: int, since: str = EARLIEST, until: str = LATEST, limit: int = 100
) -> list[dict[str, Any]]:
    partition = ("registrationId", str(registration_id))
    return list(store.query(INDEX_BY_REGISTRATION, partition, since, until, limit))


def items_of_client(
    store: TelemetryStore, bundle_client_id: str, since: str = EARLIEST, until: str = LATEST, limit: int = 100
) -> list[dict[str, Any]]:
    return list(store.query(INDEX_BY_CLIENT, ("bundleClientId", bundle_client_id), since, until, limit))


def item_with_data(store: TelemetryStore, payloads: PayloadStore, key: str) -> dict[str, Any]:
    """The full record, with the data text fetched from S3 when it overflowed."""
    record = store.get(key)
    pointer = record.pop("dataObject", None)
    if pointer is not None:
        record["data"] = payloads.get(str(pointer["key"])).decode("utf-8")
    return record
