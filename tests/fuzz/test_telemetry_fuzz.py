"""The Telemetry Client API under hostile input: every answer is JSON in the family's shape, never a 5xx.

/authenticate and /report are fuzzed with a real registration among the candidates, so requests get past
the credential checks to the body (a valid report is stored, a real hash re-issues the token)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support.events import json_body
from support.strategies.http import extra_headers
from support.strategies.telemetry import (
    CONTENT_ENCODINGS,
    authenticate_documents,
    bodies,
    encoded,
    register_documents,
    report_documents,
    report_headers,
)
from support.telemetry_client import ReferenceClient
from tests.fuzz.harness import Invoke, budget, send, service_shape, telemetry_shape, telemetry_transport


@dataclass(frozen=True)
class Registered:
    registration_id: int
    token: str
    hashes: tuple[str, ...]  # every accepted form of its registration hash


@pytest.fixture
def registered(invoke: Invoke) -> Registered:
    client = ReferenceClient(telemetry_transport(invoke), system_uuid="3f97d439-5212-4688-af22-ad0559a626cb")
    client.register()
    assert client.registration_id is not None
    assert client.token is not None
    pipe = f"{client.client_id}|{client.system_uuid}|{client.timestamp}".encode()
    legacy = (
        f'{{"clientId":"{client.client_id}","systemUUID":"{client.system_uuid}","timestamp":"{client.timestamp}"}}'
    ).encode()
    hashes = tuple(digest(text).hexdigest() for text in (pipe, legacy) for digest in (hashlib.sha256, hashlib.sha512))
    return Registered(client.registration_id, client.token, hashes)


REPORT_BODIES = bodies(report_documents())
PATHS = {name: st.sampled_from([f"/telemetry/{name}", f"/telemetry//{name}"]) for name in ("register", "authenticate")}


@budget(100)
@given(path=PATHS["register"], body=bodies(register_documents()), headers=extra_headers())
def test_register_answers_every_body_in_the_family_shape(
    invoke: Invoke, path: str, body: bytes, headers: list[tuple[str, str]]
) -> None:
    answer = telemetry_shape(send(invoke, "telemetry", "POST", path, body, headers))
    if "authToken" in answer:
        assert isinstance(answer["registrationId"], int)
        assert answer["registrationId"] >= 1


@budget(100)
@given(data=st.data(), path=PATHS["authenticate"], headers=extra_headers())
def test_authenticate_answers_every_body_in_the_family_shape(
    invoke: Invoke, registered: Registered, data: st.DataObject, path: str, headers: list[tuple[str, str]]
) -> None:
    documents = authenticate_documents((registered.registration_id,), registered.hashes)
    answer = telemetry_shape(send(invoke, "telemetry", "POST", path, data.draw(bodies(documents)), headers))
    if "authToken" in answer:
        assert answer["registrationId"] == registered.registration_id


@budget(200)
@given(data=st.data(), path=st.sampled_from(["/telemetry/report", "/telemetry//report"]))
def test_report_answers_every_request_in_the_family_shape(
    invoke: Invoke, registered: Registered, data: st.DataObject, path: str
) -> None:
    encoding = data.draw(CONTENT_ENCODINGS, label="Content-Encoding")
    body = data.draw(encoded(data.draw(REPORT_BODIES, label="report"), encoding), label="body")
    headers = data.draw(report_headers(registered.token, registered.registration_id, encoding), label="headers")
    answer = telemetry_shape(send(invoke, "telemetry", "POST", path, body, headers))
    if "processingId" in answer:
        assert answer["processingId"] == 0


@budget(20)
@given(
    path=st.sampled_from(["/healthz", "/version", "/healthz/", "//version"]),
    method=st.sampled_from(["GET", "HEAD"]),
    query=st.sampled_from(["", "?x=1", "?%ff", "?a&a&a"]),
    headers=extra_headers(),
)
def test_healthz_and_version_answer_json_whatever_the_request(
    invoke: Invoke, path: str, method: str, query: str, headers: list[tuple[str, str]]
) -> None:
    response: dict[str, Any] = send(invoke, "service", method, path + query, b"", headers)
    service_shape(response, head=method == "HEAD")
    if method == "GET":
        assert json_body(response) in ({"alive": True}, {"version": json_body(response).get("version")})
