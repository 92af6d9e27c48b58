"""The whole relay on one thread: a Dispatch waits, the Master listens and replies during its wait."""

from __future__ import annotations

import base64
from typing import Any

from support.notify import ScriptedClock, body_of
from tests.integration.notify.conftest import ENDPOINT, Credentials, Relay

CORS = {
    "Content-Type": "text/plain;charset=UTF-8",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Message-Id, X-Telemetry-User, X-Message-State",
    "Cache-Control": "no-store",
}


def master_replies(relay: Relay, creds: Credentials, seen: dict[str, Any], headers: str, data: str | bytes) -> None:
    listened = relay.listen(creds.secret)
    seen["listen"] = listened
    seen["post"] = relay.post(creds.secret, listened["headers"]["X-Message-Id"], headers, data)


def test_the_reply_becomes_the_clients_response(relay: Relay, creds: Credentials, clock: ScriptedClock) -> None:
    seen: dict[str, Any] = {}
    clock.on_sleep(
        lambda: master_replies(relay, creds, seen, "Header: value\nHeader: value", "Message received loud and clear")
    )

    response = relay.dispatch(
        creds, "your%20message%20here", **{"User-Agent": "curl/8.5.0", "Accept": "*/*", "X-Message-Id": "forged"}
    )

    message_id = seen["listen"]["headers"]["X-Message-Id"]
    assert message_id == "20250730130113.1_1.local"
    assert response["statusCode"] == 200
    assert body_of(response) == b"Header: value\nHeader: value\n\nMessage received loud and clear"
    assert response["headers"] == CORS | {
        "X-Message-Id": message_id,
        "X-Telemetry-User": "atest@telemetry",
        "X-Saw-User": "atest@telemetry",
    }
    assert seen["post"]["statusCode"] == 200
    assert body_of(seen["post"]) == b"OK\n"
    assert seen["post"]["headers"] == CORS | {"X-Message-Id": message_id}


def test_the_master_sees_gateway_lines_client_headers_and_the_exact_body_in_base64(
    relay: Relay, creds: Credentials, clock: ScriptedClock
) -> None:
    seen: dict[str, Any] = {}
    clock.on_sleep(lambda: master_replies(relay, creds, seen, "", ""))

    relay.dispatch(creds, "your%20message%20here", **{"User-Agent": "curl/8.5.0", "Accept": "*/*"})

    listened = seen["listen"]
    message_id = listened["headers"]["X-Message-Id"]
    assert listened["statusCode"] == 200
    assert body_of(listened).decode() == (
        f"X-Message-Id: {message_id}\n"
        "Content-Transfer-Encoding: base64\n"
        "X-Telemetry-User: atest@telemetry\n"
        "Host: 127.0.0.1:3000\n"
        "User-Agent: curl/8.5.0\n"
        "Accept: */*\n"
        "\n"
        "eW91ciUyMG1lc3NhZ2UlMjBoZXJl"
    )
    assert listened["headers"] == CORS | {
        "X-Message-Id": message_id,
        "X-Telemetry-User": "atest@telemetry",
        "X-Message-State": "pending",
    }


def test_an_empty_reply_starts_with_the_blank_line(relay: Relay, creds: Credentials, clock: ScriptedClock) -> None:
    clock.on_sleep(lambda: master_replies(relay, creds, {}, "", ""))

    assert body_of(relay.dispatch(creds)) == b"\n"


def test_binary_bodies_cross_both_ways_unchanged(relay: Relay, creds: Credentials, clock: ScriptedClock) -> None:
    sent = bytes(range(256))
    seen: dict[str, Any] = {}
    clock.on_sleep(
        lambda: master_replies(relay, creds, seen, "Content-Type: application/octet-stream", b"\xff\x00\xfe")
    )

    response = relay.dispatch(creds, sent, **{"Content-Type": "application/octet-stream"})

    assert base64.b64decode(body_of(seen["listen"]).split(b"\n\n", 1)[1]) == sent
    assert response["isBase64Encoded"] is True  # not UTF-8: API Gateway turns it back into bytes
    assert body_of(response) == b"Content-Type: application/octet-stream\n\n\xff\x00\xfe"


def test_replies_go_to_the_dispatch_they_answer(relay: Relay, creds: Credentials, clock: ScriptedClock) -> None:
    """Two Dispatches wait at once; the Master answers them in the opposite order."""
    responses: dict[str, Any] = {}

    def master() -> None:
        first = relay.listen(creds.secret)
        second = relay.listen(creds.secret, last=first["headers"]["X-Message-Id"])
        for listened in (second, first):
            body = base64.b64decode(body_of(listened).split(b"\n\n", 1)[1])
            relay.post(creds.secret, listened["headers"]["X-Message-Id"], "", b"answer to " + body)

    clock.on_sleep(lambda: responses.setdefault("b", relay.dispatch(creds, "b")))
    clock.on_sleep(master)

    responses["a"] = relay.dispatch(creds, "a")

    assert body_of(responses["a"]) == b"\nanswer to a"
    assert body_of(responses["b"]) == b"\nanswer to b"
    assert responses["a"]["headers"]["X-Message-Id"] != responses["b"]["headers"]["X-Message-Id"]


def test_mailbox_routes_answer_with_and_without_trailing_slash(relay: Relay, creds: Credentials) -> None:
    for path in ("/MailboxListen", "/MailboxListen/", "/MailboxPost", "/MailboxPost/"):
        response = relay.call(path, f"secret={creds.secret}&id=20250730130113.9_9.local", {"Referer": ENDPOINT})
        assert response["statusCode"] in (404, 502), path
