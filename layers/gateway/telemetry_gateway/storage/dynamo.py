"""Low-level DynamoDB helpers shared by the table modules: (de)serialisation and error classification."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.storage.errors import StorageUnavailable
from telemetry_gateway.storage.retry import backoff_delays, with_retries

BATCH_WRITE_LIMIT = 25  # DynamoDB refuses more; moto does not, so we enforce it ourselves

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """A DynamoDB attribute map; None values are left out rather than stored as NULL."""
    return {key: _serializer.serialize(value) for key, value in values.items() if value is not None}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def is_condition_failure(exc: ClientError) -> bool:
    return error_code(exc) == "ConditionalCheckFailedException"


def cancellation_codes(exc: ClientError) -> list[str]:
    """Per-operation reasons of a cancelled transaction ("None" for the ones that would have passed)."""
    if error_code(exc) != "TransactionCanceledException":
        return []
    reasons = exc.response.get("CancellationReasons") or []
    return [str(reason.get("Code", "None")) for reason in reasons]


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
