"""Reading stored telemetry back: by type (across the index shards), registration or sender, in time order.

`limit` is how many to return at most (None: all); to know whether more exist, ask for one more."""

from __future__ import annotations

import heapq
import json
from itertools import islice
from typing import Any

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.storage.table import Table
from telemetry_gateway.telemetry.item_store import INDEX_BY_CLIENT, INDEX_BY_REGISTRATION, INDEX_BY_TYPE, item_key
from telemetry_gateway.telemetry.records import index_value
from telemetry_gateway.telemetry.registration_store import BY_CLIENT_INDEX

EARLIEST = "0000"
LATEST = "9999"


def _between(
    table: Table, index: str, partition: tuple[str, str], since: str, until: str, limit: int | None, deadline: Deadline
) -> Any:
    """Index entries of one partition value between two sortable times, oldest first, as they are read
    (pages of `limit`: no call reads more than one answer needs)."""
    _check(limit)
    attribute, value = partition
    return table.query(
        deadline,
        key="#p = :p AND eventTime BETWEEN :since AND :until",
        names={"#p": attribute},
        values={":p": value, ":since": since, ":until": until},
        index=index,
        page_size=limit,
    )


def items_of_type(
    table: Table, telemetry_type: str, shards: int, since: str, until: str, limit: int | None, deadline: Deadline
) -> list[dict[str, Any]]:
    """A busy type is spread over `shards` index partitions; read each and merge by time."""
    streams = [
        _between(
            table, INDEX_BY_TYPE, ("typeShard", f"{index_value(telemetry_type)}#{n}"), since, until, limit, deadline
        )
        for n in range(shards)
    ]
    merged = heapq.merge(*streams, key=lambda entry: str(entry["eventTime"]))
    return list(islice(merged, limit))


def items_of_registration(
    table: Table, registration_id: int, since: str, until: str, limit: int | None, deadline: Deadline
) -> list[dict[str, Any]]:
    partition = ("registrationId", str(registration_id))
    return list(islice(_between(table, INDEX_BY_REGISTRATION, partition, since, until, limit, deadline), limit))


def items_of_client(
    table: Table, bundle_client_id: str, since: str, until: str, limit: int | None, deadline: Deadline
) -> list[dict[str, Any]]:
    partition = ("bundleClientId", bundle_client_id)
    return list(islice(_between(table, INDEX_BY_CLIENT, partition, since, until, limit, deadline), limit))


def item_with_data(table: Table, payloads: Bucket, key: str, deadline: Deadline) -> dict[str, Any]:
    """The full record, with what overflowed to S3 (its data text, or all of it) read back."""
    record = table.get(item_key(key), deadline, consistent=False)
    if record is None:
        raise NotFound(f"no item {key}")
    whole = record.get("recordObject")
    if whole is not None:
        found: dict[str, Any] = json.loads(_object(payloads, str(whole["key"]), key, deadline))
        return found
    pointer = record.pop("dataObject", None)
    if pointer is not None:
        record["data"] = _object(payloads, str(pointer["key"]), key, deadline).decode("utf-8")
    return record


def _object(payloads: Bucket, object_key: str, key: str, deadline: Deadline) -> bytes:
    try:
        return payloads.get(object_key, deadline)
    except NotFound:
        raise NotFound(f"item {key}: its stored object {object_key} is missing") from None


def registrations_of_client(
    table: Table, client_id: str, limit: int | None, deadline: Deadline
) -> list[dict[str, Any]]:
    """Summaries of a client's registrations, oldest first (eventually consistent index; no jti)."""
    _check(limit)
    found = table.query(deadline, key="clientId = :c", values={":c": client_id}, index=BY_CLIENT_INDEX, page_size=limit)
    return list(islice(found, limit))


def _check(limit: int | None) -> None:
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
