"""Reading a namespace's fleet (for `tgw console`): its namespaces, its clients, its recent events.

No index lists a namespace's clients alone, so `clients` reads the keys-only ByNamespace index (the one that
clears a namespace), keeps the client keys and reads each client by key: never a Scan, but its cost grows with
everything the namespace holds (picks included), which is why it stops at `limit` clients.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors import items
from telemetry_gateway.sensors.data_records import EventRecord
from telemetry_gateway.sensors.records import ClientRecord
from telemetry_gateway.sensors.store import SensorStore
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.storage.table import Table

READERS = 8  # clients read by key in parallel: a fleet of hundreds costs one round trip per eight
EVENT_PAGE = 50


def namespaces(table: Table, deadline: Deadline) -> list[str]:
    """Every namespace that ever had a client (the inactivity sweep's list)."""
    return SensorStore(table).namespaces(deadline)


def client_ids(table: Table, namespace: str, deadline: Deadline) -> Iterator[int]:
    """The ids of the namespace's clients, shard by shard of the ByNamespace index (eventually consistent)."""
    prefix = f"{namespace}#client#"  # items.client_pk without the id
    for shard in range(items.NAMESPACE_SHARDS):
        entries = table.query(
            deadline,
            key="nsShard = :s",
            filter="begins_with(pk, :prefix) AND sk = :client",
            values={":s": f"{namespace}#{shard}", ":prefix": prefix, ":client": "client"},
            index=items.NAMESPACE_INDEX,
        )
        for entry in entries:
            yield int(str(entry["pk"]).removeprefix(prefix))


def clients(table: Table, namespace: str, limit: int, deadline: Deadline) -> tuple[list[ClientRecord], bool]:
    """Up to `limit` clients of the namespace, by id, and whether more exist. A client cleared between the
    index read and its own read is left out."""
    ids = list(islice(client_ids(table, namespace, deadline), limit + 1))
    store = SensorStore(table)

    def read(client_id: int) -> ClientRecord | None:
        try:
            return store.get_client(namespace, client_id, deadline)
        except NotFound:
            return None

    with ThreadPoolExecutor(READERS) as pool:
        found = [client for client in pool.map(read, sorted(ids[:limit])) if client is not None]
    return found, len(ids) > limit


def events_since(table: Table, namespace: str, since: str, deadline: Deadline) -> list[EventRecord]:
    """Events declared at or after `since` (a server date), newest first: reads back from the newest id and
    stops at the first older declaration, so the cost follows the span, not the namespace's history."""
    found: list[EventRecord] = []
    for event in SensorStore(table).events.events(namespace, deadline, newest_first=True, page_size=EVENT_PAGE):
        if event.declared_at < since:
            break
        found.append(event)
    return found


def active_counts(table: Table, namespace: str, cells: list[str], deadline: Deadline) -> dict[str, int]:
    """The stored active count of each cell: what detection takes as A."""
    store = SensorStore(table)
    with ThreadPoolExecutor(READERS) as pool:
        counts = pool.map(lambda cell: store.active_count(namespace, cell, deadline), cells)
        return dict(zip(cells, counts, strict=True))
