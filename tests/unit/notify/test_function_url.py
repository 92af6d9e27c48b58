"""A function URL's payload 2.0 reaches the handlers in the REST shape they read."""

from __future__ import annotations

from telemetry_gateway.notify.function_url import path_parameter, rest_event
from telemetry_gateway.web.event import ApiEvent

V2_EVENT = {
    "version": "2.0",
    "rawPath": "/Dispatch/KAone/KCtwo",
    "rawQueryString": "last=a&last=b&x=",
    "cookies": ["a=1", "b=2"],
    "headers": {"content-type": "application/x-www-form-urlencoded", "referer": "https://x.lambda-url.on.aws"},
    "requestContext": {
        "domainName": "x.lambda-url.eu-west-1.on.aws",
        "requestId": "req-1",
        "http": {"method": "POST", "path": "/Dispatch/KAone/KCtwo"},
    },
    "body": "aGk=",
    "isBase64Encoded": True,
}


def test_a_rest_event_passes_unchanged() -> None:
    event = {"httpMethod": "POST", "path": "/MailboxPost"}

    assert rest_event(event) is event


def test_a_function_url_event_becomes_a_rest_event() -> None:
    event = ApiEvent(rest_event(V2_EVENT))

    assert event.http_method == "POST"
    assert event.path == "/Dispatch/KAone/KCtwo"
    assert event.header("Referer") == "https://x.lambda-url.on.aws"
    assert event.raw_event["multiValueHeaders"]["cookie"] == ["a=1; b=2"]
    assert event.multi_value_query_string_parameters == {"last": ["a", "b"], "x": [""]}
    assert event.raw_event["requestContext"]["domainName"] == "x.lambda-url.eu-west-1.on.aws"
    assert (event.body, event.is_base64_encoded) == ("aGk=", True)


def test_path_parameters_come_from_api_gateway_or_else_by_position() -> None:
    routed = ApiEvent({"path": "/Dispatch/a/b", "pathParameters": {"ka": "KA1", "kc": "KC1"}})
    unrouted = ApiEvent(rest_event(V2_EVENT))
    short = ApiEvent({"path": "/x"})

    assert (path_parameter(routed, "ka", -2), path_parameter(routed, "kc", -1)) == ("KA1", "KC1")
    assert (path_parameter(unrouted, "ka", -2), path_parameter(unrouted, "kc", -1)) == ("KAone", "KCtwo")
    assert path_parameter(short, "ka", -2) == ""
