"""POST /Dispatch: credentials, limits, the stored message, the 504, ids and the expiry race."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from local.app import LocalApp
from support.notify import ScriptedClock, body_of
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify import dispatch
from telemetry_gateway.notify.config import DispatchConfig
from telemetry_gateway.notify.mailbox_store import MailboxStore
from telemetry_gateway.notify.records import REPLIED, Reply
from telemetry_gateway.storage.errors import StorageUnavailable
from tests.integration.notify.conftest import Credentials, Relay

ARRIVAL = datetime(2025, 7, 30, 13, 1, 13, tzinfo=UTC)  # when the scripted clock starts


def mailbox_item(aws: LocalApp, pk: str, sk: str) -> dict[str, Any] | None:
    table = aws.stack.context.refs["NotifyMailboxTable"]
    item = boto3.client("dynamodb").get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": sk}}).get("Item")
    return dict(item) if item else None


def test_unknown_malformed_or_revoked_cookies_are_one_403(relay: Relay, creds: Credentials, issue: Any) -> None:
    other = issue("other@telemetry", "other")
    cases = [
        Credentials("KA" + "a" * 43, creds.kc, ""),
        Credentials(creds.ka, "KC" + "a" * 43, ""),
        Credentials(creds.kc, creds.ka, ""),  # swapped: each is looked up as what its position says
        Credentials(creds.ka[:-4], creds.kc, ""),
        Credentials(creds.ka, creds.kc + "!", ""),
        Credentials(creds.ka, other.secret, ""),
    ]
    for bad in cases:
        response = relay.dispatch(bad)
        assert (response["statusCode"], body_of(response)) == (403, b"Forbidden: invalid credentials\n")
        assert response["headers"]["Access-Control-Allow-Origin"] == "*"


def test_a_body_over_the_limit_is_413_and_stores_nothing(aws: LocalApp, relay: Relay, creds: Credentials) -> None:
    response = relay.dispatch(creds, "x" * (262144 + 1))

    assert (response["statusCode"], body_of(response)) == (413, b"Payload Too Large: limit is 262144 bytes\n")
    assert mailbox_item(aws, "circuit#demo", "head") is None


def test_body_and_kept_headers_at_the_limit_are_accepted(relay: Relay, creds: Credentials) -> None:
    host = len("Host: 127.0.0.1:3000")  # the one header of these requests the relay keeps

    assert relay.dispatch(creds, "x" * (262144 - host))["statusCode"] == 504


def test_headers_count_with_the_body_against_the_limit(aws: LocalApp, relay: Relay, creds: Credentials) -> None:
    """250 KiB of body and twenty 10 KB headers: too large for one item together, answered 413 (was a 500)."""
    headers = {f"X-Padding-{n}": "h" * 10_000 for n in range(20)}

    response = relay.dispatch(creds, "x" * (250 * 1024), **headers)

    assert (response["statusCode"], body_of(response)) == (413, b"Payload Too Large: limit is 262144 bytes\n")
    assert mailbox_item(aws, "circuit#demo", "head") is None


def test_no_reply_within_the_window_is_504_and_the_message_expires(
    aws: LocalApp, relay: Relay, creds: Credentials, clock: ScriptedClock
) -> None:
    response = relay.dispatch(creds, "hello", **{"X-Forwarded-For": "10.0.0.1", "Connection": "keep-alive"})

    assert response["statusCode"] == 504
    assert body_of(response) == b"Gateway Timeout: no reply from the Master within 25 seconds\n"
    assert response["headers"]["X-Message-Id"] == "20250730130113.1_1.local"
    assert response["headers"]["Access-Control-Allow-Origin"] == "*"
    # The whole window, cut to the function's remaining time (28 s timeout minus the 3 s margin).
    assert 24.5 <= clock.monotonic() <= 25.5
    stored = mailbox_item(aws, "circuit#demo", "m#00000000000000000001")
    assert stored is not None
    assert stored["state"] == {"S": "expired"}
    assert "pendingSeq" not in stored
    assert stored["body"] == {"B": b"hello"}
    assert stored["user"] == {"S": "atest@telemetry"}
    assert stored["expiresAt"] == {"N": str(int(ARRIVAL.timestamp()) + 3600)}
    assert [h["S"].split(":")[0] for h in stored["headers"]["L"]] == ["Host"]


def test_each_execution_environment_takes_a_new_process_number(aws: LocalApp, relay: Relay, creds: Credentials) -> None:
    first = relay.dispatch(creds)["headers"]["X-Message-Id"]
    second = relay.dispatch(creds)["headers"]["X-Message-Id"]
    aws.runtime.cold_start("NotifyDispatch")  # a new Lambda environment
    third = relay.dispatch(creds)["headers"]["X-Message-Id"]

    assert [i.split(".")[1] for i in (first, second, third)] == ["1_1", "1_2", "2_1"]


def test_an_id_clash_moves_on_to_the_next_count(aws: LocalApp, relay: Relay, creds: Credentials) -> None:
    table = aws.stack.context.refs["NotifyMailboxTable"]
    taken = {"pk": {"S": "id#20250730130113.1_1.local"}, "sk": {"S": "id"}, "circuit": {"S": "elsewhere"}}
    boto3.client("dynamodb").put_item(TableName=table, Item=taken)

    response = relay.dispatch(creds)

    assert response["headers"]["X-Message-Id"] == "20250730130113.1_2.local"
    assert mailbox_item(aws, "circuit#demo", "m#00000000000000000001") is not None


def test_a_reply_stored_as_the_window_closes_is_still_delivered(
    creds: Credentials, clock: ScriptedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Master wins the race against the expiry: its reply lands after the last poll."""
    real_expire = MailboxStore.expire

    def reply_first(store: MailboxStore, circuit: str, seq: int, deadline: Deadline) -> str | None:
        located = store.locate(circuit, "20250730130113.1_1.local", 0, deadline)
        assert located is not None
        store.store_reply(circuit, located, Reply(("Late: yes",), b"just in time"), 0, "t", deadline)
        return real_expire(store, circuit, seq, deadline)

    monkeypatch.setattr(MailboxStore, "expire", reply_first)
    request = dispatch.DispatchRequest(creds.ka, creds.kc, b"hi", [])
    config, deadline = DispatchConfig.from_env(), Deadline.after(clock, 25)

    sender = dispatch.authenticate(request, config, deadline)
    answer = dispatch.dispatch(request, sender, config, clock, deadline)

    assert answer.reply == Reply(("Late: yes",), b"just in time")
    assert real_expire(config.stores.mailbox, "demo", 1, Deadline.after(clock, 1)) == REPLIED


