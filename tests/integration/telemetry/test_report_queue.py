"""Nothing acknowledged is lost: a report whose storage keeps failing is queued whole and answered 200 (the
SUSE client forgets any report answered anything but 200 or 401); the drain stores it exactly once; only a
queue that fails too makes it a 503."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from local import queues
from local.app import LocalApp
from support.clock import ManualClock
from support.events import json_body
from support.reports import bundle, item, report
from support.telemetry_client import ReferenceClient
from telemetry_gateway import clock as clock_module
from tests.integration.conftest import Throttle

ITEMS = 3


@pytest.fixture
def registered(client: ReferenceClient) -> ReferenceClient:
    client.register()
    return client


def headers_for(client: ReferenceClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.token}", "X-Telemetry-Registration-Id": str(client.registration_id)}


def three_items(data: str = '{"v":1}') -> bytes:
    return report(bundle(*(item(data, telemetryId=f"3f97d439-5212-4688-af22-{n:012x}") for n in range(ITEMS))))


def stored(aws: LocalApp) -> list[dict[str, Any]]:
    table = boto3.resource("dynamodb").Table(aws.stack.context.refs["TelemetryTable"])
    return [entry for entry in table.scan()["Items"] if entry["kind"] == "item"]


def waiting(aws: LocalApp, queue: str = "ReportQueue") -> int:
    url = aws.stack.context.refs[queue]
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def drain(aws: LocalApp) -> int:
    """What Lambda's event source mapping does: one batch to the drain function."""
    [subscription] = aws.stack.template.subscriptions
    return queues.deliver(aws.runtime, aws.stack, subscription)


def test_a_table_that_keeps_throttling_queues_the_report_and_the_drain_stores_it_once(
    registered: ReferenceClient, post: Any, aws: LocalApp, throttled: Throttle
) -> None:
    faults = throttled("TelemetryTable")
    response = post("/telemetry/report", three_items(), headers_for(registered))
    faults.rates.clear()  # the table recovers

    assert response["statusCode"] == 200
    assert (stored(aws), waiting(aws)) == ([], 1)
    assert drain(aws) == 1
    assert len(stored(aws)) == ITEMS
    assert (waiting(aws), drain(aws)) == (0, 0)


def test_unprocessed_batches_count_as_failing_storage(
    registered: ReferenceClient, post: Any, aws: LocalApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = aws.runtime.module("TelemetryReport").route.config.storing.items.table
    real = table.client

    class Unprocessed:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
            return {"UnprocessedItems": RequestItems}

    monkeypatch.setattr(table, "_client", Unprocessed)
    previous = clock_module.install(ManualClock(datetime.now(UTC)))
    try:
        response = post("/telemetry/report", three_items(), headers_for(registered))
    finally:
        clock_module.install(previous)

    assert (response["statusCode"], waiting(aws)) == (200, 1)


def test_a_report_is_503_only_when_the_queue_fails_too(
    registered: ReferenceClient, post: Any, aws: LocalApp, throttled: Throttle
) -> None:
    throttled("TelemetryTable")
    throttled("ReportQueue", services=("sqs",))

    response = post("/telemetry/report", three_items(), headers_for(registered))

    assert (response["statusCode"], json_body(response)) == (503, {"error": "storage temporarily unavailable"})
    assert (stored(aws), waiting(aws)) == ([], 0)


def test_a_report_too_large_for_one_message_travels_through_s3(
    registered: ReferenceClient, post: Any, aws: LocalApp, throttled: Throttle
) -> None:
    incompressible = json.dumps({"blob": "".join(f"{n:08x}" for n in range(50_000))})  # 400 kB, ~200 kB gzipped
    faults = throttled("TelemetryTable")

    assert post("/telemetry/report", report(bundle(item(incompressible))), headers_for(registered))["statusCode"] == 200
    faults.rates.clear()
    assert drain(aws) == 1

    [record] = stored(aws)
    assert record["dataSize"] == len(incompressible)


def test_with_the_registrations_unreadable_the_token_is_checked_when_the_queue_is_drained(
    registered: ReferenceClient, post: Any, aws: LocalApp, throttled: Throttle
) -> None:
    faults = throttled("RegistrationsTable", "TelemetryTable")
    superseded = post("/telemetry/report", three_items('{"v":1}'), headers_for(registered))
    faults.rates.clear()
    registered.authenticate()  # a new token: the one the first report came with is no longer accepted
    faults.rates.update({"dynamodb": 1.0})
    current = post("/telemetry/report", three_items('{"v":2}'), headers_for(registered))
    faults.rates.clear()

    assert (superseded["statusCode"], current["statusCode"], waiting(aws)) == (200, 200, 2)
    assert drain(aws) == 2
    assert [entry["data"] for entry in stored(aws)] == ['{"v":2}'] * ITEMS  # the superseded one was refused
    assert waiting(aws) == 1  # it waits for the dead-letter queue


def test_invalid_reports_are_refused_before_anything_is_queued(
    registered: ReferenceClient, post: Any, aws: LocalApp, throttled: Throttle
) -> None:
    throttled("TelemetryTable")

    response = post("/telemetry/report", b'{"header":', headers_for(registered))

    assert response["statusCode"] == 400
    assert waiting(aws) == 0


def test_the_drain_refuses_a_message_it_cannot_read_so_it_reaches_the_dead_letter_queue(aws: LocalApp) -> None:
    boto3.client("sqs").send_message(QueueUrl=aws.stack.context.refs["ReportQueue"], MessageBody="not json")

    assert drain(aws) == 1
    assert waiting(aws) == 1  # still there, invisible until its next attempt
