"""POST /MailboxPost: the checks in the spec's order, and exactly one reply per message."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest

from local.app import LocalApp
from support.notify import ScriptedClock, body_of, form
from tests.integration.notify.conftest import ENDPOINT, Credentials, Relay


def pending_id(relay: Relay, creds: Credentials, body: str = "question") -> str:
    relay.strand(creds, body)
    return str(relay.listen(creds.secret)["headers"]["X-Message-Id"])


def refusal(response: dict[str, Any]) -> tuple[int, bytes]:
    return response["statusCode"], body_of(response)


def message_state(aws: LocalApp, seq: int = 1) -> str:
    table = aws.stack.context.refs["NotifyMailboxTable"]
    key = {"pk": {"S": "circuit#demo"}, "sk": {"S": f"m#{seq:020d}"}}
    return str(boto3.client("dynamodb").get_item(TableName=table, Key=key)["Item"]["state"]["S"])


def test_referer_and_secret_come_first(relay: Relay, creds: Credentials) -> None:
    assert refusal(relay.post("wrong", "", referer="http://elsewhere")) == (
        403,
        b"Forbidden: Referer does not match the endpoint URL\n",
    )
    assert refusal(relay.post("wrong", "")) == (403, b"Forbidden: invalid secret\n")


def test_a_reply_over_the_limit_is_413_before_anything_else(relay: Relay, creds: Credentials) -> None:
    half = "x" * 131072

    assert refusal(relay.post(creds.secret, "", headers="bad line", data=half + half + "x")) == (
        413,
        b"Payload Too Large: limit is 262144 bytes\n",
    )


def test_the_limit_counts_decoded_bytes(relay: Relay, creds: Credentials) -> None:
    message = pending_id(relay, creds)

    response = relay.post(creds.secret, message, data=b"\xff" * 262144)  # 786,432 bytes on the wire

    assert response["statusCode"] == 200


def test_a_missing_or_empty_id_is_400(relay: Relay, creds: Credentials) -> None:
    absent = relay.call("/MailboxPost/", form(secret=creds.secret, data="x"), {"Referer": ENDPOINT})

    assert refusal(absent) == (400, b"Bad Request: missing id\n")
    assert refusal(relay.post(creds.secret, "")) == (400, b"Bad Request: missing id\n")


def test_an_invalid_header_line_is_400_before_the_id_is_looked_up(relay: Relay, creds: Credentials) -> None:
    response = relay.post(creds.secret, "20150721150420.22587_1.sample-server", headers="Good: one\nBad line")

    assert refusal(response) == (400, b"Bad Request: invalid reply header line 2\n")


def test_unknown_ids_are_404(relay: Relay, creds: Credentials, issue: Any) -> None:
    other = issue("other@telemetry", "other")
    elsewhere = pending_id(relay, other)

    for message_id in ("20150721150420.22587_1.sample-server", elsewhere, "garbage", "9" * 3000):
        assert refusal(relay.post(creds.secret, message_id)) == (404, b"Not Found: unknown message id\n")
    assert relay.post(other.secret, elsewhere)["statusCode"] == 200


def test_the_first_reply_wins_and_a_second_is_409(aws: LocalApp, relay: Relay, creds: Credentials) -> None:
    message = pending_id(relay, creds)

    first = relay.post(creds.secret, message, "A: 1", "first")
    second = relay.post(creds.secret, message, "A: 2", "second")

    assert refusal(first) == (200, b"OK\n")
    assert first["headers"]["X-Message-Id"] == message
    assert refusal(second) == (409, b"Conflict: message already answered\n")
    assert message_state(aws) == "replied"


def test_concurrent_replies_store_exactly_one(relay: Relay, creds: Credentials) -> None:
    message = pending_id(relay, creds)
    statuses: list[int] = []

    def reply(n: int) -> None:
        statuses.append(relay.post(creds.secret, message, f"N: {n}", str(n))["statusCode"])

    threads = [threading.Thread(target=reply, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] + [409] * 7


def test_a_reply_after_the_dispatch_gave_up_is_410(aws: LocalApp, relay: Relay, creds: Credentials) -> None:
    timed_out = relay.dispatch(creds)
    message = timed_out["headers"]["X-Message-Id"]

    assert refusal(relay.post(creds.secret, message, data="too late")) == (410, b"Gone: message expired\n")
    assert message_state(aws) == "expired"


def test_a_pending_message_past_its_deadline_is_410_and_gets_marked(
    aws: LocalApp, relay: Relay, creds: Credentials, clock: ScriptedClock
) -> None:
    message = pending_id(relay, creds)  # its Dispatch died, so nothing marked it
    clock.advance(25)

    assert refusal(relay.post(creds.secret, message)) == (410, b"Gone: message expired\n")
    assert message_state(aws) == "expired"
    assert refusal(relay.post(creds.secret, message)) == (410, b"Gone: message expired\n")


def test_data_is_percent_decoded_to_bytes_and_missing_fields_are_empty(
    relay: Relay, creds: Credentials, clock: ScriptedClock
) -> None:
    responses: dict[str, Any] = {}

    def master() -> None:
        message = relay.listen(creds.secret)["headers"]["X-Message-Id"]
        body = f"secret={creds.secret}&id={message}&data=caf%C3%A9+%2B+%FF"
        responses["post"] = relay.call("/MailboxPost", body, {"Referer": ENDPOINT})

    clock.on_sleep(master)

    dispatched = relay.dispatch(creds)

    assert responses["post"]["statusCode"] == 200
    assert body_of(dispatched) == b"\ncaf\xc3\xa9 + \xff"


@pytest.mark.parametrize(
    ("sent", "received"),
    [
        ("A: 1\r\nB: 2\rC: 3\n\nD: 4", "A: 1\nB: 2\nC: 3\nD: 4\n\n"),
        ("Connection: X-Hidden\nX-Hidden: h\nContent-Length: 9\nX-Saw-User: forged\nShown: s", "Shown: s\n\n"),
    ],
)
def test_reply_headers_reach_the_client_sanitised(
    relay: Relay, creds: Credentials, clock: ScriptedClock, sent: str, received: str
) -> None:
    def master() -> None:
        relay.post(creds.secret, relay.listen(creds.secret)["headers"]["X-Message-Id"], sent, "")

    clock.on_sleep(master)

    dispatched = relay.dispatch(creds)

    assert body_of(dispatched).decode() == received
    assert dispatched["headers"]["X-Saw-User"] == "atest@telemetry"
