"""/register and /authenticate against the real handlers and tables."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from typing import Any

import pytest

from local.lambda_runtime import load_module
from support.events import json_body
from support.telemetry_client import ReferenceClient, parse_challenge
from support.tgw import tgw_json
from telemetry_gateway.config import ConfigError

TRIPLE = {
    "clientId": "1b504dca-bd71-424f-87f6-21eb7f5745db",
    "systemUUID": "3f97d439-5212-4688-af22-ad0559a626cb",
    "timestamp": "2024-06-30T23:59:59.999999999Z",
}
PIPE_SHA256 = "50affc559bfc12aded18832f09ad22d2e5835a8ddfcc0e34810cc4cb686147a7"
LEGACY_SHA512 = (
    "e42e829103cd42a73aa33f85f52d5c6b3eb33d775beaa1cf25815ba74870a87577fd6ba12e9ebfd1b5f8a9270dea34adc02d00e0db6d1ea6"
    "c2bea5c7f51c8080"
)
RFC3339_NANO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$")


def register(post: Any, triple: dict[str, str] | None = None) -> dict[str, Any]:
    return dict(post("/telemetry/register", json.dumps({"clientRegistration": triple or TRIPLE})))


def authenticate(post: Any, registration_id: Any, method: str = "sha256", value: str = PIPE_SHA256) -> dict[str, Any]:
    body = {"registrationId": registration_id, "regHash": {"method": method, "value": value}}
    return dict(post("/telemetry/authenticate", json.dumps(body)))


def test_register_answers_credentials_in_the_reference_shape(post: Any) -> None:
    response = register(post)

    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"] == "application/json"
    assert list(json.loads(response["body"])) == ["registrationId", "authToken", "registrationDate"]
    body = json_body(response)
    assert type(body["registrationId"]) is int
    assert 1 <= body["registrationId"] <= 2**63 - 1
    assert re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+", body["authToken"])
    assert RFC3339_NANO.match(body["registrationDate"])
    assert re.search(r'"registrationId":\d+,', response["body"])  # an integer on the wire, no quotes


def test_identical_triple_conflicts_but_a_new_timestamp_registers_again(post: Any) -> None:
    first = json_body(register(post))

    again = register(post)
    other = register(post, {**TRIPLE, "timestamp": "2024-07-01T00:00:00Z"})

    assert (again["statusCode"], json_body(again)) == (409, {"error": "specified registration already exists"})
    assert other["statusCode"] == 200
    assert json_body(other)["registrationId"] != first["registrationId"]


def test_concurrent_registrations_of_one_triple_create_exactly_one(post: Any) -> None:
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(register(post)["statusCode"])) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] + [409] * 7


def test_register_refusals_are_exact(post: Any) -> None:
    cases = {
        "[]": "invalid request body: ",
        '{"clientRegistration":{"timestamp":"t"}}': "missing registration clientId",
        '{"clientRegistration":{"clientId":"c","timestamp":""}}': "missing registration timestamp",
        '{"clientRegistration":{"clientId":"' + "x" * 257 + '","timestamp":"t"}}': "invalid request body: ",
    }
    for body, message in cases.items():
        response = post("/telemetry/register", body)
        assert response["statusCode"] == 400
        assert json_body(response)["error"].startswith(message)


def test_authenticate_accepts_both_hash_forms_and_keeps_the_registration_date(post: Any) -> None:
    registered = json_body(register(post))

    pipe = authenticate(post, registered["registrationId"])
    legacy = authenticate(post, registered["registrationId"], "sha512", LEGACY_SHA512)

    for response in (pipe, legacy):
        body = json_body(response)
        assert response["statusCode"] == 200
        assert body["registrationId"] == registered["registrationId"]
        assert body["registrationDate"] == registered["registrationDate"]
    assert len({registered["authToken"], json_body(pipe)["authToken"], json_body(legacy)["authToken"]}) == 3


def test_authenticate_refusals_carry_the_register_challenge(post: Any) -> None:
    registered = json_body(register(post))
    cases = [
        (authenticate(post, None), "Invalid registrationId value provided"),
        (authenticate(post, 0), "Invalid registrationId value provided"),
        (authenticate(post, 12345), "Client not registered"),
        (authenticate(post, registered["registrationId"], value=PIPE_SHA256.upper()), "Registration mismatch"),
        (authenticate(post, registered["registrationId"], method="SHA256"), "Registration mismatch"),
        (
            authenticate(post, registered["registrationId"], value=hashlib.sha256(b"x").hexdigest()),
            "Registration mismatch",
        ),
    ]
    for response, message in cases:
        assert (response["statusCode"], json_body(response)) == (401, {"error": message})
        assert response["headers"]["WWW-Authenticate"] == 'Bearer realm="suse-telemetry-service" scope="register"'


def test_authenticate_rejects_non_integer_ids_as_bad_requests(post: Any) -> None:
    for raw in (
        '{"registrationId":"17"}',
        '{"registrationId":1.5}',
        '{"registrationId":{}}',
        '{"registrationId":true}',
    ):
        response = post("/telemetry/authenticate", raw)
        assert response["statusCode"] == 400
        assert json_body(response)["error"].startswith("invalid request body: ")


def test_reference_client_registers_through_the_doubled_slash(client: ReferenceClient) -> None:
    credentials = client.register()

    assert client.authenticate() == 200
    assert credentials["registrationId"] == client.registration_id


def test_challenges_parse_the_way_the_reference_client_parses_them(post: Any) -> None:
    response = authenticate(post, 99)

    assert parse_challenge([response["headers"]["WWW-Authenticate"]]) == "register"


@pytest.mark.parametrize("lifetime", ["0", "-1", "1ms", "0x1a", "d"])
def test_an_invalid_token_lifetime_stops_the_function_at_start_up(
    local_app: Any, monkeypatch: pytest.MonkeyPatch, lifetime: str
) -> None:
    monkeypatch.setenv("TELEMETRY_TOKEN_LIFETIME", lifetime)

    with pytest.raises(ConfigError, match="TELEMETRY_TOKEN_LIFETIME: invalid token lifetime"):
        load_module(local_app.runtime.function("TelemetryRegister"))


def test_a_client_registering_again_with_a_new_triple_is_only_logged(
    post: Any, caplog: pytest.LogCaptureFixture
) -> None:
    register(post)
    first = [record.getMessage() for record in caplog.records]

    again = register(post, {**TRIPLE, "timestamp": "2024-07-01T00:00:00Z"})

    assert again["statusCode"] == 200
    assert not any("registered again" in message for message in first)
    assert [r.levelname for r in caplog.records if "registered again with a new triple" in r.getMessage()] == [
        "WARNING"
    ]


def test_tgw_lists_a_clients_registrations_without_credentials(
    post: Any, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = {json_body(register(post, {**TRIPLE, "timestamp": t}))["registrationId"] for t in ("t1", "t2")}

    listed = tgw_json(aws, monkeypatch, "telemetry", "registrations", "--client", TRIPLE["clientId"])

    assert {int(r["registrationId"]) for r in listed["registrations"]} == ids
    assert not any("jti" in r or "authToken" in r for r in listed["registrations"])
