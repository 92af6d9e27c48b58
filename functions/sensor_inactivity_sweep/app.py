"""Scheduled: rate(5 minutes)."""

from dataclasses import asdict
from typing import Any

from telemetry_gateway.sensors import sweep
from telemetry_gateway.sensors.config import SweepConfig
from telemetry_gateway.web.scheduled import Run, Schedule

RESERVE_SECONDS = 5.0  # a long sweep stops cleanly; the next run continues where it stopped
schedule = Schedule(SweepConfig.from_env(), RESERVE_SECONDS)


@schedule.handler
def handler(run: Run[SweepConfig]) -> dict[str, Any]:
    result = sweep.sweep(run.config.store, run.clock, run.config.inactive_after_seconds, run.deadline)
    return asdict(result)
