"""Secrets and tokens are never logged (spec README, rule 4): every route is called over the local gateway with
real credentials, logging at DEBUG, and nothing captured holds a credential, nor the SHA-256 the notify
credentials are stored as, nor a server key.

Captured: everything the functions' Powertools logger writes (its own stream, at DEBUG), the laptop
runtime's loggers (`local.*`, the gateway's access log included), Powertools' internal loggers and the
layer's, warnings and above from anything else, and whatever reaches stdout or stderr. Storage faults are
injected on one request per family so the error paths (which log stack traces) are covered too. The upload
route (`data/upload/{upload_token}`) is not in the template yet; when it lands, its token belongs here."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import boto3
import pytest
import requests

from local.app import REGION, LocalApp
from local.faults import Faults
from support.clock import ManualClock
from support.reports import report
from support.sensor_client import SensorClient, signature
from support.tgw import tgw_json
from telemetry_gateway import clock as clock_module
from telemetry_gateway.observability import logger
from telemetry_gateway.sensors.pb import client_messages_pb2, event_pb2, heartbeat_pb2

CAPTURED_AT_DEBUG = ("local", "telemetry_gateway", "aws_lambda_powertools")


@pytest.fixture
def captured(
    redeploy: Callable[..., None], caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> Iterator[Callable[[], str]]:
    """Every function cold-started with POWERTOOLS_LOG_LEVEL=DEBUG; returns what was logged so far."""
    redeploy(POWERTOOLS_LOG_LEVEL="DEBUG", NOTIFY_DISPATCH_WAIT_SECONDS="5", NOTIFY_LISTEN_WINDOW_SECONDS="5")
    stream = io.StringIO()
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    previous_stream, previous_level = handler.setStream(stream), logger.log_level
    logger.setLevel("DEBUG")  # the layer's logger exists once per process; a cold start does not remake it
    caplog.set_level(logging.WARNING)
    for name in CAPTURED_AT_DEBUG:
        caplog.set_level(logging.DEBUG, logger=name)

    def text() -> str:
        out, err = capfd.readouterr()
        return "\n".join([stream.getvalue(), caplog.text, out, err])

    yield text
    handler.setStream(previous_stream)
    logger.setLevel(previous_level)


def server_keys(aws: LocalApp) -> list[str]:
    """The values of the stack's secrets (JWT signing key, sensor-secret key, ...)."""
    client = boto3.client("secretsmanager", region_name=REGION)
    names = [entry["ARN"] for entry in client.list_secrets()["SecretList"]]
    return [client.get_secret_value(SecretId=name)["SecretString"] for name in names]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_no_route_logs_a_credential_at_debug(
    aws: LocalApp,
    gateway_url: str,
    captured: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secrets: list[str] = server_keys(aws)
    with requests.Session() as http:
        secrets += telemetry_routes(gateway_url, http)
        secrets += notify_routes(aws, monkeypatch, gateway_url, http)
        secrets += sensor_routes(gateway_url, http)
        assert http.get(f"{gateway_url}/healthz", timeout=10).status_code == 200
        assert http.head(f"{gateway_url}/version", timeout=10).status_code == 200
        with storage_failing():
            assert http.post(f"{gateway_url}/telemetry/register", json=REGISTRATION, timeout=30).status_code == 503

    logged = captured()
    assert "/Dispatch/{ka}/{kc}" in logged  # the access log was captured, and names routes
    assert "storage still failing after retries" in logged  # so were the error paths
    leaked = sorted({secret[:12] + "..." for secret in secrets if secret and secret in logged})
    assert leaked == []


REGISTRATION = {"clientRegistration": {"clientId": "secret-test", "systemUUID": "", "timestamp": "t"}}


def telemetry_routes(url: str, http: requests.Session) -> list[str]:
    """Register, report, authenticate, report with the replaced token (401); the tokens and the hash proof."""
    first = http.post(f"{url}/telemetry/register", json=REGISTRATION, timeout=10).json()
    proof = sha256("secret-test||t")

    def report_with(token: str) -> int:
        headers = {"Authorization": f"Bearer {token}", "X-Telemetry-Registration-Id": str(first["registrationId"])}
        return http.post(f"{url}/telemetry//report", data=report(), headers=headers, timeout=10).status_code

    assert report_with(first["authToken"]) == 200
    body = {"registrationId": first["registrationId"], "regHash": {"method": "sha256", "value": proof}}
    second = http.post(f"{url}/telemetry/authenticate", json=body, timeout=10).json()
    assert report_with(first["authToken"]) == 401
    assert report_with(second["authToken"] + "x") == 401
    assert http.post(f"{url}/telemetry/register", json=REGISTRATION, timeout=10).status_code == 409
    return [first["authToken"], second["authToken"], proof]


def notify_routes(aws: LocalApp, monkeypatch: pytest.MonkeyPatch, url: str, http: requests.Session) -> list[str]:
    """A Dispatch answered by a Master (listen, post), refusals, and a 503; cookies, secret and their hashes."""
    ka = tgw_json(aws, monkeypatch, "notify", "user", "create", "--name", "secret@telemetry")["ka"]
    circuit = tgw_json(aws, monkeypatch, "notify", "circuit", "create", "--name", "secret-test")
    kc, secret, cookie = circuit["kc"], circuit["secret"], "session=" + "c00k1e" * 8
    master = {"Referer": url}
    with ThreadPoolExecutor(1) as pool:
        dispatched = pool.submit(
            http.post, f"{url}/Dispatch/{ka}/{kc}", data="hello%20there", headers={"Cookie": cookie}, timeout=30
        )
        listened = http.post(f"{url}/MailboxListen/", data={"secret": secret}, headers=master, timeout=30)
        reply = {"secret": secret, "id": listened.headers["X-Message-Id"], "headers": "X-Reply: yes", "data": "done"}
        assert http.post(f"{url}/MailboxPost", data=reply, headers=master, timeout=10).status_code == 200
        assert dispatched.result().status_code == 200
    assert http.post(f"{url}/Dispatch/{ka}/{kc[:-1]}x", data="x", timeout=10).status_code == 403
    assert (
        http.post(f"{url}/MailboxListen", data={"secret": secret + "x"}, headers=master, timeout=10).status_code == 403
    )
    assert (
        http.post(
            f"{url}/MailboxPost/", data={"secret": secret}, headers={"Referer": "http://[x"}, timeout=10
        ).status_code
        == 403
    )
    with storage_failing():
        assert (
            http.post(f"{url}/MailboxPost/", data={"secret": secret, "id": "1"}, headers=master, timeout=30).status_code
            == 503
        )
    return [ka, kc, secret, cookie, *(sha256(value) for value in (ka, kc, secret))]


def sensor_routes(url: str, http: requests.Session) -> list[str]:
    """Create, every signed route, a bad signature (401) and a 503; the client secret and the signatures."""

    def send(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        response = http.post(url + path, data=body, headers=headers, timeout=10)
        return response.status_code, response.content

    client = SensorClient(send)
    client.create()
    signatures = []
    for route, fields in (
        ("heartbeat", {"latitude": 34.1, "longitude": -118.1}),
        ("event", {"event": event_pb2.EventMessage.SensorEvent(sensor_id=client.sensor_ids[0], readings=[0.5])}),
        ("client/update", {"client_data": client_messages_pb2.ClientMetadata(name="renamed")}),
        ("client/metadata", {"include_sensor_data": True}),
        ("client/get-keyvalue", {"client_keys": ["k"]}),
    ):
        status, answer = client.signed(route, **fields)
        assert status == 200, answer
        signatures.append(signature(client.secret, client.message_id).signature)
    forged = signature(client.secret[::-1], client.message_id + 1)
    status, _ = client.post("heartbeat", heartbeat_pb2.HeartbeatMessage(client_signature=forged))
    assert status == 401
    with storage_failing():
        assert client.signed("heartbeat")[0] == 503
    return [client.secret, *signatures, forged.signature]


@contextmanager
def storage_failing() -> Iterator[None]:
    """Every DynamoDB call throttled, on a manual clock so the retries run out of time at once."""
    previous = clock_module.install(ManualClock())
    stop = Faults.always(["dynamodb"]).install()
    try:
        yield
    finally:
        stop()
        clock_module.install(previous)
