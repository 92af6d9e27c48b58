"""Every store retries throttling within the request's deadline, and storage still throttled then is the same
answer on every route: the family's 503 (telemetry JSON, notify plain text, the sensor route's own message
with DATASTORE_ERROR). Throttling is injected per table or bucket with the local fault switch."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from cli import notify_admin
from local.app import LocalApp
from support.clock import ManualClock
from support.events import api_event
from support.notify import form
from support.reports import bundle, item, report
from support.sensor_client import ROUTES, SIGNED_ROUTES, SensorClient, signature
from support.telemetry_client import ReferenceClient
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors.pb.common_pb2 import DATASTORE_ERROR
from telemetry_gateway.storage.table import Table
from tests.integration.conftest import Throttle

REFERER = {"Referer": "http://127.0.0.1:3000"}
MESSAGE_ID = "20250730130113.1_1.local"


@dataclass(frozen=True)
class Case:
    resources: tuple[str, ...]  # the template's tables, buckets and queues whose calls are throttled
    request: Callable[[Any], tuple[str, bytes | str, dict[str, str]]]  # credentials → (path, body, headers)
    expect: Callable[[dict[str, Any]], None]


def telemetry_503(response: dict[str, Any]) -> None:
    assert (response["statusCode"], json.loads(response["body"])) == (503, {"error": "storage temporarily unavailable"})


def notify_503(response: dict[str, Any]) -> None:
    assert (response["statusCode"], response["body"]) == (503, "Service Unavailable: try again\n")
    assert response["headers"]["Content-Type"] == "text/plain;charset=UTF-8"


def sensor_503(route: str) -> Callable[[dict[str, Any]], None]:
    def check(response: dict[str, Any]) -> None:
        answer = ROUTES[route][1].FromString(base64.b64decode(response["body"]))
        assert (response["statusCode"], answer.status.type, answer.status.message) == (
            503,
            DATASTORE_ERROR,
            "datastore unavailable",
        )

    return check


def report_request(creds: Any, data: str = "{}") -> tuple[str, bytes, dict[str, str]]:
    telemetry = creds["telemetry"]
    headers = {
        "Authorization": f"Bearer {telemetry.token}",
        "X-Telemetry-Registration-Id": str(telemetry.registration_id),
    }
    return "/telemetry/report", report(bundle(item(data))), headers


def signed_request(route: str) -> Callable[[Any], tuple[str, bytes, dict[str, str]]]:
    def build(creds: Any) -> tuple[str, bytes, dict[str, str]]:
        client: SensorClient = creds["sensor"]
        message = ROUTES[route][0](client_signature=signature(client.secret, 1))
        return client.path(route), message.SerializeToString(), {}

    return build


REGISTRATION = json.dumps({"clientRegistration": {"clientId": "c", "systemUUID": "", "timestamp": "t"}})
BIG_DATA = json.dumps({"blob": "x" * 300_000})  # over the inline threshold: the report writes S3 first


def dispatch(c: Any) -> tuple[str, str, dict[str, str]]:
    return f"/Dispatch/{c['ka']}/{c['kc']}", "hi", {}


def listen(c: Any) -> tuple[str, str, dict[str, str]]:
    return "/MailboxListen/", form(secret=c["secret"]), REFERER


def post(c: Any) -> tuple[str, str, dict[str, str]]:
    return "/MailboxPost/", form(secret=c["secret"], id=MESSAGE_ID), REFERER


CASES: dict[str, Case] = {
    "register": Case(("RegistrationsTable",), lambda _c: ("/telemetry/register", REGISTRATION, {}), telemetry_503),
    "authenticate": Case(
        ("RegistrationsTable",),
        lambda _c: ("/telemetry/authenticate", '{"registrationId":5,"regHash":{}}', {}),
        telemetry_503,
    ),
    # /report queues the report when its storage keeps failing: 503 only when the queue fails too.
    "report-registrations": Case(("RegistrationsTable", "ReportQueue"), report_request, telemetry_503),
    "report-items": Case(("TelemetryTable", "ReportQueue"), report_request, telemetry_503),
    "report-payloads": Case(("PayloadBucket", "ReportQueue"), lambda c: report_request(c, BIG_DATA), telemetry_503),
    "dispatch-directory": Case(("NotifyDirectoryTable",), dispatch, notify_503),
    "dispatch-mailbox": Case(("NotifyMailboxTable",), dispatch, notify_503),
    "listen-directory": Case(("NotifyDirectoryTable",), listen, notify_503),
    "listen-mailbox": Case(("NotifyMailboxTable",), listen, notify_503),
    "post-directory": Case(("NotifyDirectoryTable",), post, notify_503),
    "post-mailbox": Case(("NotifyMailboxTable",), post, notify_503),
    "client/create": Case(
        ("SensorTable",), lambda c: (c["sensor"].path("client/create"), b"", {}), sensor_503("client/create")
    ),
    **{route: Case(("SensorTable",), signed_request(route), sensor_503(route)) for route in SIGNED_ROUTES},
}


@pytest.fixture
def credentials(aws: LocalApp, invoke: Any) -> dict[str, Any]:
    """What each route's caller holds, made before storage starts to throttle."""

    def send(method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, list[str]], bytes]:
        response = invoke(*api_event(method, path, body, headers))
        return response["statusCode"], {}, str(response["body"]).encode()

    telemetry = ReferenceClient(send)
    telemetry.register()
    directory = Table(aws.stack.context.refs["NotifyDirectoryTable"])
    deadline, now = Deadline.after(ManualClock(), 60), datetime.now(UTC)
    ka = notify_admin.create(directory, notify_admin.USER, "atest@telemetry", now, deadline)["ka"]
    circuit = notify_admin.create(directory, notify_admin.CIRCUIT, "demo", now, deadline)

    def post_sensor(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        response = invoke(*api_event("POST", path, body, headers))
        return response["statusCode"], base64.b64decode(response["body"])

    sensor = SensorClient(post_sensor)
    sensor.create()
    return {"telemetry": telemetry, "ka": ka, "kc": circuit["kc"], "secret": circuit["ks"], "sensor": sensor}


@pytest.mark.parametrize("name", sorted(CASES))
def test_storage_throttled_past_the_deadline_is_the_familys_503(
    name: str, credentials: dict[str, Any], throttled: Throttle, invoke: Any
) -> None:
    case = CASES[name]
    path, body, headers = case.request(credentials)
    faults = throttled(*case.resources)

    response = invoke(*api_event("POST", path, body, headers))

    case.expect(response)
    assert faults.injected > 1  # retried, not given up at the first refusal
