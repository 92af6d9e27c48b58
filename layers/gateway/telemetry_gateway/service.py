"""Liveness and version: answered without storage or credentials, so monitors see the function itself."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from telemetry_gateway import __version__
from telemetry_gateway.http import LambdaResponse, respond_json
from telemetry_gateway.observability import LambdaHandler, http_function


def health() -> dict[str, bool]:
    return {"alive": True}


def version() -> dict[str, str]:
    return {"version": __version__}


def static_json_function(payload: Callable[[], object]) -> LambdaHandler:
    """A GET/HEAD function answering 200 with `payload()`; HEAD gets the same headers and no body."""

    def handler(event: APIGatewayProxyEvent, _context: LambdaContext) -> LambdaResponse:
        return respond_json(200, payload(), head=event.http_method == "HEAD")

    return http_function(handler, traced=False)  # no AWS calls to trace
