"""Telemetry Client API: latency and throughput per route, /report as the table grows, AWS calls."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from bench.harness import LATENCY_COLUMNS, Table, latency_row, load
from support.local_server import LocalServer, Request
from telemetry_gateway.clock import SystemClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.telemetry import item_store
from telemetry_gateway.telemetry.item_store import ItemStore
from telemetry_gateway.telemetry.records import build_records
from telemetry_gateway.telemetry.report import parse_report

REQUESTS = {1: 300, 8: 800}
PRELOAD_ITEMS = 30_000


def report_body(seed: int, items: int = 10) -> bytes:
    """1 bundle of `items` items, unique ids so every request stores new records."""

    def new_id() -> str:
        return str(uuid.UUID(int=(seed << 64) + uuid.uuid4().int % (1 << 64)))

    data = json.dumps({"version": 1, "data": {"cpus": 8, "memory": 16384, "seed": seed}})
    item_texts = [
        json.dumps(
            {
                "header": {
                    "telemetryId": new_id(),
                    "telemetryTimeStamp": "2025-07-30T10:00:00.123456789Z",
                    "telemetryType": "SLE-SERVER-SCCHwInfo",
                    "telemetryAnnotations": [""],
                },
                "telemetryData": "DATA",
                "footer": {"checksum": ""},
            }
        ).replace('"DATA"', data)
        for _ in range(items)
    ]
    bundle_header = {
        "bundleId": new_id(),
        "bundleTimeStamp": "2025-07-30T10:00:00Z",
        "bundleClientId": new_id(),
        "bundleCustomerId": "",
    }
    report_header = {"reportId": new_id(), "reportTimeStamp": "2025-07-30T10:00:00Z", "reportClientId": new_id()}
    bundle = f'{{"header":{json.dumps(bundle_header)},"telemetryDataItems":[{",".join(item_texts)}]}}'
    return f'{{"header":{json.dumps(report_header)},"telemetryBundles":[{bundle}]}}'.encode()


def _credentials(server: LocalServer, client_id: str) -> dict[str, Any]:
    body = json.dumps({"clientRegistration": {"clientId": client_id, "systemUUID": "", "timestamp": "t"}})
    status, raw, _ = server.call(("POST", "/telemetry/register", body.encode(), {}))
    assert status == 200, raw
    return dict(json.loads(raw))


def _report_factory(server: LocalServer) -> Any:
    creds = _credentials(server, str(uuid.uuid4()))
    headers = {
        "Authorization": f"Bearer {creds['authToken']}",
        "X-Telemetry-Registration-Id": str(creds["registrationId"]),
        "Content-Type": "application/json",
    }
    bodies = [report_body(i) for i in range(max(REQUESTS.values()))]
    return lambda i: ("POST", "/telemetry/report", bodies[i % len(bodies)], headers)


def _register_factory(i: int) -> Request:
    body = {"clientRegistration": {"clientId": f"bench-{uuid.uuid4()}", "systemUUID": "", "timestamp": str(i)}}
    return ("POST", "/telemetry/register", json.dumps(body).encode(), {})


def _authenticate_factory(server: LocalServer) -> Any:
    """Re-authentication of one registration (each call replaces its token)."""
    client_id = str(uuid.uuid4())
    registration_id = _credentials(server, client_id)["registrationId"]
    digest = hashlib.sha256(f"{client_id}||t".encode()).hexdigest()
    request = {"registrationId": registration_id, "regHash": {"method": "sha256", "value": digest}}
    payload = json.dumps(request).encode()
    return lambda _i: ("POST", "/telemetry/authenticate", payload, {})


def preload(server: LocalServer, items: int) -> None:
    """Fill the telemetry table straight through the server's moto, as many reports would."""
    store = ItemStore(server.table("TelemetryTableName"), server.bucket("PayloadBucketName"))
    deadline = Deadline.after(SystemClock(), 3600)
    for seed in range(items // 250):
        report = parse_report(report_body(10_000 + seed, 250))
        records, audit = build_records(report, 1, datetime.now(UTC), 4)
        store.write([item_store.place(r, 262144) for r in records], audit, deadline)


def run(server: LocalServer) -> list[Table]:
    table = Table("Telemetry API through the local gateway", LATENCY_COLUMNS)
    fixed: dict[str, Any] = {
        "GET /healthz": lambda _i: ("GET", "/healthz", b"", {}),
        "GET /version": lambda _i: ("GET", "/version", b"", {}),
        "POST /telemetry/register": _register_factory,
        "POST /telemetry/authenticate": _authenticate_factory(server),
    }
    for name, make in fixed.items():
        for connections, total in REQUESTS.items():
            table.rows.append(latency_row(name, connections, load(server, make, connections, total)))
    for label in ("POST /report 1x10 items, empty table", f"POST /report 1x10 items, {PRELOAD_ITEMS:,} stored"):
        if "stored" in label:
            preload(server, PRELOAD_ITEMS)
        for connections, total in REQUESTS.items():
            table.rows.append(
                latency_row(label, connections, load(server, _report_factory(server), connections, total))
            )
    return [table]


def aws_calls(send: Any) -> list[list[Any]]:
    """AWS calls per request, in-process (the first call of a container also fetches the signing key)."""
    register = {"clientRegistration": {"clientId": str(uuid.uuid4()), "systemUUID": "", "timestamp": "t"}}
    creds, first = send("POST", "/telemetry/register", json.dumps(register).encode(), {})
    headers = {
        "Authorization": f"Bearer {json.loads(creds['body'])['authToken']}",
        "X-Telemetry-Registration-Id": str(json.loads(creds["body"])["registrationId"]),
    }
    rows = [["POST /telemetry/register (cold container)", first]]
    register["clientRegistration"]["timestamp"] = "t2"
    rows.append(["POST /telemetry/register", send("POST", "/telemetry/register", json.dumps(register).encode(), {})[1]])
    rows.append(["POST /telemetry/report 1x10 items", send("POST", "/telemetry/report", report_body(1), headers)[1]])
    rows.append(
        ["POST /telemetry/report 1x30 items", send("POST", "/telemetry/report", report_body(2, 30), headers)[1]]
    )
    rows.append(["GET /healthz", send("GET", "/healthz", b"", {})[1]])
    return rows
