"""How long one operator command may take: far longer than a request (clearing a large namespace), but not
forever; storage calls retry throttling within it like the functions do."""

from __future__ import annotations

from telemetry_gateway.clock import SystemClock
from telemetry_gateway.deadline import Deadline

COMMAND_SECONDS = 3600


def command_deadline() -> Deadline:
    return Deadline.after(SystemClock(), COMMAND_SECONDS)
