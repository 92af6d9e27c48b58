"""Report bodies for tests: headers via json.dumps, `telemetryData` inserted verbatim."""

import json
from typing import Any

ABSENT: Any = object()  # pass as a value to leave the key out

REPORT_ID = "6ba7b810-9dad-41d1-80b4-00c04fd430c8"
REPORT_CLIENT_ID = "f3236a8e-4b5c-4d7e-9f00-1a2b3c4d5e6f"
BUNDLE_ID = "0c5f2e4a-7d1b-4c8e-9a3f-5b6d7e8f9a0b"
BUNDLE_CLIENT_ID = "1b504dca-bd71-424f-87f6-21eb7f5745db"
ITEM_ID = "3f97d439-5212-4688-af22-ad0559a626cb"
TIMESTAMP = "2025-07-30T10:00:00.123456789Z"
DATA = '{"version":1,"data":{}}'


def _document(defaults: dict[str, Any], header: dict[str, Any], body: tuple[str, str] | None, footer: Any) -> str:
    """`{"header":…, <body key>:<body verbatim>, "footer":…}`; ABSENT leaves a key out."""
    fields = {key: value for key, value in {**defaults, **header}.items() if value is not ABSENT}
    parts = [f'"header":{json.dumps(fields)}']
    if body is not None:
        parts.append(f'"{body[0]}":{body[1]}')
    if footer is not ABSENT:
        parts.append(f'"footer":{json.dumps(footer)}')
    return "{" + ",".join(parts) + "}"


def item(data: str | None = DATA, footer: Any = ABSENT, **header: Any) -> str:
    fields = {
        "telemetryId": ITEM_ID,
        "telemetryTimeStamp": TIMESTAMP,
        "telemetryType": "SLE-SERVER-SCCHwInfo",
        "telemetryAnnotations": [""],
    }
    return _document(fields, header, None if data is None else ("telemetryData", data), footer)


def bundle(*items: str, footer: Any = ABSENT, **header: Any) -> str:
    fields = {
        "bundleId": BUNDLE_ID,
        "bundleTimeStamp": TIMESTAMP,
        "bundleClientId": BUNDLE_CLIENT_ID,
        "bundleCustomerId": "",
        "bundleAnnotations": [""],
    }
    return _document(fields, header, ("telemetryDataItems", f"[{','.join(items or (item(),))}]"), footer)


def report(*bundles: str, footer: Any = ABSENT, **header: Any) -> bytes:
    fields = {
        "reportId": REPORT_ID,
        "reportTimeStamp": TIMESTAMP,
        "reportClientId": REPORT_CLIENT_ID,
        "reportAnnotations": [""],
    }
    return _document(fields, header, ("telemetryBundles", f"[{','.join(bundles or (bundle(),))}]"), footer).encode()
