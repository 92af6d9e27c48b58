"""/report end to end on moto: authorisation order, decoding, idempotent durable storage, cost."""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from cli import telemetry_queries as queries
from support.clock import ManualClock
from support.events import api_event, json_body
from support.reports import BUNDLE_CLIENT_ID, ITEM_ID, bundle, item, report
from support.telemetry_client import ReferenceClient
from telemetry_gateway import aws
from telemetry_gateway import clock as clock_module
from telemetry_gateway.clock import SystemClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.telemetry.config import StoringConfig

DEADLINE = Deadline.after(SystemClock(), 600)
REGISTER_CHALLENGE = 'Bearer realm="suse-telemetry-service" scope="register"'
AUTHENTICATE_CHALLENGE = 'Bearer realm="suse-telemetry-service" scope="authenticate"'


@pytest.fixture
def registered(client: ReferenceClient) -> ReferenceClient:
    client.register()
    return client


def headers_for(client: ReferenceClient, **extra: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {client.token}",
        "X-Telemetry-Registration-Id": str(client.registration_id),
        **extra,
    }


def stored_items(aws_app: Any) -> list[dict[str, Any]]:
    table = boto3.resource("dynamodb").Table(aws_app.stack.context.refs["TelemetryTable"])
    return [entry for entry in table.scan()["Items"] if entry["kind"] == "item"]


def items_with(n: int, data: str = '{"version":1,"data":{}}') -> bytes:
    ids = [f"3f97d439-5212-4688-af22-{index:012x}" for index in range(n)]
    return report(bundle(*(item(data, telemetryId=i) for i in ids)))


def test_report_is_acknowledged_and_stored_verbatim(registered: ReferenceClient, post: Any, aws: Any) -> None:
    data = '{ "version": 1,\n "data": {"f": 1.0, "e": 1e3, "s": "caf\\u00e9 <&>"} }'

    response = post("/telemetry/report", report(bundle(item(data))), headers_for(registered))

    body = json_body(response)
    assert response["statusCode"] == 200
    assert list(body) == ["processingId", "processedAt"]
    assert body["processingId"] == 0
    [stored] = stored_items(aws)
    assert stored["data"] == data
    assert stored["telemetryId"] == ITEM_ID
    assert stored["registrationId"] == str(registered.registration_id)


@pytest.mark.parametrize(
    ("headers", "message", "challenge"),
    [
        ({}, "Client registration required", REGISTER_CHALLENGE),
        ({"Authorization": "Bearer "}, "Client registration required", REGISTER_CHALLENGE),
        ({"X-Telemetry-Registration-Id": "12"}, "Client registration required", REGISTER_CHALLENGE),
        (
            {"Authorization": "Bearer junk", "X-Telemetry-Registration-Id": "x"},
            "Invalid Authorization",
            AUTHENTICATE_CHALLENGE,
        ),
    ],
)
def test_missing_or_garbage_credentials(
    post: Any, aws: Any, headers: dict[str, str], message: str, challenge: str
) -> None:
    response = post("/telemetry/report", report(), headers)

    assert (response["statusCode"], json_body(response)) == (401, {"error": message})
    assert response["headers"]["WWW-Authenticate"] == challenge


def test_token_is_checked_before_the_registration_id(registered: ReferenceClient, post: Any) -> None:
    cases = [
        (
            headers_for(registered, **{"X-Telemetry-Registration-Id": "abc"}),
            "Invalid Registration Id",
            REGISTER_CHALLENGE,
        ),
        (
            headers_for(registered, **{"X-Telemetry-Registration-Id": "0"}),
            "Invalid Registration Id",
            REGISTER_CHALLENGE,
        ),
        (
            headers_for(registered, **{"X-Telemetry-Registration-Id": "42"}),
            "Invalid Registration Id",
            REGISTER_CHALLENGE,
        ),
        (
            headers_for(registered, **{"X-Telemetry-Registration-Id": f" {registered.registration_id} "}),
            None,
            None,
        ),
    ]
    for headers, message, challenge in cases:
        response = post("/telemetry/report", report(), headers)
        if message is None:
            assert response["statusCode"] == 200
            continue
        assert (response["statusCode"], json_body(response)) == (401, {"error": message})
        assert response["headers"]["WWW-Authenticate"] == challenge


def test_token_of_another_registration_is_refused(client: ReferenceClient, invoke: Any, post: Any) -> None:
    client.register()
    other = ReferenceClient(client.send)
    other.register()

    response = post(
        "/telemetry/report",
        report(),
        {**headers_for(other), "X-Telemetry-Registration-Id": str(client.registration_id)},
    )

    assert (response["statusCode"], json_body(response)) == (401, {"error": "Invalid Authorization"})
    assert response["headers"]["WWW-Authenticate"] == AUTHENTICATE_CHALLENGE


