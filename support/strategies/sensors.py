"""Sensor API input: any message of a route's type (built from its protobuf descriptor, so a new field is
fuzzed without touching this file), signed correctly or not, serialized and then damaged at the wire level
(bit flips, truncation, a field repeated or dropped, records the schema never declared), plus random
bytes, unknown namespaces and client ids."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from hypothesis import strategies as st

from support.strategies.documents import weighted
from support.strategies.http import mutated_bytes, path_segments
from telemetry_gateway.sensors.pb import client_messages_pb2, common_pb2, event_pb2, heartbeat_pb2, query_messages_pb2

# Route path after /api/v1/{namespace}/ -> (request message, response message). Upload takes multipart.
ROUTES: dict[str, tuple[type[Message] | None, type[Message]]] = {
    "client/create": (client_messages_pb2.ClientCreateMessage, client_messages_pb2.ClientCreateResponse),
    "client/update/{client_id}": (client_messages_pb2.ClientUpdateMessage, client_messages_pb2.ClientUpdateResponse),
    "client/metadata/{client_id}": (
        client_messages_pb2.ClientMetadataRequest,
        client_messages_pb2.ClientMetadataResponse,
    ),
    "client/get-keyvalue/{client_id}": (
        client_messages_pb2.ClientKeyValueRequest,
        client_messages_pb2.ClientKeyValueResponse,
    ),
    "event/{client_id}": (event_pb2.EventMessage, event_pb2.EventResponse),
    "heartbeat/{client_id}": (heartbeat_pb2.HeartbeatMessage, heartbeat_pb2.HeartbeatResponse),
    "data/offer/{client_id}": (heartbeat_pb2.SensorReadingOfferMessage, heartbeat_pb2.SensorReadingOfferResponse),
    "data/upload/{upload_token}": (None, heartbeat_pb2.SensorReadingUploadResponse),
    "events/recent": (query_messages_pb2.RecentEventQuery, query_messages_pb2.RecentEventResponse),
}

DATES = st.one_of(
    st.sampled_from(
        ["2014-04-13T19:42:17.744", "2014-04-13T19:42:17", "2014-04-13T19:42:17.000Z", "2014-04-13T19:42:17+00:00"]
    ),
    st.datetimes().map(lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]),
    st.sampled_from(["", "yesterday", "2014-13-45T99:99:99", "0000-00-00T00:00:00", "9999-12-31T23:59:59.9999999"]),
    st.text(max_size=30),
)
_COORDINATES = st.one_of(st.floats(min_value=-180, max_value=180), st.floats(), st.sampled_from([90.0, -90.0, 180.0]))
_STRUCTURE = frozenset({"client_signature"})  # set by `Signer`, never drawn


def _scalar(field: FieldDescriptor, sensor_ids: Sequence[int]) -> st.SearchStrategy[Any]:
    kind = field.type
    if field.name.endswith("date"):
        return DATES
    if field.name in ("latitude", "longitude", "latitudes", "longitudes"):
        return _COORDINATES
    if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return st.floats(width=64 if kind == FieldDescriptor.TYPE_DOUBLE else 32)
    if kind == FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if kind == FieldDescriptor.TYPE_STRING:
        return st.one_of(st.text(st.characters(exclude_categories=["Cs"]), max_size=20), st.just("k" * 70_000))
    if kind == FieldDescriptor.TYPE_BYTES:
        return st.binary(max_size=32)
    if kind == FieldDescriptor.TYPE_ENUM:
        assert field.enum_type is not None
        return st.sampled_from([value.number for value in field.enum_type.values])
    bits = 64 if kind in _SIXTY_FOUR else 32
    if kind in _UNSIGNED:
        unsigned = st.integers(min_value=0, max_value=2**bits - 1)
        known = (
            [st.sampled_from(list(sensor_ids))] if sensor_ids and field.name.endswith(("sensor_id", "sensors")) else []
        )
        return st.one_of(*known, *known, st.sampled_from([0, 1, 2**bits - 1]), unsigned)
    return st.integers(min_value=-(2 ** (bits - 1)), max_value=2 ** (bits - 1) - 1)


_SIXTY_FOUR = frozenset(
    {
        FieldDescriptor.TYPE_INT64,
        FieldDescriptor.TYPE_UINT64,
        FieldDescriptor.TYPE_SINT64,
        FieldDescriptor.TYPE_FIXED64,
        FieldDescriptor.TYPE_SFIXED64,
    }
)
_UNSIGNED = frozenset(
    {
        FieldDescriptor.TYPE_UINT32,
        FieldDescriptor.TYPE_UINT64,
        FieldDescriptor.TYPE_FIXED32,
        FieldDescriptor.TYPE_FIXED64,
    }
)


_PRESENT = st.sampled_from([True, True, False])


def _fill(draw: st.DrawFn, message: Message, sensor_ids: Sequence[int], depth: int) -> None:
    for field in message.DESCRIPTOR.fields:
        if field.name in _STRUCTURE or not draw(_PRESENT):
            continue
        repeated = field.is_repeated
        count = draw(st.integers(min_value=0, max_value=3)) if repeated else 1
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            if depth <= 0:
                continue
            for _ in range(count):
                child = getattr(message, field.name).add() if repeated else getattr(message, field.name)
                child.SetInParent()
                _fill(draw, child, sensor_ids, depth - 1)
            continue
        values = [draw(_scalar(cast(FieldDescriptor, field), sensor_ids)) for _ in range(count)]
        if repeated:
            getattr(message, field.name).extend(values)
        else:
            setattr(message, field.name, values[0])


def messages[M: Message](message_type: type[M], sensor_ids: Sequence[int] = (), depth: int = 3) -> st.SearchStrategy[M]:
    """Any message of `message_type`, fields present or absent (proto2 presence), values in and out of
    range, ids sometimes those of real sensors."""

    @st.composite
    def build(draw: st.DrawFn) -> M:
        message = message_type()
        _fill(draw, message, sensor_ids, depth)
        return message

    return build()


def _exemplars(sensor_ids: Sequence[int]) -> dict[str, Message]:
    """What the reference clients send on each route: valid messages to start mutating from."""
    first = sensor_ids[0] if sensor_ids else 1
    latitude, longitude = 34.1478, -118.1445
    offer = heartbeat_pb2.SensorReadingDescription(
        sensor_id=first, current_data=True, start_date="2014-04-13T19:42:17.744", end_date="2014-04-13T19:52:17.744"
    )
    sensor = client_messages_pb2.SensorMetadata(sensor_type=common_pb2.ACCELEROMETER_3_AXIS, model="phidget")
    return {
        "ClientCreateMessage": client_messages_pb2.ClientCreateMessage(
            client_data=client_messages_pb2.ClientMetadata(name="fuzz", latitude=latitude, longitude=longitude),
            attached_sensors=[sensor],
        ),
        "ClientUpdateMessage": client_messages_pb2.ClientUpdateMessage(
            client_data=client_messages_pb2.ClientMetadata(
                other_metadata=[client_messages_pb2.KeyValue(key="k", string_value="v")]
            ),
            new_sensors=[sensor],
            updated_sensors=[client_messages_pb2.SensorMetadata(sensor_id=first, model="m2")],
        ),
        "ClientMetadataRequest": client_messages_pb2.ClientMetadataRequest(include_sensor_data=True),
        "ClientKeyValueRequest": client_messages_pb2.ClientKeyValueRequest(client_keys=["k", "missing"]),
        "EventMessage": event_pb2.EventMessage(
            event=event_pb2.EventMessage.SensorEvent(
                sensor_id=first, readings=[0.01, 0.02, 0.98], date="2014-04-13T19:42:17.744", event_count=1
            ),
            location_type=common_pb2.GPS,
            latitude=latitude,
            longitude=longitude,
        ),
        "HeartbeatMessage": heartbeat_pb2.HeartbeatMessage(
            connected_sensors=[first],
            event_rates=[
                heartbeat_pb2.HeartbeatMessage.SensorEventRate(sensor_id=first, event_count=3, time_window=600)
            ],
            current_data_offers=[offer],
            latitude=latitude,
            longitude=longitude,
        ),
        "SensorReadingOfferMessage": heartbeat_pb2.SensorReadingOfferMessage(sensor_readings=[offer]),
        "RecentEventQuery": query_messages_pb2.RecentEventQuery(limit=5, provide_polygons=True),
    }


def exemplars[M: Message](message_type: type[M], sensor_ids: Sequence[int] = ()) -> st.SearchStrategy[M]:
    """A valid message of `message_type` (as the reference clients send it), now and then with a random
    message of the same type merged in (its scalars win, its repeated fields add)."""
    base = _copy(_exemplars(sensor_ids).get(message_type.DESCRIPTOR.name, message_type()), message_type)

    def merged(extra: M) -> M:
        message = message_type()
        message.CopyFrom(base)
        message.MergeFrom(extra)
        return message

    return weighted(
        (3, st.just(base).map(lambda m: _copy(m, message_type))), (1, messages(message_type, sensor_ids, 1).map(merged))
    )


def _copy[M: Message](message: Message, message_type: type[M]) -> M:
    """A fresh `message_type` with `message`'s fields (a draw must not share a message another draw changes)."""
    copy = message_type()
    copy.MergeFromString(message.SerializeToString())
    return copy


