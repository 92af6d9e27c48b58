"""DynamoDB's attribute-value format both ways, and reading its error responses."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, SupportsBytes, cast

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
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


def item_size(values: Mapping[str, Any]) -> int:
    """DynamoDB's size of an item given as Python values: attribute names plus values (numbers about one
    byte per two significant digits, plus one), so a write can be shaped to fit the 400 KB limit first."""
    return sum(len(name.encode("utf-8")) + _value_size(value) for name, value in values.items() if value is not None)


def _value_size(value: Any) -> int:
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, bool) or value is None:
        return 1
    if isinstance(value, int | float | Decimal):
        digits = Decimal(repr(value) if isinstance(value, float) else value).normalize().as_tuple().digits
        return (len(digits) + 1) // 2 + 1
    if isinstance(value, bytes | bytearray):
        return len(value)
    if isinstance(value, Binary):
        return len(bytes(cast(SupportsBytes, value)))
    if isinstance(value, Mapping):
        return 3 + sum(1 + len(str(k).encode("utf-8")) + _value_size(v) for k, v in value.items())
    return 3 + sum(1 + _value_size(v) for v in value)  # lists and sets


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