def test_only_the_latest_token_is_accepted(registered: ReferenceClient, post: Any) -> None:
    stale = headers_for(registered)
    assert registered.authenticate() == 200

    refused = post("/telemetry/report", report(), stale)
    accepted = post("/telemetry/report", report(), headers_for(registered))

    assert (refused["statusCode"], refused["headers"]["WWW-Authenticate"]) == (401, AUTHENTICATE_CHALLENGE)
    assert accepted["statusCode"] == 200


@pytest.fixture
def eight_days_ago() -> Iterator[ManualClock]:
    manual = ManualClock(datetime.now(UTC) - timedelta(days=8))
    previous = clock_module.install(manual)
    yield manual
    clock_module.install(previous)


def test_an_expired_token_sends_the_client_to_authenticate(
    client: ReferenceClient, eight_days_ago: ManualClock, post: Any
) -> None:
    client.register()
    clock_module.install(clock_module.SystemClock())

    response = post("/telemetry/report", report(), headers_for(client))

    assert (response["statusCode"], response["headers"]["WWW-Authenticate"]) == (401, AUTHENTICATE_CHALLENGE)


def test_reference_client_recovers_from_a_stale_token(registered: ReferenceClient, aws: Any) -> None:
    stale = registered.token
    assert registered.authenticate() == 200
    registered.token = stale  # the client lost its refreshed token

    assert registered.report(report())["processingId"] == 0
    assert len(stored_items(aws)) == 1


def test_resubmission_stores_nothing_twice(registered: ReferenceClient, post: Any, aws: Any) -> None:
    body = items_with(30)

    first = post("/telemetry/report", body, headers_for(registered))
    second = post("/telemetry/report", body, headers_for(registered))

    assert (first["statusCode"], second["statusCode"]) == (200, 200)
    assert len(stored_items(aws)) == 30


def test_a_key_repeated_within_one_report_is_stored_once_with_its_first_data(
    registered: ReferenceClient, post: Any, aws: Any
) -> None:
    body = report(bundle(item('{"first":true}'), item('{"second":true}')))

    assert post("/telemetry/report", body, headers_for(registered))["statusCode"] == 200

    [stored] = stored_items(aws)
    assert stored["data"] == '{"first":true}'


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", lambda raw: gzip.compress(raw[:40]) + gzip.compress(raw[40:])),  # multi-member
        ("deflate", zlib.compress),
        ("deflate", lambda raw: zlib.compress(raw)[2:-4]),  # raw RFC 1951
        ("gzip", lambda raw: raw),  # already decoded by the front door, header left in place
    ],
)
def test_compressed_bodies_are_decoded(
    registered: ReferenceClient, invoke: Any, aws: Any, encoding: str, compress: Any
) -> None:
    function, event = api_event(
        "POST", "/telemetry/report", compress(report()), headers_for(registered, **{"Content-Encoding": encoding})
    )

    assert invoke(function, event)["statusCode"] == 200
    assert len(stored_items(aws)) == 1


def test_base64_bodies_from_the_gateway_are_decoded(registered: ReferenceClient, invoke: Any) -> None:
    function, event = api_event("POST", "/telemetry/report", report(), headers_for(registered))
    event["body"], event["isBase64Encoded"] = base64.b64encode(report()).decode(), True

    assert invoke(function, event)["statusCode"] == 200


def test_a_corrupt_compressed_body_is_a_400_not_a_500(registered: ReferenceClient, post: Any, invoke: Any) -> None:
    function, event = api_event(
        "POST",
        "/telemetry/report",
        gzip.compress(report())[:30],
        headers_for(registered, **{"Content-Encoding": "gzip"}),
    )

    response = invoke(function, event)

    assert (response["statusCode"], json_body(response)) == (400, {"error": "Failed to decompress request body"})


def test_a_body_over_the_decoded_cap_is_413(
    registered: ReferenceClient, invoke: Any, redeploy: Callable[..., None]
) -> None:
    redeploy(TELEMETRY_MAX_DECODED_BYTES="2048")
    body = gzip.compress(items_with(40))
    function, event = api_event(
        "POST", "/telemetry/report", body, headers_for(registered, **{"Content-Encoding": "gzip"})
    )

    response = invoke(function, event)

    assert (response["statusCode"], json_body(response)) == (413, {"error": "request body too large"})


def test_invalid_reports_are_400s_with_the_exact_reason(registered: ReferenceClient, post: Any, aws: Any) -> None:
    cases = {
        b'{"header":': "invalid request body: ",
        report(bundle(item(telemetryType="SLES"))): "report validation failed: "
        "telemetryBundles[0].telemetryDataItems[0].header.telemetryType must be at least 5 characters",
        report(bundle(item(footer={"checksum": "0" * 32}))): "checksum verification failed: bundle 0 item 0",
    }
    for body, message in cases.items():
        response = post("/telemetry/report", body, headers_for(registered))
        assert response["statusCode"] == 400
        assert json_body(response)["error"].startswith(message)
    assert stored_items(aws) == []


