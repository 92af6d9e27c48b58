"""Sensor data path: pick latency with event detection, a heartbeat carrying 100 open data requests, 720 kB
multipart uploads (all through `make run`), and the AWS calls each of those requests makes."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.harness import LATENCY_COLUMNS, Table, latency_row, load
from bench.sensors import HEADERS, _create_body, _signature
from support.local_server import LocalServer, Request
from support.sensor_client import multipart_body
from telemetry_gateway.clock import SystemClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors.config import ApiConfig
from telemetry_gateway.sensors.data_records import RequestRecord, Target
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateResponse
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage
from telemetry_gateway.sensors.pb.heartbeat_pb2 import (
    HeartbeatMessage,
    SensorReadingDescription,
    SensorReadingOfferMessage,
    SensorReadingOfferResponse,
)
from telemetry_gateway.sensors.pb.query_messages_pb2 import RecentEventQuery
from telemetry_gateway.sensors.store import SensorStore

NAMESPACE = "bench-data"
PICKS, PICK_CLIENTS = {1: 200, 8: 400}, 50
HEARTBEATS, OPEN_REQUESTS = 40, 100
UPLOADS, PAYLOAD = 40, bytes(range(256)) * 2812  # 719,872 bytes, the size of a real client's DataRecord
Send = Callable[[str, str, bytes, dict[str, str]], tuple[dict[str, Any], str]]
Post = Callable[[str, bytes], bytes]


def _heartbeat(created: ClientCreateResponse, message_id: int, **fields: Any) -> bytes:
    signature = _signature(created.client_secret, message_id)
    return HeartbeatMessage(client_signature=signature, **fields).SerializeToString()


def _pick_now(created: ClientCreateResponse, message_id: int) -> bytes:
    """A pick of this moment, so detection evaluates it (picks over 5 minutes old are only stored)."""
    now = format_date(datetime.now(UTC))
    event = EventMessage.SensorEvent(sensor_id=created.sensor_ids[0], readings=[0.012, -0.034, 0.991], date=now)
    return EventMessage(
        client_signature=_signature(created.client_secret, message_id, now), event=event
    ).SerializeToString()


def _offers(created: ClientCreateResponse, message_id: int, count: int) -> bytes:
    """`count` wanted offers of current data, each for another minute (so each upload is a new reading)."""
    start = datetime(2025, 7, 30, tzinfo=UTC)
    offers = [
        SensorReadingDescription(
            sensor_id=created.sensor_ids[0],
            current_data=True,
            start_date=format_date(start + timedelta(minutes=n)),
            end_date=format_date(start + timedelta(minutes=n, seconds=59)),
            data_format=SensorReadingDescription.DATA_RECORD,
        )
        for n in range(count)
    ]
    return SensorReadingOfferMessage(
        client_signature=_signature(created.client_secret, message_id), sensor_readings=offers
    ).SerializeToString()


def _open_requests(store: SensorStore, count: int) -> None:
    """`count` open current-data requests for the whole namespace."""
    deadline = Deadline.after(SystemClock(), 120)
    now = format_date(datetime.now(UTC))
    expires = format_date(datetime.now(UTC) + timedelta(days=1))
    request = RequestRecord(NAMESPACE, 0, Target(), None, now, expires, "operator")
    for _ in range(count):
        store.requests.create(NAMESPACE, lambda request_id: replace(request, request_id=request_id), deadline)


def _clients(post: Post, count: int, *, spread: bool = False) -> list[ClientCreateResponse]:
    """`count` clients, each active after one heartbeat (message id 1): in one geohash-5 cell, or (`spread`)
    each in a cell of its own."""
    bodies = [_create_body(0.1 * n if spread else 0.0) for n in range(count)]
    created = [ClientCreateResponse.FromString(post("client/create", body)) for body in bodies]
    for client in created:
        post(f"heartbeat/{client.client_id}", _heartbeat(client, 1))
    return created


def _http_post(server: LocalServer) -> Post:
    def post(route: str, body: bytes) -> bytes:
        status, raw, _ = server.call(("POST", f"/api/v1/{NAMESPACE}/{route}", body, HEADERS))
        assert status == 200, raw
        return raw

    return post


def run(server: LocalServer) -> list[Table]:
    post = _http_post(server)
    latency = Table("Sensor data path through the local gateway", LATENCY_COLUMNS)
    # Active clients each in a cell of its own, so every pick of now is evaluated in full (entered in its
    # window, window read, active count read) without declaring events; the declaring pick's calls are below.
    clients = _clients(post, PICK_CLIENTS, spread=True)
    for connections, total in PICKS.items():

        def pick(i: int, offset: int = connections) -> Request:
            client = clients[i % PICK_CLIENTS]
            body = _pick_now(client, offset * PICK_CLIENTS + i // PICK_CLIENTS + 2)
            return ("POST", f"/api/v1/{NAMESPACE}/event/{client.client_id}", body, HEADERS)

        result = load(server, pick, connections, total)
        latency.rows.append(latency_row("POST event/{id}: pick of now, detection", connections, result))

    _open_requests(SensorStore(server.table("SensorTableName")), OPEN_REQUESTS)
    [client] = _clients(post, 1)

    def beat(i: int) -> Request:
        body = _heartbeat(client, i + 2, latest_request_id=0)  # every heartbeat carries all 100 requests
        return ("POST", f"/api/v1/{NAMESPACE}/heartbeat/{client.client_id}", body, HEADERS)

    latency.rows.append(
        latency_row(f"POST heartbeat/{{id}}: {OPEN_REQUESTS} open requests", 1, load(server, beat, 1, HEARTBEATS))
    )

    urls = list(
        SensorReadingOfferResponse.FromString(
            post(f"data/offer/{client.client_id}", _offers(client, 9999, UPLOADS))
        ).data_upload_urls
    )
    bodies = [multipart_body(PAYLOAD) for _ in urls]

    def upload(i: int) -> Request:
        body, content_type = bodies[i]
        path = urls[i][urls[i].index("/api/v1/") :]
        return ("POST", path, body, {**HEADERS, "Content-Type": content_type})

    latency.rows.append(
        latency_row("POST data/upload/{token}: 720 kB multipart", 1, load(server, upload, 1, len(urls)))
    )
    return [latency]


def aws_calls(send: Send) -> list[list[Any]]:
    """AWS calls per request of the data path, in-process."""
    rows: list[list[Any]] = []

    def call(label: str, route: str, body: bytes, headers: dict[str, str] = HEADERS) -> bytes:
        response, summary = send("POST", f"/api/v1/{NAMESPACE}/{route}", body, headers)
        assert response["statusCode"] == 200, response
        if label:
            rows.append([label, summary])
        return base64.b64decode(response["body"])

    clients = _clients(lambda route, body: call("", route, body), 3)
    call("POST event/{id}: counted pick, detection, n = 1", f"event/{clients[0].client_id}", _pick_now(clients[0], 2))
    call("POST event/{id}: counted pick, detection, n = 2", f"event/{clients[1].client_id}", _pick_now(clients[1], 2))
    call("POST event/{id}: the pick that declares an event", f"event/{clients[2].client_id}", _pick_now(clients[2], 2))
    call("POST events/recent", "events/recent", RecentEventQuery(provide_polygons=True).SerializeToString())
    _open_requests(ApiConfig.from_env().store, OPEN_REQUESTS - 1)  # with the event's own request: 100
    client = clients[0]
    body = _heartbeat(client, 3, latest_request_id=0)
    call(f"POST heartbeat/{{id}}: {OPEN_REQUESTS} open requests", f"heartbeat/{client.client_id}", body)
    offered = call("POST data/offer/{id}: one wanted offer", f"data/offer/{client.client_id}", _offers(client, 4, 1))
    [url] = SensorReadingOfferResponse.FromString(offered).data_upload_urls
    payload, content_type = multipart_body(PAYLOAD)
    call(
        "POST data/upload/{token}: 720 kB",
        url[url.index("/api/v1/") + len(f"/api/v1/{NAMESPACE}/") :],
        payload,
        {**HEADERS, "Content-Type": content_type},
    )
    return rows
