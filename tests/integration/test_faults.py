"""Under TGW_LOCAL_FAULTS every route answers success or its family's 503, never anything else, and every
record it acknowledged is stored exactly once."""

from __future__ import annotations

import base64
import json
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from cli import notify_admin
from local import queues
from local.app import LocalApp
from local.faults import Faults
from support.clock import ManualClock
from support.events import api_event
from support.notify import body_of, form
from support.reports import bundle, item, report
from support.sensor_client import SensorClient
from support.telemetry_client import ReferenceClient
from telemetry_gateway import clock as clock_module
from telemetry_gateway.clock import SystemClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors.pb.common_pb2 import DATASTORE_ERROR, SUCCESS
from telemetry_gateway.storage.table import Table

FAULTS = "dynamodb=0.2,s3=0.1,sqs=0.1"
ROUNDS = 25


@pytest.fixture
def faults(aws: LocalApp) -> Iterator[Faults]:
    """The switch as `make run` reads it, with a fixed seed so a run is repeatable."""
    injected = Faults.parse(FAULTS)
    injected.draw = random.Random(8).random
    stop = injected.install()
    yield injected
    stop()


@pytest.fixture
def instant_retries() -> Iterator[None]:
    previous = clock_module.install(ManualClock(datetime.now(UTC)))
    yield
    clock_module.install(previous)


def scan(aws: LocalApp, table: str) -> list[dict[str, Any]]:
    return list(boto3.resource("dynamodb").Table(aws.stack.context.refs[table]).scan()["Items"])


def test_telemetry_answers_success_or_503_and_stores_every_acknowledged_item_once(
    aws: LocalApp, invoke: Any, instant_retries: None, faults: Faults
) -> None:
    def send(method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, list[str]], bytes]:
        response = invoke(*api_event(method, path, body, headers))
        return response["statusCode"], {}, str(response["body"]).encode()

    answers: Counter[int] = Counter()
    acknowledged: set[str] = set()
    for round_ in range(ROUNDS):
        client = ReferenceClient(send)
        registered = client._post(
            "register", {"clientRegistration": {"clientId": f"c{round_}", "systemUUID": "", "timestamp": "t"}}
        )
        answers[registered[0]] += 1
        if registered[0] != 200:
            assert registered[2] == {"error": "storage temporarily unavailable"}
            continue
        client.registration_id, client.token = registered[2]["registrationId"], registered[2]["authToken"]
        telemetry_id = f"3f97d439-5212-4688-af22-{round_:012x}"
        headers = {
            "Authorization": f"Bearer {client.token}",
            "X-Telemetry-Registration-Id": str(client.registration_id),
        }
        status, _, body = client.send(
            "POST", "/telemetry/report", report(bundle(item(telemetryId=telemetry_id))), headers
        )
        answers[status] += 1
        if status == 200:
            acknowledged.add(telemetry_id)
        else:
            assert (status, json.loads(body)) == (503, {"error": "storage temporarily unavailable"})
    faults.rates.clear()
    [subscription] = aws.stack.template.subscriptions
    while queues.deliver(aws.runtime, aws.stack, subscription):
        pass

    stored = Counter(entry["telemetryId"] for entry in scan(aws, "TelemetryTable") if entry["kind"] == "item")
    print(  # for the reviewer (-rP)
        f"telemetry, {FAULTS}: {faults.injected} faults injected, answers {dict(answers)}, "
        f"{len(acknowledged)} items acknowledged, {stored.total()} stored"
    )
    assert set(answers) <= {200, 503}
    assert faults.injected > 0
    assert stored == Counter(acknowledged)  # every acknowledged item, each once; nothing unacknowledged


