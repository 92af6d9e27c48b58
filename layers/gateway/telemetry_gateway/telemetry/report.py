"""The /report body as typed values, validated per spec sections 8.3 and 8.4."""

import re
from dataclasses import dataclass
from typing import Any

from telemetry_gateway.telemetry.errors import TelemetryError
from telemetry_gateway.telemetry.rawjson import KEEP, ArrayOf, ObjectOf, load_object, scrub_surrogates

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MD5 = re.compile(r"[0-9a-f]{32}")
_MIN_TYPE_LENGTH = 5

_REPORT_SHAPE = ObjectOf(
    {"telemetryBundles": ArrayOf(ObjectOf({"telemetryDataItems": ArrayOf(ObjectOf({"telemetryData": KEEP}))}))}
)


@dataclass(frozen=True, slots=True)
class Item:
    """A telemetry data item. `data_text` is the `telemetryData` value exactly as sent."""

    telemetry_id: str
    timestamp: str
    type: str
    annotations: tuple[str, ...] | None  # None when absent or null, () for []
    checksum: str  # "" when absent
    data_text: str


@dataclass(frozen=True, slots=True)
class Bundle:
    """A report's bundle: its header and footer fields and its items."""

    bundle_id: str
    timestamp: str
    client_id: str
    customer_id: str  # as sent; "" when absent or null
    annotations: tuple[str, ...] | None
    checksum: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """A validated /report body: header, footer and bundles, with every raw text kept."""

    report_id: str
    timestamp: str
    client_id: str
    annotations: tuple[str, ...] | None
    checksum: str
    bundles: tuple[Bundle, ...]


def parse_report(body: bytes) -> Report:
    """Parse and validate a decoded report body, raising the 400 of the first violation.

    Checks run in document order of the Go structs, so the first violation reported is stable:
    the report header (reportId, reportTimeStamp, reportClientId, reportAnnotations), then each
    bundle in order (its header fields in the same way, then each of its items in order: header,
    telemetryData, footer; then the bundle footer), and the report footer last.
    A null value counts as absent, as in Go. Unpaired surrogates in strings become U+FFFD, as Go
    decodes them, so the values can be stored and quoted like the client's.
    """
    doc = load_object(body, _REPORT_SHAPE)
    header = _object(doc, "header", "header", required=True)
    report_id = _uuid(header, "reportId", "header.reportId")
    timestamp = _required_string(header, "reportTimeStamp", "header.reportTimeStamp")
    client_id = _uuid(header, "reportClientId", "header.reportClientId")
    annotations = _annotations(header, "reportAnnotations", "header.reportAnnotations")
    bundles = tuple(
        _bundle(value, f"telemetryBundles[{index}]")
        for index, value in enumerate(_elements(doc, "telemetryBundles", "telemetryBundles"))
    )
    return Report(
        report_id=report_id,
        timestamp=timestamp,
        client_id=client_id,
        annotations=annotations,
        checksum=_md5_checksum(doc, ""),
        bundles=bundles,
    )


def _bundle(value: Any, path: str) -> Bundle:
    bundle = _element(value, path)
    header = _object(bundle, "header", f"{path}.header", required=True)
    bundle_id = _uuid(header, "bundleId", f"{path}.header.bundleId")
    timestamp = _required_string(header, "bundleTimeStamp", f"{path}.header.bundleTimeStamp")
    client_id = _uuid(header, "bundleClientId", f"{path}.header.bundleClientId")
    customer_id = _string(header, "bundleCustomerId", f"{path}.header.bundleCustomerId")
    annotations = _annotations(header, "bundleAnnotations", f"{path}.header.bundleAnnotations")
    items_path = f"{path}.telemetryDataItems"
    items = tuple(
        _item(item, f"{items_path}[{index}]")
        for index, item in enumerate(_elements(bundle, "telemetryDataItems", items_path))
    )
    return Bundle(
        bundle_id=bundle_id,
        timestamp=timestamp,
        client_id=client_id,
        customer_id=customer_id,
        annotations=annotations,
        checksum=_md5_checksum(bundle, f"{path}."),
        items=items,
    )


def _item(value: Any, path: str) -> Item:
    item = _element(value, path)
    header = _object(item, "header", f"{path}.header", required=True)
    telemetry_id = _uuid(header, "telemetryId", f"{path}.header.telemetryId")
    timestamp = _required_string(header, "telemetryTimeStamp", f"{path}.header.telemetryTimeStamp")
    telemetry_type = _required_string(header, "telemetryType", f"{path}.header.telemetryType")
    if len(telemetry_type) < _MIN_TYPE_LENGTH:
        raise _violation(f"{path}.header.telemetryType", f"must be at least {_MIN_TYPE_LENGTH} characters")
    annotations = _annotations(header, "telemetryAnnotations", f"{path}.header.telemetryAnnotations")
    if "telemetryData" not in item:
        raise _violation(f"{path}.telemetryData", "is required")
    footer = _object(item, "footer", f"{path}.footer", required=False)
    return Item(
        telemetry_id=telemetry_id,
        timestamp=timestamp,
        type=telemetry_type,
        annotations=annotations,
        checksum=_string(footer, "checksum", f"{path}.footer.checksum"),
        data_text=item["telemetryData"].text,
    )


def _md5_checksum(parent: dict[str, Any], prefix: str) -> str:
    footer = _object(parent, "footer", f"{prefix}footer", required=False)
    checksum = _string(footer, "checksum", f"{prefix}footer.checksum")
    if checksum and not _MD5.fullmatch(checksum):
        raise _violation(f"{prefix}footer.checksum", "must be 32 lowercase hex characters")
    return checksum


def _element(value: Any, path: str) -> dict[str, Any]:
    if value is None:
        raise _violation(path, "is required")
    if not isinstance(value, dict):
        raise _violation(path, "has the wrong type")
    return value


def _object(parent: dict[str, Any], key: str, path: str, *, required: bool) -> dict[str, Any]:
    """The member object; an absent optional one reads as `{}`, like Go's zero struct."""
    value = parent.get(key)
    if value is None and not required:
        return {}
    return _element(value, path)


def _elements(parent: dict[str, Any], key: str, path: str) -> list[Any]:
    value = parent.get(key)
    if value is None:
        raise _violation(path, "is required")
    if not isinstance(value, list):
        raise _violation(path, "has the wrong type")
    if not value:
        raise _violation(path, "must contain at least one element")
    return value


def _string(parent: dict[str, Any], key: str, path: str) -> str:
    value = parent.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _violation(path, "has the wrong type")
    return scrub_surrogates(value)


def _required_string(parent: dict[str, Any], key: str, path: str) -> str:
    value = _string(parent, key, path)
    if not value:
        raise _violation(path, "is required")
    return value


def _uuid(parent: dict[str, Any], key: str, path: str) -> str:
    value = _required_string(parent, key, path)
    if not _UUID.fullmatch(value):
        raise _violation(path, "must be a UUID")
    return value


def _annotations(parent: dict[str, Any], key: str, path: str) -> tuple[str, ...] | None:
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise _violation(path, "has the wrong type")
    for index, tag in enumerate(value):
        if not isinstance(tag, str):
            raise _violation(f"{path}[{index}]", "has the wrong type")
    return tuple(scrub_surrogates(tag) for tag in value)


def _violation(path: str, problem: str) -> TelemetryError:
    return TelemetryError(400, f"report validation failed: {path} {problem}")
