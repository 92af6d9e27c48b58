"""Sensor functions invoked in-process on moto, through events the local gateway builds."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local.app import LocalApp
from support.clock import ManualClock
from support.events import api_event
from support.sensor_client import SensorClient, Transport
from support.tgw import tgw_json
from telemetry_gateway import clock as clock_module
from telemetry_gateway.clock import SystemClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors.config import SensorConfig
from telemetry_gateway.sensors.store import SensorStore


def lambda_transport(invoke: Any) -> Transport:
    def send(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        function, event = api_event("POST", path, body, headers)
        response = invoke(function, event)
        assert response["isBase64Encoded"] is True
        assert response["headers"] == {"Cache-Control": "no-cache", "Content-Type": "application/x-protobuf"}
        return response["statusCode"], base64.b64decode(response["body"])

    return send


@pytest.fixture
def transport(invoke: Any) -> Transport:
    return lambda_transport(invoke)


@pytest.fixture
def client(transport: Transport) -> SensorClient:
    """A created client of namespace `test` with one 3-axis accelerometer."""
    created = SensorClient(transport)
    created.create()
    return created


@pytest.fixture
def store(aws: LocalApp) -> SensorStore:
    return SensorConfig.from_env().store


@pytest.fixture
def deadline() -> Deadline:
    return Deadline.after(SystemClock(), 60)


@pytest.fixture
def manual_clock() -> Iterator[ManualClock]:
    """The process clock, for handlers and domain alike, moved by hand."""
    manual = ManualClock()
    previous = clock_module.install(manual)
    yield manual
    clock_module.install(previous)


@pytest.fixture
def tgw(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> Callable[..., dict[str, Any]]:
    """`tgw --local sensors <argv> --json` on the session's moto, its one JSON object parsed."""

    def run(*argv: str) -> dict[str, Any]:
        return tgw_json(aws, monkeypatch, "sensors", *argv)

    return run
