"""What each sensor function is configured with, read from its environment when it is imported."""

from __future__ import annotations

from dataclasses import dataclass

from telemetry_gateway.config import ConfigError, Env
from telemetry_gateway.keys import ServerKey
from telemetry_gateway.sensors.addressing import is_valid_namespace
from telemetry_gateway.sensors.store import SensorStore
from telemetry_gateway.storage.table import Table


def _store(env: Env) -> SensorStore:
    return SensorStore(Table(env.text("SENSOR_TABLE")))


@dataclass(frozen=True)
class SensorConfig:
    """Every sensor route: the table, the namespace allow-list, the body limit and the secret-derivation key
    (which signed routes check signatures with, and client/create derives new secrets with)."""

    store: SensorStore
    secret_key: ServerKey
    namespaces: tuple[str, ...]  # allow-list; empty means any well-formed name
    max_body_bytes: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> SensorConfig:
        env = env or Env()
        namespaces = env.listed("SENSOR_NAMESPACES")
        invalid = [name for name in namespaces if not is_valid_namespace(name)]
        if invalid:
            raise ConfigError(f"SENSOR_NAMESPACES holds invalid names: {invalid}")
        return cls(
            store=_store(env),
            secret_key=ServerKey.from_env(env, "SENSOR_SECRET_KEY"),
            namespaces=namespaces,
            max_body_bytes=env.integer("SENSOR_MAX_BODY_BYTES", 1024, 5 * 1024 * 1024),
        )


@dataclass(frozen=True)
class SweepConfig:
    store: SensorStore
    inactive_after_seconds: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> SweepConfig:
        env = env or Env()
        return cls(_store(env), env.integer("SENSOR_INACTIVE_AFTER_SECONDS", 60, 7 * 86400))
