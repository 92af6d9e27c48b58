"""Form fields and the Referer guard."""

from __future__ import annotations

import pytest

from telemetry_gateway.notify.api import master_request
from telemetry_gateway.notify.wire import form_fields, normalised_url, reached_endpoint, referer_matches
from telemetry_gateway.web.event import ApiEvent


def test_form_fields_decode_plus_and_percent_to_bytes() -> None:
    fields = form_fields(b"secret=KS%2Babc&data=caf%C3%A9+%FF&headers=A%3A+b%0AC%3A+d&empty=&bare")

    assert fields == {
        "secret": b"KS+abc",
        "data": b"caf\xc3\xa9 \xff",
        "headers": b"A: b\nC: d",
        "empty": b"",
        "bare": b"",
    }


def test_first_value_counts_and_body_wins_over_query() -> None:
    fields = form_fields(b"id=1&id=2&data=body", {"data": ["query"], "last": ["q1", "q2"]})

    assert fields == {"id": b"1", "data": b"body", "last": b"q1"}


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://Notify.Example.COM", "https://notify.example.com"),
        ("HTTPS://notify.example.com:443/", "https://notify.example.com"),
        ("http://notify.example.com:80//", "http://notify.example.com"),
        ("http://127.0.0.1:3000/", "http://127.0.0.1:3000"),
        ("https://notify.example.com:8443/Prod/", "https://notify.example.com:8443/Prod"),
        ("https://notify.example.com/Prod", "https://notify.example.com/Prod"),
        ("http://[::1]:3000", "http://[::1]:3000"),
        ("not a url/", "not a url"),
    ],
)
def test_urls_normalise_scheme_host_default_port_and_trailing_slashes(url: str, normal: str) -> None:
    assert normalised_url(url) == normal


def test_referer_must_equal_an_endpoint_url_path_case_included() -> None:
    endpoints = ("https://notify.example.com/Prod", "http://localhost:3000")

    assert referer_matches("https://NOTIFY.example.com:443/Prod/", endpoints)
    assert referer_matches("http://localhost:3000/", endpoints)
    assert not referer_matches("https://notify.example.com/prod", endpoints)
    assert not referer_matches("https://notify.example.com", endpoints)
    assert not referer_matches("https://evil.example.com/Prod", endpoints)
    assert not referer_matches("", endpoints)
    assert not referer_matches(None, endpoints)


def cloud_event(path: str, context_path: str, proto: str | None = "https") -> ApiEvent:
    headers = {"X-Forwarded-Proto": proto} if proto else {}
    return ApiEvent(
        {
            "path": path,
            "headers": headers,
            "multiValueHeaders": {name: [value] for name, value in headers.items()},
            "requestContext": {"domainName": "abc123.execute-api.eu-west-1.amazonaws.com", "path": context_path},
        }
    )


@pytest.mark.parametrize(
    "referer", ["http://[abc", "http://[::1", "http://a:b@[::1", "http://\u2100/", "http://h:99999"]
)
def test_a_referer_that_is_not_a_url_matches_nothing_and_raises_nothing(referer: str) -> None:
    """Found by fuzzing: urlsplit raised ValueError on an unclosed IPv6 bracket, and the Master got a 500."""
    assert not referer_matches(referer, ["http://127.0.0.1:3000", "https://notify.example.com/Prod"])


def test_the_url_a_request_reached_includes_the_stage() -> None:
    assert reached_endpoint(cloud_event("/MailboxListen/", "/Prod/MailboxListen/")) == (
        "https://abc123.execute-api.eu-west-1.amazonaws.com/Prod"
    )
    assert reached_endpoint(cloud_event("/MailboxPost", "/MailboxPost", proto=None)) == (
        "https://abc123.execute-api.eu-west-1.amazonaws.com"
    )
    assert reached_endpoint(ApiEvent({"path": "/x", "headers": {}, "requestContext": {}})) is None


def test_a_master_request_accepts_the_configured_urls_and_the_one_reached() -> None:
    event = cloud_event("/MailboxListen/", "/Prod/MailboxListen/")
    event.raw_event["body"] = "secret=KSx"

    request = master_request(event, ("https://notify.example.com",))

    assert request.endpoints == (
        "https://notify.example.com",
        "https://abc123.execute-api.eu-west-1.amazonaws.com/Prod",
    )
    assert request.text("secret") == "KSx"
    assert request.text("last") is None
