import base64
import json
import os
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from telemetry_gateway.telemetry.errors import TelemetryError
from telemetry_gateway.telemetry.tokens import (
    TokenPolicy,
    issue_token,
    parse_authorization,
    parse_lifetime,
    parse_registration_id_header,
    verify_token,
)

KEY = os.urandom(64)
POLICY = TokenPolicy()


def segment(part: str) -> dict[str, object]:
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def b64(value: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def claims(**overrides: object) -> dict[str, object]:
    now = int(datetime.now(UTC).timestamp())
    base: dict[str, object] = {
        "iss": "telemetry-service-gateway",
        "sub": "17",
        "iat": now,
        "exp": now + 600,
        "jti": str(uuid.uuid4()),
    }
    return {key: value for key, value in (base | overrides).items() if value is not None}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1w", 604800), ("3600", 3600), ("10s", 10), ("90m", 5400), ("2h", 7200), ("1d", 86400), ("52w", 31449600)],
)
def test_lifetimes_parse_to_seconds(text: str, seconds: int) -> None:
    assert parse_lifetime(text) == seconds


@pytest.mark.parametrize(
    "text", ["0", "0w", "-1", "-1h", "1ms", "0x1a", "d", "", " 1w", "1w ", "1W", "1.5h", "+5", "1e3", "999999w"]
)
def test_invalid_lifetimes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="invalid token lifetime"):
        parse_lifetime(text)


@pytest.mark.parametrize("algorithm", ["none", "RS256", "hs512"])
def test_only_hmac_algorithms_can_be_configured(algorithm: str) -> None:
    with pytest.raises(ValueError, match="token algorithm"):
        TokenPolicy(algorithm=algorithm)


def test_issued_token_has_the_specified_header_and_claims() -> None:
    now = datetime(2025, 7, 30, 13, 1, 13, 900000, tzinfo=UTC)

    issued = issue_token(17, KEY, POLICY, now)

    header, payload, _ = issued.token.split(".")
    assert base64.urlsafe_b64decode(header + "==") == b'{"alg":"HS512","typ":"JWT"}'
    assert segment(payload) == {
        "iss": "telemetry-service-gateway",
        "sub": "17",
        "iat": 1753880473,
        "exp": 1753880473 + 7 * 86400,
        "jti": issued.jti,
    }
    assert uuid.UUID(issued.jti).version == 4
    assert issued.expires_at == datetime(2025, 8, 6, 13, 1, 13, tzinfo=UTC)


def test_fresh_token_verifies_to_its_registration_and_jti() -> None:
    policy = TokenPolicy(algorithm="HS256", issuer="gw-test", lifetime_seconds=60)
    issued = issue_token(2**63 - 1, KEY, policy, datetime.now(UTC))

    verified = verify_token(issued.token, KEY, policy)

    assert (verified.registration_id, verified.jti) == (2**63 - 1, issued.jti)


def test_each_token_gets_a_new_jti() -> None:
    now = datetime.now(UTC)

    assert issue_token(1, KEY, POLICY, now).jti != issue_token(1, KEY, POLICY, now).jti


def _unsigned_token() -> str:
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims())}."


def _tampered_token() -> str:
    header, _, signature = issue_token(17, KEY, POLICY, datetime.now(UTC)).token.split(".")
    return f"{header}.{b64(claims(sub='18'))}.{signature}"


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(_unsigned_token(), id="alg-none"),
        pytest.param(jwt.encode(claims(), KEY, algorithm="HS256"), id="hs256-under-hs512-policy"),
        pytest.param(issue_token(17, KEY, POLICY, datetime.now(UTC) - timedelta(weeks=2)).token, id="expired"),
        pytest.param(_tampered_token(), id="tampered"),
        pytest.param(issue_token(17, os.urandom(64), POLICY, datetime.now(UTC)).token, id="wrong-key"),
        pytest.param(jwt.encode(claims(iss="someone-else"), KEY, algorithm="HS512"), id="wrong-issuer"),
        pytest.param(jwt.encode(claims(iss=None), KEY, algorithm="HS512"), id="no-issuer"),
        pytest.param(jwt.encode(claims(exp=None), KEY, algorithm="HS512"), id="no-exp"),
        pytest.param(jwt.encode(claims(sub=None), KEY, algorithm="HS512"), id="no-sub"),
        pytest.param(jwt.encode(claims(jti=None), KEY, algorithm="HS512"), id="no-jti"),
        pytest.param(jwt.encode(claims(jti=""), KEY, algorithm="HS512"), id="empty-jti"),
        pytest.param(jwt.encode(claims(sub="0"), KEY, algorithm="HS512"), id="sub-zero"),
        pytest.param(jwt.encode(claims(sub="-17"), KEY, algorithm="HS512"), id="sub-negative"),
        pytest.param(jwt.encode(claims(sub="abc"), KEY, algorithm="HS512"), id="sub-not-decimal"),
        pytest.param(jwt.encode(claims(sub="9223372036854775808"), KEY, algorithm="HS512"), id="sub-too-large"),
        pytest.param(jwt.encode(claims(sub=17), KEY, algorithm="HS512"), id="sub-not-string"),
        pytest.param("garbage", id="garbage"),
        pytest.param("", id="empty"),
        pytest.param("a.b.c", id="three-garbage-segments"),
    ],
)
def test_defective_tokens_are_invalid_authorization(token: str) -> None:
    with pytest.raises(TelemetryError) as caught:
        verify_token(token, KEY, POLICY)

    assert (caught.value.status, caught.value.message, caught.value.scope) == (
        401,
        "Invalid Authorization",
        "authenticate",
    )


def test_token_expiring_now_is_already_expired() -> None:
    token = jwt.encode(claims(exp=int(datetime.now(UTC).timestamp())), KEY, algorithm="HS512")

    with pytest.raises(TelemetryError, match=r"^Invalid Authorization$"):
        verify_token(token, KEY, POLICY)


@pytest.mark.parametrize(
    ("value", "token"),
    [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("abc.def.ghi", "abc.def.ghi"),
        ("bearer abc", "bearer abc"),
        ("Bearer ", None),
        ("", None),
        (None, None),
    ],
)
def test_authorization_header_yields_the_token(value: str | None, token: str | None) -> None:
    assert parse_authorization(value) == token


@pytest.mark.parametrize(
    ("value", "registration_id"),
    [
        ("17", 17),
        (" 17\t", 17),
        ("0017", 17),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("0", None),
        ("-1", None),
        ("+17", None),
        ("1.0", None),
        ("1 7", None),
        ("abc", None),
        ("", None),
        ("1" * 5000, None),
        (None, None),
    ],
)
def test_registration_id_header_is_a_positive_int64(value: str | None, registration_id: int | None) -> None:
    assert parse_registration_id_header(value) == registration_id
