"""Reading notify requests: form fields (body over query string) and the Referer guard's endpoint URLs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes, urlsplit

from telemetry_gateway.web.http import header

if TYPE_CHECKING:
    from telemetry_gateway.web.event import ApiEvent

_DEFAULT_PORTS = {"https": 443, "http": 80}


def form_fields(body: bytes, query: Mapping[str, list[str]] | None = None) -> dict[str, bytes]:
    """`application/x-www-form-urlencoded` fields, whatever the Content-Type says: `+` is a space, values
    are percent-decoded to bytes, the first of a repeated field counts, and body values win."""
    fields = {name: values[0].encode("utf-8") for name, values in (query or {}).items() if values}
    from_body: dict[str, bytes] = {}
    for pair in body.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            from_body.setdefault(_decode(name).decode("utf-8", "replace"), _decode(value))
    return fields | from_body


def _decode(text: bytes) -> bytes:
    return unquote_to_bytes(text.replace(b"+", b" "))


def normalised_url(url: str) -> str:
    """Lowercase scheme and host, no default port, no trailing `/`; the path keeps its case. What does not
    parse as a URL (an unclosed IPv6 bracket, a port out of range) is compared as text."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip().rstrip("/")
    if not parts.scheme or not parts.hostname:
        return url.strip().rstrip("/")
    scheme = parts.scheme.lower()
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{host}{parts.path}".rstrip("/") + query


def referer_matches(referer: str | None, endpoints: Iterable[str]) -> bool:
    if not referer:
        return False
    return normalised_url(referer) in {normalised_url(url) for url in endpoints}


def reached_endpoint(event: ApiEvent) -> str | None:
    """The base URL this request reached: its host, plus the stage (or base path) that API Gateway put in
    front of the resource path. In the cloud a function cannot be told its own API's URL (that would be a
    circular reference), so this is always accepted as an Endpoint URL besides the configured ones."""
    context = event.raw_event.get("requestContext") or {}
    domain = context.get("domainName")
    if not domain:
        return None
    full_path, path = str(context.get("path") or event.path), event.path
    prefix = full_path[: len(full_path) - len(path)] if full_path.endswith(path) else ""
    scheme = (header(event, "X-Forwarded-Proto") or "https").split(",")[0].strip()
    return f"{scheme}://{domain}{prefix}"


@dataclass(frozen=True)
class MasterRequest:
    """A MailboxListen or MailboxPost request, as far as the domain needs it."""

    referer: str | None
    endpoints: tuple[str, ...]
    fields: Mapping[str, bytes]

    def text(self, name: str) -> str | None:
        """A field as text; None when absent or not UTF-8 (so it can match nothing)."""
        value = self.fields.get(name)
        if value is None:
            return None
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None
