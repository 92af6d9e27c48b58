"""Client and sensor ids: random in 1..2^63-1, so no counter is contended; uniqueness is a conditional write."""

from __future__ import annotations

import secrets

MAX_DRAWS = 5  # a collision among 2^63 values is rare enough that five draws never all collide


def random_id() -> int:
    return secrets.randbelow(2**63 - 1) + 1
