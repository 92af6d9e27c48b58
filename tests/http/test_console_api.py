"""`tgw console`'s JSON API and files, served in this process: over a seeded `make run` (every page's answer and
its counts, never a credential), over empty tables (the empty states), and its refusals (read-only, foreign
hosts, unknown paths, a stopped `make run`, missing libraries)."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from cli.console import assets
from cli.console.server import ConsoleServer
from cli.console.sources import LocalSource, Stores
from cli.target import Target
from local import state
from local.app import REGION, LocalApp
from local.paths import ROOT
from support.console import FixedSource, console_thread, server_target
from support.console_seed import NAMESPACE, TYPE_A, TYPE_B, Seeded, seed
from support.local_server import LocalServer


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[LocalServer, Seeded]]:
    with LocalServer() as server:
        yield server, seed(server.url, server.table("NotifyDirectoryTableName"))


@pytest.fixture(scope="module")
def console(seeded: tuple[LocalServer, Seeded]) -> Iterator[ConsoleServer]:
    server, _ = seeded
    with console_thread(FixedSource(Stores.of(server_target(server), "seeded make run"))) as running:
        yield running


def get(console: ConsoleServer, path: str, **headers: str) -> requests.Response:
    return requests.get(console.url.rstrip("/") + path, headers=headers, timeout=30)


def answer(console: ConsoleServer, path: str) -> dict[str, Any]:
    response = get(console, path)
    assert (response.status_code, response.headers["Content-Type"]) == (200, "application/json"), response.text
    return dict(response.json())


# ---------------------------------------------------------------------- seeded answers


def test_notify_shows_users_circuits_and_their_messages_by_state(console: ConsoleServer) -> None:
    """Seeded first in this file's module: pending messages expire with the dispatch window (25 s)."""
    overview = answer(console, "/api/notify")
    circuit = answer(console, "/api/notify/circuits/alpha")

    assert [u["name"] for u in overview["users"]] == ["operator@seed"]
    assert [(c["name"], c["state"]) for c in overview["circuits"]] == [("alpha", "active"), ("beta", "active")]
    counts = overview["counts"]
    assert (counts["users"], counts["circuits"], counts["replied"]) == (1, 2, 3)
    assert counts["pending"] + counts["expired"] == 3
    assert [m["seq"] for m in circuit["messages"]] == [3, 2, 1]  # newest first
    assert [m["state"] for m in circuit["messages"]][1:] == ["replied", "replied"]
    assert set(circuit["messages"][0]) == {
        "seq",
        "messageId",
        "user",
        "arrivedAt",
        "deadline",
        "state",
        "bodyBytes",
        "headerLines",
    }
    assert circuit["messages"][0]["bodyBytes"] == len("pending 0")


def test_the_fleet_page_counts_clients_cells_events_and_open_requests(console: ConsoleServer) -> None:
    fleet = answer(console, f"/api/sensors/{NAMESPACE}")

    assert answer(console, "/api/sensors/namespaces") == {"namespaces": [NAMESPACE]}
    assert fleet["counts"] == {"clients": 5, "active": 4, "inactive": 1, "cells": 3, "events": 1, "openRequests": 1}
    assert fleet["more"] is False
    assert sorted((c["clients"], c["active"], c["storedActiveCount"]) for c in fleet["cells"]) == [
        (1, 0, 0),
        (1, 1, 1),
        (3, 3, 3),
    ]
    assert all(set(c["bounds"]) == {"south", "west", "north", "east"} for c in fleet["cells"])
    [event] = fleet["events"]
    [request] = fleet["requests"]
    assert (event["event_id"], event["clients"], event["sensor_type"]) == ("1", 3, "ACCELEROMETER_3_AXIS")
    assert (request["request_id"], request["target"], request["origin"]) == (event["request_id"], "area", "event 1")
    assert all(isinstance(c["clientId"], str) for c in fleet["clients"])


def test_a_client_page_has_its_sensors_and_readings(console: ConsoleServer, seeded: tuple[LocalServer, Seeded]) -> None:
    _, data = seeded
    page = answer(console, f"/api/sensors/{NAMESPACE}/clients/{data.uploader}")
    quiet = answer(console, f"/api/sensors/{NAMESPACE}/clients/{data.sensor_clients[-1]}")

    assert page["counts"] == {"sensors": 1, "removedSensors": 0, "readings": 1}
    assert [r["sensor_reading_id"] for r in page["readings"]] == [str(data.reading_id)]
    assert (page["client"]["clientId"], page["client"]["active"]) == (str(data.uploader), True)
    assert "replayWindow" not in page["client"]
    assert (quiet["client"]["active"], quiet["client"]["lastSeen"], quiet["counts"]["readings"]) == (False, None, 0)


