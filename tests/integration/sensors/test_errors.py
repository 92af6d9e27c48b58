"""Every route answers every refusal with its own response message, an explicit status and the spec's HTTP code,
checked in the order of section 6."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from support.sensor_client import CPP_CLIENT, DATE, ROUTES, SIGNED_ROUTES, SensorClient, Transport, signature
from telemetry_gateway import observability
from telemetry_gateway.sensors.event_store import EventStore
from telemetry_gateway.sensors.pb.common_pb2 import (
    DATASTORE_ERROR,
    INVALID_REQUEST,
    OVER_QUOTA_ERROR,
    PATH_NOT_FOUND,
    SUCCESS,
    UNKNOWN_CLIENT,
    UNKNOWN_ERROR,
    ClientSignature,
)
from telemetry_gateway.sensors.reading_store import ReadingStore
from telemetry_gateway.sensors.request_store import RequestStore
from telemetry_gateway.sensors.store import SensorStore
from telemetry_gateway.storage.errors import StorageUnavailable

ALL_ROUTES = sorted(ROUTES)
ONE_MIB = 1024 * 1024


def refused(answer: Any) -> tuple[int, str]:
    assert answer.HasField("status")
    assert answer.status.HasField("type")
    return answer.status.type, answer.status.message


@pytest.mark.parametrize("route", ALL_ROUTES)
def test_unknown_namespace_is_404_path_not_found(client: SensorClient, route: str) -> None:
    client.namespace = "Not_A_Namespace"

    status, answer = client.post(route, b"")

    assert isinstance(answer, ROUTES[route][1])
    assert (status, refused(answer)) == (404, (PATH_NOT_FOUND, "unknown namespace"))


def test_a_namespace_off_the_allow_list_is_unknown(client: SensorClient, redeploy: Callable[..., None]) -> None:
    redeploy(SENSOR_NAMESPACES="csn,test-2")
    status, answer = client.post("client/create", b"")
    client.namespace = "csn"
    allowed, _ = client.post("client/create", b"")

    assert (status, refused(answer)) == (404, (PATH_NOT_FOUND, "unknown namespace"))
    assert allowed == 200


@pytest.mark.parametrize("route", ALL_ROUTES)
def test_body_over_one_mib_is_413_over_quota(client: SensorClient, route: str) -> None:
    status, answer = client.post(route, b"\x00" * (ONE_MIB + 1))

    assert (status, refused(answer)) == (413, (OVER_QUOTA_ERROR, "request too large"))


@pytest.mark.parametrize("route", ALL_ROUTES)
def test_undecodable_body_is_400(client: SensorClient, route: str) -> None:
    status, answer = client.post(route, b"\x0a\x05ab")  # a length running past the end

    assert (status, refused(answer)) == (400, (INVALID_REQUEST, "could not decode request"))


def test_invalid_utf8_in_a_string_field_is_undecodable(client: SensorClient) -> None:
    status, answer = client.post("heartbeat", b"\x0a\x04\x0a\x02\xff\xfe")  # client_signature.date

    assert (status, refused(answer)) == (400, (INVALID_REQUEST, "could not decode request"))


@pytest.mark.parametrize("route", SIGNED_ROUTES)
@pytest.mark.parametrize("client_id", ["0", "abc", "-1", str(2**64), "1" * 21])
def test_malformed_client_id_is_unknown_client_before_the_body_is_read(
    client: SensorClient, route: str, client_id: str
) -> None:
    status, raw = client.send(f"/api/v1/test/{route}/{client_id}", b"\x00" * (ONE_MIB + 1), client.headers)
    answer = ROUTES[route][1].FromString(raw)

    assert (status, refused(answer)) == (400, (UNKNOWN_CLIENT, "unknown client"))


@pytest.mark.parametrize("route", SIGNED_ROUTES)
@pytest.mark.parametrize("absent", ["date", "message_id", "signature"])
def test_each_signature_field_is_required(client: SensorClient, route: str, absent: str) -> None:
    sent = signature(client.secret, 1)
    sent.ClearField(absent)  # type: ignore[arg-type]

    status, answer = client.post(route, ROUTES[route][0](client_signature=sent))

    assert (status, refused(answer)) == (400, (INVALID_REQUEST, f"missing required field: client_signature.{absent}"))


@pytest.mark.parametrize("route", SIGNED_ROUTES)
def test_missing_signature_is_reported_before_an_unknown_client(client: SensorClient, route: str) -> None:
    client.client_id = 12345

    status, answer = client.post(route, b"")

    assert (status, refused(answer)) == (400, (INVALID_REQUEST, "missing required field: client_signature.date"))


@pytest.mark.parametrize("route", SIGNED_ROUTES)
def test_well_formed_but_absent_client_is_unknown(client: SensorClient, route: str) -> None:
    client.client_id = 2**64 - 1

    status, answer = client.signed(route)

    assert (status, refused(answer)) == (400, (UNKNOWN_CLIENT, "unknown client"))


@pytest.mark.parametrize("route", SIGNED_ROUTES)
def test_wrong_signature_is_401(client: SensorClient, route: str) -> None:
    wrong = ClientSignature(date=DATE, message_id=1, signature="0" * 64)

    status, answer = client.post(route, ROUTES[route][0](client_signature=wrong))

    assert (status, refused(answer)) == (401, (INVALID_REQUEST, "invalid client signature"))


@pytest.mark.parametrize("route", SIGNED_ROUTES)
def test_replayed_message_id_is_400(client: SensorClient, route: str) -> None:
    _, first = client.signed(route)  # an event without fields is refused, but its id is consumed all the same
    client.message_id -= 1

    status, answer = client.signed(route)

    assert first.status.message != "replayed message_id"
    assert (status, refused(answer)) == (400, (INVALID_REQUEST, "replayed message_id"))


def test_signature_is_checked_before_the_replay_window(client: SensorClient) -> None:
    client.heartbeat()
    forged = ClientSignature(date=DATE, message_id=1, signature="0" * 64)

    status, answer = client.post("heartbeat", ROUTES["heartbeat"][0](client_signature=forged))

    assert (status, refused(answer)) == (401, (INVALID_REQUEST, "invalid client signature"))


def test_a_refused_message_still_consumes_its_id(client: SensorClient) -> None:
    status, answer = client.signed("heartbeat", connected_sensors=[999])
    client.message_id -= 1
    again, replay = client.signed("heartbeat")

    assert (status, refused(answer)) == (400, (4, "unknown sensor 999"))
    assert (again, refused(replay)) == (400, (INVALID_REQUEST, "replayed message_id"))


def test_signature_hex_case_is_ignored_and_the_date_is_used_verbatim(client: SensorClient) -> None:
    sent = signature(client.secret, 7, date="2014-04-13 19:42:17 any text")
    sent.signature = sent.signature.upper()

    status, answer = client.post("heartbeat", ROUTES["heartbeat"][0](client_signature=sent))

    assert (status, answer.status.type) == (200, SUCCESS)


def test_a_client_is_unknown_in_another_namespace(client: SensorClient, transport: Transport) -> None:
    other = SensorClient(transport, namespace="csn", client_id=client.client_id, secret=client.secret)

    status, answer = other.signed("heartbeat")

    assert (status, refused(answer)) == (400, (UNKNOWN_CLIENT, "unknown client"))


def test_both_protobuf_content_types_and_none_are_accepted(client: SensorClient) -> None:
    for headers in (CPP_CLIENT, {}, {"Content-Type": "text/plain"}):
        client.headers = headers
        status, answer = client.signed("heartbeat")
        assert (status, answer.status.type) == (200, SUCCESS)


@pytest.mark.parametrize("route", ALL_ROUTES)
@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (StorageUnavailable("throttled"), (503, (DATASTORE_ERROR, "datastore unavailable"))),
        (RuntimeError("bug"), (500, (UNKNOWN_ERROR, "internal error"))),
    ],
    ids=["storage-exhausted", "unexpected"],
)
def test_storage_exhaustion_and_faults_keep_the_route_shape(
    client: SensorClient, monkeypatch: pytest.MonkeyPatch, route: str, error: Exception, expected: tuple[int, Any]
) -> None:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    for store in (SensorStore, RequestStore, EventStore, ReadingStore):
        for name in [name for name in vars(store) if not name.startswith("_")]:
            monkeypatch.setattr(store, name, fail)

    status, answer = client.signed(route) if route in SIGNED_ROUTES else client.post(route, b"")

    assert isinstance(answer, ROUTES[route][1])
    assert (status, refused(answer)) == expected


def test_refusals_leave_no_metric_behind(client: SensorClient) -> None:
    """With metrics disabled (local runs), 100 values of one metric used to blow up a request."""
    for _ in range(3):
        client.post("heartbeat", b"\xff")

    assert observability.metrics.metric_set == {}
