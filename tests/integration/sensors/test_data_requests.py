"""Data requests (section 10): ids in order, targets, scope, expiry, and delivery with heartbeats (one
DataRequest per matching live sensor, at most 100, the cursor never past a request the cap left out)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from cli import main as cli_main
from cli import sensor_data
from cli.target import Target as CliTarget
from local.app import LocalApp
from support.clock import InstantClock, ManualClock
from support.sensor_client import SensorClient, Transport
from telemetry_gateway import clock as clock_module
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors.data_records import Target
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientMetadata, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import ACCELEROMETER_3_AXIS
from telemetry_gateway.sensors.store import SensorStore

Tgw = Callable[..., dict[str, Any]]
PASADENA = (34.1377, -118.1253)
ALTADENA = (34.1897, -118.1312)  # 5.8 km from Pasadena
SAN_DIEGO = (32.7157, -117.1611)  # 180 km


def located(transport: Transport, where: tuple[float, float] | None = PASADENA, sensors: int = 1) -> SensorClient:
    client = SensorClient(transport)
    data = ClientMetadata(latitude=where[0], longitude=where[1]) if where else ClientMetadata()
    client.create(
        ClientCreateMessage(
            client_data=data, attached_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS)] * sensors
        )
    )
    return client


def delivered(client: SensorClient, **fields: Any) -> tuple[list[tuple[int, int]], int]:
    """(request id, sensor id) of each DataRequest of a heartbeat, and its latest_request_id."""
    answer = client.heartbeat(**fields)
    return [(r.request_id, r.sensor_id) for r in answer.data_requests], answer.latest_request_id


def test_a_sensor_request_reaches_that_sensor_only_and_every_cursor_moves_past_it(
    transport: Transport, tgw: Tgw
) -> None:
    wanted, other = located(transport), located(transport)

    created = tgw("request-data", "test", "--sensor", str(wanted.sensor_ids[0]), "--current")

    assert created == {"request_id": "1"}
    assert delivered(wanted) == ([(1, wanted.sensor_ids[0])], 1)
    assert delivered(other) == ([], 1)
    assert delivered(wanted) == ([], 1)  # delivered once: the cursor moved on


def test_current_and_window_requests_carry_their_scope(transport: Transport, tgw: Tgw) -> None:
    client = located(transport)
    tgw("request-data", "test", "--client", str(client.client_id), "--current")
    tgw("request-data", "test", "--all", "--start", "2025-07-30T12:00:00", "--end", "2025-07-30T12:05:00.5Z")

    answer = client.heartbeat()

    current, window = answer.data_requests
    assert (current.provide_current_data, current.HasField("start_date")) == (True, False)
    assert (window.HasField("provide_current_data"), window.start_date, window.end_date) == (
        False,
        "2025-07-30T12:00:00.000",
        "2025-07-30T12:05:00.500",
    )


def test_a_client_request_asks_every_live_sensor_of_that_client(transport: Transport, tgw: Tgw) -> None:
    client = located(transport, sensors=3)
    client.signed("client/update", removed_sensors=[client.sensor_ids[2]])

    tgw("request-data", "test", "--client", str(client.client_id), "--current")

    assert delivered(client) == ([(1, client.sensor_ids[0]), (1, client.sensor_ids[1])], 1)


def test_an_area_request_reaches_clients_within_its_great_circle_distance(transport: Transport, tgw: Tgw) -> None:
    near, far, nowhere = located(transport, ALTADENA), located(transport, SAN_DIEGO), located(transport, None)

    tgw("request-data", "test", "--area", f"{PASADENA[0]},{PASADENA[1]},10000", "--current")

    [request], _ = near.heartbeat().data_requests, None
    assert (list(request.latitude), list(request.longitude), request.threshold_distance) == (
        [PASADENA[0]],
        [PASADENA[1]],
        10000,
    )
    assert delivered(far) == ([], 1)
    assert delivered(nowhere) == ([], 1)


def test_closed_and_expired_requests_are_not_delivered(
    transport: Transport, tgw: Tgw, manual_clock: ManualClock
) -> None:
    early, late = located(transport), located(transport)
    tgw("request-data", "test", "--all", "--current")
    tgw("request-data", "test", "--all", "--current", "--expires-in", "60")
    closed = tgw("close-request", "test", "1")

    manual_clock.advance(61)

    assert closed == {"request_id": "1", "state": "closed"}
    assert delivered(early) == ([], 2)
    assert [r["state"] for r in tgw("requests", "test")["requests"]] == ["closed", "expired"]
    assert delivered(late, latest_request_id=0) == ([], 2)


def test_the_cursor_comes_from_the_message_else_the_last_returned_value(transport: Transport, tgw: Tgw) -> None:
    client = located(transport)
    for _ in range(3):
        tgw("request-data", "test", "--all", "--current")

    assert delivered(client, latest_request_id=2) == ([(3, client.sensor_ids[0])], 3)
    assert delivered(client, latest_request_id=0) == ([(n, client.sensor_ids[0]) for n in (1, 2, 3)], 3)
    assert delivered(client) == ([], 3)


def test_at_most_100_data_requests_and_the_cursor_stops_before_the_first_left_out(
    transport: Transport, tgw: Tgw
) -> None:
    client = located(transport, sensors=2)
    for _ in range(51):
        tgw("request-data", "test", "--client", str(client.client_id), "--current")

    first, latest = delivered(client)
    second, after = delivered(client)

    assert (len(first), latest) == (100, 50)  # request 51 would make 102
    assert (second, after) == ([(51, client.sensor_ids[0]), (51, client.sensor_ids[1])], 51)


def test_a_new_client_starts_after_the_committed_requests(transport: Transport, tgw: Tgw) -> None:
    tgw("request-data", "test", "--all", "--current")
    client = SensorClient(transport)

    created = client.create()

    assert created.latest_request_id == 1
    assert delivered(client) == ([], 1)


def test_concurrent_requests_get_consecutive_ids_visible_in_order(
    store: SensorStore, deadline: Deadline, tgw: Tgw
) -> None:
    previous = clock_module.install(InstantClock())

    def create(_: int) -> int:
        now = clock_module.current().now()
        return sensor_data.request_data(store.table, "test", Target(), None, 3600, now, deadline).request_id

    try:
        with ThreadPoolExecutor(6) as pool:
            ids = list(pool.map(create, range(12)))
    finally:
        clock_module.install(previous)

    assert sorted(ids) == list(range(1, 13))
    assert [r["request_id"] for r in tgw("requests", "test")["requests"]] == [str(n) for n in range(1, 13)]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--all", "--start", "yesterday", "--end", "2025-07-30T12:00:00"], "--start: 'yesterday' is not a date; use"),
        (["--all", "--start", "2025-07-30T12:00:00"], "--start and --end go together"),
        (["--all", "--start", "2025-07-30T12:00:01", "--end", "2025-07-30T12:00:00"], "--start must not be after"),
        (["--area", "34,-118", "--current"], "--area: '34,-118' is not LAT,LON,METRES"),
        (["--area", "95,-118,10", "--current"], "--area: '95,-118,10' is out of range"),
    ],
)
def test_request_data_refuses_bad_dates_and_areas_with_a_clear_message(
    aws: LocalApp, monkeypatch: pytest.MonkeyPatch, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = CliTarget(aws.outputs(), boto3.session.Session())
    monkeypatch.setattr(cli_main, "local_target", lambda: target)

    status = cli_main.main(["--local", "sensors", "request-data", "test", *argv])

    assert status == 2  # the command line is wrong
    assert message in capsys.readouterr().err
