"""POST /Dispatch (spec section 7): store the Client's message in order, then wait for the reply."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify import credentials, errors
from telemetry_gateway.notify.headers import kept_request_headers
from telemetry_gateway.notify.mailbox_store import IdTaken, MailboxStore, SequenceVoided
from telemetry_gateway.notify.polling import wait_for
from telemetry_gateway.notify.records import PENDING, REPLIED, Message, Reply, epoch_ms, epoch_seconds
from telemetry_gateway.notify.sequence import WRITE_CUTOFF_SECONDS
from telemetry_gateway.observability import metrics
from telemetry_gateway.storage.errors import StorageUnavailable

if TYPE_CHECKING:
    from telemetry_gateway.clock import Clock
    from telemetry_gateway.notify.config import DispatchConfig
    from telemetry_gateway.notify.message_ids import MessageIds


@dataclass(frozen=True)
class DispatchRequest:
    """A Dispatch as received: the cookies from the path, the body and the headers."""

    ka: str
    kc: str
    body: bytes  # exactly as received
    headers: list[tuple[str, str]]  # in arrival order, one pair per value


@dataclass(frozen=True)
class Sender:
    """Who dispatches (KA) on which circuit (KC), both authenticated."""

    user: str
    circuit: str


@dataclass(frozen=True)
class Answered:
    """The Master's reply to a dispatched message."""

    message_id: str
    user: str
    reply: Reply


def authenticate(request: DispatchRequest, config: DispatchConfig, deadline: Deadline) -> Sender:
    """The user (KA) and circuit (KC) the path names; one 403 for anything unknown, malformed or revoked."""
    directory = config.stores.directory
    user = credentials.cookie_owner(directory, credentials.KA, request.ka, deadline)
    circuit = credentials.cookie_owner(directory, credentials.KC, request.kc, deadline)
    if user is None or circuit is None:
        raise errors.invalid_credentials()
    return Sender(user, circuit)


def dispatch(
    request: DispatchRequest, sender: Sender, config: DispatchConfig, clock: Clock, deadline: Deadline
) -> Answered:
    """The Master's reply to the stored message, or 504 once the wait window (cut to the function's
    remaining time) ends without one."""
    headers = kept_request_headers(request.headers)
    # The Client's headers travel with the body in one item: together they must fit the limit (which keeps
    # the item below DynamoDB's 400 KB).
    if len(request.body) + sum(len(line.encode("utf-8")) for line in headers) > config.message_limit_bytes:
        raise errors.payload_too_large(config.message_limit_bytes)
    arrival = clock.now()
    draft = Message(
        circuit=sender.circuit,
        seq=0,
        message_id=config.ids.next(arrival, deadline),
        user=sender.user,
        arrived_at=arrival.isoformat(timespec="milliseconds"),
        deadline_ms=epoch_ms(arrival + timedelta(seconds=config.wait_seconds)),
        expires_at=epoch_seconds(arrival + timedelta(seconds=config.message_ttl_seconds)),
        allocated_ms=0,
        state=PENDING,
        headers=headers,
        body=request.body,
    )
    mailbox = config.stores.mailbox
    message = _append(draft, mailbox, config.ids, clock, deadline)
    metrics.add_metric(name="MessagesDispatched", unit=MetricUnit.Count, value=1)
    window = Deadline.after(clock, config.wait_seconds).earliest(deadline)
    reply = wait_for(lambda: mailbox.reply(message.circuit, message.seq, deadline), window)
    # The window is over: expire the message, unless a reply was stored in the meantime.
    if reply is None and mailbox.expire(message.circuit, message.seq, deadline) == REPLIED:
        reply = mailbox.reply(message.circuit, message.seq, deadline)
    waited = (clock.now() - arrival).total_seconds() * 1000
    metrics.add_metric(name="DispatchWait", unit=MetricUnit.Milliseconds, value=waited)
    if reply is None:
        raise errors.no_reply(config.wait_seconds, message.message_id)
    metrics.add_metric(name="RepliesRelayed", unit=MetricUnit.Count, value=1)
    return Answered(message.message_id, sender.user, reply)


def _append(draft: Message, mailbox: MailboxStore, ids: MessageIds, clock: Clock, deadline: Deadline) -> Message:
    """Take the circuit's next sequence number and write the message there within WRITE_CUTOFF_SECONDS;
    a number not written in time (throttling) or closed by a listener is left behind for a new one."""
    message = draft
    while True:
        message = replace(message, seq=mailbox.take_sequence(draft.circuit, deadline))
        message = replace(message, allocated_ms=epoch_ms(clock.now()))
        cutoff = Deadline.after(clock, WRITE_CUTOFF_SECONDS).earliest(deadline)
        while True:
            try:
                mailbox.write(message, cutoff)
                return message
            except IdTaken:
                message = replace(message, message_id=ids.next(clock.now(), deadline))
            except (SequenceVoided, StorageUnavailable):
                if deadline.expired():
                    raise StorageUnavailable("the message could not be stored in time") from None
                break
