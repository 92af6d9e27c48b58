"""The data path's pure parts: cell bounds and distances, upload tokens, delivery under the cap, peaks,
multipart payloads."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from support.sensor_client import multipart_body
from telemetry_gateway.sensors import form, geohash, upload_tokens
from telemetry_gateway.sensors.data_records import RequestRecord, Span, Target, UploadClaims
from telemetry_gateway.sensors.data_requests import MAX_DELIVERED, deliver
from telemetry_gateway.sensors.detection import peaks
from telemetry_gateway.sensors.errors import SensorError
from telemetry_gateway.sensors.records import ClientRecord, Sensor

KEY = b"k" * 64
NOW = datetime(2025, 7, 30, 13, tzinfo=UTC)
CLAIMS = UploadClaims(
    "test",
    2**64 - 1,
    7,
    Span("2025-07-30T12:00:00.000", "2025-07-30T12:01:00.000"),
    1,
    3,
    False,
    int(NOW.timestamp()) + 60,
)


def test_a_cells_bounds_contain_exactly_the_points_that_encode_to_it() -> None:
    box = geohash.bounds("9q5ct")

    assert geohash.encode(box.south + 1e-9, box.west + 1e-9) == "9q5ct"
    assert geohash.encode(box.north - 1e-9, box.east - 1e-9) == "9q5ct"
    assert geohash.encode(box.north + 1e-6, box.west + 1e-9) != "9q5ct"
    assert (box.east - box.west, box.north - box.south) == (360 / 2**13, 180 / 2**12)


def test_great_circle_distances() -> None:
    assert geohash.distance_metres(0, 0, 0, 1) == pytest.approx(111_195, abs=1)  # one degree on the equator
    assert geohash.distance_metres(34.1377, -118.1253, 32.7157, -117.1611) == pytest.approx(180_000, rel=0.02)
    assert geohash.distance_metres(10, 20, 10, 20) == 0


def test_a_token_carries_its_claims_exactly_and_is_bound_to_its_namespace_and_time() -> None:
    token = upload_tokens.issue(KEY, CLAIMS)

    assert upload_tokens.verify(KEY, token, "test", NOW) == CLAIMS
    for key, namespace, when, message in [
        (b"x" * 64, "test", NOW, "invalid upload token"),
        (KEY, "csn", NOW, "invalid upload token"),
        (KEY, "test", datetime.fromtimestamp(CLAIMS.expires, UTC), "upload token expired"),
    ]:
        with pytest.raises(SensorError) as refused:
            upload_tokens.verify(key, token, namespace, when)
        assert (refused.value.http_status, refused.value.message) == (403, message)


@pytest.mark.parametrize("token", ["", ".", "abc", "e30.AAAA", "!!!.???", "\x80", "é.AAAA", "é.abc", "\udcff.x"])
def test_malformed_tokens_are_invalid(token: str) -> None:
    with pytest.raises(SensorError) as refused:
        upload_tokens.verify(KEY, token, "test", NOW)

    assert refused.value.message == "invalid upload token"


def client_with(sensors: int) -> ClientRecord:
    return ClientRecord(
        "test", 1, 1, 1, "", b"", None, tuple(Sensor(n, 0, b"") for n in range(1, sensors + 1)),
        None, True, 0, False, False, None, None, None,
    )  # fmt: skip


def request(request_id: int, **changes: object) -> RequestRecord:
    base = RequestRecord(
        "test", request_id, Target(), None, "2025-07-30T00:00:00.000", "2025-07-31T00:00:00.000", "operator"
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_delivery_stops_before_the_first_request_the_cap_leaves_out() -> None:
    pending = [request(n) for n in range(1, 40)]

    delivered, latest = deliver(pending, client_with(3), 0, "2025-07-30T12:00:00.000")

    assert (len(delivered), latest) == (99, 33)
    assert len(delivered) <= MAX_DELIVERED


def test_requests_that_do_not_apply_move_the_cursor_past_them() -> None:
    pending = [request(1, closed=True), request(2, target=Target(client_id=9)), request(3, expires_at="2025-07-30")]

    assert deliver(pending, client_with(1), 0, "2025-07-30T12:00:00.000") == ([], 3)


def test_peaks_per_component_take_the_largest_magnitude() -> None:
    assert peaks([(0.1, -0.7, 0.2), (-0.3, 0.5), (0.0, 0.0, 0.0, 9.0)]) == (0.3, 0.7, 0.2, 9.0)


def test_span_overlap_includes_touching_ends() -> None:
    assert Span("a", "c").overlaps(Span("c", "d"))
    assert not Span("a", "b").overlaps(Span("c", "d"))


def test_the_payload_part_is_read_exactly_even_bytes_that_look_like_boundaries() -> None:
    body, content_type = multipart_body(b"\x00\r\n--x\r\n" * 100)

    assert form.payload(body, content_type, 10_000) == b"\x00\r\n--x\r\n" * 100
    with pytest.raises(SensorError) as refused:
        form.payload(body, content_type, 799)
    assert (refused.value.http_status, refused.value.message) == (413, "payload too large")
