"""Offers and uploads (section 10): one URL per offer in order ("" when not valid or not wanted), tokens,
multipart uploads stored in S3 then recorded, and a repeated upload storing nothing."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from support.clock import ManualClock
from support.sensor_client import SensorClient, Transport, multipart_body
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientMetadata, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import (
    ACCELEROMETER_3_AXIS,
    INVALID_REQUEST,
    OVER_QUOTA_ERROR,
    PATH_NOT_FOUND,
    SUCCESS,
)
from telemetry_gateway.sensors.pb.heartbeat_pb2 import SensorReadingDescription, SensorReadingUploadResponse
from telemetry_gateway.sensors.store import SensorStore

Tgw = Callable[..., dict[str, Any]]
Offer = SensorReadingDescription
START, END = "2025-07-30T12:00:00.000", "2025-07-30T12:01:00.000"
PAYLOAD = bytes(range(256)) * 40


@pytest.fixture
def sensor_client(transport: Transport) -> SensorClient:
    client = SensorClient(transport)
    client.create(
        ClientCreateMessage(
            client_data=ClientMetadata(latitude=34.1, longitude=-118.1),
            attached_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS)] * 2,
        )
    )
    return client


def window_offer(client: SensorClient, request_id: int, **fields: Any) -> Offer:
    values: dict[str, Any] = {"sensor_id": client.sensor_ids[0], "request_id": request_id}
    values |= {"start_date": START, "end_date": END, "data_format": Offer.DATA_RECORD}
    return Offer(**(values | fields))


def current_offer(client: SensorClient, sensor: int = 0) -> Offer:
    return Offer(
        sensor_id=client.sensor_ids[sensor], current_data=True, start_date=START, end_date=END, data_format=Offer.CSNV2
    )


def objects() -> list[str]:
    """Keys of the sensor family's objects in the payload bucket."""
    listed = boto3.client("s3").list_objects_v2(Bucket=os.environ["PAYLOAD_BUCKET"], Prefix="sensors/")
    return [entry["Key"] for entry in listed.get("Contents", [])]


def test_each_offer_gets_exactly_one_url_in_order_and_invalid_or_unwanted_ones_get_empty(
    sensor_client: SensorClient, tgw: Tgw
) -> None:
    client, first, second = sensor_client, *sensor_client.sensor_ids
    tgw(
        "request-data", "test", "--sensor", str(first), "--start", "2025-07-30T12:00:30", "--end", "2025-07-30T12:10:00"
    )
    tgw("request-data", "test", "--sensor", str(first), "--current")
    tgw("request-data", "test", "--sensor", str(first), "--current")
    tgw("close-request", "test", "3")
    offers = [
        window_offer(client, 1),  # wanted: overlaps request 1
        window_offer(client, 1, sensor_id=second),  # request 1 does not ask sensor 2
        window_offer(client, 1, end_date="2025-07-30T12:00:29"),  # before request 1's window
        window_offer(client, 3),  # closed
        window_offer(client, 9),  # no such request
        Offer(sensor_id=first, current_data=True, start_date=START, end_date=END),  # no data_format
        window_offer(client, 2, current_data=True),  # wanted: request 2 is current data
        window_offer(client, 1, sensor_id=77),  # not this client's sensor
        window_offer(client, 1, start_date="12:00"),  # unparseable
        window_offer(client, 1, start_date=END, end_date=START),  # start after end
        Offer(sensor_id=first, start_date=START, end_date=END, data_format=Offer.CSNV2),  # neither request nor current
        window_offer(client, 0, current_data=True, sensor_id=second),  # no current request asks sensor 2
    ]

    urls = client.offer(*offers)

    assert [bool(url) for url in urls] == [True, False, False, False, False, False, True] + [False] * 5
    assert urls[0].startswith(f"http://127.0.0.1:{urls[0].split(':')[2].split('/')[0]}/api/v1/test/data/upload/")


def test_a_heartbeat_answers_current_data_offers_one_url_each(sensor_client: SensorClient, tgw: Tgw) -> None:
    tgw("request-data", "test", "--client", str(sensor_client.client_id), "--current")
    offers = [
        Offer(sensor_id=s, current_data=True, start_date=START, end_date=END, data_format=Offer.CSNV2)
        for s in sensor_client.sensor_ids
    ]

    answer = sensor_client.heartbeat(current_data_offers=[offers[0], Offer(sensor_id=1), offers[1]])

    assert [bool(url) for url in answer.current_data_upload_urls] == [True, False, True]
    assert len(answer.data_requests) == 2


def test_an_upload_stores_the_payload_then_the_reading_and_marks_the_request(
    sensor_client: SensorClient, store: SensorStore, tgw: Tgw, tmp_path: Path, manual_clock: ManualClock
) -> None:
    tgw("request-data", "test", "--sensor", str(sensor_client.sensor_ids[0]), "--start", START, "--end", END)
    [url] = sensor_client.offer(window_offer(sensor_client, 1))

    status, answer = sensor_client.upload(url, PAYLOAD)

    assert (status, answer.status.type) == (200, SUCCESS)
    [reading] = tgw("readings", "test")["readings"]
    assert reading == {
        "sensor_reading_id": str(answer.sensor_reading_id),
        "client_id": str(sensor_client.client_id),
        "sensor_id": str(sensor_client.sensor_ids[0]),
        "request_id": "1",
        "current": False,
        "start": START,
        "end": END,
        "data_format": Offer.DATA_RECORD,
        "size": len(PAYLOAD),
        "sha256": hashlib.sha256(PAYLOAD).hexdigest(),
        "received": "2025-07-30T13:01:13.000",
    }
    saved = tgw("reading-get", "test", reading["sensor_reading_id"], "--output", str(tmp_path / "data.bin"))
    assert (tmp_path / "data.bin").read_bytes() == PAYLOAD
    assert saved["size"] == len(PAYLOAD)
    assert tgw("requests", "test")["requests"][0]["fulfilled_sensors"] == [str(sensor_client.sensor_ids[0])]
    assert [k.startswith("sensors/test/readings/") for k in objects()] == [True]
    assert tgw("readings", "test", "--client", "42") == {"readings": []}


