"""The telemetry family on the wire: JSON bodies, `{"error": ...}` refusals, the exact 401 header."""

from __future__ import annotations

from typing import Any

from telemetry_gateway.telemetry.errors import TelemetryError
from telemetry_gateway.web.http import LambdaResponse, respond_json
from telemetry_gateway.web.route import Family, Route

REALM = "suse-telemetry-service"


def www_authenticate(scope: str) -> str:
    """Space-separated, no commas: the reference client splits on whitespace."""
    return f'Bearer realm="{REALM}" scope="{scope}"'


def error_response(status: int, message: str, scope: str | None = None) -> LambdaResponse:
    headers = {"WWW-Authenticate": www_authenticate(scope)} if status == 401 and scope else None
    return respond_json(status, {"error": message}, headers=headers)


FAMILY = Family(
    TelemetryError,
    lambda exc: error_response(exc.status, exc.message, exc.scope),
    lambda: error_response(503, "storage temporarily unavailable"),
    lambda: error_response(500, "internal error"),
)


def route[C](config: C, reserve_seconds: float) -> Route[C]:
    return Route(FAMILY, config, reserve_seconds)


def render(payload: dict[str, Any]) -> LambdaResponse:
    """200 with the JSON body, keys in the order given."""
    return respond_json(200, payload)
