"""Data requests in the sensor table: created in id order, read above a client's cursor, closed, fulfilled.

Requests live under `{ns}#requests` by ascending id; an open current-data request also has a marker under
`{ns}#current-requests` (purged by TTL after it expires, deleted when it is closed), so an offer of current
data finds the requests that want it without reading the namespace's history.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from telemetry_gateway.sensors import counters, data_items
from telemetry_gateway.sensors.dates import parse_date
from telemetry_gateway.storage.errors import ConditionFailed, NotFound, TransactionCancelled
from telemetry_gateway.storage.retry import retry_on_conflict
from telemetry_gateway.storage.table import ABSENT, PRESENT, Table, Write

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.sensors.data_records import RequestRecord


class RequestStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def writes(self, request: RequestRecord) -> list[Write]:
        """The request's creation as transaction steps: the counter's step to its id, the record, and its
        current-data marker. Fails (TransactionCancelled) when another request took the id first."""
        namespace, request_id = request.namespace, request.request_id
        values = data_items.request_values(request)
        found = [
            counters.step(self.table, namespace, counters.REQUESTS, request_id - 1),
            self.table.put_write(
                data_items.with_shard(namespace, data_items.request_key(namespace, request_id), values), ABSENT
            ),
        ]
        if request.current:
            expires = parse_date(request.expires_at)
            purge_at = int(expires.timestamp()) if expires else None
            marker = data_items.current_marker_key(namespace, request_id)
            found.append(self.table.put_write(data_items.with_shard(namespace, marker, values | {"purgeAt": purge_at})))
        return found

    def create(self, namespace: str, build: Callable[[int], RequestRecord], deadline: Deadline) -> RequestRecord:
        """`build(id)` stored under the namespace's next request id."""

        def attempt() -> RequestRecord:
            request = build(counters.committed(self.table, namespace, counters.REQUESTS, deadline) + 1)
            self.table.transact(self.writes(request), deadline)
            return request

        return retry_on_conflict(attempt, deadline)

    def above(self, namespace: str, cursor: int, limit: int, deadline: Deadline) -> list[RequestRecord]:
        """Up to `limit` requests with ids above `cursor`, ascending; strongly consistent, so an id that is
        committed is there."""
        found = self.table.query(
            deadline,
            key="pk = :pk AND sk > :cursor",
            values={":pk": f"{namespace}#requests", ":cursor": data_items.sort_id(cursor)},
            consistent=True,
            page_size=limit,
        )
        return [data_items.request_record(values, namespace) for _, values in zip(range(limit), found, strict=False)]

    def all(self, namespace: str, deadline: Deadline) -> Iterator[RequestRecord]:
        found = self.table.query(deadline, key="pk = :pk", values={":pk": f"{namespace}#requests"})
        return (data_items.request_record(values, namespace) for values in found)

    def get(self, namespace: str, request_id: int, deadline: Deadline) -> RequestRecord | None:
        values = self.table.get(data_items.request_key(namespace, request_id), deadline)
        return None if values is None else data_items.request_record(values, namespace)

    def open_current(self, namespace: str, now: str, deadline: Deadline) -> list[RequestRecord]:
        """Open current-data requests (a marker outlives its request's expiry until TTL purges it)."""
        found = self.table.query(
            deadline, key="pk = :pk", values={":pk": f"{namespace}#current-requests"}, consistent=True
        )
        requests = (data_items.request_record(values, namespace) for values in found)
        return [request for request in requests if request.is_open(now)]

    def close(self, namespace: str, request_id: int, deadline: Deadline) -> None:
        """Closed for good (idempotent); NotFound when there is no such request."""
        close = self.table.update_write(
            data_items.request_key(namespace, request_id), "SET closed = :yes", PRESENT, values={":yes": True}
        )
        marker = self.table.delete_write(data_items.current_marker_key(namespace, request_id))
        try:
            self.table.transact([close, marker], deadline)
        except TransactionCancelled as cancelled:
            raise NotFound(request_id) from cancelled

    def mark_fulfilled(self, namespace: str, request_id: int, sensor_id: int, deadline: Deadline) -> None:
        """Note that `sensor_id` uploaded for the request (the request stays open for other sensors)."""
        with contextlib.suppress(ConditionFailed):  # cleared meanwhile: nothing to mark
            self.table.update(
                data_items.request_key(namespace, request_id),
                deadline,
                update="ADD fulfilled :sensor",
                condition=PRESENT,
                values={":sensor": {str(sensor_id)}},
            )
