"""What the operator tool (`tgw sensors ...`) does to the sensor registry: inspect and edit clients, reset
replay windows, clear a namespace (its records and its S3 objects)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, replace
from itertools import batched
from typing import Any

from google.protobuf.json_format import MessageToDict

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors import client_data, items
from telemetry_gateway.sensors.addressing import is_valid_namespace
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientMetadata, KeyValue
from telemetry_gateway.sensors.records import ClientRecord, cell_deltas
from telemetry_gateway.sensors.store import SensorStore
from telemetry_gateway.sensors.uploads import namespace_prefix
from telemetry_gateway.storage.errors import ConditionFailed, NotFound
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.storage.retry import retry_on_conflict
from telemetry_gateway.storage.table import BATCH_WRITE_LIMIT, PRESENT, Table

TEST_NAMESPACE = "test"  # the integration tests' namespace: cleared without confirmation
OBJECTS_PER_DELETE = 1000  # S3's limit for one DeleteObjects
MAX_CLEAR_PASSES = 5  # the namespace index is eventually consistent: repeat until a pass finds nothing


class OperatorError(ValueError):
    """A refusal the tool prints as is."""


def clear_namespace(table: Table, namespace: str, confirmed: bool, deadline: Deadline) -> int:
    """Delete every record of the namespace (through its index, never a Scan); returns how many."""
    if not is_valid_namespace(namespace):
        raise OperatorError(f"{namespace!r} is not a namespace name")
    if namespace != TEST_NAMESPACE and not confirmed:
        raise OperatorError(f"clearing namespace {namespace!r} needs --confirm")
    total = 0
    for _ in range(MAX_CLEAR_PASSES):
        deleted = 0
        for batch in batched(namespace_keys(table, namespace, deadline), BATCH_WRITE_LIMIT):
            table.batch_write(deadline, deletes=batch)
            deleted += len(batch)
        total += deleted
        if not deleted:
            break
    return total


def clear_objects(bucket: Bucket, namespace: str, deadline: Deadline) -> int:
    """Delete the namespace's S3 objects (uploaded payloads); returns how many. Call after clear_namespace,
    which checks the name and the confirmation."""
    deleted = 0
    for batch in batched(bucket.keys(namespace_prefix(namespace), deadline), OBJECTS_PER_DELETE):
        bucket.delete(list(batch), deadline)
        deleted += len(batch)
    return deleted


def namespace_keys(table: Table, namespace: str, deadline: Deadline) -> Iterator[dict[str, Any]]:
    """The key of every item of the namespace, shard by shard of the ByNamespace index."""
    for shard in range(items.NAMESPACE_SHARDS):
        entries = table.query(
            deadline, key="nsShard = :s", values={":s": f"{namespace}#{shard}"}, index=items.NAMESPACE_INDEX
        )
        for values in entries:
            yield {"pk": values["pk"], "sk": values["sk"]}


def reset_window(table: Table, namespace: str, client_id: int, deadline: Deadline) -> None:
    """Forget the client's accepted message ids, e.g. after its message counter was reset."""
    try:
        table.update(
            items.client_key(namespace, client_id),
            deadline,
            update="REMOVE #top, #mask, #newest",
            condition=PRESENT,
            names={"#top": "top", "#mask": "mask", "#newest": "newestDate"},
        )
    except ConditionFailed:
        raise _no_client(namespace, client_id) from None


def edit_client(
    table: Table,
    namespace: str,
    client_id: int,
    set_values: dict[str, str],
    unset: list[str],
    disabled: bool | None,
    deadline: Deadline,
) -> ClientRecord:
    """Upsert or unset string key-values (raising the client's metadata-changed flag, which its next
    heartbeat reports), and disable (UNKNOWN_CLIENT from then on, no longer counted as active) or enable."""
    store = SensorStore(table)
    changes = ClientMetadata(
        other_metadata=[KeyValue(key=k, string_value=v) for k, v in set_values.items()]
        + [KeyValue(key=k, unset=True) for k in unset]
    )

    def attempt() -> ClientRecord:
        client = _client(store, namespace, client_id, deadline)
        data = client_data.merge_client_data(client.client_data, changes)
        after = replace(
            client,
            client_data=data,
            metadata_changed=client.metadata_changed or data != client.client_data,
            disabled=client.disabled if disabled is None else disabled,
            active=client.active and not disabled,
        )
        if after != client:
            store.save_client(client, after, cell_deltas(client, after), deadline)
        return after

    return retry_on_conflict(attempt, deadline)


def describe_client(table: Table, namespace: str, client_id: int, deadline: Deadline) -> dict[str, Any]:
    """The client as JSON-friendly data (ids as decimal strings); never its secret."""
    store = SensorStore(table)
    client = _client(store, namespace, client_id, deadline)
    return {
        "namespace": namespace,
        "clientId": str(client.client_id),
        "generation": client.generation,
        "createdAt": client.created_at,
        "active": client.active,
        "lastSeen": client.last_seen,
        "cell": client.cell,
        "cellActiveCount": store.active_count(namespace, client.cell, deadline) if client.cell else None,
        "disabled": client.disabled,
        "metadataChanged": client.metadata_changed,
        "requestCursor": str(client.request_cursor),
        "replayWindow": {"top": client.window.top, "mask": f"{client.window.mask:#018x}"} if client.window else None,
        "statusChange": client.status_change,
        "statusChangedAt": client.status_changed_at,
        "clientData": MessageToDict(client_data.render_client_data(client.client_data, client.location)),
        "sensors": [
            {
                **MessageToDict(client_data.render_sensor(sensor)),
                "removed": sensor.removed,
                "connected": sensor.connected,
                "eventRate": None if sensor.event_rate is None else asdict(sensor.event_rate),
            }
            for sensor in client.sensors
        ],
    }


def _client(store: SensorStore, namespace: str, client_id: int, deadline: Deadline) -> ClientRecord:
    try:
        return store.get_client(namespace, client_id, deadline)
    except NotFound:
        raise _no_client(namespace, client_id) from None


def _no_client(namespace: str, client_id: int) -> OperatorError:
    return OperatorError(f"no client {client_id} in namespace {namespace!r}")
