"""Signed routes (section 6): signature fields present → client exists → signature value → replay window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, Protocol, cast

from google.protobuf.message import Message

from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors import clients, replay
from telemetry_gateway.sensors.errors import bad_signature, missing
from telemetry_gateway.sensors.pb.common_pb2 import ClientSignature
from telemetry_gateway.sensors.records import ClientRecord
from telemetry_gateway.sensors.signatures import client_secret, signature_matches
from telemetry_gateway.storage.retry import retry_on_conflict
from telemetry_gateway.storage.sensors import SensorStore

SIGNATURE_FIELDS: tuple[Literal["date", "message_id", "signature"], ...] = ("date", "message_id", "signature")


class _Signed(Protocol):
    """Every signed request message; protobuf's Message base class does not declare the field."""

    @property
    def client_signature(self) -> ClientSignature: ...


def authenticate(
    namespace: str,
    client_id: int,
    message: Message,
    store: SensorStore,
    key: Callable[[], bytes],
    deadline: Deadline,
) -> ClientRecord:
    """The client, after its signature verified and the message id was consumed (even if the route
    then refuses the message: a retry is re-signed with a new id)."""
    signature = cast(_Signed, message).client_signature
    for name in SIGNATURE_FIELDS:
        if not message.HasField("client_signature") or not signature.HasField(name):
            raise missing(f"client_signature.{name}")

    def attempt() -> ClientRecord:
        client = clients.load(store, namespace, client_id, deadline)
        secret = client_secret(key(), namespace, client_id, client.generation)
        if not signature_matches(signature.date, signature.message_id, signature.signature, secret):
            raise bad_signature()
        return store.consume_message(client, replay.accept(client.window, signature.message_id), deadline)

    return retry_on_conflict(attempt, deadline)
