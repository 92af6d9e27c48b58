"""Requests over real HTTP to the local gateway (in this process, sharing the session's moto)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from support.telemetry_client import ReferenceClient, Transport


def http_transport(base_url: str, session: requests.Session) -> Transport:
    def send(method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, list[str]], bytes]:
        response = session.request(method, base_url + path, data=body, headers=headers, timeout=30)
        names: dict[str, list[str]] = {}
        for name, value in response.raw.headers.items():
            names.setdefault(name.lower(), []).append(value)
        return response.status_code, names, response.content

    return send


@pytest.fixture
def http(gateway_url: str, aws: Any) -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def http_client(gateway_url: str, http: requests.Session) -> ReferenceClient:
    return ReferenceClient(http_transport(gateway_url, http))
