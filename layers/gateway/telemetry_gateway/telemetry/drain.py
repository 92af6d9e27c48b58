"""The report queue's drain: each queued report stored with the same code as /report, exactly once in effect
(item keys are deterministic, so a message delivered twice overwrites what it wrote)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.observability import metrics
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.telemetry.report import parse_report
from telemetry_gateway.telemetry.report_queue import read_queued
from telemetry_gateway.telemetry.reports import store

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.telemetry.config import StoringConfig


class Rejected(Exception):
    """A queued report its registration does not accept (any more): left to the dead-letter queue."""


def drain(message: str, config: StoringConfig, deadline: Deadline) -> None:
    queued = read_queued(message, config.payloads, deadline)
    if queued.unchecked_jti is not None:  # the registration could not be read when the report came
        try:
            registration = config.registrations.get(queued.registration_id, deadline)
        except NotFound:
            raise Rejected(f"registration {queued.registration_id} does not exist") from None
        if registration.jti != queued.unchecked_jti:
            raise Rejected(f"registration {queued.registration_id} no longer accepts the report's token")
    store(
        parse_report(queued.body), queued.registration_id, datetime.fromisoformat(queued.received_at), config, deadline
    )
    metrics.add_metric(name="QueuedReportsStored", unit=MetricUnit.Count, value=1)
