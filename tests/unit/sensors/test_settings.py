"""Sensor settings: the template's defaults are the spec's, and the allow-list is checked."""

from __future__ import annotations

import pytest

from support.template_env import declared_environment
from telemetry_gateway.config import ConfigError, Env
from telemetry_gateway.sensors.config import SensorConfig, SweepConfig


def test_template_defaults_follow_the_spec() -> None:
    config = SensorConfig.from_env(Env(declared_environment("SensorHeartbeat")))
    sweep = SweepConfig.from_env(Env(declared_environment("SensorInactivitySweep")))

    assert (config.namespaces, config.max_body_bytes, sweep.inactive_after_seconds) == ((), 1048576, 1800)


def test_the_allow_list_is_comma_separated_and_checked() -> None:
    listed = declared_environment("SensorEvent", SENSOR_NAMESPACES="csn, test")
    assert SensorConfig.from_env(Env(listed)).namespaces == ("csn", "test")
    with pytest.raises(ConfigError, match="SENSOR_NAMESPACES"):
        SensorConfig.from_env(Env(declared_environment("SensorEvent", SENSOR_NAMESPACES="csn,Bad Name")))
