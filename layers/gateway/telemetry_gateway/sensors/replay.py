"""The 64-id sliding replay window (as in IPsec anti-replay), so concurrent messages may arrive out of order.

`top` is the highest accepted message id; bit k of `mask` means `top - k` was accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

from telemetry_gateway.sensors.errors import replayed

WINDOW = 64
MASK64 = (1 << WINDOW) - 1


@dataclass(frozen=True)
class ReplayWindow:
    top: int
    mask: int


def accept(window: ReplayWindow | None, message_id: int) -> ReplayWindow:
    """The window after accepting `message_id`; a replayed or too old id raises `replayed message_id`."""
    if window is None:
        return ReplayWindow(message_id, 1)
    if message_id > window.top:
        shift = message_id - window.top
        # A shift of 64 or more clears the mask; computed apart, since Python would build a 2^32-bit integer.
        shifted = (window.mask << shift) & MASK64 if shift < WINDOW else 0
        return ReplayWindow(message_id, shifted | 1)
    age = window.top - message_id
    if age >= WINDOW or window.mask >> age & 1:
        raise replayed()
    return ReplayWindow(window.top, window.mask | 1 << age)
