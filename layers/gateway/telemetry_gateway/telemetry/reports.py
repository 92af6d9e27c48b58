"""/report: authorise, decode, validate, verify checksums, then store every item durably."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from telemetry_gateway.clock import Clock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.telemetry.body import decode_body
from telemetry_gateway.telemetry.checksums import verify_checksums
from telemetry_gateway.telemetry.config import ReportConfig
from telemetry_gateway.telemetry.errors import AUTHENTICATE, REGISTER, TelemetryError, unauthorized
from telemetry_gateway.telemetry.item_store import StoredRecord
from telemetry_gateway.telemetry.records import ItemRecord, build_records
from telemetry_gateway.telemetry.report import parse_report
from telemetry_gateway.telemetry.timefmt import format_server_time
from telemetry_gateway.telemetry.tokens import parse_authorization, parse_registration_id_header, verify_token

# A record's attributes besides the data text stay far below DynamoDB's 400 KB item limit.
RECORD_BUDGET_BYTES = 380_000


@dataclass(frozen=True)
class ReportRequest:
    authorization: str | None
    registration_id: str | None
    content_encoding: str | None
    body: bytes


def authorize(request: ReportRequest, config: ReportConfig, deadline: Deadline) -> int:
    """The registration id the request may report for (section 8.1: the token before the id)."""
    token = parse_authorization(request.authorization)
    if token is None or not (request.registration_id or "").strip():
        raise unauthorized("Client registration required", REGISTER)
    verified = verify_token(token, config.signing_key.value(), config.tokens)
    registration_id = parse_registration_id_header(request.registration_id)
    if registration_id is None:
        raise unauthorized("Invalid Registration Id", REGISTER)
    try:
        registration = config.registrations.get(registration_id, deadline)
    except NotFound:
        raise unauthorized("Invalid Registration Id", REGISTER) from None
    if verified.registration_id != registration_id or verified.jti != registration.jti:
        raise unauthorized("Invalid Authorization", AUTHENTICATE)
    return registration_id


def accept(
    request: ReportRequest, registration_id: int, config: ReportConfig, clock: Clock, deadline: Deadline
) -> dict[str, Any]:
    """Decode and validate the whole report, then store it: objects first, then the records that point to
    them. Answers only once everything is stored."""
    report = parse_report(decode_body(request.body, request.content_encoding, config.max_decoded_bytes))
    verify_checksums(report)
    records, audit = build_records(report, registration_id, clock.now(), config.type_shards)
    stored = [_place(record, config.payloads, config.inline_threshold_bytes, deadline) for record in records]
    config.items.write(stored, audit, deadline)
    return {"processingId": 0, "processedAt": format_server_time(clock.now())}


def _place(record: ItemRecord, payloads: Bucket, threshold: int, deadline: Deadline) -> StoredRecord:
    """Inline when small; otherwise the data text goes to S3 under a key derived from the item key,
    so a resubmission overwrites the same object."""
    if _size_without_data(record) > RECORD_BUDGET_BYTES:
        # Only annotations of hundreds of kilobytes on one item get here; refuse rather than fail.
        raise TelemetryError(413, "request body too large")
    if record.data_size <= threshold and _size_without_data(record) + record.data_size <= RECORD_BUDGET_BYTES:
        return StoredRecord(record, None)
    stored = payloads.put(
        f"telemetry/items/{record.key}.json", record.data_text.encode("utf-8"), "application/json", deadline
    )
    return StoredRecord(record, stored)


def _size_without_data(record: ItemRecord) -> int:
    annotations = [record.annotations.report, record.annotations.bundle, record.annotations.item]
    strings = [
        record.telemetry_type,
        record.telemetry_timestamp,
        record.type_index_value,
        json.dumps(annotations),
        json.dumps(record.annotations.effective_tags()),
    ]
    return 1024 + sum(len(s.encode("utf-8")) for s in strings)
