"""DynamoDB's attribute-value format both ways, and reading its error responses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from telemetry_gateway.storage.errors import Item

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

CONDITION_FAILED = "ConditionalCheckFailed"
# Another transaction held an item we touched: nothing was written, running again is right.
TRANSACTION_CONFLICT = "TransactionConflict"


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """A DynamoDB attribute map; None values are left out rather than stored as NULL."""
    return {key: _serializer.serialize(value) for key, value in values.items() if value is not None}


def from_item(item: Mapping[str, Any]) -> Item:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def is_condition_failure(exc: ClientError) -> bool:
    return error_code(exc) == "ConditionalCheckFailedException"


def cancellation_codes(exc: ClientError) -> list[str]:
    """Per-operation reasons of a cancelled transaction ("None" for the ones that would have passed)."""
    if error_code(exc) != "TransactionCanceledException":
        return []
    reasons: list[Mapping[str, Any]] = exc.response.get("CancellationReasons") or []  # type: ignore[assignment]
    return [str(reason.get("Code", "None")) for reason in reasons]


def cancellation_items(exc: ClientError) -> list[Item | None]:
    """Per operation of a cancelled transaction: the item as it stood when its condition failed ({} when it
    did not exist), or None when that operation's condition held or was not reached."""
    reasons: list[Mapping[str, Any]] = exc.response.get("CancellationReasons") or []  # type: ignore[assignment]
    return [
        from_item(reason.get("Item") or {}) if reason.get("Code") == CONDITION_FAILED else None for reason in reasons
    ]
