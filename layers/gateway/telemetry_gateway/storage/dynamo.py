"""DynamoDB's attribute-value format both ways, and reading its error responses.

The conversions are boto3's `TypeSerializer` and `TypeDeserializer`, rule for rule (the same types, order of
checks, number context and errors; a test compares them on generated values), with two differences: binary
values come back as `bytes` rather than boto3's `Binary` wrapper, and the common types are recognised by
their exact type first. Importing `boto3.dynamodb.types` imports all of boto3 (about 18 ms of CPU in every
cold start), and its serializer ran a chain of isinstance checks per value (a third of our own time in a
/report of ten items).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

    from telemetry_gateway.storage.errors import Item

# boto3's DYNAMODB_CONTEXT: DynamoDB numbers have at most 38 significant digits, exponents -130..125.
NUMBER_CONTEXT = Context(Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow])
_EXACT_INT = 10**38  # below this, an int's digits are its number text (the context neither rounds nor clamps)

CONDITION_FAILED = "ConditionalCheckFailed"
# Another transaction held an item we touched: nothing was written, running again is right.
TRANSACTION_CONFLICT = "TransactionConflict"


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """A DynamoDB attribute map; None values are left out rather than stored as NULL."""
    return {key: serialize(value) for key, value in values.items() if value is not None}


def from_item(item: Mapping[str, Any]) -> Item:
    return {key: deserialize(value) for key, value in item.items()}


def serialize(value: Any) -> dict[str, Any]:
    """One Python value as an attribute value (boto3's rules)."""
    kind = type(value)
    if kind is str:
        return {"S": value}
    if kind is int and -_EXACT_INT < value < _EXACT_INT:
        return {"N": str(value)}
    if kind is dict:
        return {"M": {key: serialize(inner) for key, inner in value.items()}}
    if kind is list:
        return {"L": [serialize(inner) for inner in value]}
    return _serialize_by_kind(value)


def _serialize_by_kind(value: Any) -> dict[str, Any]:
    """boto3's order of checks, for everything the fast path of `serialize` did not take."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if _is_number(value):
        return {"N": _number(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes | bytearray):
        return {"B": value}
    if isinstance(value, AbstractSet):
        if all(_is_number(inner) for inner in value):
            return {"NS": [_number(inner) for inner in value]}
        if all(isinstance(inner, str) for inner in value):
            return {"SS": list(value)}
        if all(isinstance(inner, bytes | bytearray) for inner in value):
            return {"BS": list(value)}
    if isinstance(value, Mapping):
        return {"M": {key: serialize(inner) for key, inner in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [serialize(inner) for inner in value]}
    raise TypeError(f'Unsupported type "{type(value)}" for value "{value}"')


def _is_number(value: Any) -> bool:
    if isinstance(value, int | Decimal):
        return True
    if isinstance(value, float):
        raise TypeError("Float types are not supported. Use Decimal types instead.")
    return False


def _number(value: int | Decimal) -> str:
    number = str(NUMBER_CONTEXT.create_decimal(value))
    if number in ("Infinity", "NaN"):
        raise TypeError("Infinity and NaN not supported")
    return number


def deserialize(value: Mapping[str, Any]) -> Any:
    """One attribute value as a Python value: numbers as Decimal, binary as bytes, sets as sets."""
    if not value:
        raise TypeError("Value must be a nonempty dictionary whose key is a valid dynamodb type.")
    kind = next(iter(value))
    read = _READERS.get(kind.upper())
    if read is None:
        raise TypeError(f"Dynamodb type {kind} is not supported")
    return read(value[kind])


_READERS: dict[str, Callable[[Any], Any]] = {
    "S": lambda inner: inner,
    "N": NUMBER_CONTEXT.create_decimal,
    "M": lambda inner: {key: deserialize(v) for key, v in inner.items()},
    "L": lambda inner: [deserialize(v) for v in inner],
    "BOOL": lambda inner: inner,
    "NULL": lambda _inner: None,
    "B": bytes,
    "SS": set,
    "NS": lambda inner: set(map(NUMBER_CONTEXT.create_decimal, inner)),
    "BS": lambda inner: set(map(bytes, inner)),
}


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
