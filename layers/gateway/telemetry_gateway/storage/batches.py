"""BatchWriteItem in DynamoDB's own unit: at most 25 requests, with what it leaves unprocessed resubmitted."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.errors import StorageUnavailable
from telemetry_gateway.storage.retry import backoff_delays, with_retries

BATCH_WRITE_LIMIT = 25  # DynamoDB refuses more; moto does not, so we enforce it ourselves


def batch_write(client: Any, table: str, requests: Sequence[dict[str, Any]], deadline: Deadline) -> None:
    """One BatchWriteItem of at most BATCH_WRITE_LIMIT put or delete requests, resubmitting what DynamoDB
    left unprocessed with backoff until the deadline."""
    if len(requests) > BATCH_WRITE_LIMIT:
        raise ValueError(f"{len(requests)} requests in one batch; DynamoDB takes {BATCH_WRITE_LIMIT}")
    pending, delay = list(requests), backoff_delays()
    while pending:
        response = with_retries(partial(client.batch_write_item, RequestItems={table: pending}), deadline)
        pending = response.get("UnprocessedItems", {}).get(table, [])
        if pending:
            pause = delay()
            if deadline.remaining() <= pause:
                raise StorageUnavailable(f"{len(pending)} writes still unprocessed")
            deadline.clock.sleep(pause)
