"""Reading a circuit's mailbox (for `tgw console`): its live messages, newest first, with their states.

Messages live for the message TTL (an hour by default), so a circuit's live messages are its newest ones:
reading back from the last sequence number taken and stopping at the first message past its TTL keeps the
cost to what is live, although moto never purges and DynamoDB purges late.
"""

from __future__ import annotations

from datetime import datetime

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify.mailbox_store import MailboxStore
from telemetry_gateway.notify.records import VOID, Message, epoch_seconds
from telemetry_gateway.storage.table import Table


def live_messages(
    table: Table, circuit: str, now: datetime, limit: int, deadline: Deadline
) -> tuple[list[Message], bool]:
    """Up to `limit` live messages of the circuit, newest first, and whether more exist. Voids (sequence
    numbers nobody wrote) are skipped; a message's state is as stored (see Message.state_at)."""
    store = MailboxStore(table)
    now_s = epoch_seconds(now)
    found: list[Message] = []
    for message in store.slots(circuit, store.last_taken(circuit, deadline) + 1, deadline, after=False):
        if message.expires_at <= now_s:
            break
        if message.state == VOID:
            continue
        if len(found) == limit:
            return found, True
        found.append(message)
    return found, False
