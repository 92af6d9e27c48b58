"""Header lines that cross the relay: the Client's request headers (kept for the Master) and the
Master's reply headers (passed to the Client, so they are checked as an injection guard)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from telemetry_gateway.notify.errors import invalid_header_line

# Not kept from a Client's request: hop-by-hop, Content-Length, the front door's own, and gateway-owned.
_DROPPED_REQUEST = frozenset(
    {"connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "content-length"}
    | {"x-amz-cf-id", "via", "x-message-id", "x-telemetry-user", "content-transfer-encoding"}
)
_DROPPED_REQUEST_PREFIXES = ("proxy-", "x-forwarded-", "x-amzn-", "cloudfront-")

# Dropped silently from a reply, with any name a Connection line lists.
_DROPPED_REPLY = frozenset(
    {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer"}
    | {"transfer-encoding", "upgrade", "content-length", "x-message-id", "x-telemetry-user", "x-saw-user"}
)
_REPLY_LINE = re.compile(r"([!#$%&'*+.^_`|~0-9A-Za-z-]+):([^\x00-\x08\x0a-\x1f\x7f-\x9f]*)")
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def kept_request_headers(pairs: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The Client's headers as `Name: value` lines, in arrival order, without the ones section 7 drops."""
    return tuple(
        f"{name}: {value}"
        for name, value in pairs
        if name.lower() not in _DROPPED_REQUEST and not name.lower().startswith(_DROPPED_REQUEST_PREFIXES)
    )


def sanitised_reply_headers(raw: bytes) -> tuple[str, ...]:
    """The reply header lines to store: split on CR, LF or CRLF, empty lines dropped, every other line a
    valid `Name: value` (else 400 naming the line, counted from 1 in the text as sent), reserved names
    dropped. Lines are never repaired."""
    valid: list[tuple[str, str]] = []
    for number, raw_line in enumerate(_LINE_BREAK.split(raw), start=1):
        if not raw_line:
            continue
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError:
            raise invalid_header_line(number) from None
        match = _REPLY_LINE.fullmatch(line)
        if match is None:
            raise invalid_header_line(number)
        valid.append((match.group(1).lower(), line))
    listed = {
        token.strip().lower()
        for name, line in valid
        if name == "connection"
        for token in line.split(":", 1)[1].split(",")
    }
    return tuple(line for name, line in valid if name not in _DROPPED_REPLY and name not in listed)


def header_block(lines: Iterable[str]) -> str:
    """Lines each ending in LF, with any CR or LF inside a line removed."""
    return "".join(line.replace("\r", "").replace("\n", "") + "\n" for line in lines)
