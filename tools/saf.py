"""Sensor API messages from the shell: encode (and sign) a message from protobuf text format, or decode an
answer to JSON, as the README's examples do.

    python -m tools.saf encode HeartbeatMessage 'latitude: 34.14 longitude: -118.13' --sign SECRET --message-id 7
    ... | curl --data-binary @- ... | python -m tools.saf decode HeartbeatResponse

Signing follows the spec: sha256("{date}/{message_id}/{client_secret}"), the date now in UTC unless given.
Decoded uint64 ids are JSON strings (protobuf's JSON mapping), so scripts never round them.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import UTC, datetime

from google.protobuf import json_format, text_format
from google.protobuf.message import Message

from telemetry_gateway.sensors.pb import client_messages_pb2, event_pb2, heartbeat_pb2, query_messages_pb2


def message_class(name: str) -> type[Message]:
    for module in (client_messages_pb2, event_pb2, heartbeat_pb2, query_messages_pb2):
        found = getattr(module, name, None)
        if isinstance(found, type) and issubclass(found, Message):
            return found
    raise SystemExit(f"saf: no message {name!r} in package saf")


def encode(name: str, fields: str, secret: str | None, message_id: int | None, date: str | None) -> bytes:
    message = message_class(name)()
    text_format.Parse(fields, message)
    if secret is not None:
        if message_id is None:
            raise SystemExit("saf: --sign needs --message-id")
        signed_date = date or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        signature = message.client_signature  # type: ignore[attr-defined]
        signature.date, signature.message_id = signed_date, message_id
        signature.signature = hashlib.sha256(f"{signed_date}/{message_id}/{secret}".encode()).hexdigest()
    return message.SerializeToString()


def decode(name: str, data: bytes) -> str:
    message = message_class(name).FromString(data)
    return json_format.MessageToJson(message, preserving_proto_field_name=True, indent=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.saf", description=__doc__.splitlines()[0])
    verbs = parser.add_subparsers(dest="verb", required=True)
    enc = verbs.add_parser("encode", help="text format to binary on stdout")
    enc.add_argument("message", help="message name, e.g. HeartbeatMessage")
    enc.add_argument("fields", nargs="?", default="", help="protobuf text format, e.g. 'latitude: 1 longitude: 2'")
    enc.add_argument("--sign", metavar="SECRET", help="the client secret to sign with")
    enc.add_argument("--message-id", type=int, help="the message id to sign (a new one each time)")
    enc.add_argument("--date", help="the date to sign (default: now, UTC)")
    dec = verbs.add_parser("decode", help="binary on stdin to JSON on stdout")
    dec.add_argument("message", help="message name, e.g. HeartbeatResponse")
    args = parser.parse_args(argv)
    if args.verb == "encode":
        sys.stdout.buffer.write(encode(args.message, args.fields, args.sign, args.message_id, args.date))
    else:
        print(decode(args.message, sys.stdin.buffer.read()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