@pytest.mark.parametrize("annotations", [[], [""], None, "absent"])
def test_annotations_may_be_empty_absent_or_blank(registered: ReferenceClient, post: Any, annotations: Any) -> None:
    tags: dict[str, Any] = {} if annotations == "absent" else {"telemetryAnnotations": annotations}

    response = post("/telemetry/report", report(bundle(item(**tags))), headers_for(registered))

    assert response["statusCode"] == 200


def test_customer_ids_are_normalised(registered: ReferenceClient, post: Any, aws: Any) -> None:
    for index, customer in enumerate(["", "  ", " AnoNymous ", " acme "]):
        body = report(bundle(item(telemetryId=f"3f97d439-5212-4688-af22-{index:012x}"), bundleCustomerId=customer))
        assert post("/telemetry/report", body, headers_for(registered))["statusCode"] == 200

    assert Counter(entry["customerId"] for entry in stored_items(aws)) == {"ANONYMOUS": 3, "acme": 1}


def test_large_data_overflows_to_s3_and_reads_back(registered: ReferenceClient, post: Any, aws: Any) -> None:
    data = json.dumps({"blob": "x" * 300_000})

    assert post("/telemetry/report", report(bundle(item(data))), headers_for(registered))["statusCode"] == 200

    [stored] = stored_items(aws)
    assert "data" not in stored
    key = stored["pk"].removeprefix("item#")
    config = StoringConfig.from_env()
    assert queries.item_with_data(config.items.table, config.payloads, key, DEADLINE)["data"] == data


def test_stored_items_are_queryable_by_type_registration_and_sender(registered: ReferenceClient, post: Any) -> None:
    assert post("/telemetry/report", items_with(7), headers_for(registered))["statusCode"] == 200

    config = StoringConfig.from_env()
    table, shards, everything = (
        config.items.table,
        config.type_shards,
        (queries.EARLIEST, queries.LATEST, 100, DEADLINE),
    )
    by_type = queries.items_of_type(table, "SLE-SERVER-SCCHwInfo", shards, *everything)
    by_registration = queries.items_of_registration(table, registered.registration_id or 0, *everything)
    by_sender = queries.items_of_client(table, "1b504dca-bd71-424f-87f6-21eb7f5745db", *everything)
    assert len(by_type) == len(by_registration) == len(by_sender) == 7
    until_before = (queries.EARLIEST, "2025-07-30", 100, DEADLINE)
    assert queries.items_of_type(table, "SLE-SERVER-SCCHwInfo", shards, *until_before) == []


def test_a_report_costs_one_read_and_a_batch_write_per_25_records(registered: ReferenceClient, post: Any) -> None:
    post("/telemetry/report", report(), headers_for(registered))  # warm: the signing key is cached afterwards
    calls: Counter[str] = Counter()
    stop = aws.observe_calls(lambda service, operation, _params: calls.update([f"{service}.{operation}"]))
    try:
        assert post("/telemetry/report", items_with(30), headers_for(registered))["statusCode"] == 200
    finally:
        stop()

    # 30 items and the report's audit record: two batches.
    assert calls == {"dynamodb.GetItem": 1, "dynamodb.BatchWriteItem": 2}


HUGE = "x" * (450 * 1024)  # a single field far beyond DynamoDB's 400 KB item, in a body far below every limit


@pytest.mark.parametrize(
    ("body", "field", "value"),
    [
        (report(bundle(item(), bundleCustomerId=HUGE)), "customerId", HUGE),
        (report(bundle(item(telemetryType="T" + HUGE))), "telemetryType", "T" + HUGE),
        (report(bundle(item(telemetryTimeStamp=HUGE))), "telemetryTimeStamp", HUGE),
        (report(bundle(item(telemetryAnnotations=["a:" + HUGE]))), "telemetryAnnotations", ["a:" + HUGE]),
        (report(bundle(item(), bundleAnnotations=["b:" + HUGE[:250_000]] * 2)), "tags", ["b:" + HUGE[:250_000]]),
    ],
    ids=["bundleCustomerId", "telemetryType", "telemetryTimeStamp", "telemetryAnnotations", "bundleAnnotations"],
)
def test_a_report_with_one_huge_field_is_stored_whole(
    registered: ReferenceClient, post: Any, aws: Any, body: bytes, field: str, value: Any
) -> None:
    response = post("/telemetry/report", body, headers_for(registered))

    assert response["statusCode"] == 200
    [entry] = stored_items(aws)
    assert entry["truncated"] is True  # the item keeps its keys and a bounded summary, so indexes find it
    config = StoringConfig.from_env()
    whole = queries.item_with_data(config.items.table, config.payloads, entry["pk"].removeprefix("item#"), DEADLINE)
    assert whole[field] == value
    assert whole["data"] == '{"version":1,"data":{}}'
    assert queries.items_of_client(config.items.table, BUNDLE_CLIENT_ID, queries.EARLIEST, queries.LATEST, 10, DEADLINE)
