"""The wait of Dispatch and MailboxListen: strongly consistent polls every 100 ms.

The spec's backoff (100 ms, x1.5, up to 1 s) made a message that arrived after a few idle seconds wait up to
a second for its poll (about 300 ms p50, 950 ms p99 with 0-3 s pauses). A steady 100 ms keeps delivery near
100 ms p50 at any pause, for at most 10 small reads per waiting second; an idle poll reads the smallest
items there are (a reply, the circuit's head), so it costs one read unit at most (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Callable

from telemetry_gateway.deadline import Deadline

POLL_SECONDS = 0.1


def wait_for[T](probe: Callable[[], T | None], until: Deadline) -> T | None:
    """Call `probe` until it returns something or `until` passes; it is called once more at the end."""
    while True:
        found = probe()
        if found is not None:
            return found
        remaining = until.remaining()
        if remaining <= 0:
            return None
        until.clock.sleep(min(POLL_SECONDS, remaining))
