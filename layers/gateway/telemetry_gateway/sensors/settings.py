"""Sensor API settings from the environment (template Parameters), parsed once per cold start."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from telemetry_gateway.config import ConfigError, env_int, env_list
from telemetry_gateway.sensors.addressing import is_valid_namespace


@dataclass(frozen=True)
class SensorSettings:
    namespaces: tuple[str, ...]  # allow-list; empty means any well-formed name
    inactive_after_seconds: int
    max_body_bytes: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SensorSettings:
        namespaces = env_list("SENSOR_NAMESPACES", "", environ)
        invalid = [name for name in namespaces if not is_valid_namespace(name)]
        if invalid:
            raise ConfigError(f"SENSOR_NAMESPACES holds invalid names: {invalid}")
        return cls(
            namespaces=namespaces,
            inactive_after_seconds=env_int("SENSOR_INACTIVE_AFTER_SECONDS", 1800, 60, 7 * 86400, environ),
            max_body_bytes=env_int("SENSOR_MAX_BODY_BYTES", 1024 * 1024, 1024, 5 * 1024 * 1024, environ),
        )


@cache
def settings() -> SensorSettings:
    return SensorSettings.from_env()
