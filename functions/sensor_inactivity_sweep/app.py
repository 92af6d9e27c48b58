"""Scheduled: rate(5 minutes)."""

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from telemetry_gateway import clock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.observability import scheduled_function
from telemetry_gateway.sensors import sweep, wiring
from telemetry_gateway.sensors.settings import settings

# Time kept back so a long sweep stops cleanly; the next run continues where it stopped.
RESERVE_SECONDS = 5.0


@scheduled_function
def handler(_event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    now = clock.current()
    deadline = Deadline.from_context(context, now, RESERVE_SECONDS)
    return asdict(sweep.sweep(wiring.store(), now, settings().inactive_after_seconds, deadline))
