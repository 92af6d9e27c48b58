"""Data for the console's tests, stored through the real APIs of a running gateway (as clients store it), plus
what the console must show of it and every credential it must never show.

Telemetry: client A registers twice (2 items of TYPE_A, then 1 of TYPE_B), client B once (1 of TYPE_A).
Notify: one user; circuit alpha with 2 replied and 1 pending message, beta with 1 replied and 2 pending.
Sensors (namespace `test`): 3 clients in a Pasadena cell heartbeat and pick together (an event and its area
request), 1 heartbeats in Los Angeles, 1 in Santa Barbara never does (inactive); the first one uploads a reading.
Pending messages stay pending only for the dispatch wait window (25 s by default): seed them last.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests

from cli import notify_admin
from cli.budget import command_deadline
from support.reports import bundle, item, report
from support.sensor_client import SensorClient, answering
from support.telemetry_client import ReferenceClient
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientMetadata, SensorMetadata
from telemetry_gateway.sensors.pb.common_pb2 import ACCELEROMETER_3_AXIS, SUCCESS
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage
from telemetry_gateway.storage.table import Table

NAMESPACE = "test"
TYPE_A = "SEED-SERVER-HwInfo"
TYPE_B = "SEED-SERVER-Packages"
USER = "operator@seed"
CIRCUITS = {"alpha": (2, 1), "beta": (1, 2)}  # circuit: (replied, pending)
PASADENA = (34.1377, -118.1253)
LOS_ANGELES = (34.0522, -118.2437)
SANTA_BARBARA = (34.4208, -119.6982)
PAYLOAD = b"seed reading " * 1000
SEED_HEADER = "X-Seed-Credential"  # a Client header carrying a credential of its own: never shown


@dataclass
class Seeded:
    """What was stored: the ids the console links to, and each secret it must never answer."""

    telemetry_clients: dict[str, str] = field(default_factory=dict)  # "A"/"B" -> clientId
    registrations: dict[str, list[int]] = field(default_factory=dict)  # "A"/"B" -> registration ids
    sensor_clients: list[int] = field(default_factory=list)  # Pasadena x3, Los Angeles, Santa Barbara
    uploader: int = 0
    reading_id: int = 0
    secrets: list[str] = field(default_factory=list)
    pending: list[threading.Thread] = field(default_factory=list)

    def forbidden(self) -> Iterator[str]:
        """Every secret and its SHA-256 (notify stores credentials as hex digests)."""
        for secret in self.secrets:
            yield secret
            yield hashlib.sha256(secret.encode()).hexdigest()


def seed(base_url: str, directory: Table) -> Seeded:
    seeded = Seeded()
    seed_telemetry(base_url, seeded)
    seed_sensors(base_url, seeded)
    seed_notify(base_url, directory, seeded)
    return seeded


def seed_telemetry(base_url: str, seeded: Seeded) -> None:
    def send(method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, list[str]], bytes]:
        answer = requests.request(method, base_url + path, data=body, headers=headers, timeout=30)
        return answer.status_code, {k.lower(): [v] for k, v in answer.headers.items()}, answer.content

    plan = {"A": [[TYPE_A, TYPE_A], [TYPE_B]], "B": [[TYPE_A]]}  # per client, per registration: item types
    for name, registrations in plan.items():
        client_id = str(uuid.uuid4())
        seeded.telemetry_clients[name] = client_id
        for n, types in enumerate(registrations):
            client = ReferenceClient(send, client_id=client_id, timestamp=f"2025-07-30T10:00:0{n}.000000Z")
            registered = client.register()
            seeded.secrets.append(registered["authToken"])
            seeded.registrations.setdefault(name, []).append(int(registered["registrationId"]))
            items = [
                item(telemetryId=str(uuid.uuid4()), telemetryType=kind, data=json.dumps({"seed": name, "n": i}))
                for i, kind in enumerate(types)
            ]
            client.report(
                report(bundle(*items, bundleId=str(uuid.uuid4()), bundleClientId=client_id), reportId=str(uuid.uuid4()))
            )
            assert client.token is not None
            seeded.secrets.append(client.token)


def seed_sensors(base_url: str, seeded: Seeded) -> None:
    def send(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        answer = requests.post(base_url + path, data=body, headers=headers, timeout=30)
        return answer.status_code, answer.content

    def client_at(place: tuple[float, float]) -> SensorClient:
        client = SensorClient(send, namespace=NAMESPACE)
        client.create(
            ClientCreateMessage(
                client_data=ClientMetadata(latitude=place[0], longitude=place[1]),
                attached_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS)],
            )
        )
        seeded.sensor_clients.append(client.client_id)
        seeded.secrets.append(client.secret)
        return client

    now = datetime.now(UTC)
    date = format_date(now)
    pasadena = [client_at(PASADENA) for _ in range(3)]
    for client in [*pasadena, client_at(LOS_ANGELES)]:
        client.heartbeat()
    client_at(SANTA_BARBARA)  # never heartbeats: inactive
    for client in pasadena:
        event = EventMessage.SensorEvent(sensor_id=client.sensor_ids[0], readings=[0.1, 0.2, 1.1], date=date)
        status, answer = client.pick(event=event)
        assert (status, answer.status.type) == (200, SUCCESS), answer

    uploader = pasadena[0]
    [request] = uploader.heartbeat().data_requests
    offer = answering(request, now)
    [url] = uploader.offer(offer)
    seeded.secrets.append(url.rsplit("/", 1)[1])  # the upload token
    status, uploaded = uploader.upload(url, PAYLOAD)
    assert (status, uploaded.status.type) == (200, SUCCESS), uploaded
    seeded.uploader, seeded.reading_id = uploader.client_id, uploaded.sensor_reading_id


def seed_notify(base_url: str, directory: Table, seeded: Seeded) -> None:
    """Replied messages first (a Master listens for the oldest pending one), pending ones last."""
    now = datetime.now(UTC)
    ka = notify_admin.create(directory, notify_admin.USER, USER, now, command_deadline())["ka"]
    seeded.secrets.append(ka)
    circuits = {}
    for name in CIRCUITS:
        issued = notify_admin.create(directory, notify_admin.CIRCUIT, name, now, command_deadline())
        seeded.secrets += [issued["kc"], issued["ks"]]
        circuits[name] = issued
    for name, (replied, _) in CIRCUITS.items():
        for n in range(replied):
            dispatch = _dispatch(base_url, ka, circuits[name]["kc"], f"replied {n}", seeded)
            _reply(base_url, circuits[name]["ks"])
            dispatch.join(timeout=30)
    for name, (_, pending) in CIRCUITS.items():
        for n in range(pending):
            seeded.pending.append(_dispatch(base_url, ka, circuits[name]["kc"], f"pending {n}", seeded))


def _dispatch(base_url: str, ka: str, kc: str, body: str, seeded: Seeded) -> threading.Thread:
    """A Client's Dispatch, waiting for its reply in the background (ends with the reply, or 504, or when the
    server stops)."""
    credential = f"seed-{uuid.uuid4()}"
    seeded.secrets.append(credential)

    def send() -> None:
        with contextlib.suppress(requests.RequestException):  # the server stopped while this Dispatch waited
            requests.post(f"{base_url}/Dispatch/{ka}/{kc}", data=body, headers={SEED_HEADER: credential}, timeout=60)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def _reply(base_url: str, secret: str) -> None:
    """The Master: take the oldest pending message (waiting for its Dispatch to land) and reply to it."""
    referer = {"Referer": base_url}
    listened = requests.post(f"{base_url}/MailboxListen/", data={"secret": secret}, headers=referer, timeout=60)
    assert listened.status_code == 200, listened.text
    message_id = listened.headers["X-Message-Id"]
    posted = requests.post(
        f"{base_url}/MailboxPost/",
        data={"secret": secret, "id": message_id, "headers": "X-Reply: yes", "data": "done"},
        headers=referer,
        timeout=30,
    )
    assert posted.status_code == 200, posted.text
