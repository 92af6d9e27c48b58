import gzip
import tracemalloc
import zlib

import pytest

from telemetry_gateway.telemetry.body import decode_body
from telemetry_gateway.telemetry.errors import TelemetryError

BODY = b'{"header":{},"telemetryBundles":[]}' * 50
LIMIT = 64 * 1024 * 1024


def gzipped(data: bytes) -> bytes:
    """gzip with a fixed header time: parameter ids and bytes must not depend on when the module is collected."""
    return gzip.compress(data, mtime=0)


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def refusal(raw: bytes, encoding: str | None, max_bytes: int = LIMIT) -> tuple[int, str]:
    with pytest.raises(TelemetryError) as caught:
        decode_body(raw, encoding, max_bytes)
    return caught.value.status, caught.value.message


@pytest.mark.parametrize("encoding", [None, "", "identity", "br", "gzip, deflate"])
def test_other_encodings_leave_the_body_as_is(encoding: str | None) -> None:
    compressed = gzipped(BODY)

    assert decode_body(compressed, encoding, LIMIT) == compressed


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        pytest.param(gzipped(BODY), "gzip", id="gzip"),
        pytest.param(gzipped(BODY), "x-gzip", id="x-gzip"),
        pytest.param(gzipped(BODY), "GZip", id="GZip"),
        pytest.param(gzipped(BODY[:100]) + gzipped(BODY[100:]), "gzip", id="gzip-two-members"),
        pytest.param(zlib.compress(BODY), "deflate", id="zlib-deflate"),
        pytest.param(zlib.compress(BODY, wbits=9), "Deflate", id="zlib-small-window-Deflate"),
        pytest.param(raw_deflate(BODY), "deflate", id="raw-deflate"),
    ],
)
def test_compressed_bodies_are_decoded(raw: bytes, encoding: str) -> None:
    assert decode_body(raw, encoding, LIMIT) == BODY


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate"])
@pytest.mark.parametrize("body", [BODY, b" \r\n\t" + BODY], ids=["json", "json-after-whitespace"])
def test_bodies_already_decoded_by_the_front_door_are_used_as_they_are(encoding: str, body: bytes) -> None:
    assert decode_body(body, encoding, LIMIT) == body


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        pytest.param(gzipped(BODY)[:-10], "gzip", id="gzip-truncated-trailer"),
        pytest.param(gzipped(BODY)[:12], "gzip", id="gzip-header-only"),
        pytest.param(b"\x1f\x8b" + b"not gzip at all", "gzip", id="gzip-magic-then-garbage"),
        pytest.param(gzipped(BODY) + b"\x00\x00", "gzip", id="gzip-trailing-zeros"),
        pytest.param(gzipped(BODY) + b"trailing", "gzip", id="gzip-trailing-text"),
        pytest.param(b"[1,2,3]", "gzip", id="gzip-plain-json"),
        pytest.param(b"", "gzip", id="gzip-empty"),
        pytest.param(zlib.compress(BODY)[:-3], "deflate", id="deflate-truncated"),
        pytest.param(zlib.compress(BODY)[:2] + b"\xff" * 20, "deflate", id="deflate-header-then-garbage"),
        pytest.param(b"\xff\xff\xff\xff", "deflate", id="deflate-garbage"),
        pytest.param(b"[1,2,3]", "deflate", id="deflate-plain-json"),
    ],
)
def test_undecodable_bodies_are_refused(raw: bytes, encoding: str) -> None:
    assert refusal(raw, encoding) == (400, "Failed to decompress request body")


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        pytest.param(BODY, None, id="identity"),
        pytest.param(gzipped(BODY), "gzip", id="gzip"),
        pytest.param(zlib.compress(BODY), "deflate", id="zlib-deflate"),
        pytest.param(raw_deflate(BODY), "deflate", id="raw-deflate"),
    ],
)
def test_decoded_size_cap_is_inclusive(raw: bytes, encoding: str | None) -> None:
    assert decode_body(raw, encoding, len(BODY)) == BODY
    assert refusal(raw, encoding, len(BODY) - 1) == (413, "request body too large")


def test_zip_bomb_is_stopped_at_the_cap_without_inflating_it() -> None:
    cap = 1024 * 1024
    compressor = zlib.compressobj(9, wbits=16 + zlib.MAX_WBITS)
    zeros = bytes(cap)
    bomb = b"".join(compressor.compress(zeros) for _ in range(64)) + compressor.flush()

    tracemalloc.start()
    try:
        status, message = refusal(bomb, "gzip", cap)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (status, message) == (413, "request body too large")
    assert peak < 4 * cap
