"""What a report becomes in storage: one record per distinct item key, plus one audit record."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from telemetry_gateway.telemetry.timefmt import parse_rfc3339

if TYPE_CHECKING:
    from telemetry_gateway.telemetry.report import Bundle, Item, Report

ANONYMOUS = "ANONYMOUS"
# Index key values built from client strings stay far below DynamoDB's key limits.
MAX_INDEX_VALUE_BYTES = 512


@dataclass(frozen=True)
class Annotations:
    """Each level's annotations as received: None when absent or null, () for []."""

    report: tuple[str, ...] | None
    bundle: tuple[str, ...] | None
    item: tuple[str, ...] | None

    def effective_tags(self) -> tuple[str, ...]:
        merged = {tag for level in (self.report, self.bundle, self.item) for tag in level or () if tag}
        return tuple(sorted(merged))


@dataclass(frozen=True)
class ItemRecord:
    """One telemetry item as stored, keyed so that a resubmission overwrites it."""

    key: str  # sha256 of (bundleClientId, telemetryId, telemetryTimeStamp): resubmissions overwrite
    registration_id: int
    report_id: str
    bundle_id: str
    bundle_client_id: str
    customer_id: str
    telemetry_id: str
    telemetry_timestamp: str  # verbatim
    telemetry_type: str
    type_index_value: str  # telemetryType, or a prefix and hash of a very long one
    shard: int
    event_time: str  # sortable UTC: telemetryTimeStamp when it is RFC 3339, else the receive time
    received_at: str
    annotations: Annotations
    data_text: str  # the raw telemetryData text, exactly as received
    data_size: int
    data_md5: str


@dataclass(frozen=True)
class ReportAudit:
    """The record that a report arrived: when, and how many bundles and items it held."""

    registration_id: int
    report_id: str
    received_at: str
    bundle_count: int
    item_count: int


def item_key(bundle_client_id: str, telemetry_id: str, telemetry_timestamp: str) -> str:
    encoded = json.dumps([bundle_client_id, telemetry_id, telemetry_timestamp], ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()


def normalize_customer(customer_id: str) -> str:
    trimmed = customer_id.strip()
    return ANONYMOUS if not trimmed or trimmed.upper() == ANONYMOUS else trimmed


def index_value(text: str) -> str:
    """`text`, or a readable prefix plus its hash when it would make an oversized index key."""
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw) <= MAX_INDEX_VALUE_BYTES:
        return text
    prefix = raw[:200].decode("utf-8", "ignore")
    return f"{prefix}~{hashlib.sha256(raw).hexdigest()}"


def sortable_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build_records(
    report: Report, registration_id: int, received_at: datetime, shards: int
) -> tuple[list[ItemRecord], ReportAudit]:
    """Records in report order; an item key that repeats within the report keeps its first occurrence."""
    received = sortable_time(received_at)
    records: dict[str, ItemRecord] = {}
    for bundle in report.bundles:
        for item in bundle.items:
            key = item_key(bundle.client_id, item.telemetry_id, item.timestamp)
            if key not in records:
                records[key] = _record(key, report, bundle, item, registration_id, received, shards)
    audit = ReportAudit(
        registration_id=registration_id,
        report_id=report.report_id,
        received_at=received,
        bundle_count=len(report.bundles),
        item_count=len(records),
    )
    return list(records.values()), audit


def _record(
    key: str, report: Report, bundle: Bundle, item: Item, registration_id: int, received: str, shards: int
) -> ItemRecord:
    data = item.data_text.encode("utf-8", "surrogatepass")
    moment = parse_rfc3339(item.timestamp)
    return ItemRecord(
        key=key,
        registration_id=registration_id,
        report_id=report.report_id,
        bundle_id=bundle.bundle_id,
        bundle_client_id=bundle.client_id,
        customer_id=normalize_customer(bundle.customer_id),
        telemetry_id=item.telemetry_id,
        telemetry_timestamp=item.timestamp,
        telemetry_type=item.type,
        type_index_value=index_value(item.type),
        shard=int(key[:8], 16) % shards,
        event_time=sortable_time(moment) if moment else received,
        received_at=received,
        annotations=Annotations(report.annotations, bundle.annotations, item.annotations),
        data_text=item.data_text,
        data_size=len(data),
        data_md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
    )
