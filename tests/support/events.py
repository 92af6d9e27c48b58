"""API Gateway events built by the local gateway itself, so tests send what functions really receive."""

from __future__ import annotations

import json
from typing import Any

from local.apigw import Gateway, HttpRequest
from local.template import load


def api_event(
    method: str,
    target: str,
    body: bytes | str = b"",
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
) -> tuple[str, dict[str, Any]]:
    """(function logical id, event) for a request, routed exactly as `make run` routes it."""
    gateway = Gateway(load())
    raw = body.encode("utf-8") if isinstance(body, str) else body
    pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    request = HttpRequest(method=method, target=target, headers=[("Host", "127.0.0.1:3000"), *pairs], body=raw)
    matched = gateway.match(method, target.split("?", 1)[0])
    if matched is None:
        raise LookupError(f"no route for {method} {target}")
    route, params = matched
    return route.function, gateway.build_event(request, route, params)


def json_body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])
