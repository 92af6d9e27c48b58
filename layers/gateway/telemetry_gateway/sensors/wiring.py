"""The sensor functions' table and server key, built lazily once per container from the environment."""

from __future__ import annotations

from functools import cache

from telemetry_gateway import aws, keys
from telemetry_gateway.config import env_str
from telemetry_gateway.storage.sensors import SensorStore


@cache
def store() -> SensorStore:
    return SensorStore(env_str("SENSOR_TABLE"), aws.client("dynamodb"))


def secret_key() -> bytes:
    """The client-secret derivation key. Not cached here: the secrets provider caches it for at most
    five minutes, so rotation lands."""
    return keys.server_key(env_str("SENSOR_SECRET_KEY"))
