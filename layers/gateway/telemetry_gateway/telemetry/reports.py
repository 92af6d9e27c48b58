"""/report: authorise, decode, validate, verify checksums, then store every item durably, or queue the whole
report when storage keeps failing (the reference client forgets a report answered anything but 200 or 401)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.observability import logger, metrics
from telemetry_gateway.storage.errors import NotFound, StorageUnavailable
from telemetry_gateway.telemetry import item_store
from telemetry_gateway.telemetry.body import decode_body
from telemetry_gateway.telemetry.checksums import verify_checksums
from telemetry_gateway.telemetry.errors import AUTHENTICATE, REGISTER, unauthorized
from telemetry_gateway.telemetry.records import build_records
from telemetry_gateway.telemetry.report import Report, parse_report
from telemetry_gateway.telemetry.report_queue import QueuedReport
from telemetry_gateway.telemetry.timefmt import format_server_time
from telemetry_gateway.telemetry.tokens import parse_authorization, parse_registration_id_header, verify_token

if TYPE_CHECKING:
    from telemetry_gateway.clock import Clock
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.telemetry.config import ReportConfig, StoringConfig

# Storage retries stop this long before the request's deadline, so that queueing the report still fits.
QUEUE_SECONDS = 3.0


@dataclass(frozen=True)
class ReportRequest:
    """What /report reads from the request: its credentials, encoding and body."""

    authorization: str | None
    registration_id: str | None
    content_encoding: str | None
    body: bytes


@dataclass(frozen=True)
class Reporter:
    """The registration a report is for, once its token was verified."""

    registration_id: int
    jti: str
    checked: bool  # the registration was read and accepts this token; False when it could not be read


def authorize(request: ReportRequest, config: ReportConfig, deadline: Deadline) -> Reporter:
    """The registration the request may report for (section 8.1: the token before the id). A registrations
    table that keeps failing leaves the token's `jti` to be checked when the queued report is drained."""
    token = parse_authorization(request.authorization)
    if token is None or not (request.registration_id or "").strip():
        raise unauthorized("Client registration required", REGISTER)
    verified = verify_token(token, config.signing_key.value(), config.tokens)
    registration_id = parse_registration_id_header(request.registration_id)
    if registration_id is None:
        raise unauthorized("Invalid Registration Id", REGISTER)
    try:
        registration = config.storing.registrations.get(registration_id, deadline.before(QUEUE_SECONDS))
    except NotFound:
        raise unauthorized("Invalid Registration Id", REGISTER) from None
    except StorageUnavailable:
        if verified.registration_id != registration_id:
            raise unauthorized("Invalid Authorization", AUTHENTICATE) from None
        return Reporter(registration_id, verified.jti, checked=False)
    if verified.registration_id != registration_id or verified.jti != registration.jti:
        raise unauthorized("Invalid Authorization", AUTHENTICATE)
    return Reporter(registration_id, verified.jti, checked=True)


def accept(
    request: ReportRequest, reporter: Reporter, config: ReportConfig, clock: Clock, deadline: Deadline
) -> dict[str, Any]:
    """Decode and validate the whole report, then store it, or queue it when storage keeps failing; answers
    only once it is stored or queued."""
    received = clock.now()
    body = decode_body(request.body, request.content_encoding, config.max_decoded_bytes)
    report = parse_report(body)
    verify_checksums(report)
    if reporter.checked:
        try:
            store(report, reporter.registration_id, received, config.storing, deadline.before(QUEUE_SECONDS))
            return _receipt(clock)
        except StorageUnavailable:
            logger.warning("storage kept failing; the report is queued", extra={"reportId": report.report_id})
    queued = QueuedReport(
        registration_id=reporter.registration_id,
        unchecked_jti=None if reporter.checked else reporter.jti,
        received_at=received.isoformat(),
        body=body,
    )
    config.queue.send(queued, deadline)
    metrics.add_metric(name="ReportsQueued", unit=MetricUnit.Count, value=1)
    return _receipt(clock)


def store(report: Report, registration_id: int, received: datetime, config: StoringConfig, deadline: Deadline) -> None:
    """Every item of the report: objects first, then the records that point to them. A resubmission
    overwrites the same keys, so storing twice stores once."""
    records, audit = build_records(report, registration_id, received, config.type_shards)
    placements = [item_store.place(record, config.inline_threshold_bytes) for record in records]
    config.items.write(placements, audit, deadline)
    metrics.add_metric(name="ItemsStored", unit=MetricUnit.Count, value=len(records))


def _receipt(clock: Clock) -> dict[str, Any]:
    return {"processingId": 0, "processedAt": format_server_time(clock.now())}
