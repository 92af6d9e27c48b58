"""MailboxListen and MailboxPost (spec section 8): what a circuit's Master may read and answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify import credentials, errors, sequence
from telemetry_gateway.notify.headers import sanitised_reply_headers
from telemetry_gateway.notify.mailbox_store import MailboxStore, ReplyRefused
from telemetry_gateway.notify.message_ids import well_formed
from telemetry_gateway.notify.polling import wait_for
from telemetry_gateway.notify.records import PENDING, REPLIED, Located, Message, Reply, epoch_ms, epoch_seconds
from telemetry_gateway.notify.wire import MasterRequest, referer_matches
from telemetry_gateway.observability import metrics

if TYPE_CHECKING:
    from telemetry_gateway.clock import Clock
    from telemetry_gateway.notify.config import ListenConfig, PostConfig, Stores


def authorise(request: MasterRequest, stores: Stores, deadline: Deadline) -> str:
    """The circuit the request may act on: the Referer first, then the secret (section 8.1)."""
    if not referer_matches(request.referer, request.endpoints):
        raise errors.referer_mismatch()
    circuit = credentials.secret_owner(stores.directory, request.text("secret"), deadline)
    if circuit is None:
        raise errors.invalid_secret()
    return circuit


def listen(request: MasterRequest, circuit: str, config: ListenConfig, clock: Clock, deadline: Deadline) -> Message:
    """The next message after the `last` cursor, or the oldest pending one without a usable cursor,
    waiting up to the listen window for one. Read-only but for closing a sequence number that its Dispatch
    never wrote: listening again with the same `last` gives the same message."""
    mailbox = config.stores.mailbox
    cursor = _locate(mailbox, circuit, request.text("last"), clock, deadline)

    def next_message() -> Message | None:
        now_ms = epoch_ms(clock.now())
        if cursor is None:
            return sequence.first_pending(mailbox, circuit, now_ms, deadline)
        return sequence.next_after(mailbox, circuit, cursor.seq, now_ms, deadline)

    began = clock.monotonic()
    message = wait_for(next_message, Deadline.after(clock, config.window_seconds).earliest(deadline))
    metrics.add_metric(name="ListenWait", unit=MetricUnit.Milliseconds, value=(clock.monotonic() - began) * 1000)
    if message is None:
        raise errors.no_message(config.window_seconds)
    metrics.add_metric(name="MessagesDelivered", unit=MetricUnit.Count, value=1)
    return message


def post(request: MasterRequest, circuit: str, config: PostConfig, clock: Clock, deadline: Deadline) -> str:
    """Store the Master's reply to one message (the first valid one wins); returns the message id."""
    headers, data = request.fields.get("headers", b""), request.fields.get("data", b"")
    if len(headers) + len(data) > config.reply_limit_bytes:
        raise errors.payload_too_large(config.reply_limit_bytes)
    message_id = request.text("id")
    if not request.fields.get("id"):
        raise errors.missing_id()
    reply = Reply(sanitised_reply_headers(headers), data)
    mailbox = config.stores.mailbox
    located = _locate(mailbox, circuit, message_id, clock, deadline)
    if message_id is None or located is None:
        raise errors.unknown_message()
    now = clock.now()
    try:
        mailbox.store_reply(circuit, located, reply, epoch_ms(now), now.isoformat(timespec="milliseconds"), deadline)
    except ReplyRefused as refused:
        state = refused.state
        if state == PENDING:  # past its deadline, not yet marked
            state = mailbox.expire(circuit, located.seq, deadline)
        if state is None:
            raise errors.unknown_message() from None
        raise (errors.already_answered() if state == REPLIED else errors.message_expired()) from None
    metrics.add_metric(name="RepliesStored", unit=MetricUnit.Count, value=1)
    return message_id


def _locate(
    mailbox: MailboxStore, circuit: str, message_id: str | None, clock: Clock, deadline: Deadline
) -> Located | None:
    """A live message of this circuit by id; anything else (malformed, another circuit's, past its TTL)
    is unknown."""
    if not message_id or not well_formed(message_id):
        return None
    return mailbox.locate(circuit, message_id, epoch_seconds(clock.now()), deadline)
