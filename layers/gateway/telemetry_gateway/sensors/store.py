"""The sensor table: clients with their sensors, sensor-id records, cell activity counts, picks, namespaces.

Invariants are kept by conditional writes: a client item is only written over the version it was read
at, the replay window only over the (top, mask) it was read at, ids only where none exists, and a
client only leaves the activity index while it is still active and stale.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from telemetry_gateway.sensors import counters, items
from telemetry_gateway.storage.errors import ConditionFailed, Conflict, NotFound, TransactionCancelled
from telemetry_gateway.storage.table import ABSENT, Table, Write

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.sensors.event_store import EventStore
    from telemetry_gateway.sensors.reading_store import ReadingStore
    from telemetry_gateway.sensors.records import ClientRecord, Pick, StaleClient
    from telemetry_gateway.sensors.replay import ReplayWindow
    from telemetry_gateway.sensors.request_store import RequestStore


DataStore = Literal["requests", "events", "readings"]


class IdTaken(Conflict):
    """A randomly drawn client or sensor id is in use; draw again."""


class SensorStore:
    """The client records here; the data path's records (requests, events, readings; same table) in stores of
    their own, each loaded with its module on first use unless `load` names it. Importing the three is a tenth
    of a sensor function's cold start, and half the functions never touch them; a function that reads one on
    its main path names it, so that it loads at init and no request pays for an import."""

    def __init__(self, table: Table, *, load: tuple[DataStore, ...] = ()) -> None:
        self.table = table
        for name in load:
            getattr(self, name)

    @cached_property
    def requests(self) -> RequestStore:
        from telemetry_gateway.sensors.request_store import RequestStore  # noqa: PLC0415 - see the class

        return RequestStore(self.table)

    @cached_property
    def events(self) -> EventStore:
        from telemetry_gateway.sensors.event_store import EventStore  # noqa: PLC0415 - see the class

        return EventStore(self.table, self.requests)

    @cached_property
    def readings(self) -> ReadingStore:
        from telemetry_gateway.sensors.reading_store import ReadingStore  # noqa: PLC0415 - see the class

        return ReadingStore(self.table)

    # ------------------------------------------------------------------ clients

    def get_client(self, namespace: str, client_id: int, deadline: Deadline) -> ClientRecord:
        """Strongly consistent: a client created a moment ago must already sign."""
        values = self.table.get(items.client_key(namespace, client_id), deadline)
        if values is None:
            raise NotFound(client_id)
        return items.client_record(values, namespace)

    def create_client(self, record: ClientRecord, deadline: Deadline) -> None:
        """The client and one uniqueness record per sensor id, all or nothing."""
        puts = [items.new_client_item(record)]
        puts += [self._sensor_id_values(record.namespace, s.sensor_id, record.client_id) for s in record.sensors]
        try:
            self.table.transact([self.table.put_write(values, ABSENT) for values in puts], deadline)
        except TransactionCancelled as cancelled:
            raise IdTaken(record.client_id) from cancelled

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
            try:
                self.table.apply(update, deadline)
            except ConditionFailed as failed:
                raise Conflict(after.client_id) from failed
            return
        writes = [update]
        writes += [
            self.table.put_write(self._sensor_id_values(after.namespace, sensor_id, after.client_id), ABSENT)
            for sensor_id in new_sensor_ids
        ]
        writes += [self._cell_update(after.namespace, c, d) for c, d in sorted(cell_deltas.items())]
        try:
            self.table.transact(writes, deadline)
        except TransactionCancelled as cancelled:
            if cancelled.failed(0):
                raise Conflict(after.client_id) from cancelled
            raise IdTaken(after.client_id) from cancelled

    def consume_message(self, record: ClientRecord, window: ReplayWindow, deadline: Deadline) -> ClientRecord:
        """Move the replay window (top, mask and newest date) from the state it was read in to `window`, in
        one conditional write; returns the client with it.

        Only the window is guarded here: a change to anything else since the read makes the route's own
        write (guarded by the version) read the client again."""
        old = record.window
        if old is None:
            condition = "attribute_exists(pk) AND attribute_not_exists(#top)"
        else:
            newest = "#newest = :oldNewest" if old.newest is not None else "attribute_not_exists(#newest)"
            condition = f"#top = :oldTop AND #mask = :oldMask AND {newest}"
        update = "SET #top = :top, #mask = :mask" + (", #newest = :newest" if window.newest is not None else "")
        names = {"#top": "top", "#mask": "mask"}
        if "#newest" in condition + update:
            names["#newest"] = "newestDate"
        values: dict[str, Any] = {":top": window.top, ":mask": window.mask, ":newest": window.newest}
        if old is not None:
            values |= {":oldTop": old.top, ":oldMask": old.mask, ":oldNewest": old.newest}
        try:
            self.table.update(
                items.client_key(record.namespace, record.client_id),
                deadline,
                update=update,
                condition=condition,
                names=names,
                values=values,  # None values are left out
            )
        except ConditionFailed as failed:
            raise Conflict(record.client_id) from failed
        return replace(record, window=window)

    # ------------------------------------------------------------------ namespaces and counters

    def register_namespace(self, namespace: str, deadline: Deadline) -> None:
        """Idempotent: lists the namespace for the inactivity sweep."""
        values = {"pk": items.NAMESPACES_PK, "sk": namespace}
        values["nsShard"] = items.namespace_shard(namespace, items.NAMESPACES_PK)
        self.table.put(values, deadline)

    def namespaces(self, deadline: Deadline) -> list[str]:
        found = self.table.query(deadline, key="pk = :pk", values={":pk": items.NAMESPACES_PK})
        return [str(values["sk"]) for values in found]

    def latest_request_id(self, namespace: str, deadline: Deadline) -> int:
        """The namespace's highest committed data request id, 0 before the first."""
        return counters.committed(self.table, namespace, counters.REQUESTS, deadline)

    def active_count(self, namespace: str, cell: str, deadline: Deadline) -> int:
        """How many active clients the cell holds."""
        counter = self.table.get(items.cell_key(namespace, cell), deadline)
        return int((counter or {}).get("activeCount", 0))

    # ------------------------------------------------------------------ picks

    def put_pick(self, pick: Pick, deadline: Deadline) -> bool:
        """Store a pick once; False when the same pick (client, sensor, time) is already stored."""
        try:
            self.table.put(items.pick_item(pick), deadline, condition=ABSENT)
        except ConditionFailed:
            return False
        return True

    # ------------------------------------------------------------------ inactivity sweep

    def stale_clients(self, namespace: str, cutoff: str, deadline: Deadline) -> Iterator[StaleClient]:
        """Active clients last seen before `cutoff`, oldest first, from the sparse activity index."""
        entries = self.table.query(
            deadline,
            key="activeNs = :ns AND lastSeen < :cutoff",
            values={":ns": namespace, ":cutoff": cutoff},
            index=items.ACTIVE_INDEX,
        )
        for values in entries:
            yield items.stale_client(values)

    def mark_inactive(self, stale: StaleClient, cutoff: str, deadline: Deadline) -> bool:
        """Take a client out of the activity index and its cell's count, if it is still active and stale
        in the same cell; False when it is not (a heartbeat or a move won the race)."""
        update = self.table.update_write(
            items.client_key(stale.namespace, stale.client_id),
            "REMOVE activeNs SET #version = #version + :one",
            "activeNs = :ns AND lastSeen < :cutoff AND "
            + ("cell = :cell" if stale.cell else "attribute_not_exists(cell)"),
            names={"#version": "version"},
            values={":one": 1, ":ns": stale.namespace, ":cutoff": cutoff, ":cell": stale.cell},
        )
        try:
            if stale.cell is None:
                self.table.apply(update, deadline)
            else:
                self.table.transact([update, self._cell_update(stale.namespace, stale.cell, -1)], deadline)
        except (ConditionFailed, TransactionCancelled):
            return False
        return True

    # ------------------------------------------------------------------ plumbing

    @staticmethod
    def _sensor_id_values(namespace: str, sensor_id: int, client_id: int) -> dict[str, Any]:
        values: dict[str, Any] = items.sensor_id_key(namespace, sensor_id)
        values["nsShard"] = items.namespace_shard(namespace, values["pk"])
        values["clientId"] = str(client_id)
        return values

    def _client_update(self, before: ClientRecord, after: ClientRecord) -> Write:
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
        return self.table.update_write(
            items.client_key(after.namespace, after.client_id),
            expression,
            "#version = :expected",
            names={**names, "#version": "version"},
            values={**values, ":expected": before.version, ":next": before.version + 1},
        )

    def _cell_update(self, namespace: str, cell: str, delta: int) -> Write:
        cell_key = items.cell_key(namespace, cell)
        return self.table.update_write(
            cell_key,
            "ADD activeCount :delta SET nsShard = :shard, cell = :cell",
            values={":delta": delta, ":shard": items.namespace_shard(namespace, cell_key["pk"]), ":cell": cell},
        )
