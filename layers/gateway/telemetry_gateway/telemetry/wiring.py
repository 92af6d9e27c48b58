"""The telemetry functions' storage and keys, built lazily once per container from the environment."""

from __future__ import annotations

from functools import cache

from telemetry_gateway import aws, keys
from telemetry_gateway.config import env_str
from telemetry_gateway.storage.payloads import PayloadStore
from telemetry_gateway.storage.registrations import RegistrationStore
from telemetry_gateway.storage.telemetry_data import TelemetryStore


@cache
def registrations() -> RegistrationStore:
    return RegistrationStore(env_str("TELEMETRY_REGISTRATIONS_TABLE"), aws.client("dynamodb"))


@cache
def telemetry_store() -> TelemetryStore:
    return TelemetryStore(env_str("TELEMETRY_DATA_TABLE"), aws.client("dynamodb"))


@cache
def payloads() -> PayloadStore:
    return PayloadStore(env_str("PAYLOAD_BUCKET"), aws.client("s3"))


def signing_key() -> bytes:
    """Not cached here: the secrets provider caches it for at most five minutes, so rotation lands."""
    return keys.server_key(env_str("TELEMETRY_JWT_SECRET"))
