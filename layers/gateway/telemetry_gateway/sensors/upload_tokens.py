"""Upload tokens (section 10): base64url(JSON claims) + "." + base64url(HMAC-SHA256(upload key, first part)).

A token is the whole authority of an upload: it names the namespace, client, sensor, window, format and
request (or current data) and expires. Nothing is stored when one is issued.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telemetry_gateway.sensors.data_records import Span, UploadClaims
from telemetry_gateway.sensors.errors import invalid

UPLOAD_PATH = "/api/v1/{namespace}/data/upload/{token}"


@dataclass(frozen=True)
class UploadLinks:
    """How a route that answers offers makes upload URLs."""

    key: bytes
    lifetime_seconds: int
    public_base: str  # scheme://host[/stage], no trailing slash

    def url(self, claims: UploadClaims) -> str:
        return self.public_base + UPLOAD_PATH.format(namespace=claims.namespace, token=issue(self.key, claims))


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, first: str) -> str:
    return _encode(hmac.new(key, first.encode("ascii"), hashlib.sha256).digest())


def issue(key: bytes, claims: UploadClaims) -> str:
    body: dict[str, Any] = {
        "ns": claims.namespace,
        "client": str(claims.client_id),  # ids as decimal strings: exact beyond 2^53
        "sensor": str(claims.sensor_id),
        "start": claims.span.start,
        "end": claims.span.end,
        "format": claims.data_format,
        "current": claims.current,
        "exp": claims.expires,
    }
    if claims.request_id is not None:
        body["request"] = str(claims.request_id)
    first = _encode(json.dumps(body, separators=(",", ":")).encode())
    return f"{first}.{_mac(key, first)}"


def verify(key: bytes, token: str, namespace: str, now: datetime) -> UploadClaims:
    """The claims of a token this server issued for `namespace` that has not expired; else 403."""
    first, _, mac = token.partition(".")
    if not first or not first.isascii():  # the server's tokens are base64url: anything else is not one
        raise invalid("invalid upload token", 403)
    if not hmac.compare_digest(_mac(key, first).encode(), mac.encode("utf-8", "surrogatepass")):
        raise invalid("invalid upload token", 403)
    try:
        body = json.loads(_decode(first))
        request = body.get("request")
        claims = UploadClaims(
            namespace=str(body["ns"]),
            client_id=int(body["client"]),
            sensor_id=int(body["sensor"]),
            span=Span(str(body["start"]), str(body["end"])),
            data_format=int(body["format"]),
            request_id=None if request is None else int(request),
            current=bool(body["current"]),
            expires=int(body["exp"]),
        )
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise invalid("invalid upload token", 403) from None
    if claims.namespace != namespace:
        raise invalid("invalid upload token", 403)
    if now.timestamp() >= claims.expires:
        raise invalid("upload token expired", 403)
    return claims
