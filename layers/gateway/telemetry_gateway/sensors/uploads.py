"""data/upload/{upload_token} (section 10): the payload to S3 first, then the reading record, then the request
marked fulfilled for the sensor. The same upload again returns the first reading id and stores nothing."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.observability import metrics
from telemetry_gateway.sensors import ids, upload_tokens
from telemetry_gateway.sensors.data_records import ReadingRecord, UploadClaims
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.pb.heartbeat_pb2 import SensorReadingUploadResponse
from telemetry_gateway.storage.errors import TransactionCancelled

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.keys import ServerKey
    from telemetry_gateway.sensors.reading_store import ReadingStore
    from telemetry_gateway.sensors.request_store import RequestStore
    from telemetry_gateway.storage.objects import Bucket

CONTENT_TYPE = "application/octet-stream"  # payloads are stored unparsed


def namespace_prefix(namespace: str) -> str:
    """Every object of a namespace is under this prefix (clearing a namespace deletes it)."""
    return f"sensors/{namespace}/"


@dataclass(frozen=True)
class UploadCall:
    """A data/upload request: namespace, token, receive time and where the payload goes."""

    namespace: str
    token: str
    received: datetime
    readings: ReadingStore
    requests: RequestStore
    bucket: Bucket
    deadline: Deadline


def authenticate(call: UploadCall, key: ServerKey) -> UploadClaims:
    """The token's claims: signed by this server, for this namespace, not expired (else 403)."""
    return upload_tokens.verify(key.value(), call.token, call.namespace, call.received)


def receive(call: UploadCall, claims: UploadClaims, payload: bytes) -> SensorReadingUploadResponse:
    readings = call.readings
    first = readings.uploaded(call.namespace, claims.upload_key, call.deadline)
    if first is not None:
        return SensorReadingUploadResponse(sensor_reading_id=first)
    # A fresh object name: never over another reading's payload, whatever ids are drawn.
    stored = call.bucket.put(
        f"{namespace_prefix(call.namespace)}readings/{uuid.uuid4().hex}", payload, CONTENT_TYPE, call.deadline
    )
    sha256 = hashlib.sha256(payload).hexdigest()
    for _ in range(ids.MAX_DRAWS):
        reading = ReadingRecord(
            call.namespace, ids.random_id(), claims, stored.size, sha256, stored.key, format_date(call.received)
        )
        try:
            kept = readings.record(reading, call.deadline)
        except TransactionCancelled:  # the reading id is in use: draw again
            continue
        if kept != reading.reading_id:  # the same upload won meanwhile: keep nothing of this one
            call.bucket.delete([stored.key], call.deadline)
        elif claims.request_id is not None:
            call.requests.mark_fulfilled(call.namespace, claims.request_id, claims.sensor_id, call.deadline)
        metrics.add_metric(name="Uploads", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="UploadBytes", unit=MetricUnit.Bytes, value=stored.size)
        return SensorReadingUploadResponse(sensor_reading_id=kept)
    raise RuntimeError("could not draw an unused reading id")
