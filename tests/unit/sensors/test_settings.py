"""Sensor settings from the environment."""

from __future__ import annotations

import pytest

from telemetry_gateway.config import ConfigError
from telemetry_gateway.sensors.settings import SensorSettings


def test_defaults() -> None:
    assert SensorSettings.from_env({}) == SensorSettings(
        namespaces=(), inactive_after_seconds=1800, max_body_bytes=1048576
    )


def test_the_allow_list_is_comma_separated_and_checked() -> None:
    assert SensorSettings.from_env({"SENSOR_NAMESPACES": "csn, test"}).namespaces == ("csn", "test")
    with pytest.raises(ConfigError):
        SensorSettings.from_env({"SENSOR_NAMESPACES": "csn,Bad Name"})
