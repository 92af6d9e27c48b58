"""`--json` prints exactly one JSON object; otherwise a short human rendering of the same data."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(type(value).__name__)


def emit(payload: dict[str, Any], as_json: bool, text: str | None = None) -> None:
    if as_json:
        sys.stdout.write(json.dumps(payload, default=_plain, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write((text if text is not None else json.dumps(payload, default=_plain, indent=2)) + "\n")
