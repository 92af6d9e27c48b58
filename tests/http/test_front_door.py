"""The local front door's HTTP, on raw sockets: what API Gateway answers for unknown routes and too-large
bodies (as the template configures it), malformed framing, Connection: close, keep-alive, HEAD, and the
access log of unknown paths."""

from __future__ import annotations

import json
import logging

import pytest

from local.apigw import MAX_REQUEST_BYTES
from local.server import BODY_LIMIT
from tests.http.raw_http import RawConnection

JSON_NOT_FOUND = b'{"error":"not found"}'
PB_PATH_NOT_FOUND = bytes.fromhex("0A02080A")
PB_OVER_QUOTA = bytes.fromhex("0A020807")


@pytest.mark.parametrize("method", ["BREW", "PROPFIND", "M-SEARCH", "PUT", "DELETE", "CONNECT"])
def test_an_unknown_method_gets_the_json_apis_not_found(gateway_url: str, method: str) -> None:
    with RawConnection(gateway_url) as connection:
        connection.request(method, "/healthz")
        answer = connection.response()

    assert (answer.status, answer.body) == (404, JSON_NOT_FOUND)
    assert answer.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("method", ["BREW", "PROPFIND", "GET"])
def test_an_unknown_method_on_the_sensor_api_gets_its_protobuf_not_found(gateway_url: str, method: str) -> None:
    with RawConnection(gateway_url) as connection:
        connection.request(method, "/api/v1/test/heartbeat/1")
        answer = connection.response()

    assert (answer.status, answer.body) == (404, PB_PATH_NOT_FOUND)
    assert answer.headers["content-type"] == "application/x-protobuf"


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        ("/nowhere", JSON_NOT_FOUND, "application/json"),
        ("/telemetry/nowhere?x=1", JSON_NOT_FOUND, "application/json"),
        ("/api/v1/test/nowhere", PB_PATH_NOT_FOUND, "application/x-protobuf"),
    ],
)
def test_an_unknown_path_gets_its_apis_not_found(gateway_url: str, path: str, body: bytes, content_type: str) -> None:
    with RawConnection(gateway_url) as connection:
        connection.request("POST", path, body=b"{}")
        answer = connection.response()

    assert (answer.status, answer.body, answer.headers["content-type"]) == (404, body, content_type)


@pytest.mark.parametrize("length", ["abc", "-5", "1.5", "0x10", "5, 6"])
def test_a_malformed_content_length_answers_400_and_closes(gateway_url: str, length: str) -> None:
    with RawConnection(gateway_url) as connection:
        connection.send(f"POST /telemetry/report HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\nhello".encode())
        answer = connection.response()

        assert answer.status == 400
        assert connection.closed_by_server()


@pytest.mark.parametrize("chunk_size", ["zz", "-1", "5;x\x01"])
def test_a_malformed_chunk_size_answers_400_and_closes(gateway_url: str, chunk_size: str) -> None:
    with RawConnection(gateway_url) as connection:
        connection.send(
            b"POST /telemetry/report HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + f"{chunk_size}\r\nhello\r\n0\r\n\r\n".encode()
        )
        answer = connection.response()

        assert answer.status == 400
        assert connection.closed_by_server()


def test_connection_close_is_echoed_and_the_connection_closes(gateway_url: str) -> None:
    with RawConnection(gateway_url) as connection:
        connection.request("GET", "/healthz", {"Connection": "close"})
        answer = connection.response()

        assert (answer.status, json.loads(answer.body)) == (200, {"alive": True})
        assert answer.headers["connection"] == "close"
        assert connection.closed_by_server()


def test_keep_alive_serves_requests_one_after_another_on_one_connection(gateway_url: str) -> None:
    with RawConnection(gateway_url) as connection:
        answers = []
        for path in ("/healthz", "/nowhere", "/healthz"):
            connection.request("GET", path)
            answers.append(connection.response())

    assert [a.status for a in answers] == [200, 404, 200]
    assert all("connection" not in a.headers for a in answers)


def test_head_gets_headers_without_a_body_and_the_connection_stays_usable(gateway_url: str) -> None:
    with RawConnection(gateway_url) as connection:
        connection.request("HEAD", "/healthz")
        head = connection.response(head_only=True)
        connection.request("HEAD", "/nowhere")
        unknown = connection.response(head_only=True)
        connection.request("GET", "/healthz")  # would read a stray body as its status line
        after = connection.response()

    assert (head.status, head.body, head.headers["content-type"]) == (200, b"", "application/json")
    assert (unknown.status, unknown.headers["content-length"]) == (404, str(len(JSON_NOT_FOUND)))
    assert after.status == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [("/telemetry/report", b'{"error":"request too large"}'), ("/api/v1/test/heartbeat/1", PB_OVER_QUOTA)],
)
def test_a_body_the_server_will_not_read_gets_the_apis_413(gateway_url: str, path: str, body: bytes) -> None:
    with RawConnection(gateway_url) as connection:
        connection.send(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {BODY_LIMIT}\r\n\r\n".encode())
        answer = connection.response()

        assert (answer.status, answer.body) == (413, body)
        assert connection.closed_by_server()


def test_a_body_just_over_10_mb_gets_the_413_after_it_was_read(gateway_url: str) -> None:
    with RawConnection(gateway_url) as connection:
        connection.request("POST", "/telemetry/report", body=b"x" * (MAX_REQUEST_BYTES + 1))
        answer = connection.response()

    assert (answer.status, answer.body) == (413, b'{"error":"request too large"}')


def test_an_unknown_path_is_logged_raw_with_credentials_masked(
    gateway_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="local.server")
    ka, kc, ks = "KA" + "a" * 43, "KC" + "b_-" * 14, "KS" + "c" * 43
    with RawConnection(gateway_url) as connection:
        connection.request("POST", f"/Dispatch/{ka}/{kc}/extra?secret={ks}&last=7&token=t0ps3cret&x=%0Aforged")
        assert connection.response().status == 404

    [line] = [r.getMessage() for r in caplog.records if r.name == "local.server"]
    assert line.startswith("POST /Dispatch/KA***/KC***/extra?secret=***&last=7&token=***&x=\\x0aforged 404 ")
    for secret in (ka, kc, ks, "t0ps3cret"):
        assert secret not in caplog.text
