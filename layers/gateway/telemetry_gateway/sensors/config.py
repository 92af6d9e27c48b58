"""What each sensor function is configured with, read from its environment when it is imported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telemetry_gateway.config import ConfigError, Env
from telemetry_gateway.keys import ServerKey
from telemetry_gateway.sensors.addressing import is_valid_namespace
from telemetry_gateway.sensors.detection import DetectionSettings
from telemetry_gateway.sensors.geohash import CELL_PRECISION
from telemetry_gateway.sensors.store import SensorStore
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.storage.table import Table

DAY = 86400
# A base64 body of this size, with the event around it, still fits Lambda's 6 MB synchronous event.
MAX_UPLOAD_LIMIT = 4_500_000


def _store(env: Env) -> SensorStore:
    return SensorStore(Table(env.text("SENSOR_TABLE")))


def _namespaces(env: Env) -> tuple[str, ...]:
    namespaces = env.listed("SENSOR_NAMESPACES")
    invalid = [name for name in namespaces if not is_valid_namespace(name)]
    if invalid:
        raise ConfigError(f"SENSOR_NAMESPACES holds invalid names: {invalid}")
    return namespaces


def _wire(env: Env) -> dict[str, Any]:
    return {
        "store": _store(env),
        "namespaces": _namespaces(env),
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
        return cls(**_wire(env or Env()))


@dataclass(frozen=True)
class SensorConfig(ApiConfig):
    """client/create and the signed routes: plus the key client secrets are derived from (and checked with)."""

    secret_key: ServerKey

    @classmethod
    def from_env(cls, env: Env | None = None) -> SensorConfig:
        env = env or Env()
        return cls(**_wire(env), secret_key=ServerKey.from_env(env, "SENSOR_SECRET_KEY"))


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
            **_wire(env),
            secret_key=ServerKey.from_env(env, "SENSOR_SECRET_KEY"),
            upload_key=ServerKey.from_env(env, "SENSOR_UPLOAD_KEY"),
            upload_token_seconds=env.integer("SENSOR_UPLOAD_TOKEN_SECONDS", 60, 7 * DAY),
            public_base_url=env.raw("SENSOR_PUBLIC_BASE_URL").strip().rstrip("/"),
        )


@dataclass(frozen=True)
class EventConfig(SensorConfig):
    """event: plus event detection and the data requests it creates."""

    detection: DetectionSettings

    @classmethod
    def from_env(cls, env: Env | None = None) -> EventConfig:
        env = env or Env()
        detection = DetectionSettings(
            # The active counts are kept per geohash-5 cell; detection cells must be the same ones.
            precision=env.integer("SENSOR_DETECTION_PRECISION", CELL_PRECISION, CELL_PRECISION),
            window_seconds=env.integer("SENSOR_DETECTION_WINDOW_SECONDS", 1, 60),
            min_clients=env.integer("SENSOR_DETECTION_MIN_CLIENTS", 1, 10_000),
            fraction=env.decimal("SENSOR_DETECTION_FRACTION", 0.0, 1.0),
            max_pick_age_seconds=env.integer("SENSOR_DETECTION_MAX_PICK_AGE_SECONDS", 1, DAY),
            request_distance_metres=env.integer("SENSOR_EVENT_REQUEST_DISTANCE_METRES", 1, 20_000_000),
            request_before_seconds=env.integer("SENSOR_EVENT_REQUEST_BEFORE_SECONDS", 0, DAY),
            request_after_seconds=env.integer("SENSOR_EVENT_REQUEST_AFTER_SECONDS", 0, DAY),
            request_expiry_seconds=env.integer("SENSOR_REQUEST_EXPIRY_SECONDS", 60, 365 * DAY),
        )
        return cls(**_wire(env), secret_key=ServerKey.from_env(env, "SENSOR_SECRET_KEY"), detection=detection)


@dataclass(frozen=True)
class UploadConfig:
    """data/upload: the table, the payload bucket, the upload-token key, the allow-list and the payload limit."""

    store: SensorStore
    bucket: Bucket
    upload_key: ServerKey
    namespaces: tuple[str, ...]
    max_payload_bytes: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> UploadConfig:
        env = env or Env()
        return cls(
            store=_store(env),
            bucket=Bucket(env.text("PAYLOAD_BUCKET")),
            upload_key=ServerKey.from_env(env, "SENSOR_UPLOAD_KEY"),
            namespaces=_namespaces(env),
            max_payload_bytes=env.integer("SENSOR_MAX_UPLOAD_BYTES", 1024, MAX_UPLOAD_LIMIT),
        )


@dataclass(frozen=True)
class SweepConfig:
    store: SensorStore
    inactive_after_seconds: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> SweepConfig:
        env = env or Env()
        return cls(_store(env), env.integer("SENSOR_INACTIVE_AFTER_SECONDS", 60, 7 * DAY))
