"""Signed routes (section 6): signature fields present → client exists → signature value → replay window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, cast

from google.protobuf.message import Message

from telemetry_gateway.sensors import clients, replay
from telemetry_gateway.sensors.calls import SensorCall, SignedCall
from telemetry_gateway.sensors.dates import parse_date
from telemetry_gateway.sensors.errors import bad_signature, missing
from telemetry_gateway.sensors.signatures import client_secret, signature_matches
from telemetry_gateway.storage.retry import retry_on_conflict

if TYPE_CHECKING:
    from telemetry_gateway.keys import ServerKey
    from telemetry_gateway.sensors.pb.common_pb2 import ClientSignature
    from telemetry_gateway.sensors.records import ClientRecord

SIGNATURE_FIELDS: tuple[Literal["date", "message_id", "signature"], ...] = ("date", "message_id", "signature")


class _Signed(Protocol):
    """Every signed request message; protobuf's Message base class does not declare the field."""

    @property
    def client_signature(self) -> ClientSignature: ...


def authenticate[M: Message](call: SensorCall[M], key: ServerKey) -> SignedCall[M]:
    """The call with its client, after the signature verified and the message id was consumed (even if
    the route then refuses the message: a retry is re-signed with a new id)."""
    message = call.message
    signature = cast(_Signed, message).client_signature
    for name in SIGNATURE_FIELDS:
        if not message.HasField("client_signature") or not signature.HasField(name):
            raise missing(f"client_signature.{name}")
    assert call.client_id is not None, "signed routes carry a client id"
    client_id = call.client_id

    def attempt() -> ClientRecord:
        client = clients.load(call.store, call.namespace, client_id, call.deadline)
        secret = client_secret(key.value(), call.namespace, client_id, client.generation)
        if not signature_matches(signature.date, signature.message_id, signature.signature, secret):
            raise bad_signature()
        window = replay.accept(client.window, signature.message_id, parse_date(signature.date))
        return call.store.consume_message(client, window, call.deadline)

    client = retry_on_conflict(attempt, call.deadline)
    return SignedCall(call.namespace, call.client_id, message, call.received, call.store, call.deadline, client)
