"""The data path end to end through `make run`, over real HTTP: three clients in one cell pick, an event is
declared, events/recent shows it, the next heartbeat carries its data request, the offer gets an upload URL,
a multipart upload stores the payload, and `tgw --local sensors readings` shows its size and SHA-256."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from support.local_server import LocalServer
from support.sensor_client import SensorClient, answering
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.geohash import encode
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientMetadata, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import ACCELEROMETER_3_AXIS, SUCCESS
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage
from telemetry_gateway.sensors.pb.heartbeat_pb2 import SensorReadingUploadResponse
from telemetry_gateway.sensors.pb.query_messages_pb2 import RecentEventQuery

PASADENA = (34.1377, -118.1253)
PAYLOAD = bytes(range(256)) * 2812  # about the 720 kB DataRecord the real clients upload


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def http_client(server: LocalServer) -> SensorClient:
    def send(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        response = requests.post(server.url + path, data=body, headers=headers, timeout=30)
        return response.status_code, response.content

    client = SensorClient(send)
    client.create(
        ClientCreateMessage(
            client_data=ClientMetadata(latitude=PASADENA[0], longitude=PASADENA[1]),
            attached_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS)],
        )
    )
    return client


def test_picks_to_event_to_request_to_upload_to_reading(server: LocalServer) -> None:
    clients = [http_client(server) for _ in range(3)]
    for client in clients:
        client.heartbeat()
    now = datetime.now(UTC)

    for client in clients:
        event = EventMessage.SensorEvent(
            sensor_id=client.sensor_ids[0], readings=[0.1, 0.2, 1.1], date=format_date(now)
        )
        status, answer = client.pick(event=event)
        assert (status, answer.status.type) == (200, SUCCESS)

    status, recent = clients[0].post("events/recent", RecentEventQuery(provide_polygons=True))
    assert (status, recent.most_recent_event_id, [e.geocell for e in recent.events]) == (200, 1, [encode(*PASADENA)])
    assert list(recent.geocells_included) == [encode(*PASADENA)]

    [request] = clients[0].heartbeat().data_requests
    assert (request.request_id, request.sensor_id, request.threshold_distance) == (1, clients[0].sensor_ids[0], 50000)

    offer = answering(request, now)
    [url] = clients[0].offer(offer)
    assert url.startswith(f"{server.url}/api/v1/test/data/upload/")

    uploaded = requests.post(
        url,
        files={"payload": ("data", PAYLOAD, "application/octet-stream")},
        headers={"User-Agent": "SAFCSNclient"},
        timeout=60,
    )
    answer = SensorReadingUploadResponse.FromString(uploaded.content)
    assert (uploaded.status_code, answer.status.type) == (200, SUCCESS)

    [reading] = server.tgw("sensors", "readings", "test")["readings"]
    assert (reading["sensor_reading_id"], reading["request_id"]) == (str(answer.sensor_reading_id), "1")
    assert (reading["size"], reading["sha256"]) == (len(PAYLOAD), hashlib.sha256(PAYLOAD).hexdigest())
    assert clients[0].offer(offer) == [""]  # uploaded: not wanted again
