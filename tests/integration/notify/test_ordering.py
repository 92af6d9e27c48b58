"""Concurrent Dispatches on one circuit: none refused, every message stored once, in one gapless order, all
delivered to the Master in that order."""

from __future__ import annotations

import base64
import threading
from typing import Any

import boto3
import pytest

from local.app import LocalApp
from support.notify import body_of
from telemetry_gateway.notify import dispatch
from tests.integration.notify.conftest import Credentials, FunctionKilled, Relay


@pytest.mark.parametrize("senders", [12, 64, 256])
def test_concurrent_dispatches_are_all_delivered_once_in_arrival_order(
    aws: LocalApp, relay: Relay, creds: Credentials, monkeypatch: pytest.MonkeyPatch, senders: int
) -> None:
    def die_after_storing(*_: Any) -> None:
        raise FunctionKilled  # stop each Dispatch once its message is durable, leaving it pending

    monkeypatch.setattr(dispatch, "wait_for", die_after_storing)
    statuses: list[int] = []
    start = threading.Barrier(senders)

    def send(n: int) -> None:
        start.wait()
        statuses.append(relay.dispatch(creds, f"message {n}")["statusCode"])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    delivered: list[tuple[str, bytes]] = []
    last: str | None = None
    while True:
        response = relay.listen(creds.secret, last=last)
        if response["statusCode"] != 200:
            break
        last = response["headers"]["X-Message-Id"]
        delivered.append((last, base64.b64decode(body_of(response).split(b"\n\n", 1)[1])))

    assert statuses == [500] * senders  # each stopped after its write
    assert response["statusCode"] == 502
    assert sorted(body for _, body in delivered) == sorted(f"message {n}".encode() for n in range(senders))
    assert len({message_id for message_id, _ in delivered}) == senders
    assert [sequence_number(aws, message_id) for message_id, _ in delivered] == list(range(1, senders + 1))


def sequence_number(aws: LocalApp, message_id: str) -> int:
    table = aws.stack.context.refs["NotifyMailboxTable"]
    key = {"pk": {"S": f"id#{message_id}"}, "sk": {"S": "id"}}
    return int(boto3.client("dynamodb").get_item(TableName=table, Key=key)["Item"]["seq"]["N"])
