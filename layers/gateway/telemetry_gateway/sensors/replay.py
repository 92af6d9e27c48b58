"""The 64-id sliding replay window (as in IPsec anti-replay), so concurrent messages may arrive out of order,
with the restart tolerance of section 6.

`top` is the highest accepted message id; bit k of `mask` means `top - k` was accepted; `newest` is the
latest date (as an instant, written in the server's fixed-width form) among the accepted messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.errors import replayed

WINDOW = 64
MASK64 = (1 << WINDOW) - 1


@dataclass(frozen=True)
class ReplayWindow:
    """The message ids a client has used: the highest, which of the 64 up to it were accepted, the newest date."""

    top: int
    mask: int
    newest: str | None = None  # None until a message with a parseable date is accepted


def accept(window: ReplayWindow | None, message_id: int, sent: datetime | None) -> ReplayWindow:
    """The window after accepting `message_id` signed with date `sent` (None when unparseable).

    An id the window has seen, or one too old for it, is refused as `replayed message_id` unless its date
    is later than every accepted date: that is a client restarted with an unsaved counter (the reference
    client saves it only after a heartbeat succeeds), and the window restarts at its id. A replay carries
    its old date and stays refused."""
    date = format_date(sent) if sent is not None else None
    if window is None:
        return ReplayWindow(message_id, 1, date)
    newest = max(filter(None, (window.newest, date)), default=None)
    if message_id > window.top:
        shift = message_id - window.top
        # A shift of 64 or more clears the mask; computed apart, since Python would build a 2^32-bit integer.
        shifted = (window.mask << shift) & MASK64 if shift < WINDOW else 0
        return ReplayWindow(message_id, shifted | 1, newest)
    age = window.top - message_id
    if age < WINDOW and not window.mask >> age & 1:
        return ReplayWindow(window.top, window.mask | 1 << age, newest)
    if date is not None and window.newest is not None and date > window.newest:
        return ReplayWindow(message_id, 1, date)
    raise replayed()
