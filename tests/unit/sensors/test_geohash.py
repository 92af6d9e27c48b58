"""Geohash cells of client locations and picks."""

from __future__ import annotations

import pytest

from telemetry_gateway.sensors.geohash import encode


@pytest.mark.parametrize(
    ("latitude", "longitude", "precision", "expected"),
    [
        (42.6, -5.6, 5, "ezs42"),  # the example of the geohash article
        (57.64911, 10.40744, 11, "u4pruydqqvj"),
        (-90.0, -180.0, 5, "00000"),
        (90.0, 180.0, 5, "zzzzz"),
        (0.0, 0.0, 1, "s"),
    ],
)
def test_known_cells(latitude: float, longitude: float, precision: int, expected: str) -> None:
    assert encode(latitude, longitude, precision) == expected


def test_precision_five_is_the_default() -> None:
    assert encode(42.6, -5.6) == "ezs42"
