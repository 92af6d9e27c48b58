"""POST /MailboxListen: the Referer and secret checks, the cursor, the wait and the 502."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from local.app import LocalApp
from support.notify import ScriptedClock, body_of, form
from support.tgw import tgw_json
from tests.integration.notify.conftest import ENDPOINT, Credentials, Relay


def message_id(response: dict[str, Any]) -> str:
    assert response["statusCode"] == 200, body_of(response)
    return str(response["headers"]["X-Message-Id"])


def sent_body(response: dict[str, Any]) -> bytes:
    return base64.b64decode(body_of(response).split(b"\n\n", 1)[1])


@pytest.mark.parametrize(
    "referer",
    [ENDPOINT, "http://127.0.0.1:3000/", "HTTP://127.0.0.1:3000//", "configured-localhost", "configured-127"],
)
def test_referers_matching_an_endpoint_url_pass(
    relay: Relay, creds: Credentials, local_port: int, referer: str
) -> None:
    configured = {
        "configured-localhost": f"http://LOCALHOST:{local_port}/",
        "configured-127": f"http://127.0.0.1:{local_port}",
    }
    relay.strand(creds)

    assert relay.listen(creds.secret, referer=configured.get(referer, referer))["statusCode"] == 200


@pytest.mark.parametrize(
    "referer", [None, "", "http://127.0.0.1:3001", "https://127.0.0.1:3000", "http://127.0.0.1:3000/Prod", "evil"]
)
def test_other_referers_are_403_before_the_secret_is_checked(relay: Relay, referer: str | None) -> None:
    response = relay.listen("not a secret", referer=referer)

    assert (response["statusCode"], body_of(response)) == (403, b"Forbidden: Referer does not match the endpoint URL\n")
    assert response["headers"]["Access-Control-Allow-Origin"] == "*"


def test_missing_unknown_overlong_or_revoked_secrets_are_403(
    relay: Relay, creds: Credentials, aws: LocalApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = relay.call("/MailboxListen/", "last=", {"Referer": ENDPOINT})
    responses = [missing, relay.listen(""), relay.listen("KS" + "x" * 43), relay.listen(creds.secret + "x" * 300)]
    tgw_json(aws, monkeypatch, "notify", "circuit", "revoke", "--name", "demo")
    responses.append(relay.listen(creds.secret))

    for response in responses:
        assert (response["statusCode"], body_of(response)) == (403, b"Forbidden: invalid secret\n")


def test_without_a_cursor_the_oldest_pending_message_comes_and_listening_consumes_nothing(
    relay: Relay, creds: Credentials
) -> None:
    relay.strand(creds, "first")
    relay.strand(creds, "second")

    again = [relay.listen(creds.secret), relay.listen(creds.secret), relay.listen(creds.secret, last="")]

    assert {message_id(r) for r in again} == {message_id(again[0])}
    assert sent_body(again[0]) == b"first"


def test_a_cursor_walks_every_message_in_order_and_repeats_on_relisten(relay: Relay, creds: Credentials) -> None:
    for body in ("one", "two", "three"):
        relay.strand(creds, body)
    first = relay.listen(creds.secret)

    second = relay.listen(creds.secret, last=message_id(first))
    third = relay.listen(creds.secret, last=message_id(second))
    third_again = relay.listen(creds.secret, last=message_id(second))

    assert [sent_body(r) for r in (first, second, third)] == [b"one", b"two", b"three"]
    assert message_id(third_again) == message_id(third)


def test_after_the_last_message_the_listen_waits_its_window_then_502(
    relay: Relay, creds: Credentials, clock: ScriptedClock
) -> None:
    relay.strand(creds)
    last = message_id(relay.listen(creds.secret))
    started = clock.monotonic()

    response = relay.listen(creds.secret, last=last)

    assert response["statusCode"] == 502
    assert body_of(response) == b"Bad Gateway: no message arrived within 25 seconds; listen again\n"
    assert response["headers"]["Access-Control-Allow-Origin"] == "*"
    assert 24.5 <= clock.monotonic() - started <= 25.5


def test_a_message_that_arrives_during_the_wait_is_delivered(
    relay: Relay, creds: Credentials, clock: ScriptedClock
) -> None:
    clock.on_sleep(lambda: relay.strand(creds, "arrived while listening"))

    response = relay.listen(creds.secret)

    assert sent_body(response) == b"arrived while listening"
    assert clock.monotonic() < 1


def test_unknown_cursors_count_as_absent(relay: Relay, creds: Credentials, issue: Any) -> None:
    other = issue("other@telemetry", "other")
    relay.strand(other, "elsewhere")
    elsewhere = message_id(relay.listen(other.secret))
    relay.strand(creds, "mine")

    for last in ("20150721150420.22587_1.sample-server", elsewhere, "not an id", "x" * 5000):
        response = relay.listen(creds.secret, last=last)
        assert sent_body(response) == b"mine", last


def test_a_cursor_delivers_replied_and_expired_messages_with_their_state(
    relay: Relay, creds: Credentials, clock: ScriptedClock
) -> None:
    for body in ("a", "b", "c", "d"):
        relay.strand(creds, body)
    a = relay.listen(creds.secret)
    b = relay.listen(creds.secret, last=message_id(a))
    relay.post(creds.secret, message_id(b), "", "answer")

    without_cursor = relay.listen(creds.secret)  # a is still the oldest pending
    b_again = relay.listen(creds.secret, last=message_id(a))
    clock.advance(30)  # past every deadline; nothing marked them
    c = relay.listen(creds.secret, last=message_id(b))
    none_pending = relay.listen(creds.secret)

    assert message_id(without_cursor) == message_id(a)
    assert b_again["headers"]["X-Message-State"] == "replied"
    assert (sent_body(c), c["headers"]["X-Message-State"]) == (b"c", "expired")
    assert none_pending["statusCode"] == 502


def test_replied_messages_are_skipped_without_a_cursor(relay: Relay, creds: Credentials) -> None:
    relay.strand(creds, "a")
    relay.strand(creds, "b")
    relay.post(creds.secret, message_id(relay.listen(creds.secret)), "", "done")

    assert sent_body(relay.listen(creds.secret)) == b"b"


def test_fields_may_come_in_the_query_string_and_the_body_wins(relay: Relay, creds: Credentials) -> None:
    relay.strand(creds)

    from_query = relay.call(f"/MailboxListen/?secret={creds.secret}", "", {"Referer": ENDPOINT})
    body_wins = relay.call(f"/MailboxListen?secret={creds.secret}", form(secret="wrong"), {"Referer": ENDPOINT})
    repeated = relay.call("/MailboxListen", f"secret={creds.secret}&secret=wrong", {"Referer": ENDPOINT})

    assert from_query["statusCode"] == 200
    assert body_wins["statusCode"] == 403
    assert repeated["statusCode"] == 200
