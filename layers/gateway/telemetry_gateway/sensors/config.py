"""What each sensor function is configured with, read from its environment when it is imported: the client
routes, events/recent and the sweep here; the data path's routes in `data_config`, `event_config` and `upload_config`
(so that no function builds configuration classes it does not use at its cold start)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telemetry_gateway.config import Env
from telemetry_gateway.keys import ServerKey
from telemetry_gateway.sensors.addressing import allowed_namespaces
from telemetry_gateway.sensors.store import DataStore, SensorStore
from telemetry_gateway.storage.table import Table

DAY = 86400


def store_from(env: Env, *load: DataStore) -> SensorStore:
    """`load`: the data path's stores the function reads on its main path, loaded at init."""
    return SensorStore(Table(env.text("SENSOR_TABLE")), load=load)


def wire(env: Env, *load: DataStore) -> dict[str, Any]:
    return {
        "store": store_from(env, *load),
        "namespaces": allowed_namespaces(env),
        "max_body_bytes": env.integer("SENSOR_MAX_BODY_BYTES", 1024, 5 * 1024 * 1024),
    }


@dataclass(frozen=True)
class ApiConfig:
    """Every protobuf route: the table, the namespace allow-list (empty: any well-formed name), the body limit."""

    store: SensorStore
    namespaces: tuple[str, ...]
    max_body_bytes: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> ApiConfig:
        return cls(**wire(env or Env(), "events"))  # events/recent


@dataclass(frozen=True)
class SensorConfig(ApiConfig):
    """client/create and the signed routes: plus the key client secrets are derived from (and checked with)."""

    secret_key: ServerKey

    @classmethod
    def from_env(cls, env: Env | None = None) -> SensorConfig:
        env = env or Env()
        return cls(**wire(env), secret_key=ServerKey.from_env(env, "SENSOR_SECRET_KEY"))


@dataclass(frozen=True)
class SweepConfig:
    """The inactivity sweep: the table and how long a silent client stays active."""

    store: SensorStore
    inactive_after_seconds: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> SweepConfig:
        env = env or Env()
        return cls(store_from(env), env.integer("SENSOR_INACTIVE_AFTER_SECONDS", 60, 7 * DAY))
