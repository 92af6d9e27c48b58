"""Per-namespace counters whose ids become visible in order (data requests, events).

The counter item holds `committed`, the highest id whose record exists. A new record is put in one
conditional transaction with the counter's step from `committed` to `committed + 1`, so a reader that sees
`committed = n` finds every record up to n, and ids are never skipped (like Notify's sequence numbers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telemetry_gateway.sensors.items import namespace_shard

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.storage.table import Table, Write

REQUESTS = "request"
EVENTS = "event"


def counter_key(namespace: str, kind: str) -> dict[str, str]:
    """`kind` is REQUESTS or EVENTS."""
    return {"pk": f"{namespace}#counter#{kind}", "sk": "counter"}


def committed(table: Table, namespace: str, kind: str, deadline: Deadline) -> int:
    """The highest id of `kind` in the namespace, 0 before the first."""
    counter = table.get(counter_key(namespace, kind), deadline)
    return int((counter or {}).get("committed", 0))


def step(table: Table, namespace: str, kind: str, previous: int) -> Write:
    """The counter's move from `previous` to `previous + 1`; it fails when another writer moved it first."""
    key = counter_key(namespace, kind)
    condition = "#committed = :previous" if previous else "attribute_not_exists(#committed)"
    return table.update_write(
        key,
        "SET #committed = :next, nsShard = :shard",
        condition,
        names={"#committed": "committed"},
        values={":next": previous + 1, ":previous": previous or None, ":shard": namespace_shard(namespace, key["pk"])},
    )
