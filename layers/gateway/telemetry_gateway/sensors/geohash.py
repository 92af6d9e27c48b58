"""Geohash encoding (the cells of the activity counts and of event detection).

A 20-line encoder rather than a dependency: the maintained libraries add a package to the layer for
what is a few bit interleavings.
"""

from __future__ import annotations

BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
CELL_PRECISION = 5  # about 4.9 km x 4.9 km


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
