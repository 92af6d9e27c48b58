"""`make run` as a newcomer starts it: a separate process, its ready line, /healthz, and `tgw --local`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from local.template import ROOT
from telemetry_gateway.sensors.pb.common_pb2 import UNKNOWN_CLIENT
from tests.conftest import free_port
from tests.support.reports import BUNDLE_CLIENT_ID, report
from tests.support.sensor_client import SensorClient


@pytest.fixture(scope="module")
def running_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    port = free_port()
    data_dir = tmp_path_factory.mktemp("local-data")
    env = {**os.environ, "PORT": str(port), "LOCAL_LOG_LEVEL": "WARNING", "TGW_LOCAL_DATA": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "local"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    ready = process.stdout.readline()
    try:
        assert f"http://127.0.0.1:{port}" in ready, ready
        yield f"http://127.0.0.1:{port}", data_dir
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_make_run_serves_healthz(running_server: tuple[str, Path]) -> None:
    url, _ = running_server

    assert requests.get(f"{url}/healthz", timeout=10).json() == {"alive": True}


def test_tgw_local_sees_what_the_server_stored(running_server: tuple[str, Path]) -> None:
    url, data_dir = running_server
    credentials = requests.post(
        f"{url}/telemetry/register",
        json={"clientRegistration": {"clientId": "tgw-test", "systemUUID": "", "timestamp": "t"}},
        timeout=10,
    ).json()
    headers = {
        "Authorization": f"Bearer {credentials['authToken']}",
        "X-Telemetry-Registration-Id": str(credentials["registrationId"]),
    }
    assert requests.post(f"{url}/telemetry/report", data=report(), headers=headers, timeout=10).status_code == 200

    listed = subprocess.run(
        [
            str(Path(sys.executable).parent / "tgw"),
            "--local",
            "telemetry",
            "list",
            "--client",
            BUNDLE_CLIENT_ID,
            "--json",
        ],
        env={**os.environ, "TGW_LOCAL_DATA": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    [entry] = json.loads(listed.stdout)["items"]
    assert entry["registrationId"] == str(credentials["registrationId"])


def test_tgw_local_clears_the_test_namespace_of_the_running_server(running_server: tuple[str, Path]) -> None:
    url, data_dir = running_server
    client = SensorClient(lambda path, body, headers: _post(url + path, body, headers))
    client.create()

    cleared = subprocess.run(
        [str(Path(sys.executable).parent / "tgw"), "--local", "sensors", "clear-namespace", "test", "--json"],
        env={**os.environ, "TGW_LOCAL_DATA": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    status, answer = client.signed("heartbeat")

    assert json.loads(cleared.stdout)["deleted"] >= 3  # the client, its sensor id, the namespace entry
    assert (status, answer.status.type) == (400, UNKNOWN_CLIENT)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    response = requests.post(url, data=body, headers=headers, timeout=10)
    return response.status_code, response.content
