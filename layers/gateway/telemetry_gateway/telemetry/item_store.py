"""The telemetry table: item records (indexed by type, registration and sender) and report audits.

An item record is keyed `item#<item key>`; three sparse indexes with a summary projection serve listing by
type (`<type>#<shard>`), registration and sender, each sorted by `eventTime`. A report's audit record is
`report#<registrationId>#<reportId>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.objects import StoredObject
from telemetry_gateway.storage.table import Table
from telemetry_gateway.telemetry.records import ItemRecord, ReportAudit

INDEX_BY_TYPE = "ByType"
INDEX_BY_REGISTRATION = "ByRegistration"
INDEX_BY_CLIENT = "ByClient"


@dataclass(frozen=True)
class StoredRecord:
    record: ItemRecord
    overflow: StoredObject | None  # where the data text lives when it is not inline


def item_key(key: str) -> dict[str, str]:
    return {"pk": f"item#{key}"}


def _item_values(stored: StoredRecord) -> dict[str, Any]:
    r = stored.record
    values: dict[str, Any] = {
        **item_key(r.key),
        "kind": "item",
        "registrationId": str(r.registration_id),
        "reportId": r.report_id,
        "bundleId": r.bundle_id,
        "bundleClientId": r.bundle_client_id,
        "customerId": r.customer_id,
        "telemetryId": r.telemetry_id,
        "telemetryTimeStamp": r.telemetry_timestamp,
        "telemetryType": r.telemetry_type,
        "typeShard": f"{r.type_index_value}#{r.shard}",
        "eventTime": r.event_time,
        "receivedAt": r.received_at,
        "reportAnnotations": list(r.annotations.report) if r.annotations.report is not None else None,
        "bundleAnnotations": list(r.annotations.bundle) if r.annotations.bundle is not None else None,
        "telemetryAnnotations": list(r.annotations.item) if r.annotations.item is not None else None,
        "tags": list(r.annotations.effective_tags()),
        "dataSize": r.data_size,
        "dataMd5": r.data_md5,
    }
    if stored.overflow is None:
        values["data"] = r.data_text
    else:
        values["dataObject"] = {"bucket": stored.overflow.bucket, "key": stored.overflow.key}
    return values


def _audit_values(audit: ReportAudit) -> dict[str, Any]:
    return {
        "pk": f"report#{audit.registration_id}#{audit.report_id}",
        "kind": "report",
        "reportId": audit.report_id,
        "auditRegistrationId": str(audit.registration_id),
        "receivedAt": audit.received_at,
        "bundleCount": audit.bundle_count,
        "itemCount": audit.item_count,
    }


class ItemStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def write(self, records: Sequence[StoredRecord], audit: ReportAudit, deadline: Deadline) -> int:
        """Plain puts in batches of 25: a resubmission overwrites the same keys, so no read is needed.
        Returns the number of BatchWriteItem calls."""
        puts = [_item_values(record) for record in records]
        puts.append(_audit_values(audit))
        return self.table.batch_write(deadline, puts=puts)
