"""Telemetry functions invoked in-process on moto, through events the local gateway builds."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from support.events import api_event
from support.telemetry_client import ReferenceClient, Transport


def lambda_transport(invoke: Any) -> Transport:
    def send(method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, list[str]], bytes]:
        function, event = api_event(method, path, body, headers)
        response = invoke(function, event)
        raw = response.get("body") or ""
        data = base64.b64decode(raw) if response.get("isBase64Encoded") else raw.encode()
        names: dict[str, list[str]] = {}
        for name, value in (response.get("headers") or {}).items():
            names.setdefault(name.lower(), []).append(value)
        for name, values in (response.get("multiValueHeaders") or {}).items():
            names.setdefault(name.lower(), []).extend(values)
        return response["statusCode"], names, data

    return send


@pytest.fixture
def client(invoke: Any) -> ReferenceClient:
    return ReferenceClient(lambda_transport(invoke))


@pytest.fixture
def post(invoke: Any) -> Any:
    """POST a body to a path; returns the proxy response."""

    def call(path: str, body: bytes | str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        function, event = api_event("POST", path, body, headers or {})
        return dict(invoke(function, event))

    return call
