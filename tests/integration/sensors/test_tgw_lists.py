"""`tgw sensors requests|readings|events|picks`: --limit and --all, and a list never cut silently."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from local.app import LocalApp
from support.clock import ManualClock
from support.sensor_client import SensorClient, Transport
from support.tgw import run_tgw
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors import data_requests
from telemetry_gateway.sensors.data_records import Area, EventRecord, ReadingRecord, Span, Target, UploadClaims
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientMetadata, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import ACCELEROMETER_3_AXIS
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage
from telemetry_gateway.sensors.store import SensorStore
from tests.integration.tgw_lists import check_limits

Tgw = Callable[..., dict[str, Any]]
START, END = "2025-07-30T12:00:00.000", "2025-07-30T12:01:00.000"


def run(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str]]:
    return lambda *argv: run_tgw(aws, monkeypatch, "sensors", *argv)


def test_requests(aws: LocalApp, monkeypatch: pytest.MonkeyPatch, tgw: Tgw) -> None:
    for _ in range(3):
        tgw("request-data", "test", "--all", "--current")

    entries = check_limits(run(aws, monkeypatch), ("requests", "test"), "requests", 3)

    assert [entry["request_id"] for entry in entries] == ["1", "2", "3"]


def test_readings(aws: LocalApp, monkeypatch: pytest.MonkeyPatch, store: SensorStore, deadline: Deadline) -> None:
    for n in range(3):
        claims = UploadClaims("test", 7, 8, Span(START, END), 0, n + 1, False, 0)
        received = f"2025-07-30T12:02:0{n}.000"
        store.readings.record(ReadingRecord("test", 100 - n, claims, 1, "0" * 64, f"k{n}", received), deadline)

    entries = check_limits(run(aws, monkeypatch), ("readings", "test"), "readings", 3)
    of_client = check_limits(run(aws, monkeypatch), ("readings", "test", "--client", "7"), "readings", 3)

    assert [entry["sensor_reading_id"] for entry in entries] == ["100", "99", "98"]  # oldest first
    assert of_client == entries


def test_events(
    aws: LocalApp, monkeypatch: pytest.MonkeyPatch, store: SensorStore, deadline: Deadline, manual_clock: ManualClock
) -> None:
    now = manual_clock.now()
    area = Target(area=Area((34.1,), (-118.1,), 10_000))
    for n, cell in enumerate(["9q5ct", "9q5cu", "9q5cv"]):
        time = format_date(now - timedelta(seconds=3 - n))
        event = EventRecord("test", 0, time, cell, ACCELEROMETER_3_AXIS, 3, 3, (0.1, 0.2, 0.3), format_date(now))
        request = data_requests.new_request("test", area, Span(time, time), now, 3600, origin="event")
        assert store.events.declare(event, request, time, deadline) is not None

    entries = check_limits(run(aws, monkeypatch), ("events", "test"), "events", 3)

    assert [entry["event_id"] for entry in entries] == ["1", "2", "3"]


def test_picks(aws: LocalApp, monkeypatch: pytest.MonkeyPatch, transport: Transport, manual_clock: ManualClock) -> None:
    now = manual_clock.now()
    client = SensorClient(transport)
    client.create(
        ClientCreateMessage(
            client_data=ClientMetadata(latitude=34.1, longitude=-118.1),
            attached_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS)],
        )
    )
    times = [format_date(now - timedelta(seconds=3 - n)) for n in range(3)]
    for when in times:
        status, _ = client.pick(
            event=EventMessage.SensorEvent(sensor_id=client.sensor_ids[0], readings=(0.01, 0.02, 0.98), date=when)
        )
        assert status == 200
    since = format_date(now - timedelta(seconds=10))

    entries = check_limits(run(aws, monkeypatch), ("picks", "test", "--since", since), "picks", 3)

    assert [entry["pick_time"] for entry in entries] == times
