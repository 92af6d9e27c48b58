"""Stored readings (the records; payloads are S3 objects) and the markers that make an upload happen once.

A reading is kept under `{ns}#readings` by id, beside one marker per uploaded (sensor, start, end, request)
that names it. Both are put in one transaction, the marker only if absent: of two uploads of the same
data, one wins and the other learns its reading id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telemetry_gateway.sensors import data_items
from telemetry_gateway.storage.errors import TransactionCancelled
from telemetry_gateway.storage.table import ABSENT, Table

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.sensors.data_records import ReadingRecord

UploadKey = tuple[int, str, str, int | None]
MARKER = 1  # index of the marker in the transaction


class ReadingStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def uploaded(self, namespace: str, upload_key: UploadKey, deadline: Deadline) -> int | None:
        """The reading id already stored for this (sensor, start, end, request), if any."""
        marker = self.table.get(data_items.upload_marker_key(namespace, upload_key), deadline)
        return None if marker is None else int(marker["readingId"])

    def record(self, reading: ReadingRecord, deadline: Deadline) -> int:
        """Store the reading and its marker; returns its id, or the first upload's id when one won."""
        namespace = reading.namespace
        reading_id = str(reading.reading_id)
        marker_key = data_items.upload_marker_key(namespace, reading.claims.upload_key)
        writes = [
            self.table.put_write(
                data_items.with_shard(
                    namespace, data_items.reading_key(namespace, reading.reading_id), data_items.reading_values(reading)
                ),
                ABSENT,
            ),
            self.table.put_write(data_items.with_shard(namespace, marker_key, {"readingId": reading_id}), ABSENT),
        ]
        try:
            self.table.transact(writes, deadline)
        except TransactionCancelled as cancelled:
            stood = cancelled.reasons[MARKER] if cancelled.failed(MARKER) else None
            if stood is None:
                raise  # the reading id was taken: the caller draws again
            return int(stood["readingId"])
        return reading.reading_id

    def get(self, namespace: str, reading_id: int, deadline: Deadline) -> ReadingRecord | None:
        values = self.table.get(data_items.reading_key(namespace, reading_id), deadline)
        return None if values is None else data_items.reading_record(values, namespace)

    def all(self, namespace: str, deadline: Deadline) -> list[ReadingRecord]:
        """Every reading of the namespace, oldest first."""
        found = self.table.query(deadline, key="pk = :pk", values={":pk": f"{namespace}#readings"})
        readings = [data_items.reading_record(values, namespace) for values in found]
        return sorted(readings, key=lambda reading: (reading.received, reading.reading_id))
