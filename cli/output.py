"""`--json` prints exactly one JSON object; otherwise a short human rendering of the same data.

A list shows at most `--limit` entries; when more exist it says so: `"more": true` in JSON (absent when the
list is complete), and a closing line in text. A failure is `{"error": "..."}` on stdout with --json, else
one line `tgw: ...` on stderr.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

MORE = "more"


def more_hint(limit: int | None) -> str:
    return f"(more exist: showing the first {limit}; use --limit N or --all)"


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


def emit_list(
    key: str, entries: list[Any], more: bool, limit: int | None, as_json: bool, lines: list[str] | None = None
) -> None:
    """`{key: entries}` (with `"more": true` when the list was cut at `limit`); in text, `lines` (or the
    JSON, indented) and, when cut, a closing line saying so."""
    payload: dict[str, Any] = {key: entries} | ({MORE: True} if more else {})
    text = json.dumps({key: entries}, default=_plain, indent=2) if lines is None else "\n".join(lines)
    text = text or f"(no {key})"
    emit(payload, as_json, f"{text}\n{more_hint(limit)}" if more else text)


def emit_error(message: str, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps({"error": message}, ensure_ascii=False) + "\n")
    else:
        sys.stderr.write(f"tgw: {message}\n")
