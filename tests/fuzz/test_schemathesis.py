"""schemathesis runs openapi/json-api.yaml against `make run` (a real server process): no server error, and
every answer's status, content type, headers and body as the document says.

The server gets 1 s notify windows so that the long polls it reaches end quickly. A registration for
/report, one for /authenticate, and a notify user, circuit and (expired) message are created first and
handed to schemathesis (the config file and the hooks module read them from TGW_FUZZ_* variables).
`make test` runs a few examples per operation with a fixed seed; `make fuzz` many, with a random one."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from local.paths import ROOT
from support.local_server import LocalServer
from tests.fuzz.harness import LEDGER, PROFILE

HERE = Path(__file__).parent
DOCUMENT = ROOT / "openapi" / "json-api.yaml"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]
EXAMPLES = int(os.environ.get("TGW_SCHEMATHESIS_EXAMPLES") or (100 if PROFILE == "long" else 5))
# The two answers a notify route gives by design when its window ends (spec section 9).
WINDOW_ENDED = {("/MailboxListen", 502), ("/Dispatch", 504)}


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer({"NOTIFY_LISTEN_WINDOW_SECONDS": "1", "NOTIFY_DISPATCH_WAIT_SECONDS": "1"}) as running:
        yield running


def credentials(server: LocalServer) -> dict[str, str]:
    """Real credentials of the running server, as TGW_FUZZ_* variables."""

    def register(client_id: str) -> dict[str, Any]:
        registration = {"clientId": client_id, "systemUUID": "", "timestamp": "t"}
        response = requests.post(
            f"{server.url}/telemetry/register", json={"clientRegistration": registration}, timeout=10
        )
        return dict(response.json())

    reporting, authenticating = register("schemathesis-report"), register("schemathesis-authenticate")
    ka = server.tgw("notify", "user", "create", "--name", "schemathesis@telemetry")["ka"]
    circuit = server.tgw("notify", "circuit", "create", "--name", "schemathesis")
    expired = requests.post(f"{server.url}/Dispatch/{ka}/{circuit['kc']}", data="first", timeout=10)
    assert expired.status_code == 504
    return {
        "TGW_FUZZ_TOKEN": reporting["authToken"],
        "TGW_FUZZ_REGISTRATION_ID": str(reporting["registrationId"]),
        "TGW_FUZZ_AUTH_ID": str(authenticating["registrationId"]),
        "TGW_FUZZ_AUTH_HASH": hashlib.sha256(b"schemathesis-authenticate||t").hexdigest(),
        "TGW_FUZZ_KA": ka,
        "TGW_FUZZ_KC": circuit["kc"],
        "TGW_FUZZ_SECRET": circuit["secret"],
        "TGW_FUZZ_REFERER": server.url,
        "TGW_FUZZ_MESSAGE_ID": expired.headers["X-Message-Id"],
    }


def test_schemathesis_finds_no_server_error_and_every_answer_matches_the_document(
    server: LocalServer, tmp_path: Path
) -> None:
    har = tmp_path / "schemathesis.har"
    # ci: fixed seed, deterministic, no example database; long: a random seed (printed) and no database either.
    seed = ["--seed", "1", "--generation-deterministic"] if PROFILE == "ci" else ["--generation-database", "none"]
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(HERE / "schemathesis.toml"),
        "run",
        str(DOCUMENT),
        "--url",
        server.url,
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(EXAMPLES),
        *seed,
        "--workers",
        "2",
        "--report",
        "har",
        "--report-har-path",
        str(har),
        "--no-color",
    ]
    environment = {**os.environ, **credentials(server), "SCHEMATHESIS_HOOKS": str(HERE / "schemathesis_hooks.py")}
    done = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, check=False)

    assert har.exists(), done.stdout[-6000:] + done.stderr[-3000:]
    statuses = record(json.loads(har.read_text()))
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert statuses["POST /telemetry/report"][200] > 0  # the generated reports were stored, not only refused


def record(har: dict[str, Any]) -> dict[str, Counter[int]]:
    """Count what schemathesis sent in the fuzz ledger; every 5xx but the long-poll ones is a server error."""
    statuses: dict[str, Counter[int]] = {}
    for entry in har["log"]["entries"]:
        method, status = entry["request"]["method"], entry["response"]["status"]
        path = "/" + entry["request"]["url"].split("?", 1)[0].split("/", 3)[3]
        route = "/Dispatch" if path.startswith("/Dispatch/") else path
        statuses.setdefault(f"{method} {route}", Counter())[status] += 1
        LEDGER.record("schemathesis", status)
        if status >= 500 and (route.rstrip("/"), status) not in WINDOW_ENDED:
            LEDGER.server_errors.append(f"schemathesis {method} {route} {status}")
    return statuses
