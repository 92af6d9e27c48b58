"""What the original CSN clients do on the wire, in Python, over any transport: protobuf bodies, requests
signed with sha256("{date}/{message_id}/{client_secret}") and an increasing message id, and every response
decoded as the route's own message (they decode the body whatever the HTTP status)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import requests
from google.protobuf.message import Message

from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.pb import client_messages_pb2, common_pb2, event_pb2, heartbeat_pb2, query_messages_pb2

# (path, body, headers) -> (HTTP status, response body bytes)
Transport = Callable[[str, bytes, dict[str, str]], tuple[int, bytes]]

PYTHON_CLIENT = {"Content-Type": "application/x-protobuf", "User-Agent": "SAFCSNclient"}
CPP_CLIENT = {"Content-Type": "application/vnd.google.protobuf", "User-Agent": "CSNClient/2.2b3"}
DATE = "2014-04-13T19:42:17.744"

# Route (after /api/v1/{namespace}/, before /{client_id}) -> (request class, response class)
ROUTES: dict[str, tuple[type[Any], type[Any]]] = {
    "client/create": (client_messages_pb2.ClientCreateMessage, client_messages_pb2.ClientCreateResponse),
    "client/update": (client_messages_pb2.ClientUpdateMessage, client_messages_pb2.ClientUpdateResponse),
    "client/metadata": (client_messages_pb2.ClientMetadataRequest, client_messages_pb2.ClientMetadataResponse),
    "client/get-keyvalue": (client_messages_pb2.ClientKeyValueRequest, client_messages_pb2.ClientKeyValueResponse),
    "event": (event_pb2.EventMessage, event_pb2.EventResponse),
    "heartbeat": (heartbeat_pb2.HeartbeatMessage, heartbeat_pb2.HeartbeatResponse),
    "data/offer": (heartbeat_pb2.SensorReadingOfferMessage, heartbeat_pb2.SensorReadingOfferResponse),
    "events/recent": (query_messages_pb2.RecentEventQuery, query_messages_pb2.RecentEventResponse),
}
UNSIGNED_ROUTES = ("client/create", "events/recent")
SIGNED_ROUTES = [route for route in ROUTES if route not in UNSIGNED_ROUTES]
UPLOAD_PREFIX = "/api/v1/"


def answering(
    request: heartbeat_pb2.HeartbeatResponse.DataRequest, now: datetime
) -> heartbeat_pb2.SensorReadingDescription:
    """The offer a client makes for a data request it was sent: a minute of DATA_RECORD readings around `now`."""
    return heartbeat_pb2.SensorReadingDescription(
        sensor_id=request.sensor_id,
        request_id=request.request_id,
        start_date=format_date(now - timedelta(seconds=30)),
        end_date=format_date(now + timedelta(seconds=30)),
        data_format=heartbeat_pb2.SensorReadingDescription.DATA_RECORD,
    )


def signature(secret: str, message_id: int, date: str = DATE) -> common_pb2.ClientSignature:
    digest = hashlib.sha256(f"{date}/{message_id}/{secret}".encode()).hexdigest()
    return common_pb2.ClientSignature(date=date, message_id=message_id, signature=digest)


@dataclass
class SensorClient:
    send: Transport
    namespace: str = "test"
    headers: dict[str, str] = field(default_factory=lambda: dict(PYTHON_CLIENT))
    client_id: int = 0
    secret: str = ""
    sensor_ids: list[int] = field(default_factory=list)
    message_id: int = 0

    def path(self, route: str) -> str:
        suffix = "" if route in UNSIGNED_ROUTES else f"/{self.client_id}"
        return f"/api/v1/{self.namespace}/{route}{suffix}"

    def post(self, route: str, body: bytes | Message) -> tuple[int, Any]:
        """POST a body (a message or raw bytes) to the route; the response decoded as the route's message."""
        raw = body if isinstance(body, bytes) else body.SerializeToString()
        status, answer = self.send(self.path(route), raw, self.headers)
        return status, ROUTES[route][1].FromString(answer)

    def create(self, message: client_messages_pb2.ClientCreateMessage | None = None) -> Any:
        message = message or client_messages_pb2.ClientCreateMessage(
            attached_sensors=[client_messages_pb2.SensorMetadata(sensor_type=common_pb2.ACCELEROMETER_3_AXIS)]
        )
        status, created = self.post("client/create", message)
        assert (status, created.status.type) == (200, common_pb2.SUCCESS), created
        self.client_id, self.secret = created.client_id, created.client_secret
        self.sensor_ids = list(created.sensor_ids)
        return created

    def signed(self, route: str, date: str = DATE, **fields: Any) -> tuple[int, Any]:
        """Sign with the next message id and POST the route's request built from `fields`."""
        self.message_id += 1
        message = ROUTES[route][0](client_signature=signature(self.secret, self.message_id, date), **fields)
        return self.post(route, message)

    def heartbeat(self, **fields: Any) -> Any:
        status, answer = self.signed("heartbeat", **fields)
        assert (status, answer.status.type) == (200, common_pb2.SUCCESS), answer
        return answer

    def pick(self, readings: tuple[float, ...] = (0.01, 0.02, 0.98), **fields: Any) -> tuple[int, Any]:
        event = event_pb2.EventMessage.SensorEvent(sensor_id=self.sensor_ids[0], readings=readings)
        return self.signed("event", event=fields.pop("event", event), **fields)

    def offer(self, *offers: heartbeat_pb2.SensorReadingDescription) -> list[str]:
        """data/offer: the upload URLs, one per offer."""
        status, answer = self.signed("data/offer", sensor_readings=offers)
        assert (status, answer.status.type) == (200, common_pb2.SUCCESS), answer
        return list(answer.data_upload_urls)

    def upload(self, url: str, payload: bytes, filename: str = "data") -> tuple[int, Any]:
        """POST the payload to an upload URL as the reference client does: multipart/form-data, part
        `payload` with filename `data` and type application/octet-stream."""
        body, content_type = multipart_body(payload, filename)
        path = url[url.index(UPLOAD_PREFIX) :]
        status, answer = self.send(path, body, {**self.headers, "Content-Type": content_type})
        return status, heartbeat_pb2.SensorReadingUploadResponse.FromString(answer)


def multipart_body(payload: bytes, filename: str = "data", field_name: str = "payload") -> tuple[bytes, str]:
    """A multipart/form-data body with one file part, encoded by requests as the Python client's library does."""
    prepared = requests.Request(
        "POST", "http://upload.invalid/", files={field_name: (filename, payload, "application/octet-stream")}
    ).prepare()
    assert isinstance(prepared.body, bytes)
    return prepared.body, prepared.headers["Content-Type"]
