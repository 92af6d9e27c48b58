"""The fuzz tier's machinery: hypothesis profiles, one call that sends a request to its handler in process
and checks the answer is in its family's shape, and a ledger of what was sent and what came back.

Profiles (`TGW_FUZZ_PROFILE`): `ci` (the default, `make test`) is derandomized, so the suite never fails by
chance and a failure reproduces; `long` (`make fuzz`) explores with random seeds and
`TGW_FUZZ_MULTIPLIER` (default 10) times the examples, and keeps failures in `.hypothesis/` to replay.
`TGW_FUZZ_DEBUG=1` (with `pytest -s`) prints one line per answer, to see what the strategies reach.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import DecodeError, Message
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from local.paths import ROOT
from support.events import api_event
from support.strategies.http import Headers
from support.telemetry_client import Transport
from telemetry_gateway.sensors.pb import common_pb2
from telemetry_gateway.telemetry.api import www_authenticate

PROFILE = os.environ.get("TGW_FUZZ_PROFILE", "ci")
MULTIPLIER = int(os.environ.get("TGW_FUZZ_MULTIPLIER", "10")) if PROFILE == "long" else 1

_COMMON: dict[str, Any] = {"deadline": None, "suppress_health_check": list(HealthCheck), "report_multiple_bugs": False}
settings.register_profile("ci", derandomize=True, database=None, print_blob=False, **_COMMON)
settings.register_profile(
    "long", database=DirectoryBasedExampleDatabase(str(ROOT / ".hypothesis")), print_blob=True, **_COMMON
)
settings.load_profile(PROFILE)


def budget(examples: int) -> settings:
    """A test's examples under `ci`; `long` multiplies them. Sized so the tier takes about 30-60 s."""
    return settings(max_examples=examples * MULTIPLIER)


Invoke = Callable[[str, dict[str, Any]], Any]


@dataclass
class Ledger:
    """Requests sent per family, answers per status, and every 5xx that was not a documented answer."""

    requests: Counter[str] = field(default_factory=Counter)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)

    def record(self, family: str, status: int) -> None:
        self.requests[family] += 1
        self.statuses.setdefault(family, Counter())[status] += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "profile": PROFILE,
            "requests": dict(self.requests),
            "statuses": {family: dict(sorted(counts.items())) for family, counts in self.statuses.items()},
            "server_errors": self.server_errors,
        }


LEDGER = Ledger()


def send(
    invoke: Invoke, family: str, method: str, target: str, body: bytes = b"", headers: Headers | None = None
) -> dict[str, Any]:
    """The request through the local gateway's event builder to its handler, counted in the ledger; the
    caller checks the answer's shape. A handler that raises (API Gateway would answer 502) counts as a 5xx."""
    function, event = api_event(method, target, body, headers or [])
    try:
        response = dict(invoke(function, event))
    except Exception as exc:
        LEDGER.record(family, 502)
        LEDGER.server_errors.append(f"{function} raised {exc!r} for {method} {target[:120]}")
        raise
    LEDGER.record(family, response["statusCode"])
    if os.environ.get("TGW_FUZZ_DEBUG"):  # one line per answer, to see what the strategies reach
        print(function, response["statusCode"], _gist(response).replace("\n", " ")[:100])
    return response


def _gist(response: dict[str, Any]) -> str:
    if not response.get("isBase64Encoded"):
        return str(response.get("body"))
    raw = base64.b64decode(response["body"])
    try:
        status = common_pb2.GenericResponse.FromString(raw).status
    except DecodeError:
        return repr(raw[:60])
    return f"{common_pb2.StatusType.Name(status.type)} {status.message}"


def telemetry_transport(invoke: Invoke) -> Transport:
    """The reference client's transport onto the handlers (its own requests are not counted as fuzz)."""

    def call(method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, list[str]], bytes]:
        response = invoke(*api_event(method, path, body, headers))
        names = {name.lower(): [value] for name, value in (response.get("headers") or {}).items()}
        return response["statusCode"], names, response["body"].encode()

    return call


# ---------------------------------------------------------------- family shapes

_TELEMETRY_MESSAGES: dict[int, re.Pattern[str]] = {
    400: re.compile(
        r"invalid request body: .+|missing registration clientId|missing registration timestamp"
        r"|Failed to decompress request body|report validation failed: \S+ .+|checksum verification failed: .+",
        re.DOTALL,
    ),
    401: re.compile(
        r"Client registration required|Invalid Authorization|Invalid Registration Id"
        r"|Invalid registrationId value provided|Client not registered|Registration mismatch"
    ),
    409: re.compile(r"specified registration already exists"),
    413: re.compile(r"request body too large"),
    503: re.compile(r"storage temporarily unavailable"),
}
_AUTHENTICATE_SCOPE = {"Invalid Authorization"}


def _server_error(family: str, response: dict[str, Any], detail: str) -> None:
    if response["statusCode"] >= 500:
        LEDGER.server_errors.append(f"{family} {response['statusCode']}: {detail[:300]}")
        raise AssertionError(f"{family} answered {response['statusCode']}: {detail[:300]}")


