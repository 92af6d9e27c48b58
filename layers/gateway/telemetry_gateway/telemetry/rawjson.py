"""Strict RFC 8259 JSON loading that can keep chosen values as their exact source text.

Python's json module gives no source positions, so the report's few structural levels are walked
here (keys with `scanstring`) while every other value is decoded by the C scanner through
`raw_decode`. A multi-megabyte `telemetryData` value is therefore parsed at C speed and its text kept
byte for byte, which the item checksum needs.
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from json.decoder import JSONDecodeError
from typing import Any

from telemetry_gateway.telemetry.errors import invalid_body

# The C string scanner behind json.loads; typeshed does not declare it.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
# Kept values only need checking, so their numbers stay text: no float work, no int digit limit.
_CHECKING_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_int=str, parse_float=str)


@dataclass(frozen=True, slots=True)
class RawJson:
    """A JSON value kept as the exact text it had in the document."""

    text: str


class Keep:
    """Shape of a value to keep as `RawJson`."""


@dataclass(frozen=True, slots=True)
class ObjectOf:
    """Shape of an object whose listed members have shapes of their own; others decode normally."""

    members: Mapping[str, "Shape"]


@dataclass(frozen=True, slots=True)
class ArrayOf:
    """Shape of an array whose elements all have `element`'s shape."""

    element: "Shape"


type Shape = Keep | ObjectOf | ArrayOf

KEEP = Keep()


def load_object(raw: bytes, shape: ObjectOf | None = None) -> dict[str, Any]:
    """Decode a UTF-8 request body that must hold one JSON object, keeping `shape`'s raw values.

    Where a value does not have the container type its shape expects, it is decoded normally and
    left for validation to report. Raises the 400 `invalid request body: <detail>`.
    """
    try:
        text = raw.decode("utf-8")
        value, end = _Walker(text).value(_skip(text, 0), shape)
        if _skip(text, end) != len(text):
            raise JSONDecodeError("Extra data", text, end)
    except RecursionError as exc:
        raise invalid_body("nesting too deep") from exc
    except ValueError as exc:  # includes JSONDecodeError and UnicodeDecodeError
        raise invalid_body(str(exc)) from exc
    if not isinstance(value, dict):
        raise invalid_body("the top-level value must be an object")
    return value


def scrub_surrogates(text: str) -> str:
    """Replace unpaired surrogates (only `\\u` escapes can produce them) with U+FFFD, as Go does."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _skip(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    assert match is not None  # a `*` pattern always matches
    return match.end()


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text

    def value(self, pos: int, shape: Shape | None) -> tuple[Any, int]:
        opener = self.text[pos : pos + 1]
        if isinstance(shape, ObjectOf) and opener == "{":
            return self._object(pos + 1, shape)
        if isinstance(shape, ArrayOf) and opener == "[":
            return self._array(pos + 1, shape)
        if isinstance(shape, Keep):
            _, end = _CHECKING_DECODER.raw_decode(self.text, pos)
            return RawJson(self.text[pos:end]), end
        return _DECODER.raw_decode(self.text, pos)

    def _object(self, pos: int, shape: ObjectOf) -> tuple[dict[str, Any], int]:
        text = self.text
        members: dict[str, Any] = {}
        pos = _skip(text, pos)
        if text[pos : pos + 1] == "}":
            return members, pos + 1
        while True:
            if text[pos : pos + 1] != '"':
                raise JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
            key, pos = _scanstring(text, pos + 1, True)
            pos = _skip(text, pos)
            if text[pos : pos + 1] != ":":
                raise JSONDecodeError("Expecting ':' delimiter", text, pos)
            members[key], pos = self.value(_skip(text, pos + 1), shape.members.get(key))
            pos = _skip(text, pos)
            if text[pos : pos + 1] == "}":
                return members, pos + 1
            if text[pos : pos + 1] != ",":
                raise JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos = _skip(text, pos + 1)

    def _array(self, pos: int, shape: ArrayOf) -> tuple[list[Any], int]:
        text = self.text
        elements: list[Any] = []
        pos = _skip(text, pos)
        if text[pos : pos + 1] == "]":
            return elements, pos + 1
        while True:
            element, pos = self.value(pos, shape.element)
            elements.append(element)
            pos = _skip(text, pos)
            if text[pos : pos + 1] == "]":
                return elements, pos + 1
            if text[pos : pos + 1] != ",":
                raise JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos = _skip(text, pos + 1)