def test_a_number_not_written_within_the_cutoff_is_left_for_a_new_one(
    aws: LocalApp, relay: Relay, creds: Credentials, clock: ScriptedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Throttled past WRITE_CUTOFF_SECONDS, a Dispatch takes the next number; its first stays a hole."""
    real_write = MailboxStore.write

    def throttled_first(store: MailboxStore, message: Any, deadline: Deadline) -> None:
        if message.seq == 1:
            clock.advance(deadline.remaining() + 0.1)  # the cutoff passes while the write is retried
            raise StorageUnavailable("throttled")
        real_write(store, message, deadline)

    monkeypatch.setattr(MailboxStore, "write", throttled_first)
    clock.on_sleep(lambda: relay.post(creds.secret, "20250730130113.1_1.local", data="ok"))

    response = relay.dispatch(creds)

    assert (response["statusCode"], body_of(response)) == (200, b"\nok")
    assert mailbox_item(aws, "circuit#demo", "m#00000000000000000001") is None
    assert mailbox_item(aws, "circuit#demo", "m#00000000000000000002") is not None


def test_storage_failures_are_503_and_faults_500(
    relay: Relay, creds: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(*_: Any) -> int:
        raise StorageUnavailable("throttled")

    monkeypatch.setattr(MailboxStore, "take_sequence", unavailable)
    assert body_of(relay.dispatch(creds)) == b"Service Unavailable: try again\n"

    monkeypatch.setattr(MailboxStore, "take_sequence", lambda *_: 1 / 0)
    response = relay.dispatch(creds)
    assert (response["statusCode"], body_of(response)) == (500, b"Internal Server Error\n")
    assert response["headers"]["Content-Type"] == "text/plain;charset=UTF-8"