def test_sensors_answer_success_or_datastore_error_and_store_every_acknowledged_pick_once(
    aws: LocalApp, invoke: Any, instant_retries: None, faults: Faults
) -> None:
    def post(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        response = invoke(*api_event("POST", path, body, headers))
        return response["statusCode"], base64.b64decode(response["body"])

    answers: Counter[tuple[int, int]] = Counter()
    picked: set[str] = set()
    for round_ in range(ROUNDS):
        client = SensorClient(post)
        status, created = client.post("client/create", b"\x12\x02\x10\x00")  # one 3-axis accelerometer
        answers[(status, created.status.type)] += 1
        if status != 200:
            continue
        client.client_id, client.secret, client.sensor_ids = (
            created.client_id,
            created.client_secret,
            list(created.sensor_ids),
        )
        for route, fields in (("heartbeat", {}), ("event", None)):
            date = f"2025-07-30T10:00:{round_:02d}.000"
            if fields is None:
                status, answer = client.pick(date=date)
            else:
                status, answer = client.signed(route, date=date, **fields)
            answers[(status, answer.status.type)] += 1
            if route == "event" and status == 200:
                picked.add(str(client.client_id))

    stored = Counter(entry["clientId"] for entry in scan(aws, "SensorTable") if "#picks#" in entry["pk"])
    print(  # for the reviewer (-rP)
        f"sensors, {FAULTS}: {faults.injected} faults injected, answers {dict(answers)}, "
        f"{len(picked)} picks acknowledged, {stored.total()} stored"
    )
    assert set(answers) <= {(200, SUCCESS), (503, DATASTORE_ERROR)}
    assert faults.injected > 0
    assert stored == Counter(picked)


def test_the_relay_answers_success_or_503_and_stores_every_message_once(
    aws: LocalApp, invoke: Any, redeploy: Callable[..., None], faults: Faults
) -> None:
    redeploy(NOTIFY_DISPATCH_WAIT_SECONDS="4", NOTIFY_LISTEN_WINDOW_SECONDS="4")
    faults.rates.clear()  # credentials are made before the faults start
    directory, deadline = Table(aws.stack.context.refs["NotifyDirectoryTable"]), Deadline.after(SystemClock(), 60)
    ka = notify_admin.create(directory, notify_admin.USER, "u", datetime.now(UTC), deadline)["ka"]
    circuit = notify_admin.create(directory, notify_admin.CIRCUIT, "c", datetime.now(UTC), deadline)
    faults.rates.update(Faults.parse(FAULTS).rates)
    referer = {"Referer": "http://127.0.0.1:3000"}
    answers: Counter[tuple[str, int]] = Counter()
    replied: list[str] = []
    last: str | None = None

    def call(target: str, body: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        return dict(invoke(*api_event("POST", target, body, headers or {})))

    for round_ in range(10):
        dispatched: list[dict[str, Any]] = []
        client = threading.Thread(
            target=lambda sink, body: sink.append(call(f"/Dispatch/{ka}/{circuit['kc']}", body)),
            args=(dispatched, f"m{round_}"),
        )
        client.start()
        listened = call("/MailboxListen/", form(secret=circuit["ks"], **({"last": last} if last else {})), referer)
        answers[("listen", listened["statusCode"])] += 1
        if listened["statusCode"] == 200:
            last = listened["headers"]["X-Message-Id"]
            posted = call("/MailboxPost/", form(secret=circuit["ks"], id=last, data=f"r{round_}"), referer)
            answers[("post", posted["statusCode"])] += 1
            if posted["statusCode"] == 200:
                replied.append(last)
        client.join()
        answers[("dispatch", dispatched[0]["statusCode"])] += 1
        for response in (listened, dispatched[0]):
            if response["statusCode"] == 503:
                assert body_of(response) == b"Service Unavailable: try again\n"

    messages = Counter(
        e["messageId"] for e in scan(aws, "NotifyMailboxTable") if str(e["sk"]).startswith("m#") and "messageId" in e
    )
    print(  # for the reviewer (-rP)
        f"notify, {FAULTS}: {faults.injected} faults injected, answers {dict(answers)}, "
        f"{len(replied)} replies acknowledged, {len(messages)} messages stored ({messages.total()} copies)"
    )
    assert {status for _, status in answers} <= {200, 503}
    assert answers[("dispatch", 200)] == len(replied) > 0  # every reply stored reached its Client
    assert set(messages.values()) == {1}  # every message stored once
    assert set(replied) <= set(messages)
