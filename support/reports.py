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


def _object(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in {**defaults, **overrides}.items() if value is not ABSENT}


def item(data: str | None = DATA, footer: Any = ABSENT, **header: Any) -> str:
    fields = {
        "telemetryId": ITEM_ID,
        "telemetryTimeStamp": TIMESTAMP,
        "telemetryType": "SLE-SERVER-SCCHwInfo",
        "telemetryAnnotations": [""],
    }
    parts = [f'"header":{json.dumps(_object(fields, header))}']
    if data is not None:
        parts.append(f'"telemetryData":{data}')
    if footer is not ABSENT:
        parts.append(f'"footer":{json.dumps(footer)}')
    return "{" + ",".join(parts) + "}"


def bundle(*items: str, footer: Any = ABSENT, **header: Any) -> str:
    fields = {
        "bundleId": BUNDLE_ID,
        "bundleTimeStamp": TIMESTAMP,
        "bundleClientId": BUNDLE_CLIENT_ID,
        "bundleCustomerId": "",
        "bundleAnnotations": [""],
    }
    parts = [
        f'"header":{json.dumps(_object(fields, header))}',
        f'"telemetryDataItems":[{",".join(items or (item(),))}]',
    ]
    if footer is not ABSENT:
        parts.append(f'"footer":{json.dumps(footer)}')
    return "{" + ",".join(parts) + "}"


def report(*bundles: str, footer: Any = ABSENT, **header: Any) -> bytes:
    fields = {
        "reportId": REPORT_ID,
        "reportTimeStamp": TIMESTAMP,
        "reportClientId": REPORT_CLIENT_ID,
        "reportAnnotations": [""],
    }
    parts = [
        f'"header":{json.dumps(_object(fields, header))}',
        f'"telemetryBundles":[{",".join(bundles or (bundle(),))}]',
    ]
    if footer is not ABSENT:
        parts.append(f'"footer":{json.dumps(footer)}')
    return ("{" + ",".join(parts) + "}").encode()
