"""API Gateway events built by the local gateway itself, so tests send what functions really receive."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from local.apigw import Gateway
from local.template import load


@cache
def _gateway() -> Gateway:
    return Gateway(load())


def api_event(
    method: str,
    target: str,
    body: bytes | str = b"",
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
) -> tuple[str, dict[str, Any]]:
    """(function logical id, event) for a request, routed exactly as `make run` routes it."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    route, event = _gateway().event_for(method, target, raw, pairs)
    return route.function, event


def json_body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])
