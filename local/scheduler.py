"""Runs the template's scheduled functions on their `rate(...)` expressions while `make run` is up."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from typing import Any

from local.lambda_runtime import FunctionRuntime
from local.template import Schedule

log = logging.getLogger("local.scheduler")
_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


def rate_seconds(expression: str) -> int:
    found = re.fullmatch(r"rate\((\d+)\s+(minutes?|hours?|days?)\)", expression.strip())
    if not found:
        raise ValueError(f"only rate(...) schedules run locally, not {expression!r}")
    return int(found.group(1)) * _UNITS[found.group(2)]


def schedule_event(schedule: Schedule) -> dict[str, Any]:
    """What EventBridge Scheduler delivers: the target's Input, or an empty object."""
    return dict(json.loads(schedule.input)) if schedule.input else {}


def start(runtime: FunctionRuntime, schedules: list[Schedule], stop: threading.Event) -> list[threading.Thread]:
    threads = []
    for schedule in schedules:
        thread = threading.Thread(
            target=_loop, args=(runtime, schedule, stop), name=f"schedule-{schedule.function}", daemon=True
        )
        thread.start()
        threads.append(thread)
    return threads


def _loop(runtime: FunctionRuntime, schedule: Schedule, stop: threading.Event) -> None:
    period = rate_seconds(schedule.expression)
    next_run = time.monotonic() + period
    while not stop.wait(max(0.0, next_run - time.monotonic())):
        next_run += period
        try:
            result = runtime.invoke(schedule.function, schedule_event(schedule), str(uuid.uuid4()))
            log.info("%s ran on schedule: %s", schedule.function, result)
        except Exception:
            log.exception("%s failed on schedule", schedule.function)