def test_telemetry_by_type_registration_and_client_with_the_item_view(
    console: ConsoleServer, seeded: tuple[LocalServer, Seeded]
) -> None:
    _, data = seeded
    client_a, client_b = data.telemetry_clients["A"], data.telemetry_clients["B"]
    of_type = answer(console, f"/api/telemetry/items?type={TYPE_A}")
    first = answer(console, f"/api/telemetry/items?type={TYPE_A}&limit=1")
    client = answer(console, f"/api/telemetry/clients/{client_a}")
    item = answer(console, f"/api/telemetry/items/{client['items'][0]['key']}")

    assert (len(of_type["items"]), of_type["more"]) == (3, False)
    assert (len(first["items"]), first["more"]) == (1, True)
    assert len(answer(console, f"/api/telemetry/items?type={TYPE_B}")["items"]) == 1
    assert len(answer(console, f"/api/telemetry/items?client={client_b}")["items"]) == 1
    registration = data.registrations["A"][0]
    assert len(answer(console, f"/api/telemetry/items?registration={registration}")["items"]) == 2
    assert sorted(int(r["registrationId"]) for r in client["registrations"]) == sorted(data.registrations["A"])
    assert len(client["items"]) == 3
    assert set(client["registrations"][0]) == {
        "registrationId",
        "clientId",
        "systemUUID",
        "timestamp",
        "registrationDate",
        "createdAt",
    }
    assert (item["item"]["bundleClientId"], json.loads(item["data"])["seed"], item["dataTruncated"]) == (
        client_a,
        "A",
        False,
    )


def test_no_answer_holds_a_credential(console: ConsoleServer, seeded: tuple[LocalServer, Seeded]) -> None:
    _, data = seeded
    paths = ["/api/status", "/api/notify", "/api/notify/circuits/alpha", "/api/notify/circuits/beta"]
    paths += ["/api/sensors/namespaces", f"/api/sensors/{NAMESPACE}"]
    paths += [f"/api/sensors/{NAMESPACE}/clients/{client}" for client in data.sensor_clients]
    for name, client in data.telemetry_clients.items():
        paths.append(f"/api/telemetry/clients/{client}")
        paths += [f"/api/telemetry/items?registration={r}" for r in data.registrations[name]]
    paths += [f"/api/telemetry/items?type={kind}" for kind in (TYPE_A, TYPE_B)]
    listed = [answer(console, f"/api/telemetry/items?type={kind}")["items"] for kind in (TYPE_A, TYPE_B)]
    keys = {entry["key"] for entries in listed for entry in entries}
    paths += [f"/api/telemetry/items/{key}" for key in keys]
    everything = "\n".join(get(console, path).text for path in paths)
    forbidden = list(data.forbidden())

    assert len(keys) == 4
    assert len(forbidden) > 30
    assert [secret for secret in forbidden if secret in everything] == []
    assert "jti" not in everything
    assert "X-Seed-Credential" not in everything


# ---------------------------------------------------------------------- refusals


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PURGE"])
@pytest.mark.parametrize("path", ["/api/notify", "/", "/api/sensors/test"])
def test_the_console_is_read_only(console: ConsoleServer, method: str, path: str) -> None:
    response = requests.request(method, console.url.rstrip("/") + path, data=b"x" * 10, timeout=10)

    assert (response.status_code, response.headers["Allow"]) == (405, "GET, HEAD")
    assert response.json() == {"error": "the console is read-only: GET and HEAD only"}


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        ("/api/nothing", 404, "no such API: /api/nothing"),
        ("/api/sensors/Not_A_Namespace", 404, "no such API: /api/sensors/Not_A_Namespace"),
        ("/api/sensors/test/clients/42", 404, "no client 42 in namespace 'test'"),
        ("/api/telemetry/items/" + "0" * 64, 404, "no item " + "0" * 64),
        ("/api/notify/circuits/nobody", 404, "no circuit named nobody"),
        ("/api/telemetry/items", 400, "give exactly one of type, client, registration"),
        ("/api/telemetry/items?type=x&client=y", 400, "give exactly one of type, client, registration"),
        ("/api/telemetry/items?type=x&limit=0", 400, "limit must be 1..1000"),
        ("/api/telemetry/items?registration=abc", 400, "registration 'abc' is not a number"),
    ],
)
def test_refusals_are_plain_json(console: ConsoleServer, path: str, status: int, error: str) -> None:
    response = get(console, path)

    assert (response.status_code, response.json()) == (status, {"error": error})