# ---------------------------------------------------------------- signatures

SIGNATURE_PLANS = st.sampled_from(
    ["fresh"] * 10 + ["upper", "replay", "far-back", "wrong", "no-date", "no-id", "no-signature", "absent"]
)


@dataclass
class Signer:
    """Signs messages for one client: with the next message id (the replay window then accepts it), or with
    one of the mistakes in `SIGNATURE_PLANS`."""

    secret: str
    last_id: int = 0

    def sign(self, message: Message, plan: str, date: str) -> None:
        signature: common_pb2.ClientSignature = message.client_signature  # type: ignore[attr-defined]
        if plan == "absent":
            message.ClearField("client_signature")
            return
        self.last_id = (self.last_id + 1) % 2**32
        message_id = {"replay": max(self.last_id - 2, 0), "far-back": max(self.last_id - 100, 0)}.get(
            plan, self.last_id
        )
        digest = hashlib.sha256(f"{date}/{message_id}/{self.secret}".encode()).hexdigest()
        signature.date, signature.message_id = date, message_id
        signature.signature = {"upper": digest.upper(), "wrong": digest[::-1]}.get(plan, digest)
        if plan == "no-date":
            signature.ClearField("date")
        elif plan == "no-id":
            signature.ClearField("message_id")
        elif plan == "no-signature":
            signature.ClearField("signature")


