"""Our attribute-value conversions are boto3's, value for value and error for error (binary reads as bytes)."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from hypothesis import given, settings
from hypothesis import strategies as st

from telemetry_gateway.storage.dynamo import deserialize, from_item, serialize, to_item

BOTO3_SERIALIZER = TypeSerializer()
BOTO3_DESERIALIZER = TypeDeserializer()

hashable_numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False),
    st.sampled_from([Decimal("1E+200"), Decimal("1E-200"), Decimal("1.5E+2"), Decimal("-0"), 10**38, -(10**38) + 1]),
)
numbers = st.one_of(hashable_numbers, st.decimals())  # NaN and sNaN: refused, or let through, as boto3 does
scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    st.text(),
    st.binary(),
    st.binary().map(bytearray),
    st.floats(),  # refused
)
sets = st.one_of(
    st.frozensets(hashable_numbers, max_size=4),
    st.sets(st.text(), max_size=4),
    st.sets(st.binary(), max_size=4),
    st.sets(st.one_of(st.integers(), st.text()), max_size=4),  # mixed: refused
    st.sets(st.one_of(st.integers(), st.floats(allow_nan=False)), max_size=4),
)
values = st.recursive(
    st.one_of(scalars, sets),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
    ),
    max_leaves=12,
)


def outcome(convert: Callable[[Any], Any], value: Any) -> tuple[str, Any]:
    """What a conversion gives: its value, or the type and text of what it raised."""
    try:
        return ("value", convert(value))
    except (TypeError, decimal.DecimalException) as exc:
        return (type(exc).__name__, str(exc))


def sorted_sets(attribute: Any) -> Any:
    """Set members come out in iteration order, which two sets of the same members need not share."""
    if isinstance(attribute, dict):
        return {
            kind: sorted(inner, key=repr) if kind in ("SS", "NS", "BS") else sorted_sets(inner)
            for kind, inner in attribute.items()
        }
    if isinstance(attribute, list):
        return [sorted_sets(inner) for inner in attribute]
    return attribute


def canonical(value: Any) -> Any:
    """A value in a form that compares by content: Binary and bytearray as bytes, Decimal as its text (NaN is
    not equal to itself), sets sorted."""
    if isinstance(value, Binary):
        return ("bytes", bytes(value.value))  # type: ignore[attr-defined]
    if isinstance(value, bytes | bytearray):
        return ("bytes", bytes(value))
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    if isinstance(value, dict):
        return ("map", [(key, canonical(inner)) for key, inner in value.items()])
    if isinstance(value, list):
        return ("list", [canonical(inner) for inner in value])
    if isinstance(value, set):
        return ("set", sorted((canonical(inner) for inner in value), key=repr))
    return (type(value).__name__, value)


@settings(max_examples=400)
@given(values)
def test_serialization_is_boto3s(value: Any) -> None:
    ours, theirs = outcome(serialize, value), outcome(BOTO3_SERIALIZER.serialize, value)

    assert (ours[0], sorted_sets(ours[1])) == (theirs[0], sorted_sets(theirs[1]))


@settings(max_examples=400)
@given(values)
def test_deserialization_is_boto3s_with_binary_as_bytes(value: Any) -> None:
    try:
        attribute = BOTO3_SERIALIZER.serialize(value)
    except (TypeError, decimal.DecimalException):
        return
    theirs = BOTO3_DESERIALIZER.deserialize(attribute)

    assert canonical(deserialize(attribute)) == canonical(theirs)
    assert not contains_binary(deserialize(attribute))


def contains_binary(value: Any) -> bool:
    if isinstance(value, Binary):
        return True
    if isinstance(value, dict):
        return any(contains_binary(inner) for inner in value.values())
    if isinstance(value, list | set):
        return any(contains_binary(inner) for inner in value)
    return False


@pytest.mark.parametrize("attribute", [{}, {"X": "1"}])
def test_unknown_or_empty_attribute_values_are_refused_as_boto3_refuses_them(attribute: dict[str, Any]) -> None:
    assert outcome(deserialize, attribute) == outcome(BOTO3_DESERIALIZER.deserialize, attribute)


def test_items_leave_out_none_and_read_back() -> None:
    values = {"pk": "a", "n": 7, "gone": None, "data": b"\x00\x01", "tags": ["x", Decimal("1.5")]}

    item = to_item(values)

    assert "gone" not in item
    assert from_item(item) == {"pk": "a", "n": Decimal(7), "data": b"\x00\x01", "tags": ["x", Decimal("1.5")]}
