import hashlib
import json

import pytest

from telemetry_gateway.telemetry.errors import TelemetryError
from telemetry_gateway.telemetry.wire_requests import (
    AuthenticateRequest,
    RegistrationRequest,
    parse_authenticate,
    parse_register,
    verify_registration_hash,
)

CLIENT_ID = "f3236a8e-4b5c-4d7e-9f00-1a2b3c4d5e6f"
TIMESTAMP = "2024-08-01T00:01:02.000000Z"


def registration(**fields: object) -> bytes:
    return json.dumps({"clientRegistration": fields}).encode()


def refusal_of(parse: object, body: bytes) -> tuple[int, str, str | None]:
    with pytest.raises(TelemetryError) as caught:
        parse(body)  # type: ignore[operator]
    return caught.value.status, caught.value.message, caught.value.scope


def test_reference_registration_is_kept_verbatim() -> None:
    body = registration(clientId=f" {CLIENT_ID} ", systemUUID="", timestamp=TIMESTAMP)

    assert parse_register(body) == RegistrationRequest(f" {CLIENT_ID} ", "", TIMESTAMP)


@pytest.mark.parametrize(
    "body", [registration(clientId="c", timestamp="t"), registration(clientId="c", systemUUID=None, timestamp="t")]
)
def test_absent_or_null_system_uuid_is_empty(body: bytes) -> None:
    assert parse_register(body).system_uuid == ""


def test_strings_of_256_characters_are_accepted() -> None:
    long = "é" * 256

    assert parse_register(registration(clientId=long, systemUUID=long, timestamp=long)).client_id == long


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b"",
        b'{"clientRegistration":{"clientId":"c","timestamp":"t"}} {}',
        b'{"clientRegistration":{"clientId":"c","timestamp":NaN}}',
        b'{"clientRegistration":"c"}',
        b'{"clientRegistration":[]}',
        registration(clientId=5, timestamp="t"),
        registration(clientId="c", systemUUID=0, timestamp="t"),
        registration(clientId="c", timestamp=True),
        registration(clientId="c" * 257, timestamp="t"),
        registration(clientId="c", systemUUID="s" * 257, timestamp="t"),
        registration(clientId="c", timestamp="é" * 257),
        registration(systemUUID=[], timestamp=""),
    ],
)
def test_malformed_registrations_are_invalid_request_bodies(body: bytes) -> None:
    status, message, scope = refusal_of(parse_register, body)

    assert (status, scope) == (400, None)
    assert message.startswith("invalid request body: ")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{}", "missing registration clientId"),
        (b'{"clientRegistration":null}', "missing registration clientId"),
        (registration(clientId="", timestamp=""), "missing registration clientId"),
        (registration(clientId=None, timestamp="t"), "missing registration clientId"),
        (registration(clientId="c"), "missing registration timestamp"),
        (registration(clientId="c", timestamp=""), "missing registration timestamp"),
    ],
)
def test_missing_registration_fields_are_named(body: bytes, message: str) -> None:
    assert refusal_of(parse_register, body) == (400, message, None)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"registrationId":17,"regHash":{"method":"sha256","value":"ab"}}', AuthenticateRequest(17, "sha256", "ab")),
        (b'{"registrationId":9223372036854775807}', AuthenticateRequest(2**63 - 1, None, None)),
        (b'{"registrationId":1,"regHash":null}', AuthenticateRequest(1, None, None)),
        (b'{"registrationId":1,"regHash":{"method":null,"value":"x"}}', AuthenticateRequest(1, None, "x")),
        (b'{"registrationId":1,"registrationId":2,"extra":[1]}', AuthenticateRequest(2, None, None)),
    ],
)
def test_authenticate_requests_parse(body: bytes, expected: AuthenticateRequest) -> None:
    assert parse_authenticate(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        b"[17]",
        b"{",
        b'{"registrationId":{}}',
        b'{"registrationId":"17"}',
        b'{"registrationId":1.5}',
        b'{"registrationId":1.0}',
        b'{"registrationId":1e2}',
        b'{"registrationId":true}',
        b'{"registrationId":9223372036854775808}',
        b'{"registrationId":-9223372036854775809}',
        b'{"registrationId":17,"regHash":"sha256"}',
        b'{"registrationId":17,"regHash":{"method":256,"value":"x"}}',
        b'{"registrationId":17,"regHash":{"method":"sha256","value":["x"]}}',
        b'{"regHash":[]}',
        b'{"registrationId":0,"regHash":{"value":1}}',
    ],
)
def test_malformed_authenticate_bodies_are_invalid_request_bodies(body: bytes) -> None:
    status, message, scope = refusal_of(parse_authenticate, body)

    assert (status, scope) == (400, None)
    assert message.startswith("invalid request body: ")


@pytest.mark.parametrize(
    "body",
    [b"{}", b'{"registrationId":null}', b'{"registrationId":0}', b'{"registrationId":-0}', b'{"registrationId":-5}'],
)
def test_missing_or_non_positive_ids_ask_to_register(body: bytes) -> None:
    assert refusal_of(parse_authenticate, body) == (401, "Invalid registrationId value provided", "register")


def test_matching_registration_hash_passes() -> None:
    digest = hashlib.sha256(f"{CLIENT_ID}||{TIMESTAMP}".encode()).hexdigest()

    verify_registration_hash(AuthenticateRequest(17, "sha256", digest), CLIENT_ID, "", TIMESTAMP)


@pytest.mark.parametrize(
    "request_",
    [
        AuthenticateRequest(17, None, None),
        AuthenticateRequest(17, "sha256", None),
        AuthenticateRequest(17, None, "0" * 64),
        AuthenticateRequest(17, "sha256", "0" * 64),
        AuthenticateRequest(17, "SHA256", hashlib.sha256(f"{CLIENT_ID}||{TIMESTAMP}".encode()).hexdigest()),
    ],
)
def test_registration_mismatch_asks_to_register(request_: AuthenticateRequest) -> None:
    with pytest.raises(TelemetryError) as caught:
        verify_registration_hash(request_, CLIENT_ID, "", TIMESTAMP)

    assert (caught.value.status, caught.value.message, caught.value.scope) == (401, "Registration mismatch", "register")
