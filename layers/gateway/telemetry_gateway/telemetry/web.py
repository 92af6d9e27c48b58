"""The telemetry family on the wire: JSON bodies, `{"error": ...}` refusals, the exact 401 header."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from telemetry_gateway import clock
from telemetry_gateway.guard import guarded
from telemetry_gateway.http import LambdaResponse, body_bytes, respond_json
from telemetry_gateway.observability import LambdaHandler, http_function
from telemetry_gateway.telemetry import wiring
from telemetry_gateway.telemetry.errors import TelemetryError
from telemetry_gateway.telemetry.settings import settings

REALM = "suse-telemetry-service"


def www_authenticate(scope: str) -> str:
    """Space-separated, no commas: the reference client splits on whitespace."""
    return f'Bearer realm="{REALM}" scope="{scope}"'


def error_response(status: int, message: str, scope: str | None = None) -> LambdaResponse:
    headers = {"WWW-Authenticate": www_authenticate(scope)} if status == 401 and scope else None
    return respond_json(status, {"error": message}, headers=headers)


def telemetry_function(
    handler: Callable[[APIGatewayProxyEvent, LambdaContext], dict[str, Any]],
) -> LambdaHandler:
    """A telemetry route: the handler returns the 200 body; refusals and faults become the family's
    error shape. Nothing but TelemetryError reaches the client as detail.

    Settings are parsed here, at import: an invalid one stops the function at start-up."""
    settings()

    @http_function
    @wraps(handler)
    def entry(event: APIGatewayProxyEvent, context: LambdaContext) -> LambdaResponse:
        return guarded(
            lambda: respond_json(200, handler(event, context)),
            TelemetryError,
            lambda exc: error_response(exc.status, exc.message, exc.scope),
            lambda: error_response(503, "storage temporarily unavailable"),
            lambda: error_response(500, "internal error"),
        )

    return entry


def credential_function[Request](
    parse: Callable[[bytes], Request], issue: Callable[..., dict[str, Any]]
) -> LambdaHandler:
    """/register and /authenticate: parse the body, then issue credentials against the registrations."""

    @telemetry_function
    def handler(event: APIGatewayProxyEvent, _context: LambdaContext) -> dict[str, Any]:
        request = parse(body_bytes(event))
        return issue(request, wiring.registrations(), wiring.signing_key(), settings().tokens, clock.current())

    return handler
