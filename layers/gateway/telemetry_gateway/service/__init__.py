"""Liveness and version: answered without storage or credentials, so monitors see the function itself."""

from __future__ import annotations

from telemetry_gateway import __version__
from telemetry_gateway.web.http import LambdaResponse, respond_json
from telemetry_gateway.web.route import Family, Request, Route


class _NeverRefused(Exception):
    """These routes refuse nothing."""


def _error(status: int) -> LambdaResponse:
    return respond_json(status, {"error": "internal error"})


FAMILY = Family(_NeverRefused, lambda _exc: _error(500), lambda: _error(503), lambda: _error(500))


def route(reserve_seconds: float) -> Route[None]:
    """No configuration of their own, and no AWS calls to trace."""
    return Route(FAMILY, None, reserve_seconds, traced=False)


def health() -> dict[str, bool]:
    return {"alive": True}


def version() -> dict[str, str]:
    return {"version": __version__}


def render(request: Request[None], payload: object) -> LambdaResponse:
    """200 with the payload; HEAD gets the same headers and no body."""
    return respond_json(200, payload, head=request.event.http_method == "HEAD")