def test_the_same_upload_again_returns_the_first_id_and_stores_nothing(
    sensor_client: SensorClient, store: SensorStore, tgw: Tgw
) -> None:
    tgw("request-data", "test", "--sensor", str(sensor_client.sensor_ids[0]), "--current")
    offer = Offer(
        sensor_id=sensor_client.sensor_ids[0],
        current_data=True,
        start_date=START,
        end_date=END,
        data_format=SensorReadingDescription.CSNV2,
    )
    [url] = sensor_client.offer(offer)

    first = sensor_client.upload(url, PAYLOAD)[1].sensor_reading_id
    again = sensor_client.upload(url, b"something else")[1].sensor_reading_id

    assert again == first
    assert len(tgw("readings", "test")["readings"]) == 1
    assert len(objects()) == 1
    assert sensor_client.offer(offer) == [""]  # already uploaded: not wanted again


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda url: url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB"), "invalid upload token"),
        (lambda url: url.replace("/test/", "/csn/"), "invalid upload token"),
        (lambda url: url.replace("/upload/", "/upload/x"), "invalid upload token"),
    ],
    ids=["tampered", "other-namespace", "garbage"],
)
def test_a_bad_token_is_403(
    sensor_client: SensorClient, tgw: Tgw, store: SensorStore, mangle: Callable[[str], str], message: str
) -> None:
    tgw("request-data", "test", "--all", "--current")
    [url] = sensor_client.offer(current_offer(sensor_client))

    status, answer = sensor_client.upload(mangle(url), PAYLOAD)

    assert (status, answer.status.type, answer.status.message) == (403, INVALID_REQUEST, message)
    assert objects() == []


def test_an_expired_token_is_403(sensor_client: SensorClient, tgw: Tgw, manual_clock: ManualClock) -> None:
    tgw("request-data", "test", "--all", "--current")
    [url] = sensor_client.offer(current_offer(sensor_client))

    manual_clock.advance(3600)
    status, answer = sensor_client.upload(url, PAYLOAD)

    assert (status, answer.status.message) == (403, "upload token expired")


def upload_url(client: SensorClient, tgw: Tgw) -> str:
    tgw("request-data", "test", "--all", "--current")
    [url] = client.offer(current_offer(client))
    return url


def test_a_body_without_a_payload_part_is_400(sensor_client: SensorClient, tgw: Tgw, store: SensorStore) -> None:
    url = upload_url(sensor_client, tgw)
    body, content_type = multipart_body(PAYLOAD, field_name="file")
    path = url[url.index("/api/v1/") :]

    status, raw = sensor_client.send(path, body, {"Content-Type": content_type})
    not_multipart, raw_too = sensor_client.send(path, PAYLOAD, {"Content-Type": "application/octet-stream"})

    answer = SensorReadingUploadResponse.FromString(raw)
    assert (status, answer.status.type, answer.status.message) == (400, INVALID_REQUEST, "missing payload part")
    assert not_multipart == 400
    assert SensorReadingUploadResponse.FromString(raw_too).status.message == "could not decode request"
    assert objects() == []


def test_a_payload_over_the_limit_is_413(
    sensor_client: SensorClient, tgw: Tgw, store: SensorStore, redeploy: Callable[..., None]
) -> None:
    redeploy(SENSOR_MAX_UPLOAD_BYTES="4096")
    url = upload_url(sensor_client, tgw)

    status, answer = sensor_client.upload(url, b"\x00" * 4097)
    fits, _ = sensor_client.upload(url, b"\x00" * 4096)

    assert (status, answer.status.type, answer.status.message) == (413, OVER_QUOTA_ERROR, "payload too large")
    assert fits == 200
    assert len(objects()) == 1


def test_clearing_a_namespace_deletes_its_objects(sensor_client: SensorClient, tgw: Tgw, store: SensorStore) -> None:
    sensor_client.upload(upload_url(sensor_client, tgw), PAYLOAD)

    cleared = tgw("clear-namespace", "test")

    assert cleared["objectsDeleted"] == 1
    assert objects() == []
    assert tgw("readings", "test") == {"readings": []}


def test_an_upload_to_an_unknown_namespace_is_404_before_its_token_is_read(sensor_client: SensorClient) -> None:
    body, content_type = multipart_body(PAYLOAD)

    status, raw = sensor_client.send("/api/v1/Not_A_Namespace/data/upload/x.y", body, {"Content-Type": content_type})

    answer = SensorReadingUploadResponse.FromString(raw)
    assert (status, answer.status.type, answer.status.message) == (404, PATH_NOT_FOUND, "unknown namespace")
