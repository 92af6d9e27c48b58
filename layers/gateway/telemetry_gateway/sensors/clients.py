"""Reading a client for a request, and writing a change to it without a read-modify-write race."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telemetry_gateway.sensors.errors import unknown_client
from telemetry_gateway.sensors.records import ClientRecord, cell_deltas
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.storage.retry import retry_on_conflict

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.sensors.calls import SignedCall
    from telemetry_gateway.sensors.store import SensorStore


def load(store: SensorStore, namespace: str, client_id: int, deadline: Deadline) -> ClientRecord:
    """The client, or UNKNOWN_CLIENT when it does not exist here or is disabled."""
    try:
        client = store.get_client(namespace, client_id, deadline)
    except NotFound:
        raise unknown_client() from None
    if client.disabled:
        raise unknown_client()
    return client


def mutate[T](call: SignedCall[Any], change: Callable[[ClientRecord], tuple[ClientRecord, T]]) -> T:
    """Apply `change` (it validates and returns the new state and the answer, and may read, e.g. the data
    requests above a cursor) to the client and write the new state over the version it was computed from.
    When another write got there first, read the client again and re-apply, so validation always sees what
    is written over."""
    snapshots = [call.client]

    def attempt() -> T:
        client = (
            snapshots.pop() if snapshots else load(call.store, call.namespace, call.client.client_id, call.deadline)
        )
        after, answer = change(client)
        if after != client:
            call.store.save_client(client, after, cell_deltas(client, after), call.deadline)
        return answer

    return retry_on_conflict(attempt, call.deadline)
