"""The Telemetry Client API through the local gateway, as the reference client reaches it."""

from __future__ import annotations

import gzip
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from support.reports import report
from support.telemetry_client import ReferenceClient, parse_challenge


def test_reference_client_flow_over_http(http_client: ReferenceClient) -> None:
    credentials = http_client.register()  # to /telemetry//register: the reference default base URL

    answer = http_client.report(report())

    assert credentials["registrationId"] > 0
    assert answer["processingId"] == 0


def test_single_and_doubled_slash_paths_answer_alike(gateway_url: str, http: requests.Session) -> None:
    body = {"clientRegistration": {"clientId": "c", "systemUUID": "", "timestamp": "t"}}
    single = http.post(f"{gateway_url}/telemetry/register", json=body, timeout=10)
    doubled = http.post(f"{gateway_url}/telemetry//register", json=body, timeout=10)

    assert single.status_code == 200
    assert (doubled.status_code, doubled.json()) == (409, {"error": "specified registration already exists"})
    assert doubled.history == []  # no redirect


def test_401_carries_exactly_one_challenge_in_the_client_format(gateway_url: str, http: requests.Session) -> None:
    response = http.post(f"{gateway_url}/telemetry//report", data=report(), timeout=10)

    challenges = response.raw.headers.getlist("WWW-Authenticate")
    assert response.status_code == 401
    assert challenges == ['Bearer realm="suse-telemetry-service" scope="register"']
    assert parse_challenge(challenges) == "register"
    assert response.headers["Content-Type"] == "application/json"


def test_gzip_reports_reach_the_function_intact(
    gateway_url: str, http_client: ReferenceClient, http: requests.Session
) -> None:
    http_client.register()
    headers = {
        "Authorization": f"Bearer {http_client.token}",
        "X-Telemetry-Registration-Id": str(http_client.registration_id),
        "Content-Encoding": "gzip",
    }

    response = http.post(f"{gateway_url}/telemetry/report", data=gzip.compress(report()), headers=headers, timeout=10)

    assert response.status_code == 200


def test_health_version_and_unknown_paths(gateway_url: str, http: requests.Session) -> None:
    health = http.get(f"{gateway_url}/healthz", timeout=10)
    head = http.head(f"{gateway_url}/version", timeout=10)
    missing = http.get(f"{gateway_url}/telemetry/nope", timeout=10)
    wrong_method = http.get(f"{gateway_url}/telemetry/register", timeout=10)

    assert (health.status_code, health.json()) == (200, {"alive": True})
    assert (head.status_code, head.content, head.headers["Content-Type"]) == (200, b"", "application/json")
    for response in (missing, wrong_method):
        assert (response.status_code, response.json()) == (404, {"error": "not found"})
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    version = http.get(f"{gateway_url}/version", timeout=10).json()
    assert set(version) == {"version"}


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "FOO"])
def test_methods_the_server_has_no_handler_for_answer_the_gateway_404(
    gateway_url: str, http: requests.Session, method: str
) -> None:
    """Found by schemathesis: http.server answered these 501 with an HTML page; API Gateway answers them as
    an unknown route, in the API's shape."""
    for path, expected in (("/telemetry/register", None), ("/api/v1/test/client/create", bytes.fromhex("0A 02 08 0A"))):
        response = http.request(method, gateway_url + path, timeout=10)
        assert response.status_code == 404
        if expected is None:
            assert response.json() == {"error": "not found"}
        else:
            assert response.content == expected


def test_request_over_the_gateway_limit_is_413_in_the_json_shape(gateway_url: str, http: requests.Session) -> None:
    response = http.post(f"{gateway_url}/telemetry/report", data=b"{" + b" " * (10 * 1024 * 1024), timeout=30)

    assert (response.status_code, response.json()) == (413, {"error": "request too large"})


def test_concurrent_requests_are_served_in_parallel(gateway_url: str) -> None:
    def call(_: int) -> int:
        return requests.get(f"{gateway_url}/healthz", timeout=10).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(call, range(32))) == {200}
    assert json.loads(requests.get(f"{gateway_url}/healthz", timeout=10).text) == {"alive": True}
