"""The sensor API through the local gateway over real HTTP: binary bodies whatever the Accept header,
both protobuf content types, and the gateway's own answers as GenericResponse bytes."""

from __future__ import annotations

import pytest
import requests

from support.sensor_client import CPP_CLIENT, PYTHON_CLIENT, SensorClient, Transport
from telemetry_gateway.sensors.pb.common_pb2 import OVER_QUOTA_ERROR, PATH_NOT_FOUND, SUCCESS, GenericResponse

NO_ACCEPT = {"Accept": None}  # requests would send Accept: */* by default; the C++ client sends none


def http_transport(base_url: str, session: requests.Session) -> Transport:
    def send(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        response = session.post(base_url + path, data=body, headers={**NO_ACCEPT, **headers}, timeout=30)
        assert response.headers["Content-Type"] == "application/x-protobuf"
        return response.status_code, response.content

    return send


@pytest.mark.parametrize("headers", [PYTHON_CLIENT, CPP_CLIENT], ids=["python", "cpp"])
def test_both_clients_register_and_heartbeat(gateway_url: str, http: requests.Session, headers: dict[str, str]) -> None:
    client = SensorClient(http_transport(gateway_url, http), headers=headers)

    created = client.create()
    answer = client.heartbeat()

    assert (created.status.type, answer.status.type) == (SUCCESS, SUCCESS)
    assert answer.HasField("metadata_changed")


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
def test_responses_are_binary_protobuf_whatever_the_accept_header(
    gateway_url: str, http: requests.Session, accept: str | None
) -> None:
    response = http.post(f"{gateway_url}/api/v1/test/client/create", data=b"", headers={"Accept": accept}, timeout=10)

    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-cache")
    assert response.content[:2] == b"\x0a\x02"  # field 1 (status), not base64 text
    assert GenericResponse.FromString(response.content).status.type == SUCCESS


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/v1/test/no/such/route"), ("GET", "/api/v1/test/client/create"), ("POST", "/api/v2/test")],
)
def test_unknown_routes_answer_path_not_found_bytes(
    gateway_url: str, http: requests.Session, method: str, path: str
) -> None:
    response = http.request(method, gateway_url + path, headers=NO_ACCEPT, timeout=10)

    assert (response.status_code, response.content) == (404, bytes.fromhex("0A 02 08 0A"))
    assert response.headers["Content-Type"] == "application/x-protobuf"
    assert GenericResponse.FromString(response.content).status.type == PATH_NOT_FOUND


def test_a_body_over_the_gateway_limit_answers_over_quota_bytes(gateway_url: str, http: requests.Session) -> None:
    response = http.post(f"{gateway_url}/api/v1/test/client/create", data=b"\x00" * (10 * 1024 * 1024 + 1), timeout=30)

    assert (response.status_code, response.content) == (413, bytes.fromhex("0A 02 08 07"))
    assert GenericResponse.FromString(response.content).status.type == OVER_QUOTA_ERROR
