"""The configuration of heartbeat and data/offer, read from their environment when they are imported. Each data
path route has a module of its own (`event_config`, `upload_config`): a frozen dataclass costs about half a
millisecond to create, at every cold start of every function that imports its module."""

from __future__ import annotations

from dataclasses import dataclass

from telemetry_gateway.config import Env
from telemetry_gateway.keys import ServerKey
from telemetry_gateway.sensors.config import DAY, SensorConfig, wire


@dataclass(frozen=True)
class OfferConfig(SensorConfig):
    """heartbeat and data/offer, which answer offers with upload URLs."""

    upload_key: ServerKey
    upload_token_seconds: int
    public_base_url: str  # empty: derived from the request's host and stage

    @classmethod
    def from_env(cls, env: Env | None = None) -> OfferConfig:
        env = env or Env()
        return cls(
            **wire(env, "requests", "readings"),  # new requests for heartbeats; offers check both
            secret_key=ServerKey.from_env(env, "SENSOR_SECRET_KEY"),
            upload_key=ServerKey.from_env(env, "SENSOR_UPLOAD_KEY"),
            upload_token_seconds=env.integer("SENSOR_UPLOAD_TOKEN_SECONDS", 60, 7 * DAY),
            public_base_url=env.raw("SENSOR_PUBLIC_BASE_URL").strip().rstrip("/"),
        )
