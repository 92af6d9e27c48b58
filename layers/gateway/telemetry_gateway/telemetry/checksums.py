"""Report, bundle and item checksums exactly as the Go client computes them (spec section 8.5).

The client hashes Go's `json.Marshal` of its structs: HTML-safe string escaping, `json.RawMessage`
data compacted, fixed key order and `omitempty` rules. The canonical texts below rebuild those bytes
from the parsed values.
"""

import hashlib
import re
from collections.abc import Callable
from functools import partial

from telemetry_gateway.telemetry.errors import TelemetryError
from telemetry_gateway.telemetry.report import Bundle, Item, Report

type _Table = dict[int, str]


def _quote_table(*, legacy: bool) -> _Table:
    table = {code: f"\\u{code:04x}" for code in range(0x20)}
    table.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
    if not legacy:  # Go 1.22 started writing \b and \f in short form
        table.update({0x08: "\\b", 0x0C: "\\f"})
    table.update({ord('"'): '\\"', ord("\\"): "\\\\"})
    table.update({ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"})
    table.update(dict.fromkeys(range(0xD800, 0xE000), "\ufffd"))
    return table


_QUOTE = _quote_table(legacy=False)
_LEGACY_QUOTE = _quote_table(legacy=True)
# A stretch of valid JSON between whitespace outside strings: string literals are taken whole, so
# their spaces stay. Possessive quantifiers keep this linear; valid JSON never needs backtracking.
_COMPACT_RUN = re.compile(r'(?:[^" \t\n\r]++|"[^"\\]*+(?:\\.[^"\\]*+)*+")++')
_HTML_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def go_quote(text: str) -> str:
    """q(s): the string as Go's encoding/json writes it."""
    return _q(text, _QUOTE)


def compact_data(text: str) -> str:
    """What `json.Marshal` makes of a RawMessage: whitespace outside strings removed, HTML escaped.

    Everything else (number spellings, key order, duplicates, existing escapes) stays as sent.
    """
    compact = "".join(_COMPACT_RUN.findall(text))
    for char, escaped in _HTML_UNSAFE.items():
        compact = compact.replace(char, escaped)
    return compact


def data_checksum(data_text: str) -> str:
    """The item checksum the client computes over its `telemetryData`; also its stored data MD5."""
    return _md5(compact_data(data_text))


def verify_checksums(report: Report) -> None:
    """Check every non-empty checksum: each bundle's items in order, then the bundle; the report last.

    Raises the 400 of the first mismatch. Bundle and report comparisons that fail are retried with
    the `\\u0008`/`\\u000c` escapes of Go before 1.22, which older clients hashed.
    """
    texts = _CanonicalTexts()
    for b, bundle in enumerate(report.bundles):
        for i, item in enumerate(bundle.items):
            if item.checksum and _md5(texts.data(item)) != item.checksum:
                raise _mismatch(f"bundle {b} item {i}")
        if bundle.checksum and not _matches(bundle.checksum, partial(texts.items, bundle)):
            raise _mismatch(f"bundle {b}")
    if report.checksum and not _matches(report.checksum, partial(texts.bundles, report)):
        raise _mismatch("report")


class _CanonicalTexts:
    """The texts the client hashed, compacting each item's data at most once per report."""

    def __init__(self) -> None:
        self._data: dict[int, str] = {}

    def data(self, item: Item) -> str:
        key = id(item)
        if key not in self._data:
            self._data[key] = compact_data(item.data_text)
        return self._data[key]

    def items(self, bundle: Bundle, table: _Table) -> str:
        """`[I(item0),I(item1),...]`, the bundle checksum's input."""
        return "[" + ",".join(self._item(item, table) for item in bundle.items) + "]"

    def bundles(self, report: Report, table: _Table) -> str:
        """`[B(bundle0),...]`, the report checksum's input."""
        return "[" + ",".join(self._bundle(bundle, table) for bundle in report.bundles) + "]"

    def _item(self, item: Item, table: _Table) -> str:
        header = (
            f'"telemetryId":{_q(item.telemetry_id, table)},'
            f'"telemetryTimeStamp":{_q(item.timestamp, table)},'
            f'"telemetryType":{_q(item.type, table)}'
            f"{_tags('telemetryAnnotations', item.annotations, table)}"
        )
        footer = f'"checksum":{_q(item.checksum, table)}'
        return f'{{"header":{{{header}}},"telemetryData":{self.data(item)},"footer":{{{footer}}}}}'

    def _bundle(self, bundle: Bundle, table: _Table) -> str:
        header = (
            (f'"bundleId":{_q(bundle.bundle_id, table)},' if bundle.bundle_id else "")
            + f'"bundleTimeStamp":{_q(bundle.timestamp, table)},'
            f'"bundleClientId":{_q(bundle.client_id, table)},'
            f'"bundleCustomerId":{_q(bundle.customer_id, table)}'
            f"{_tags('bundleAnnotations', bundle.annotations, table)}"
        )
        items = f',"telemetryDataItems":{self.items(bundle, table)}' if bundle.items else ""
        footer = f'"checksum":{_q(bundle.checksum, table)}' if bundle.checksum else ""
        return f'{{"header":{{{header}}}{items},"footer":{{{footer}}}}}'


def _matches(expected: str, render: Callable[[_Table], str]) -> bool:
    text = render(_QUOTE)
    if _md5(text) == expected:
        return True
    legacy = render(_LEGACY_QUOTE)  # differs only where a string holds U+0008 or U+000C
    return legacy != text and _md5(legacy) == expected


def _q(text: str, table: _Table) -> str:
    return f'"{text.translate(table)}"'


def _tags(key: str, tags: tuple[str, ...] | None, table: _Table) -> str:
    """`,"key":[...]`, left out for absent, null and [] like Go's omitempty."""
    if not tags:
        return ""
    return f',"{key}":[' + ",".join(_q(tag, table) for tag in tags) + "]"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _mismatch(where: str) -> TelemetryError:
    return TelemetryError(400, f"checksum verification failed: {where}")
