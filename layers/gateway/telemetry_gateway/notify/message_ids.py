"""Message ids `YYYYMMDDhhmmss.<process>_<count>.<server>` (spec section 5).

(server, process, count) is unique on its own: the process number comes once per execution environment
from an atomic counter in DynamoDB, and the count from memory. `make run` serves one environment's
requests on threads, so both are guarded by a lock.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline

# What a message id can look like; anything else is unknown without a storage lookup (and could not be a
# DynamoDB key: those are limited to 2 KB).
MESSAGE_ID = re.compile(r"[0-9]{14}\.[1-9][0-9]{0,18}_[1-9][0-9]{0,18}\.[A-Za-z0-9-]{1,63}")


class MessageIds:
    def __init__(self, server: str, take_process_number: Callable[[Deadline], int]) -> None:
        self.server = server
        self._take_process_number = take_process_number
        self._process: int | None = None
        self._count = 0
        self._lock = threading.Lock()

    def next(self, arrival: datetime, deadline: Deadline) -> str:
        """A new id for a message that arrived at `arrival` (UTC, to the second)."""
        with self._lock:
            if self._process is None:
                self._process = self._take_process_number(deadline)
            self._count += 1
            process, count = self._process, self._count
        return f"{arrival:%Y%m%d%H%M%S}.{process}_{count}.{self.server}"


def well_formed(message_id: str) -> bool:
    return MESSAGE_ID.fullmatch(message_id) is not None
