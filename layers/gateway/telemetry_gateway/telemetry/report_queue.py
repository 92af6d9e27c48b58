"""A report whose storage kept failing waits in a durable queue, whole, until the drain function stores it.

The SUSE client forgets every report not answered 200 or 401, so a throttled table must not cost a report:
/report queues it and answers 200, and the drain stores it with the same code later. A message carries the
decoded body (gzip, base64) with who sent it and when; a body too large for one message goes to S3 first.
"""

from __future__ import annotations

import base64
import gzip
import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telemetry_gateway.storage.queue import MAX_MESSAGE_BYTES, Queue

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.storage.objects import Bucket

QUEUED_PREFIX = "telemetry/queued/"
_ENVELOPE_BYTES = 1024  # the JSON around the body


@dataclass(frozen=True)
class QueuedReport:
    """A report that storage could not take in time, queued whole for the drain."""

    registration_id: int
    # The `jti` of its token when the registration could not be read at receipt (it is checked when the queue
    # is drained); None when the token was checked against the registration already.
    unchecked_jti: str | None
    received_at: str  # ISO 8601 UTC: the records keep the time the client sent them
    body: bytes  # the decoded report, exactly as received


class ReportQueue:
    def __init__(self, queue: Queue, payloads: Bucket) -> None:
        self.queue = queue
        self.payloads = payloads

    def send(self, report: QueuedReport, deadline: Deadline) -> None:
        packed = base64.b64encode(gzip.compress(report.body, mtime=0)).decode("ascii")
        envelope = {
            "registrationId": str(report.registration_id),
            "uncheckedJti": report.unchecked_jti,
            "receivedAt": report.received_at,
        }
        if len(packed) + _ENVELOPE_BYTES <= MAX_MESSAGE_BYTES:
            envelope["body"] = packed
        else:
            key = f"{QUEUED_PREFIX}{uuid.uuid4()}.json.gz"
            self.payloads.put(key, gzip.compress(report.body, mtime=0), "application/gzip", deadline)
            envelope["object"] = key
        self.queue.send(json.dumps(envelope), deadline)


def read_queued(message: str, payloads: Bucket, deadline: Deadline) -> QueuedReport:
    """A queued report back from its message (and its object, when the body went to S3)."""
    envelope = json.loads(message)
    inline = envelope.get("body")
    packed = base64.b64decode(inline) if inline is not None else payloads.get(envelope["object"], deadline)
    return QueuedReport(
        registration_id=int(envelope["registrationId"]),
        unchecked_jti=envelope.get("uncheckedJti"),
        received_at=envelope["receivedAt"],
        body=gzip.decompress(packed),
    )
