"""The sensor table: clients with their sensors, sensor-id records, cell activity counts, picks, namespaces.

Invariants are kept by conditional writes: a client item is only written over the version it was read
at, the replay window only over the (top, mask) it was read at, ids only where none exists, and a
client only leaves the activity index while it is still active and stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from functools import partial
from itertools import batched
from typing import Any

from botocore.exceptions import ClientError

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors.records import ClientRecord, Pick, StaleClient
from telemetry_gateway.sensors.replay import ReplayWindow
from telemetry_gateway.storage import sensor_items as items
from telemetry_gateway.storage.batches import BATCH_WRITE_LIMIT, batch_write
from telemetry_gateway.storage.dynamo import (
    cancellation_codes,
    from_item,
    is_condition_failure,
    to_item,
)
from telemetry_gateway.storage.errors import Conflict, NotFound
from telemetry_gateway.storage.retry import with_retries

CONDITION_FAILED = "ConditionalCheckFailed"
# Another transaction held an item we touched: nothing was written, reading again and retrying is right.
TRANSACTION_CONFLICT = "TransactionConflict"


class IdTaken(Conflict):
    """A randomly drawn client or sensor id is in use; draw again."""


class SensorStore:
    def __init__(self, table: str, client: Any) -> None:
        self.table = table
        self.client = client

    # ------------------------------------------------------------------ clients

    def get_client(self, namespace: str, client_id: int, deadline: Deadline) -> ClientRecord:
        """Strongly consistent: a client created a moment ago must already sign."""
        response = with_retries(
            partial(
                self.client.get_item,
                TableName=self.table,
                Key=items.client_key(namespace, client_id),
                ConsistentRead=True,
            ),
            deadline,
        )
        if "Item" not in response:
            raise NotFound(client_id)
        return items.client_record(from_item(response["Item"]), namespace)

    def create_client(self, record: ClientRecord, deadline: Deadline) -> None:
        """The client and one uniqueness record per sensor id, all or nothing."""
        puts = [items.new_client_item(record)]
        puts += [self._sensor_id_values(record.namespace, s.sensor_id, record.client_id) for s in record.sensors]
        operations = [{"Put": self._put(values)} for values in puts]
        codes = self._transact(operations, deadline)
        if CONDITION_FAILED in codes:
            raise IdTaken(record.client_id)

    def save_client(
        self, before: ClientRecord, after: ClientRecord, cell_deltas: Mapping[str, int], deadline: Deadline
    ) -> None:
        """Write what changed from `before` to `after` over the version `before` was read at, with the
        uniqueness records of new sensor ids and the cell count changes, all or nothing.

        Conflict when the client changed since it was read (read again and recompute); IdTaken when a new
        sensor id is in use."""
        update = self._client_update(before, after)
        new_sensor_ids = [s.sensor_id for s in after.sensors if before.sensor(s.sensor_id) is None]
        if not cell_deltas and not new_sensor_ids:
            self._update_one(update, deadline)
            return
        operations: list[dict[str, Any]] = [{"Update": update}]
        operations += [
            {"Put": self._put(self._sensor_id_values(after.namespace, sensor_id, after.client_id))}
            for sensor_id in new_sensor_ids
        ]
        operations += [{"Update": self._cell_update(after.namespace, c, d)} for c, d in sorted(cell_deltas.items())]
        codes = self._transact(operations, deadline)
        if codes[:1] == [CONDITION_FAILED]:
            raise Conflict(after.client_id)
        if codes:
            raise IdTaken(after.client_id)

    def consume_message(self, record: ClientRecord, window: ReplayWindow, deadline: Deadline) -> ClientRecord:
        """Move the replay window from the state it was read in to `window`; returns the client with it.

        Only the window is guarded here: a change to anything else since the read makes the route's own
        write (guarded by the version) read the client again."""
        if record.window is None:
            condition = "attribute_exists(pk) AND attribute_not_exists(#top)"
            expected: dict[str, Any] = {}
        else:
            condition = "#top = :oldTop AND #mask = :oldMask"
            expected = {":oldTop": {"N": str(record.window.top)}, ":oldMask": {"N": str(record.window.mask)}}
        self._update_one(
            {
                "TableName": self.table,
                "Key": items.client_key(record.namespace, record.client_id),
                "UpdateExpression": "SET #top = :top, #mask = :mask",
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#top": "top", "#mask": "mask"},
                "ExpressionAttributeValues": {
                    ":top": {"N": str(window.top)},
                    ":mask": {"N": str(window.mask)},
                    **expected,
                },
            },
            deadline,
        )
        return replace(record, window=window)

    def reset_window(self, namespace: str, client_id: int, deadline: Deadline) -> None:
        """Forget the client's accepted message ids (operator tool)."""
        try:
            with_retries(
                partial(
                    self.client.update_item,
                    TableName=self.table,
                    Key=items.client_key(namespace, client_id),
                    UpdateExpression="REMOVE #top, #mask",
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeNames={"#top": "top", "#mask": "mask"},
                ),
                deadline,
            )
        except ClientError as exc:
            if is_condition_failure(exc):
                raise NotFound(client_id) from exc
            raise

    # ------------------------------------------------------------------ namespaces and counters

    def register_namespace(self, namespace: str, deadline: Deadline) -> None:
        """Idempotent: lists the namespace for the inactivity sweep."""
        values = {"pk": items.NAMESPACES_PK, "sk": namespace}
        values["nsShard"] = items.namespace_shard(namespace, items.NAMESPACES_PK)
        with_retries(partial(self.client.put_item, TableName=self.table, Item=to_item(values)), deadline)

    def namespaces(self) -> list[str]:
        return [str(values["sk"]) for values in self._query({"pk": items.NAMESPACES_PK})]

    def latest_request_id(self, namespace: str, deadline: Deadline) -> int:
        """The namespace's highest committed data request id, 0 before the first."""
        return self._number(items.request_counter_key(namespace), "committed", deadline)

    def active_count(self, namespace: str, cell: str, deadline: Deadline) -> int:
        """How many active clients the cell holds."""
        return self._number(items.cell_key(namespace, cell), "activeCount", deadline)

    # ------------------------------------------------------------------ picks

    def put_pick(self, pick: Pick, deadline: Deadline) -> bool:
        """Store a pick once; False when the same pick (client, sensor, time) is already stored."""
        try:
            with_retries(partial(self.client.put_item, **self._put(items.pick_item(pick))), deadline)
        except ClientError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    # ------------------------------------------------------------------ inactivity sweep

    def stale_clients(self, namespace: str, cutoff: str) -> Iterator[StaleClient]:
        """Active clients last seen before `cutoff`, oldest first, from the sparse activity index."""
        for values in self._query({"activeNs": namespace}, index=items.ACTIVE_INDEX, sort_below=("lastSeen", cutoff)):
            yield items.stale_client(values)

    def mark_inactive(self, stale: StaleClient, cutoff: str, deadline: Deadline) -> bool:
        """Take a client out of the activity index and its cell's count, if it is still active and stale
        in the same cell; False when it is not (a heartbeat or a move won the race)."""
        update = {
            "TableName": self.table,
            "Key": items.client_key(stale.namespace, stale.client_id),
            "UpdateExpression": "REMOVE activeNs SET #version = #version + :one",
            "ConditionExpression": "activeNs = :ns AND lastSeen < :cutoff AND "
            + ("cell = :cell" if stale.cell else "attribute_not_exists(cell)"),
            "ExpressionAttributeNames": {"#version": "version"},
            "ExpressionAttributeValues": to_item(
                {":one": 1, ":ns": stale.namespace, ":cutoff": cutoff, ":cell": stale.cell}
            ),
        }
        try:
            if stale.cell is None:
                self._update_one(update, deadline)
                return True
            codes = self._transact(
                [{"Update": update}, {"Update": self._cell_update(stale.namespace, stale.cell, -1)}], deadline
            )
        except Conflict:
            return False
        return not codes

    # ------------------------------------------------------------------ clearing a namespace

    def namespace_keys(self, namespace: str) -> Iterator[dict[str, Any]]:
        """The key of every item of the namespace, shard by shard of the ByNamespace index."""
        for shard in range(items.NAMESPACE_SHARDS):
            for values in self._query({"nsShard": f"{namespace}#{shard}"}, index=items.NAMESPACE_INDEX):
                yield {"pk": values["pk"], "sk": values["sk"]}

    def delete(self, keys: Iterable[dict[str, Any]], deadline: Deadline) -> int:
        """Delete items in batches of 25 as the keys arrive; returns how many."""
        deleted = 0
        for batch in batched(keys, BATCH_WRITE_LIMIT):
            batch_write(self.client, self.table, [{"DeleteRequest": {"Key": to_item(k)}} for k in batch], deadline)
            deleted += len(batch)
        return deleted

    # ------------------------------------------------------------------ plumbing

    def _put(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"TableName": self.table, "Item": to_item(values), "ConditionExpression": "attribute_not_exists(pk)"}

    @staticmethod
    def _sensor_id_values(namespace: str, sensor_id: int, client_id: int) -> dict[str, Any]:
        values: dict[str, Any] = items.sensor_id_key(namespace, sensor_id)
        values["nsShard"] = items.namespace_shard(namespace, values["pk"])
        values["clientId"] = str(client_id)
        return values

    def _client_update(self, before: ClientRecord, after: ClientRecord) -> dict[str, Any]:
        """SET what changed, REMOVE what went, bump the version; only over the version that was read."""
        old, new = items.client_state(before), items.client_state(after)
        changed = [name for name in new if new[name] != old[name]]
        names = {f"#a{i}": name for i, name in enumerate(changed)}
        sets = [f"{alias} = :a{alias[2:]}" for alias, name in names.items() if new[name] is not None]
        removes = [alias for alias, name in names.items() if new[name] is None]
        values = {f":a{alias[2:]}": new[name] for alias, name in names.items() if new[name] is not None}
        expression = "SET " + ", ".join([*sets, "#version = :next"])
        if removes:
            expression += " REMOVE " + ", ".join(removes)
        return {
            "TableName": self.table,
            "Key": items.client_key(after.namespace, after.client_id),
            "UpdateExpression": expression,
            "ConditionExpression": "#version = :expected",
            "ExpressionAttributeNames": {**names, "#version": "version"},
            "ExpressionAttributeValues": to_item({**values, ":expected": before.version, ":next": before.version + 1}),
        }

    def _cell_update(self, namespace: str, cell: str, delta: int) -> dict[str, Any]:
        cell_key = items.cell_key(namespace, cell)
        return {
            "TableName": self.table,
            "Key": to_item(cell_key),
            "UpdateExpression": "ADD activeCount :delta SET nsShard = :shard, cell = :cell",
            "ExpressionAttributeValues": to_item(
                {":delta": delta, ":shard": items.namespace_shard(namespace, cell_key["pk"]), ":cell": cell}
            ),
        }

    def _number(self, key: dict[str, str], attribute: str, deadline: Deadline) -> int:
        """A counter attribute, strongly consistent; 0 when the item does not exist yet."""
        response = with_retries(
            partial(self.client.get_item, TableName=self.table, Key=to_item(key), ConsistentRead=True), deadline
        )
        return int(from_item(response.get("Item", {})).get(attribute, 0))

    def _update_one(self, update: dict[str, Any], deadline: Deadline) -> None:
        try:
            with_retries(partial(self.client.update_item, **update), deadline)
        except ClientError as exc:
            if is_condition_failure(exc):
                raise Conflict(update["Key"]) from exc
            raise

    def _transact(self, operations: list[dict[str, Any]], deadline: Deadline) -> list[str]:
        """Run a transaction; returns [] when it committed, else the per-operation cancellation codes."""
        try:
            with_retries(partial(self.client.transact_write_items, TransactItems=operations), deadline)
        except ClientError as exc:
            codes = cancellation_codes(exc)
            if not codes:
                raise
            if TRANSACTION_CONFLICT in codes and CONDITION_FAILED not in codes:
                raise Conflict(codes) from exc
            return codes
        return []

    def _query(
        self, partition: dict[str, str], index: str | None = None, sort_below: tuple[str, str] | None = None
    ) -> Iterator[dict[str, Any]]:
        ((attribute, value),) = partition.items()
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "#p = :p",
            "ExpressionAttributeNames": {"#p": attribute},
            "ExpressionAttributeValues": {":p": {"S": value}},
        }
        if index is not None:
            kwargs["IndexName"] = index
        if sort_below is not None:
            kwargs["KeyConditionExpression"] += " AND #s < :s"
            kwargs["ExpressionAttributeNames"]["#s"] = sort_below[0]
            kwargs["ExpressionAttributeValues"][":s"] = {"S": sort_below[1]}
        while True:
            response = self.client.query(**kwargs)
            yield from (from_item(item) for item in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
