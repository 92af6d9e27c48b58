"""local.wsgi.FrontDoor as a plain WSGI callable: no server, no sockets, a stand-in runtime."""

from __future__ import annotations

import io
from typing import Any

from local.apigw import Gateway
from local.template import load
from local.wsgi import FrontDoor


class Answering:
    """Returns `answer` for every function, and keeps the events it got."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.events: list[dict[str, Any]] = []

    def invoke(self, _function: str, event: dict[str, Any], _request_id: str | None = None) -> dict[str, Any]:
        self.events.append(event)
        return self.answer


def call(front_door: FrontDoor, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    started: list[Any] = []
    body = b"".join(front_door(environ, lambda status, headers: started.extend([status, headers])))
    return started[0], started[1], body


def test_a_function_header_that_cannot_be_sent_is_the_platforms_502() -> None:
    runtime = Answering({"statusCode": 200, "headers": {"X-Injected": "a\r\nSet-Cookie: b"}, "body": "ok"})
    front_door = FrontDoor(Gateway(load()), runtime, 3000)  # type: ignore[arg-type]

    status, headers, body = call(front_door, {"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "wsgi.input": None})

    assert status.startswith("502 ")
    assert not any(name == "X-Injected" for name, _ in headers)
    assert body == b'{"error":"Internal server error"}'


def test_under_another_wsgi_server_headers_and_target_come_from_the_environ() -> None:
    runtime = Answering({"statusCode": 200, "body": "ok"})
    front_door = FrontDoor(Gateway(load()), runtime, 3000)  # type: ignore[arg-type]
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/telemetry//report",
        "QUERY_STRING": "a=1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": "2",
        "HTTP_X_TELEMETRY_REGISTRATION_ID": "7",
        "wsgi.input": io.BytesIO(b"{}"),
    }

    status, _, body = call(front_door, environ)

    [event] = runtime.events
    assert (status, body) == ("200 OK", b"ok")
    assert (event["path"], event["queryStringParameters"], event["body"]) == ("/telemetry//report", {"a": "1"}, "{}")
    assert event["headers"]["X-Telemetry-Registration-Id"] == "7"
    assert event["headers"]["Content-Type"] == "application/json"