def telemetry_shape(response: dict[str, Any]) -> dict[str, Any]:
    """JSON; refusals `{"error": <message of the spec>}` and every 401 with the exact WWW-Authenticate."""
    assert response["isBase64Encoded"] is False, response
    headers = response["headers"]
    assert headers["Content-Type"] == "application/json", response
    body = json.loads(response["body"])
    status = response["statusCode"]
    assert isinstance(body, dict), response
    if status == 200:
        assert "error" not in body, response
        return body
    _server_error("telemetry", response, response["body"])
    assert list(body) == ["error"], response
    assert status in _TELEMETRY_MESSAGES, response
    assert _TELEMETRY_MESSAGES[status].fullmatch(body["error"]), response
    if status == 401:
        scope = "authenticate" if body["error"] in _AUTHENTICATE_SCOPE else "register"
        assert headers["WWW-Authenticate"] == www_authenticate(scope), response
    else:
        assert "WWW-Authenticate" not in headers, response
    return body


def service_shape(response: dict[str, Any], *, head: bool) -> None:
    """/healthz and /version: 200 JSON, no body for HEAD."""
    assert response["statusCode"] == 200, response
    assert response["headers"]["Content-Type"] == "application/json", response
    if head:
        assert response["body"] == "", response
    else:
        assert isinstance(json.loads(response["body"]), dict), response


_NOTIFY_LINES: dict[int, re.Pattern[str]] = {
    400: re.compile(r"Bad Request: missing id|Bad Request: invalid reply header line [1-9][0-9]*"),
    403: re.compile(
        r"Forbidden: invalid credentials|Forbidden: Referer does not match the endpoint URL|Forbidden: invalid secret"
    ),
    404: re.compile(r"Not Found: unknown message id"),
    409: re.compile(r"Conflict: message already answered"),
    410: re.compile(r"Gone: message expired"),
    413: re.compile(r"Payload Too Large: limit is [0-9]+ bytes"),
    502: re.compile(r"Bad Gateway: no message arrived within [0-9]+ seconds; listen again"),
    503: re.compile(r"Service Unavailable: try again"),
    504: re.compile(r"Gateway Timeout: no reply from the Master within [0-9]+ seconds"),
}
# The long-poll answers of the spec (section 9): a window that ended, not a failure of the server.
NOTIFY_WINDOW_ENDED = {"NotifyMailboxListen": 502, "NotifyDispatch": 504}
_NOTIFY_HEADERS = {
    "Content-Type": "text/plain;charset=UTF-8",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Message-Id, X-Telemetry-User, X-Message-State",
    "Cache-Control": "no-store",
}


def notify_shape(response: dict[str, Any], function: str) -> bytes:
    """text/plain with CORS and no-store; refusals one line of section 9 ending in LF. 502 and 504 only as
    the long-poll answers of the route that waits."""
    headers = response["headers"]
    for name, value in _NOTIFY_HEADERS.items():
        assert headers.get(name) == value, response
    raw = response["body"] or ""
    body = base64.b64decode(raw) if response["isBase64Encoded"] else raw.encode("utf-8")
    status = response["statusCode"]
    if status == 200:
        assert "X-Message-Id" in headers, response
        return body
    if NOTIFY_WINDOW_ENDED.get(function) != status:
        _server_error("notify", response, body.decode("utf-8", "replace"))
    assert body.endswith(b"\n"), response
    assert body.count(b"\n") == 1, response
    assert status in _NOTIFY_LINES, response
    assert _NOTIFY_LINES[status].fullmatch(body[:-1].decode("utf-8")), response
    return body


_SENSOR_STATUSES: dict[int, set[int]] = {
    200: {common_pb2.SUCCESS},
    400: {common_pb2.INVALID_REQUEST, common_pb2.UNKNOWN_CLIENT, common_pb2.UNKNOWN_SENSOR},
    401: {common_pb2.INVALID_REQUEST},
    403: {common_pb2.INVALID_REQUEST},
    404: {common_pb2.PATH_NOT_FOUND},
    413: {common_pb2.OVER_QUOTA_ERROR},
    503: {common_pb2.DATASTORE_ERROR},
}


def sensor_shape[M: Message](response: dict[str, Any], response_type: type[M]) -> M:
    """The route's own response message, base64, with an explicit status: SUCCESS on 200, otherwise the
    status type section 5 pairs with the HTTP code, and a message."""
    assert response["isBase64Encoded"] is True, response
    assert response["headers"] == {"Cache-Control": "no-cache", "Content-Type": "application/x-protobuf"}, response
    try:
        message = response_type.FromString(base64.b64decode(response["body"]))
    except DecodeError as exc:
        raise AssertionError(f"not a {response_type.__name__}: {response}") from exc
    status: common_pb2.StatusMessage = message.status  # type: ignore[attr-defined]
    assert message.HasField("status"), response
    assert status.HasField("type"), response
    _server_error("sensors", response, f"{common_pb2.StatusType.Name(status.type)} {status.message}")
    assert status.type in _SENSOR_STATUSES.get(response["statusCode"], set()), (response["statusCode"], status)
    if response["statusCode"] != 200:
        assert status.message, status
    return message
