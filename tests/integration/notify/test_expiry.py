"""TTL: DynamoDB deletes lazily and moto never does, so every read treats items past `expiresAt` as gone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import boto3

from local.app import LocalApp
from support.clock import ManualClock
from support.notify import ScriptedClock, body_of
from telemetry_gateway.config import Env
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify import sequence
from telemetry_gateway.notify.config import Stores
from telemetry_gateway.notify.records import PENDING, Message, Reply, epoch_ms, epoch_seconds
from tests.integration.notify.conftest import Credentials, Relay

NOW = datetime(2025, 7, 30, 13, 1, 13, tzinfo=UTC)


def test_messages_past_their_ttl_are_unknown_though_still_stored(
    aws: LocalApp, relay: Relay, creds: Credentials, clock: ScriptedClock
) -> None:
    relay.strand(creds, "old")
    old = relay.listen(creds.secret)["headers"]["X-Message-Id"]
    clock.advance(3600)

    as_cursor = relay.listen(creds.secret, last=old)
    reply = relay.post(creds.secret, old, data="much too late")

    assert as_cursor["statusCode"] == 502  # unknown cursor = absent; nothing is pending
    assert (reply["statusCode"], body_of(reply)) == (404, b"Not Found: unknown message id\n")
    table = aws.stack.context.refs["NotifyMailboxTable"]
    assert boto3.client("dynamodb").scan(TableName=table, Select="COUNT")["Count"] == 4  # head, message, id, counter


def draft(seq: int, expires_at: int, deadline_ms: int) -> Message:
    return Message(
        circuit="demo",
        seq=seq,
        message_id=f"20250730130113.7_{seq}.local",
        user="atest@telemetry",
        arrived_at=NOW.isoformat(),
        deadline_ms=deadline_ms,
        expires_at=expires_at,
        allocated_ms=0,
        state=PENDING,
        headers=(),
        body=f"m{seq}".encode(),
    )


def test_store_reads_skip_items_past_ttl_or_deadline(aws: LocalApp) -> None:
    """Unequal lifetimes (a TTL setting changed between messages) must not hide a live successor."""
    mailbox, deadline = Stores.from_env(Env()).mailbox, Deadline.after(ManualClock(), 5)
    now_s, now_ms = epoch_seconds(NOW), epoch_ms(NOW)
    lifetimes = [
        (now_s + 60, now_ms + 25_000),
        (now_s - 1, now_ms - 1),
        (now_s - 1, now_ms - 1),
        (now_s + 60, now_ms - 1),
    ]
    lifetimes.append((now_s + 60, now_ms + 25_000))
    for seq, (expires_at, deadline_ms) in enumerate(lifetimes, start=1):
        assert mailbox.take_sequence("demo", deadline) == seq
        mailbox.write(draft(seq, expires_at, deadline_ms), deadline)

    after_first = sequence.next_after(mailbox, "demo", 1, now_ms, deadline)
    assert after_first is not None
    assert after_first.seq == 4  # 2 and 3 are past their TTL; 4 is live though past its deadline
    assert sequence.next_after(mailbox, "demo", 5, now_ms, deadline) is None
    assert mailbox.locate("demo", "20250730130113.7_2.local", now_s, deadline) is None
    assert mailbox.locate("other", "20250730130113.7_1.local", now_s, deadline) is None
    located = mailbox.locate("demo", "20250730130113.7_1.local", now_s, deadline)
    assert located is not None
    assert located.seq == 1

    mailbox.store_reply("demo", located, Reply((), b"r"), now_ms, "t", deadline)
    oldest = sequence.first_pending(mailbox, "demo", now_ms, deadline)
    assert oldest is not None
    assert oldest.seq == 5  # 1 replied; 2-4 past their deadlines
    assert replace(oldest, body=b"") == replace(draft(5, now_s + 60, now_ms + 25_000), body=b"")
