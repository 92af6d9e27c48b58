"""The telemetry table: item records (indexed by type, registration and sender) and report audits.

An item record is keyed `item#<item key>`; three sparse indexes with a summary projection serve listing by
type (`<type>#<shard>`), registration and sender, each sorted by `eventTime`. A report's audit record is
`report#<registrationId>#<reportId>`.

Whatever a client sends fits: a record whose data text is large keeps the text in S3 (`dataObject`), and a
record too large for one item even without its data (hundreds of kilobytes of type, timestamp, customer id
or tags) keeps its whole content in S3 (`recordObject`) while the item holds its keys and bounded summaries,
so the indexes still find it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telemetry_gateway.storage.dynamo import item_size

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.storage.objects import Bucket
    from telemetry_gateway.storage.table import Table
    from telemetry_gateway.telemetry.records import ItemRecord, ReportAudit

INDEX_BY_TYPE = "ByType"
INDEX_BY_REGISTRATION = "ByRegistration"
INDEX_BY_CLIENT = "ByClient"
# Below DynamoDB's 400 KB item limit, with room for an object pointer.
ITEM_BUDGET_BYTES = 380_000
SUMMARY_CHARS = 256  # what an item keeps of a text whose whole lives in S3
# Strings the client chooses freely; anything else is a UUID, a number or a time of ours.
_UNBOUNDED = ("customerId", "telemetryTimeStamp", "telemetryType")


def item_key(key: str) -> dict[str, str]:
    return {"pk": f"item#{key}"}


def record_values(r: ItemRecord) -> dict[str, Any]:
    """Every attribute of the record, its data text included: the whole record as it is kept."""
    return {
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
        "data": r.data_text,
    }


@dataclass(frozen=True)
class Placement:
    """Where one record goes: its item, and the object to write to S3 first (its attribute names the key)."""

    item: dict[str, Any]
    spill: tuple[str, str, bytes] | None  # (pointer attribute, object key, content)


def place(record: ItemRecord, inline_threshold: int) -> Placement:
    """Inline when it fits; else the data text in S3; else the whole record in S3 behind a bounded item."""
    values = record_values(record)
    data = values.pop("data")
    if record.data_size <= inline_threshold and item_size(values) + record.data_size <= ITEM_BUDGET_BYTES:
        return Placement({**values, "data": data}, None)
    if item_size(values) <= ITEM_BUDGET_BYTES:
        return Placement(values, ("dataObject", f"telemetry/items/{record.key}.json", data.encode("utf-8")))
    whole = json.dumps({**values, "data": data}, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return Placement(_bounded(values), ("recordObject", f"telemetry/records/{record.key}.json", whole))


def _bounded(values: dict[str, Any]) -> dict[str, Any]:
    """The keys, index attributes and numbers of a record, and a prefix of each free text."""
    kept = {name: value for name, value in values.items() if not isinstance(value, list)}
    kept |= {name: str(values[name])[:SUMMARY_CHARS] for name in _UNBOUNDED}
    return kept | {"truncated": True}


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
    def __init__(self, table: Table, payloads: Bucket) -> None:
        self.table = table
        self.payloads = payloads

    def write(self, placements: Sequence[Placement], audit: ReportAudit, deadline: Deadline) -> int:
        """Objects first, then the items that point to them, in plain puts of 25: a resubmission overwrites
        the same keys, so no read is needed. Returns the number of BatchWriteItem calls."""
        items = []
        for placement in placements:
            item = placement.item
            if placement.spill is not None:
                pointer, key, content = placement.spill
                self.payloads.put(key, content, "application/json", deadline)
                item = {**item, pointer: {"bucket": self.payloads.name, "key": key}}
            items.append(item)
        items.append(_audit_values(audit))
        return self.table.batch_write(deadline, puts=items)
