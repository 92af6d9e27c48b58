"""The wait of Dispatch and MailboxListen: strongly consistent polls with backoff (spec section 12).

100 ms, then x1.5 up to 1 s: a message or reply that arrives while the caller is still eager is seen
within a few hundred milliseconds, and an idle wait settles at about one read per second.
"""

from __future__ import annotations

from collections.abc import Callable

from telemetry_gateway.deadline import Deadline

FIRST_DELAY_SECONDS = 0.1
GROWTH = 1.5
MAX_DELAY_SECONDS = 1.0


def wait_for[T](probe: Callable[[], T | None], until: Deadline) -> T | None:
    """Call `probe` until it returns something or `until` passes; it is called once more at the end."""
    delay = FIRST_DELAY_SECONDS
    while True:
        found = probe()
        if found is not None:
            return found
        remaining = until.remaining()
        if remaining <= 0:
            return None
        until.clock.sleep(min(delay, remaining))
        delay = min(delay * GROWTH, MAX_DELAY_SECONDS)
