"""Event detection's storage: counted picks per (cell, minute), the cell's last event, and events by id.

Detection reads its window from the base table with a strongly consistent Query of one or two small
partitions, so of picks arriving together the last one stored sees all the others. A declaration is one
conditional transaction: the event counter's step, the event, the cell's last event time (only if it is
before the window) and the event's data request with the request counter's step.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from telemetry_gateway.sensors import counters, data_items
from telemetry_gateway.sensors.items import namespace_shard
from telemetry_gateway.storage.errors import TransactionCancelled
from telemetry_gateway.storage.retry import retry_on_conflict
from telemetry_gateway.storage.table import ABSENT, Table

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.sensors.data_records import CountedPick, EventRecord, RequestRecord
    from telemetry_gateway.sensors.request_store import RequestStore

MINUTE = slice(0, 16)  # "YYYY-MM-DDTHH:MM" of a server date: the detection partition of a pick
CELL_CONDITION = 2  # index of the cell's condition in a declaration


class EventStore:
    def __init__(self, table: Table, requests: RequestStore) -> None:
        self.table = table
        self.requests = requests

    def note_pick(self, namespace: str, cell: str, pick: CountedPick, purge_at: int, deadline: Deadline) -> None:
        """Enter a counted pick in its cell's window (idempotent: a retried pick lands on the same key)."""
        key = {
            "pk": data_items.detection_pk(namespace, cell, pick.pick_time[MINUTE]),
            "sk": f"{pick.pick_time}#{pick.client_id}#{pick.sensor_id}",
        }
        self.table.put(data_items.with_shard(namespace, key, data_items.detection_values(pick, purge_at)), deadline)

    def picks_between(self, namespace: str, cell: str, start: str, end: str, deadline: Deadline) -> list[CountedPick]:
        """Counted picks of the cell with start <= pick time <= end (a window of at most a minute)."""
        found: list[CountedPick] = []
        for minute in dict.fromkeys((start[MINUTE], end[MINUTE])):
            entries = self.table.query(
                deadline,
                key="pk = :pk AND sk BETWEEN :start AND :end",
                values={":pk": data_items.detection_pk(namespace, cell, minute), ":start": start, ":end": f"{end}#~"},
                consistent=True,
                projection="clientId, sensorId, pickTime, readings",  # what detection reads, nothing more
            )
            found += (data_items.counted_pick(values) for values in entries)
        return found

    def declared_since(self, namespace: str, cell: str, start: str, deadline: Deadline) -> bool:
        """Whether the cell's last event is at or after `start` (then this window has had its event)."""
        last = self.table.get(data_items.cell_event_key(namespace, cell), deadline)
        return last is not None and str(last["eventTime"]) >= start

    def declare(
        self, event: EventRecord, request: RequestRecord, window_start: str, deadline: Deadline
    ) -> EventRecord | None:
        """Store the event and its data request under the next ids, unless the cell already had an event
        at or after `window_start` (then None: at most one event per cell and window)."""
        namespace = event.namespace
        cell_key = data_items.cell_event_key(namespace, event.cell)

        def attempt() -> EventRecord | None:
            event_id = counters.committed(self.table, namespace, counters.EVENTS, deadline) + 1
            request_id = counters.committed(self.table, namespace, counters.REQUESTS, deadline) + 1
            declared = replace(event, event_id=event_id, request_id=request_id)
            writes = [
                counters.step(self.table, namespace, counters.EVENTS, event_id - 1),
                self.table.put_write(
                    data_items.with_shard(
                        namespace, data_items.event_key(namespace, event_id), data_items.event_values(declared)
                    ),
                    ABSENT,
                ),
                self.table.update_write(
                    cell_key,
                    "SET eventTime = :time, nsShard = :shard",
                    "attribute_not_exists(eventTime) OR eventTime < :start",
                    values={
                        ":time": event.time,
                        ":start": window_start,
                        ":shard": namespace_shard(namespace, cell_key["pk"]),
                    },
                ),
                *self.requests.writes(replace(request, request_id=request_id, origin=f"event {event_id}")),
            ]
            try:
                self.table.transact(writes, deadline)
            except TransactionCancelled as cancelled:
                if cancelled.failed(CELL_CONDITION):
                    return None
                raise  # an id taken by another writer: read the counters again
            return declared

        return retry_on_conflict(attempt, deadline)

    def latest_id(self, namespace: str, deadline: Deadline) -> int:
        return counters.committed(self.table, namespace, counters.EVENTS, deadline)

    def events(
        self,
        namespace: str,
        deadline: Deadline,
        *,
        after: int = 0,
        newest_first: bool = False,
        page_size: int | None = None,
    ) -> Iterator[EventRecord]:
        """Events with ids above `after`, ascending (or newest first), read a page at a time as consumed."""
        found = self.table.query(
            deadline,
            key="pk = :pk AND sk > :after",
            values={":pk": f"{namespace}#events", ":after": data_items.sort_id(after)},
            forward=not newest_first,
            page_size=page_size,
        )
        return (data_items.event_record(values, namespace) for values in found)
