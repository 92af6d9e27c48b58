"""Client headers kept for the Master, and the Master's reply headers checked for the Client."""

from __future__ import annotations

import pytest

from telemetry_gateway.notify.errors import NotifyError
from telemetry_gateway.notify.headers import header_block, kept_request_headers, sanitised_reply_headers


def test_client_headers_keep_order_and_spelling_but_not_transport_or_gateway_names() -> None:
    pairs = [
        ("User-Agent", "curl/8.5.0"),
        ("Host", "notify.example.com"),
        ("Accept", "*/*"),
        ("Accept", "text/plain"),
        ("Connection", "keep-alive"),
        ("Keep-Alive", "timeout=5"),
        ("Proxy-Authorization", "Basic x"),
        ("TE", "trailers"),
        ("Trailer", "X"),
        ("Transfer-Encoding", "chunked"),
        ("Upgrade", "h2c"),
        ("Content-Length", "21"),
        ("X-Forwarded-For", "1.2.3.4"),
        ("X-Amzn-Trace-Id", "Root=1"),
        ("X-Amz-Cf-Id", "abc"),
        ("Via", "1.1 cloudfront"),
        ("CloudFront-Viewer-Country", "DE"),
        ("x-message-id", "forged"),
        ("X-Telemetry-User", "forged"),
        ("Content-Transfer-Encoding", "base64"),
        ("content-type", "application/x-www-form-urlencoded"),
    ]

    assert kept_request_headers(pairs) == (
        "User-Agent: curl/8.5.0",
        "Host: notify.example.com",
        "Accept: */*",
        "Accept: text/plain",
        "content-type: application/x-www-form-urlencoded",
    )


def test_reply_lines_are_split_on_any_line_break_and_kept_exactly() -> None:
    raw = b"Header: value\r\nX-Two:no space\rX-Three: tab\there\n\n\r\nX-Utf8: caf\xc3\xa9\n"

    assert sanitised_reply_headers(raw) == (
        "Header: value",
        "X-Two:no space",
        "X-Three: tab\there",
        "X-Utf8: café",
    )


def test_reserved_and_hop_by_hop_reply_headers_are_dropped_silently() -> None:
    raw = (
        b"Connection: close, X-Private\nKeep-Alive: 5\nProxy-Authenticate: Basic\nProxy-Authorization: x\n"
        b"TE: trailers\nTrailer: X\nTransfer-Encoding: chunked\nUpgrade: h2c\nContent-Length: 3\n"
        b"X-Message-Id: forged\nx-telemetry-user: forged\nX-Saw-User: forged\nx-private: hidden\nKept: yes"
    )

    assert sanitised_reply_headers(raw) == ("Kept: yes",)


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b"Good: one\nno colon here", 2),
        (b"Good: one\n\nBad Name: x", 3),  # empty lines still count: the number points into the text sent
        (b"Good: one\r\n: empty name", 2),
        (b"Bad\x01: control", 1),
        (b"Value: bell\x07", 1),
        (b"Value: del\x7f", 1),
        (b"Good: one\nBroken: \xff\xfe", 2),
        (b"(paren): token chars only", 1),
    ],
)
def test_an_invalid_line_is_refused_with_its_number_never_repaired(raw: bytes, line: int) -> None:
    with pytest.raises(NotifyError) as refused:
        sanitised_reply_headers(raw)

    assert (refused.value.status, refused.value.line) == (400, f"Bad Request: invalid reply header line {line}")


def test_header_block_ends_each_line_in_lf_and_removes_breaks_inside() -> None:
    assert header_block(["A: 1", "B: two\r\nlines"]) == "A: 1\nB: twolines\n"
    assert header_block([]) == ""
