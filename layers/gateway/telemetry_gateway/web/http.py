"""Request parsing and response building shared by every HTTP function (API Gateway REST, v1 events)."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from telemetry_gateway.web.event import ApiEvent

LambdaResponse = dict[str, Any]


def body_bytes(event: ApiEvent) -> bytes:
    """The body exactly as the client sent it: base64-decoded when the front door encoded it."""
    body = event.body
    if body is None:
        return b""
    if event.is_base64_encoded:
        return base64.b64decode(body)
    return body.encode("utf-8")


def header(event: ApiEvent, name: str) -> str | None:
    """Header lookup ignoring case, because API Gateway delivers names as each client spelled them."""
    value = event.header(name)
    return value if isinstance(value, str) else None


def header_lines(event: ApiEvent) -> list[tuple[str, str]]:
    """Every (name, value) pair in arrival order, one pair per value of a repeated header, names spelled
    as the front door delivered them (read from the raw event: Powertools' header views lowercase them)."""
    multi = event.raw_event.get("multiValueHeaders") or {}
    if multi:
        return [(name, value) for name, values in multi.items() for value in values or ()]
    return list((event.raw_event.get("headers") or {}).items())


def respond(
    status: int,
    body: bytes | str = b"",
    *,
    content_type: str | None = None,
    headers: Mapping[str, str] | None = None,
    binary: bool = False,
) -> LambdaResponse:
    """A proxy response. Text stays text unless `binary` is set, because API Gateway decodes base64
    only when the caller's Accept header names a binary media type of the API."""
    out_headers = dict(headers or {})
    if content_type is not None:
        out_headers["Content-Type"] = content_type
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if not binary:
        try:
            return {
                "statusCode": status,
                "headers": out_headers,
                "body": raw.decode("utf-8"),
                "isBase64Encoded": False,
            }
        except UnicodeDecodeError:
            pass
    return {
        "statusCode": status,
        "headers": out_headers,
        "body": base64.b64encode(raw).decode("ascii"),
        "isBase64Encoded": True,
    }


def respond_json(
    status: int, payload: object, *, headers: Mapping[str, str] | None = None, head: bool = False
) -> LambdaResponse:
    """Compact JSON (no spaces, keys in the order given); `head` keeps the headers and drops the body."""
    text = "" if head else json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return respond(status, text, content_type="application/json", headers=headers)
