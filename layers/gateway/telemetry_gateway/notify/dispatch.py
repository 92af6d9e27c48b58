"""POST /Dispatch (spec section 7): store the Client's message in order, then wait for the reply."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.clock import Clock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify import credentials, errors
from telemetry_gateway.notify.headers import kept_request_headers
from telemetry_gateway.notify.message_ids import MessageIds
from telemetry_gateway.notify.polling import wait_for
from telemetry_gateway.notify.records import PENDING, REPLIED, Message, Reply, epoch_ms, epoch_seconds
from telemetry_gateway.notify.settings import NotifySettings
from telemetry_gateway.observability import metrics
from telemetry_gateway.storage.errors import StorageUnavailable
from telemetry_gateway.storage.mailbox import IdTaken, MailboxStore, SequenceTaken
from telemetry_gateway.storage.notify_directory import DirectoryStore
from telemetry_gateway.storage.retry import backoff_delays

# Many Dispatches on one circuit contend for its next sequence number; bounding the retries by time
# rather than by attempts lets all of them through.
SEQUENCE_CONTENTION_SECONDS = 5.0


@dataclass(frozen=True)
class DispatchRequest:
    ka: str
    kc: str
    body: bytes  # exactly as received
    headers: list[tuple[str, str]]  # in arrival order, one pair per value


@dataclass(frozen=True)
class Answered:
    message_id: str
    user: str
    reply: Reply


def dispatch(
    request: DispatchRequest,
    directory: DirectoryStore,
    mailbox: MailboxStore,
    ids: MessageIds,
    settings: NotifySettings,
    clock: Clock,
    deadline: Deadline,
) -> Answered:
    """The Master's reply to the stored message, or 504 once the wait window (cut to the function's
    remaining time) ends without one."""
    user = credentials.cookie_owner(directory, credentials.KA, request.ka, deadline)
    circuit = credentials.cookie_owner(directory, credentials.KC, request.kc, deadline)
    if user is None or circuit is None:
        raise errors.invalid_credentials()
    if len(request.body) > settings.message_limit_bytes:
        raise errors.payload_too_large(settings.message_limit_bytes)
    arrival = clock.now()
    draft = Message(
        circuit=circuit,
        seq=0,
        message_id="",
        user=user,
        arrived_at=arrival.isoformat(timespec="milliseconds"),
        deadline_ms=epoch_ms(arrival + timedelta(seconds=settings.dispatch_wait_seconds)),
        expires_at=epoch_seconds(arrival + timedelta(seconds=settings.message_ttl_seconds)),
        state=PENDING,
        headers=kept_request_headers(request.headers),
        body=request.body,
    )
    message = _append(draft, arrival, mailbox, ids, clock, deadline)
    window = Deadline.after(clock, settings.dispatch_wait_seconds).earliest(deadline)
    reply = wait_for(lambda: mailbox.reply(circuit, message.seq, deadline), window)
    # The window is over: expire the message, unless a reply was stored in the meantime.
    if reply is None and mailbox.expire(circuit, message.seq, deadline) == REPLIED:
        reply = mailbox.reply(circuit, message.seq, deadline)
    if reply is None:
        raise errors.no_reply(settings.dispatch_wait_seconds, message.message_id)
    metrics.add_metric(name="RepliesRelayed", unit=MetricUnit.Count, value=1)
    return Answered(message.message_id, user, reply)


def _append(
    draft: Message, arrival: datetime, mailbox: MailboxStore, ids: MessageIds, clock: Clock, deadline: Deadline
) -> Message:
    """Take the circuit's next sequence number and write the message in one conditional transaction,
    retrying with jittered backoff while other Dispatches win it."""
    contention = Deadline.after(clock, SEQUENCE_CONTENTION_SECONDS).earliest(deadline)
    delay = backoff_delays(first=0.02, cap=0.5)
    last_seq = mailbox.last_seq(draft.circuit, deadline)
    message = replace(draft, seq=last_seq + 1, message_id=ids.next(arrival, deadline))
    while True:
        try:
            mailbox.append(message, deadline)
            return message
        except SequenceTaken as taken:
            pause = delay()
            if contention.remaining() <= pause:
                raise StorageUnavailable("the circuit's sequence stayed contended") from taken
            clock.sleep(pause)
            message = replace(message, seq=taken.current + 1)
        except IdTaken:
            message = replace(message, message_id=ids.next(arrival, deadline))
