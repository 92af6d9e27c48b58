"""The local gateway behaves like API Gateway REST as the template configures it."""

from __future__ import annotations

import base64
import gzip

import pytest

from local.apigw import Gateway, HttpRequest, normalize_path
from local.template import load

GATEWAY = Gateway(load())


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [("/telemetry//report", "/telemetry/report"), ("/healthz/", "/healthz"), ("//", "/"), ("/a///b//", "/a/b")],
)
def test_paths_match_as_the_rest_api_matches_them(raw: str, normalized: str) -> None:
    assert normalize_path(raw) == normalized


def test_doubled_slash_reaches_the_single_slash_route_with_the_raw_path_in_the_event() -> None:
    route, event = GATEWAY.event_for("POST", "/telemetry//report", b"{}")

    assert route.function == "TelemetryReport"
    assert event["path"] == "/telemetry//report"
    assert event["resource"] == "/telemetry/report"


def test_unknown_routes_and_methods_do_not_match() -> None:
    assert GATEWAY.match("GET", "/telemetry/report") is None
    assert GATEWAY.match("POST", "/telemetry/reports") is None


def test_json_bodies_arrive_as_text_and_headers_keep_order_and_repeats() -> None:
    headers = [("Content-Type", "application/json"), ("X-Tag", "a"), ("X-Tag", "b")]

    _, event = GATEWAY.event_for("POST", "/telemetry/report?x=1&x=2", b'{"k":"\xc3\xa9"}', headers)

    assert (event["body"], event["isBase64Encoded"]) == ('{"k":"é"}', False)
    assert event["multiValueHeaders"]["X-Tag"] == ["a", "b"]
    assert event["headers"]["X-Tag"] == "b"
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["queryStringParameters"] == {"x": "2"}
    assert event["pathParameters"] is None


@pytest.mark.parametrize(
    "headers",
    [[("Content-Type", "application/octet-stream")], [("Content-Encoding", "gzip")]],
)
def test_binary_types_and_compressed_bodies_arrive_base64_encoded(headers: list[tuple[str, str]]) -> None:
    body = gzip.compress(b"{}")

    _, event = GATEWAY.event_for("POST", "/telemetry/report", body, headers)

    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body


def test_base64_responses_are_decoded_only_for_a_binary_accept_on_the_json_api() -> None:
    route, _ = GATEWAY.event_for("GET", "/healthz")
    result = {"statusCode": 200, "headers": {}, "body": base64.b64encode(b"\xff\x00").decode(), "isBase64Encoded": True}

    def rendered(accept: str) -> bytes:
        request = HttpRequest("GET", "/healthz", [("Accept", accept)], b"")
        return GATEWAY.render(request, route, result).body

    assert rendered("application/octet-stream, */*") == b"\xff\x00"
    assert rendered("*/*") == str(result["body"]).encode()


def test_a_malformed_function_answer_is_the_platform_502() -> None:
    route, _ = GATEWAY.event_for("GET", "/healthz")

    response = GATEWAY.render(HttpRequest("GET", "/healthz", [], b""), route, {"body": "no status"})

    assert response.status == 502


def test_unknown_paths_get_the_template_gateway_response() -> None:
    response = GATEWAY.api_for_path("/nope").gateway_response("MISSING_AUTHENTICATION_TOKEN", "Missing")

    assert (response.status, response.body) == (404, b'{"error":"not found"}')
    assert ("Access-Control-Allow-Origin", "*") in response.headers


def test_head_answers_carry_no_body() -> None:
    route, _ = GATEWAY.event_for("HEAD", "/healthz")
    result = {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}

    response = GATEWAY.render(HttpRequest("HEAD", "/healthz", [], b""), route, result)

    assert (response.status, response.body) == (200, b"")