@pytest.mark.parametrize(
    "path", ["/static/../api.py", "/static/sources.py", "/vendor/leaflet/package.json", "/vendor/../package.json"]
)
def test_only_the_named_files_are_served(console: ConsoleServer, path: str) -> None:
    assert get(console, path).status_code == 404


def test_a_foreign_host_is_refused(console: ConsoleServer) -> None:
    """A page elsewhere that rebinds its own name to 127.0.0.1 still sends its own Host."""
    assert get(console, "/api/notify", Host="attacker.example:80").status_code == 403
    assert get(console, "/api/status", Host=f"localhost:{console.port}").status_code == 200


def test_the_page_and_its_libraries_come_from_this_server(console: ConsoleServer) -> None:
    page = get(console, "/")
    libraries = {name: get(console, f"/vendor/{name}") for name in assets.VENDOR}

    assert (page.status_code, page.headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self';")
    assert {name: r.status_code for name, r in libraries.items()} == dict.fromkeys(assets.VENDOR, 200)
    assert "https://" not in page.text
    assert "http://" not in page.text
    for name in ("app.js", "style.css", "favicon.svg"):
        assert get(console, f"/static/{name}").status_code == 200


def test_without_the_libraries_the_page_says_how_to_install_them(
    console: ConsoleServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(assets, "NODE_MODULES", tmp_path)
    page = get(console, "/")

    assert (page.status_code, page.headers["Content-Type"]) == (503, "text/html; charset=utf-8")
    assert "npm ci --no-audit --no-fund" in page.text
    assert "make run" in page.text
    assert "leaflet/dist/leaflet.js" in page.text


def test_a_stopped_make_run_is_answered_plainly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(state, "DATA_DIR", tmp_path)
    with console_thread(LocalSource()) as running:
        response = get(running, "/api/notify")

    assert response.status_code == 503
    assert response.json() == {
        "error": f"cannot read the stored data: `make run` is not running: {tmp_path / 'server.json'} not found"
    }


# ---------------------------------------------------------------------- empty states


@pytest.fixture
def empty_console(aws: LocalApp) -> Iterator[ConsoleServer]:
    """The console over the session's moto with every table empty."""
    target = Target(aws.outputs(), boto3.session.Session(region_name=REGION))
    with console_thread(FixedSource(Stores.of(target, "empty tables"))) as running:
        yield running


def test_empty_tables_answer_empty_pages(empty_console: ConsoleServer) -> None:
    fleet = answer(empty_console, "/api/sensors/test")
    notify = answer(empty_console, "/api/notify")

    assert answer(empty_console, "/api/sensors/namespaces") == {"namespaces": []}
    assert fleet["counts"] == dict.fromkeys(fleet["counts"], 0)
    assert (fleet["clients"], fleet["cells"], fleet["events"], fleet["requests"]) == ([], [], [], [])
    assert notify == {
        "users": [],
        "circuits": [],
        "counts": {"users": 0, "circuits": 0, "pending": 0, "replied": 0, "expired": 0},
    }
    assert answer(empty_console, "/api/telemetry/items?type=NONE-SUCH")["items"] == []
    assert answer(empty_console, "/api/telemetry/clients/nobody") == {
        "clientId": "nobody",
        "registrations": [],
        "items": [],
        "limit": 100,
        "more": False,
    }


# ---------------------------------------------------------------------- what the console may import


def test_the_console_imports_no_development_package() -> None:
    """`tgw` runs without the development extras: nothing of the console may import them."""
    dev_only = {"moto", "yaml", "requests", "pytest", "selenium", "support", "tests"}
    found = set()
    for path in sorted((ROOT / "cli").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found |= {f"{path.relative_to(ROOT)}: {name}" for name in names if name.split(".")[0] in dev_only}
    assert found == set()
