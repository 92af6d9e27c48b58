"""The API Gateway REST (payload 1.0) proxy event, read-only, with the few views our routes use.

Powertools' `APIGatewayProxyEvent` did the same, but importing it runs its `data_classes` package, which
imports every event class Powertools has (about 16 ms of CPU, a tenth of `import boto3`, in every
function's cold start). The semantics are Powertools': header names are matched ignoring case (when two
spellings of one name arrive, the last one wins), absent collections read as empty.
"""

from __future__ import annotations

from typing import Any


class RequestContext:
    """`requestContext`: where the request arrived."""

    __slots__ = ("_raw",)

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    @property
    def domain_name(self) -> str | None:
        return self._raw.get("domainName")

    @property
    def stage(self) -> str:
        return str(self._raw["stage"])


class ApiEvent:
    """One REST API proxy event."""

    __slots__ = ("_headers", "raw_event")

    def __init__(self, raw_event: dict[str, Any]) -> None:
        self.raw_event = raw_event
        self._headers: dict[str, str] | None = None

    def header(self, name: str) -> str | None:
        """A single-value header by name, ignoring case."""
        if self._headers is None:
            self._headers = {key.lower(): value for key, value in (self.raw_event.get("headers") or {}).items()}
        return self._headers.get(name.lower())

    @property
    def body(self) -> str | None:
        return self.raw_event.get("body")

    @property
    def is_base64_encoded(self) -> bool:
        return bool(self.raw_event.get("isBase64Encoded"))

    @property
    def path(self) -> str:
        return str(self.raw_event["path"])

    @property
    def http_method(self) -> str:
        return str(self.raw_event["httpMethod"])

    @property
    def path_parameters(self) -> dict[str, str]:
        return self.raw_event.get("pathParameters") or {}

    @property
    def multi_value_query_string_parameters(self) -> dict[str, list[str]]:
        return self.raw_event.get("multiValueQueryStringParameters") or {}

    @property
    def request_context(self) -> RequestContext:
        return RequestContext(self.raw_event.get("requestContext") or {})
