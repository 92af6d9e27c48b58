"""The telemetry table: item records (indexed by type, registration and sender) and report audits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.batches import BATCH_WRITE_LIMIT, batch_write
from telemetry_gateway.storage.dynamo import from_item, to_item
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.storage.payloads import StoredObject
from telemetry_gateway.telemetry.records import ItemRecord, ReportAudit

INDEX_BY_TYPE = "ByType"
INDEX_BY_REGISTRATION = "ByRegistration"
INDEX_BY_CLIENT = "ByClient"


@dataclass(frozen=True)
class StoredRecord:
    record: ItemRecord
    overflow: StoredObject | None  # where the data text lives when it is not inline


def item_pk(key: str) -> str:
    return f"item#{key}"


def _item_values(stored: StoredRecord) -> dict[str, Any]:
    r = stored.record
    values: dict[str, Any] = {
        "pk": item_pk(r.key),
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


class TelemetryStore:
    def __init__(self, table: str, client: Any) -> None:
        self.table = table
        self.client = client

    def write(self, records: Sequence[StoredRecord], audit: ReportAudit, deadline: Deadline) -> int:
        """Plain puts in batches of 25: a resubmission overwrites the same keys, so no read is needed.
        Returns the number of BatchWriteItem calls that carried new records."""
        requests = [{"PutRequest": {"Item": to_item(_item_values(r))}} for r in records]
        requests.append({"PutRequest": {"Item": to_item(_audit_values(audit))}})
        batches = 0
        for start in range(0, len(requests), BATCH_WRITE_LIMIT):
            batch_write(self.client, self.table, requests[start : start + BATCH_WRITE_LIMIT], deadline)
            batches += 1
        return batches

    def get(self, key: str) -> dict[str, Any]:
        response = self.client.get_item(TableName=self.table, Key={"pk": {"S": item_pk(key)}})
        if "Item" not in response:
            raise NotFound(key)
        return from_item(response["Item"])

    def query(
        self, index: str, partition: tuple[str, str], since: str, until: str, limit: int
    ) -> Iterator[dict[str, Any]]:
        """Index entries of one partition value between two sortable times, oldest first."""
        attribute, value = partition
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": index,
            "KeyConditionExpression": "#p = :p AND eventTime BETWEEN :since AND :until",
            "ExpressionAttributeNames": {"#p": attribute},
            "ExpressionAttributeValues": {":p": {"S": value}, ":since": {"S": since}, ":until": {"S": until}},
        }
        returned = 0
        while returned < limit:
            response = self.client.query(**kwargs, Limit=limit - returned)
            for item in response.get("Items", []):
                returned += 1
                yield from_item(item)
            if "LastEvaluatedKey" not in response:
                return
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
