"""The inactivity sweep on an injected clock: stale clients stop counting, fresh ones stay, a heartbeat wins."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from support.clock import ManualClock
from support.sensor_client import SensorClient, Transport
from telemetry_gateway import aws
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors import sweep
from telemetry_gateway.sensors.geohash import encode
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientMetadata
from telemetry_gateway.sensors.store import SensorStore

MINUTE = 60.0
THIRTY_MINUTES = 1800
PLACE = (34.1377, -118.1253)


def located_client(transport: Transport, namespace: str = "test") -> SensorClient:
    client = SensorClient(transport, namespace=namespace)
    client.create(ClientCreateMessage(client_data=ClientMetadata(latitude=PLACE[0], longitude=PLACE[1])))
    return client


def run(store: SensorStore, clock: ManualClock) -> sweep.SweepResult:
    return sweep.sweep(store, clock, THIRTY_MINUTES, Deadline.after(clock, 60))


def active(store: SensorStore, client: SensorClient, deadline: Deadline) -> bool:
    return store.get_client(client.namespace, client.client_id, deadline).active


def test_a_client_goes_inactive_thirty_minutes_after_its_last_heartbeat(
    transport: Transport, store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    stale, fresh = located_client(transport), located_client(transport)
    stale.heartbeat()
    manual_clock.advance(20 * MINUTE)
    fresh.heartbeat()

    manual_clock.advance(10 * MINUTE)  # stale: exactly 30 minutes, not more
    early = run(store, manual_clock)
    manual_clock.advance(1)
    swept = run(store, manual_clock)

    assert (early.stale, early.marked_inactive) == (0, 0)
    assert swept == sweep.SweepResult(namespaces=1, stale=1, marked_inactive=1, finished=True)
    assert (active(store, stale, deadline), active(store, fresh, deadline)) == (False, True)
    assert store.active_count("test", encode(*PLACE), deadline) == 1


def test_the_sweep_is_idempotent_and_a_later_heartbeat_reactivates(
    transport: Transport, store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    client = located_client(transport)
    client.heartbeat()
    manual_clock.advance(31 * MINUTE)

    first, second = run(store, manual_clock), run(store, manual_clock)
    client.heartbeat()

    assert (first.marked_inactive, second.stale, second.marked_inactive) == (1, 0, 0)
    assert active(store, client, deadline) is True
    assert store.active_count("test", encode(*PLACE), deadline) == 1


def test_a_heartbeat_between_the_index_read_and_the_write_wins(
    transport: Transport, store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    client = located_client(transport)
    client.heartbeat()
    manual_clock.advance(31 * MINUTE)
    cutoff = "2025-07-30T13:02:00.000"
    [entry] = store.stale_clients("test", cutoff, deadline)

    client.heartbeat()

    assert store.mark_inactive(entry, cutoff, deadline) is False
    assert active(store, client, deadline) is True
    assert store.active_count("test", encode(*PLACE), deadline) == 1


def test_clients_without_a_location_and_other_namespaces_are_swept_too(
    transport: Transport, store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    nowhere = SensorClient(transport)
    nowhere.create()
    elsewhere = located_client(transport, namespace="csn")
    nowhere.heartbeat()
    elsewhere.heartbeat()
    manual_clock.advance(31 * MINUTE)

    result = run(store, manual_clock)

    assert (result.namespaces, result.marked_inactive) == (2, 2)
    assert (active(store, nowhere, deadline), active(store, elsewhere, deadline)) == (False, False)
    assert store.active_count("csn", encode(*PLACE), deadline) == 0


def test_the_sweep_reads_the_activity_index_never_the_table(
    transport: Transport, store: SensorStore, manual_clock: ManualClock
) -> None:
    clients = [located_client(transport) for _ in range(5)]
    for client in clients:
        client.heartbeat()
    manual_clock.advance(20 * MINUTE)
    clients[0].heartbeat()
    manual_clock.advance(11 * MINUTE)
    calls: Counter[str] = Counter()
    stop = aws.observe_calls(lambda _service, operation, _params: calls.update([operation]))

    try:
        result = run(store, manual_clock)
    finally:
        stop()

    assert result.marked_inactive == 4
    # One query for the namespace list, one for the index; a transaction per client that changes state.
    assert calls == Counter({"Query": 2, "TransactWriteItems": 4})


def test_the_scheduled_function_uses_the_process_clock(
    transport: Transport, invoke: Any, store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    client = located_client(transport)
    client.heartbeat()
    manual_clock.advance(31 * MINUTE)

    result = invoke("SensorInactivitySweep", {})

    assert result == {"namespaces": 1, "stale": 1, "marked_inactive": 1, "finished": True}
    assert active(store, client, deadline) is False


def test_tgw_sensors_sweep_runs_it_now(
    transport: Transport,
    store: SensorStore,
    deadline: Deadline,
    manual_clock: ManualClock,
    tgw: Callable[..., dict[str, Any]],
) -> None:
    client = located_client(transport)
    client.heartbeat()
    manual_clock.advance(THIRTY_MINUTES + MINUTE)

    result = tgw("sweep")

    assert (result["marked_inactive"], result["finished"]) == (1, True)
    assert active(store, client, deadline) is False
    assert tgw("sweep")["marked_inactive"] == 0
