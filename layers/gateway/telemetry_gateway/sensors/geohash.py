"""Geohash cells (of the activity counts and of event detection), their bounds, and great-circle distance.

A 20-line encoder rather than a dependency: the maintained libraries add a package to the layer for
what is a few bit interleavings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
CELL_PRECISION = 5  # about 4.9 km x 4.9 km
EARTH_RADIUS_METRES = 6_371_008.8  # mean radius (IUGG)


def encode(latitude: float, longitude: float, precision: int = CELL_PRECISION) -> str:
    """Standard geohash: bits alternate longitude, latitude; five bits per character."""
    bounds = [[-180.0, 180.0], [-90.0, 90.0]]  # longitude, latitude
    values = (longitude, latitude)
    chars: list[str] = []
    bits, code, axis = 0, 0, 0
    while len(chars) < precision:
        low, high = bounds[axis]
        middle = (low + high) / 2
        upper = values[axis] >= middle
        code = code << 1 | upper
        bounds[axis] = [middle, high] if upper else [low, middle]
        axis ^= 1
        bits += 1
        if bits == 5:
            chars.append(BASE32[code])
            bits, code = 0, 0
    return "".join(chars)


@dataclass(frozen=True)
class Bounds:
    """A geohash cell's edges, in degrees."""

    west: float
    east: float
    north: float
    south: float

    @property
    def centre(self) -> tuple[float, float]:
        """(latitude, longitude) of the middle of the cell."""
        return (self.north + self.south) / 2, (self.west + self.east) / 2


def bounds(cell: str) -> Bounds:
    """The cell's bounding box: the encoder's halvings replayed from its characters."""
    box = [[-180.0, 180.0], [-90.0, 90.0]]  # longitude, latitude
    axis = 0
    for char in cell:
        code = BASE32.index(char)
        for bit in range(4, -1, -1):
            low, high = box[axis]
            middle = (low + high) / 2
            box[axis] = [middle, high] if code >> bit & 1 else [low, middle]
            axis ^= 1
    (west, east), (south, north) = box
    return Bounds(west, east, north, south)


def distance_metres(latitude1: float, longitude1: float, latitude2: float, longitude2: float) -> float:
    """Great-circle (haversine) distance on the mean Earth sphere."""
    phi1, phi2 = math.radians(latitude1), math.radians(latitude2)
    dphi, dlambda = phi2 - phi1, math.radians(longitude2 - longitude1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(a)))
