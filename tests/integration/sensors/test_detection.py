"""Event detection (section 9) through the event function: n distinct counted clients in a cell's window,
n / A, one event per cell and window, and the area data request an event creates."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from support.aws_calls import counted_aws_calls
from support.clock import InstantClock, ManualClock
from support.sensor_client import SensorClient, Transport
from telemetry_gateway import aws as aws_calls
from telemetry_gateway import clock as clock_module
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors import geohash
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientMetadata, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import ACCELEROMETER_3_AXIS, SUCCESS
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage
from telemetry_gateway.sensors.store import SensorStore

PASADENA = (34.1377, -118.1253)
CELL = geohash.encode(*PASADENA)
FAR_AWAY = (40.0, -100.0)
Event = EventMessage.SensorEvent


def located_client(
    transport: Transport, where: tuple[float, float] = PASADENA, namespace: str = "test"
) -> SensorClient:
    client = SensorClient(transport, namespace=namespace)
    client.create(
        ClientCreateMessage(
            client_data=ClientMetadata(latitude=where[0], longitude=where[1]),
            attached_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS)],
        )
    )
    return client


@pytest.fixture
def cell(transport: Transport) -> Callable[..., list[SensorClient]]:
    """`cell(n)`: n clients in one geohash-5 cell, active (one heartbeat each) unless asked otherwise."""

    def make(count: int, *, active: bool = True, namespace: str = "test") -> list[SensorClient]:
        clients = [located_client(transport, namespace=namespace) for _ in range(count)]
        for client in clients if active else []:
            client.heartbeat()
        return clients

    return make


def pick_at(client: SensorClient, when: str, readings: tuple[float, ...] = (0.01, 0.02, 0.98)) -> tuple[int, Any]:
    return client.pick(event=Event(sensor_id=client.sensor_ids[0], readings=readings, date=when))


def events(store: SensorStore, deadline: Deadline, namespace: str = "test") -> list[Any]:
    return list(store.events.events(namespace, deadline))


def test_three_clients_picking_in_one_cell_declare_an_event_with_an_area_request(
    cell: Callable[..., list[SensorClient]], store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    now = manual_clock.now()
    clients = cell(3)
    times = [format_date(now - timedelta(seconds=s)) for s in (4, 2, 0)]

    answers = [pick_at(c, t, (0.1 * i, -0.5 * i, 0.2)) for i, (c, t) in enumerate(zip(clients, times, strict=True))]

    assert [(status, a.status.type) for status, a in answers] == [(200, SUCCESS)] * 3
    [event] = events(store, deadline)
    assert (event.event_id, event.cell, event.time, event.clients, event.active) == (1, CELL, times[0], 3, 3)
    assert event.sensor_type == ACCELEROMETER_3_AXIS
    assert event.readings == pytest.approx((0.2, 1.0, 0.2))  # per component, the largest absolute value
    [request] = list(store.requests.all("test", deadline))
    centre = geohash.bounds(CELL).centre
    assert request.request_id == event.request_id == 1
    assert request.origin == "event 1"
    assert request.target.area is not None
    assert (request.target.area.latitudes, request.target.area.longitudes) == ((centre[0],), (centre[1],))
    assert request.target.area.distance == 50_000
    assert request.span is not None
    assert (request.span.start, request.span.end) == (
        format_date(now - timedelta(seconds=60)),
        format_date(now + timedelta(seconds=240)),
    )
    assert request.expires_at == format_date(now + timedelta(days=1))


def test_two_clients_are_not_enough(
    cell: Callable[..., list[SensorClient]], store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    now = format_date(manual_clock.now())
    for client in cell(2):
        pick_at(client, now)
        pick_at(client, now)  # the same client again does not make n bigger

    assert events(store, deadline) == []


def test_fewer_than_half_of_the_cells_active_clients_declare_nothing(
    cell: Callable[..., list[SensorClient]], store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    now = format_date(manual_clock.now())
    clients = cell(7)

    for client in clients[:3]:
        pick_at(client, now)
    assert events(store, deadline) == []  # 3 / 7 < 0.5

    pick_at(clients[3], now)
    [event] = events(store, deadline)  # 4 / 7
    assert (event.clients, event.active) == (4, 7)


def test_picks_of_inactive_clients_never_count(
    cell: Callable[..., list[SensorClient]], store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    now = format_date(manual_clock.now())
    for client in cell(2) + cell(2, active=False):
        pick_at(client, now)

    assert events(store, deadline) == []


def test_picks_outside_the_window_or_other_cells_do_not_add_up(
    cell: Callable[..., list[SensorClient]],
    transport: Transport,
    store: SensorStore,
    deadline: Deadline,
    manual_clock: ManualClock,
) -> None:
    now = manual_clock.now()
    first, second, third = cell(3)
    elsewhere = located_client(transport, FAR_AWAY)
    elsewhere.heartbeat()

    pick_at(first, format_date(now - timedelta(seconds=11)))  # more than 10 s before the others
    pick_at(elsewhere, format_date(now))
    pick_at(second, format_date(now))
    pick_at(third, format_date(now))

    assert events(store, deadline) == []


def test_picks_older_than_five_minutes_on_arrival_are_stored_but_not_evaluated(
    cell: Callable[..., list[SensorClient]], store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    old = format_date(manual_clock.now() - timedelta(seconds=301))

    answers = [pick_at(client, old)[0] for client in cell(3)]

    assert answers == [200, 200, 200]
    assert events(store, deadline) == []


def test_one_event_per_cell_and_window_and_ids_count_up_per_namespace(
    cell: Callable[..., list[SensorClient]], store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    now = manual_clock.now()
    clients = cell(4)
    for client in clients:
        pick_at(client, format_date(now))
    later = format_date(now + timedelta(seconds=11))  # the next window
    for client in clients[:3]:
        pick_at(client, later)
    for client in cell(3, namespace="csn"):
        pick_at(client, format_date(now))

    assert [(e.event_id, e.time) for e in events(store, deadline)] == [(1, format_date(now)), (2, later)]
    assert [(e.event_id, e.request_id) for e in events(store, deadline, "csn")] == [(1, 1)]


def test_eight_threads_picking_in_one_cell_at_once_declare_exactly_one_event(
    cell: Callable[..., list[SensorClient]], store: SensorStore, deadline: Deadline
) -> None:
    clients = cell(8)
    previous = clock_module.install(InstantClock())  # backoffs must not run a shared manual clock out
    try:
        now = format_date(clock_module.current().now())
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda c: pick_at(c, now), clients))
    finally:
        clock_module.install(previous)

    assert [(status, a.status.type) for status, a in answers] == [(200, SUCCESS)] * 8
    [event] = events(store, deadline)
    assert event.event_id == 1
    assert event.clients >= 3
    assert len(list(store.requests.all("test", deadline))) == 1


def test_a_failing_detection_never_fails_the_pick(
    cell: Callable[..., list[SensorClient]], store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    now = format_date(manual_clock.now())
    clients = cell(3)

    def throttle_detection(_service: str, operation: str, params: Any) -> str | None:
        return "ProvisionedThroughputExceededException" if "#cellpicks#" in str(params) else None

    stop = aws_calls.observe_calls(throttle_detection)
    try:
        answers = [pick_at(client, now) for client in clients]
    finally:
        stop()

    assert [(status, a.status.type) for status, a in answers] == [(200, SUCCESS)] * 3
    assert events(store, deadline) == []
    stored = store.table.get(
        {"pk": f"test#picks#{clients[2].client_id}", "sk": f"{now}#{clients[2].sensor_ids[0]}"}, deadline
    )
    assert stored is not None


def test_once_a_window_has_its_event_later_picks_read_no_window(
    cell: Callable[..., list[SensorClient]], store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    now = format_date(manual_clock.now())
    clients = cell(4)
    for client in clients[:3]:
        pick_at(client, now)

    with counted_aws_calls() as calls:
        status, _ = pick_at(clients[3], now)

    assert status == 200
    assert "dynamodb.Query" not in calls
    assert len(events(store, deadline)) == 1


def test_tgw_lists_events_and_picks_by_time(
    cell: Callable[..., list[SensorClient]], manual_clock: ManualClock, tgw: Callable[..., dict[str, Any]]
) -> None:
    now = manual_clock.now()
    clients = cell(3)
    for index, client in enumerate(clients):
        pick_at(client, format_date(now - timedelta(seconds=2 - index)))
    pick_at(clients[0], format_date(now - timedelta(days=1)))  # yesterday: another day of the index

    [event] = tgw("events", "test")["events"]
    today = tgw("picks", "test", "--since", format_date(now - timedelta(seconds=5)))["picks"]
    both_days = tgw("picks", "test", "--since", format_date(now - timedelta(days=2)), "--until", format_date(now))[
        "picks"
    ]

    assert (event["event_id"], event["cell"], event["clients"], event["request_id"]) == ("1", CELL, 3, "1")
    assert [pick["client_id"] for pick in today] == [str(c.client_id) for c in clients]  # oldest first
    assert (len(both_days), both_days[0]["client_id"], both_days[0]["counted"]) == (4, str(clients[0].client_id), True)
