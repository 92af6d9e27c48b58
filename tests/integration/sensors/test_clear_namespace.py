"""`tgw sensors clear-namespace`: everything of one namespace goes, through its index, nothing else."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import boto3
import pytest

from cli import main as cli_main
from cli import sensor_admin
from cli.target import Target
from support.sensor_client import SensorClient, Transport
from telemetry_gateway import aws as aws_calls
from telemetry_gateway.clock import SystemClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientMetadata, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import ACCELEROMETER_3_AXIS, SUCCESS, UNKNOWN_CLIENT
from telemetry_gateway.sensors.store import SensorStore

DEADLINE = Deadline.after(SystemClock(), 60)


@pytest.fixture
def target(aws: Any, store: SensorStore, monkeypatch: pytest.MonkeyPatch) -> Target:
    """`tgw --local` pointed at the test session's moto."""
    local = Target(aws.outputs(), boto3.session.Session())
    monkeypatch.setattr(cli_main, "local_target", lambda: local)
    return local


def populate(transport: Transport, namespace: str) -> SensorClient:
    client = SensorClient(transport, namespace=namespace)
    client.create(
        ClientCreateMessage(
            client_data=ClientMetadata(latitude=1.0, longitude=2.0),
            attached_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS)],
        )
    )
    client.heartbeat()
    client.pick()
    return client


def tgw(*argv: str) -> int:
    return cli_main.main(["--local", "sensors", *argv])


def test_clearing_test_leaves_other_namespaces_alone(
    transport: Transport, store: SensorStore, target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    cleared, kept = populate(transport, "test"), populate(transport, "csn")
    kept_keys = sorted(map(str, sensor_admin.namespace_keys(store.table, "csn", DEADLINE)))

    code = tgw("clear-namespace", "test", "--json")

    output = json.loads(capsys.readouterr().out)
    assert (code, output["namespace"]) == (0, "test")
    assert output["deleted"] >= 4  # client, sensor id, cell, pick, namespace entry
    assert list(sensor_admin.namespace_keys(store.table, "test", DEADLINE)) == []
    assert sorted(map(str, sensor_admin.namespace_keys(store.table, "csn", DEADLINE))) == kept_keys
    status, answer = cleared.signed("heartbeat")
    assert (status, answer.status.type) == (400, UNKNOWN_CLIENT)
    assert kept.heartbeat().status.type == SUCCESS
    assert store.namespaces(DEADLINE) == ["csn"]


def test_other_namespaces_need_confirmation(
    transport: Transport, store: SensorStore, target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    populate(transport, "csn")

    refused = tgw("clear-namespace", "csn")
    error = capsys.readouterr().err
    confirmed = tgw("clear-namespace", "csn", "--confirm")

    assert (refused, error) == (1, "tgw: clearing namespace 'csn' needs --confirm\n")
    assert confirmed == 0
    assert list(sensor_admin.namespace_keys(store.table, "csn", DEADLINE)) == []


def test_clearing_never_scans(transport: Transport, store: SensorStore, deadline: Deadline) -> None:
    populate(transport, "test")
    calls: Counter[str] = Counter()
    stop = aws_calls.observe_calls(lambda _service, operation, _params: calls.update([operation]))
    try:
        sensor_admin.clear_namespace(store.table, "test", False, deadline)
    finally:
        stop()

    # 16 index shards, twice (the second pass finds nothing left), and one batch of deletions.
    assert calls == Counter({"Query": 32, "BatchWriteItem": 1})


def test_reset_window_and_show_client_commands(
    client: SensorClient, target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    client.heartbeat()
    client.message_id = 0

    reset = tgw("reset-window", "test", str(client.client_id), "--json")
    shown = tgw("show-client", "test", str(client.client_id), "--json")
    missing = tgw("reset-window", "test", "42")

    out, err = capsys.readouterr()
    first, second = (json.loads(line) for line in out.splitlines())
    assert (reset, first) == (0, {"namespace": "test", "clientId": str(client.client_id), "windowReset": True})
    assert (shown, second["client"]["clientId"], second["client"]["replayWindow"]) == (0, str(client.client_id), None)
    assert client.secret not in out
    assert (missing, err) == (1, "tgw: no client 42 in namespace 'test'\n")
    assert client.heartbeat().status.type == SUCCESS  # message id 1 again


def test_edit_client_disables_and_flags_metadata(
    client: SensorClient, target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    code = tgw("edit-client", "test", str(client.client_id), "--set", "note=hi", "--disable", "--json")

    shown = json.loads(capsys.readouterr().out)["client"]
    status, answer = client.signed("heartbeat")
    assert code == 0
    assert (shown["disabled"], shown["metadataChanged"], shown["clientData"]["otherMetadata"]) == (
        True,
        True,
        [{"key": "note", "stringValue": "hi"}],
    )
    assert (status, answer.status.type) == (400, UNKNOWN_CLIENT)