# ---------------------------------------------------------------- wire-level damage


def _varint(data: bytes, at: int) -> tuple[int, int] | None:
    value, shift = 0, 0
    while at < len(data) and shift < 70:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7
    return None


def wire_records(data: bytes) -> list[bytes] | None:
    """The top-level field records of a serialized message, or None where it does not parse."""
    records, at = [], 0
    while at < len(data):
        start = at
        key = _varint(data, at)
        if key is None:
            return None
        tag, at = key
        wire_type = tag & 7
        if wire_type == 0:
            parsed = _varint(data, at)
            if parsed is None:
                return None
            at = parsed[1]
        elif wire_type in (1, 5):
            at += 8 if wire_type == 1 else 4
        elif wire_type == 2:
            parsed = _varint(data, at)
            if parsed is None:
                return None
            at = parsed[1] + parsed[0]
        else:
            return None
        if at > len(data):
            return None
        records.append(data[start:at])
    return records


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def foreign_records() -> st.SearchStrategy[bytes]:
    """Field records a schema never declared: unknown numbers, every wire type (6 and 7 are invalid),
    overlong varints, length prefixes far past the end, group markers."""
    field_number = st.one_of(st.integers(min_value=1, max_value=20), st.sampled_from([128, 19_000, 2**29 - 1]))
    wire_type = st.integers(min_value=0, max_value=7)
    payload = st.one_of(
        st.integers(min_value=0, max_value=2**64 - 1).map(_encode_varint),
        st.just(b"\xff" * 10 + b"\x01"),  # an 11-byte varint
        st.binary(max_size=8),
        st.integers(min_value=0, max_value=2**32).map(lambda n: _encode_varint(n) + b"x"),
    )
    return st.builds(lambda n, t, p: _encode_varint(n << 3 | t) + p, field_number, wire_type, payload)


def damaged(serialized: bytes) -> st.SearchStrategy[bytes]:
    """`serialized` with its records repeated, dropped, reordered or joined by foreign ones (a repeated
    field keeps the last value, or appends for a repeated one), or with its bytes flipped and cut."""

    @st.composite
    def by_record(draw: st.DrawFn) -> bytes:
        records = wire_records(serialized) or [serialized]
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            operation = draw(st.sampled_from(["repeat", "drop", "shuffle", "foreign"]))
            if operation == "repeat" and records:
                records.insert(draw(st.integers(0, len(records))), draw(st.sampled_from(records)))
            elif operation == "drop" and records:
                del records[draw(st.integers(0, len(records) - 1))]
            elif operation == "shuffle":
                records = list(draw(st.permutations(records)))
            else:
                records.insert(draw(st.integers(0, len(records))), draw(foreign_records()))
        return b"".join(records)

    return st.one_of(by_record(), mutated_bytes(st.just(serialized)))


# ---------------------------------------------------------------- paths


def namespaces() -> st.SearchStrategy[str]:
    """Mostly `test` (where the fuzz client lives), other well-formed names, and malformed ones."""
    well_formed = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=40)
    malformed = st.sampled_from(["Test", "a" * 41, "t_e_s_t", "t%C3%A9st", "test%2Fx", "-", "%00"])
    return st.one_of(st.just("test"), st.just("test"), well_formed, malformed)


def client_ids(real: Sequence[int] = ()) -> st.SearchStrategy[str]:
    """Client id path segments: real ids, other decimals in and out of range, and non-decimals."""
    return weighted(
        *([(12, st.sampled_from([str(i) for i in real]))] if real else []),
        (1, st.integers(min_value=0, max_value=2**64 + 1).map(str)),
        (1, st.sampled_from(["0", str(2**64 - 1), str(2**64), "0001", "9" * 30, "+1", "-1", " 1", "1e3", "\u0661"])),
        (1, path_segments()),
    )
