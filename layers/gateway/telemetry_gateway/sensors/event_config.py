"""The configuration of the event function (picks and detection), read from its environment when it is imported."""

from __future__ import annotations

from dataclasses import dataclass

from telemetry_gateway.config import Env
from telemetry_gateway.keys import ServerKey
from telemetry_gateway.sensors.config import DAY, SensorConfig, wire
from telemetry_gateway.sensors.geohash import CELL_PRECISION


@dataclass(frozen=True)
class DetectionSettings:
    """When picks in one cell declare an event, and the area request an event creates."""

    precision: int  # geohash precision of the cells (the activity counts are kept at the same one)
    window_seconds: int
    min_clients: int
    fraction: float
    max_pick_age_seconds: int  # older picks (on arrival) are stored but not evaluated
    request_distance_metres: int
    request_before_seconds: int
    request_after_seconds: int
    request_expiry_seconds: int


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
        secret_key = ServerKey.from_env(env, "SENSOR_SECRET_KEY")
        return cls(**wire(env, "events", "requests"), secret_key=secret_key, detection=detection)
