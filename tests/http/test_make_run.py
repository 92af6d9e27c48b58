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

from bench.harness import LocalServer
from tests.support.reports import BUNDLE_CLIENT_ID, report


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:  # waits for the ready line naming its address
        yield running


def test_make_run_serves_healthz(server: LocalServer) -> None:
    assert requests.get(f"{server.url}/healthz", timeout=10).json() == {"alive": True}


def test_tgw_local_sees_what_the_server_stored(server: LocalServer) -> None:
    credentials = requests.post(
        f"{server.url}/telemetry/register",
        json={"clientRegistration": {"clientId": "tgw-test", "systemUUID": "", "timestamp": "t"}},
        timeout=10,
    ).json()
    headers = {
        "Authorization": f"Bearer {credentials['authToken']}",
        "X-Telemetry-Registration-Id": str(credentials["registrationId"]),
    }
    assert (
        requests.post(f"{server.url}/telemetry/report", data=report(), headers=headers, timeout=10).status_code == 200
    )

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
        env={**os.environ, "TGW_LOCAL_DATA": str(server.data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    [entry] = json.loads(listed.stdout)["items"]
    assert entry["registrationId"] == str(credentials["registrationId"])
