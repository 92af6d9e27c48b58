"""The inactivity sweep (section 8): clients whose last heartbeat is older than the threshold stop counting.

It reads only the sparse activity index below the cutoff, so its cost follows the clients that change
state, not the number of clients. Each change is conditional (still active, still stale), so the sweep
is idempotent and safe beside heartbeats; what it leaves for lack of time, the next run takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.observability import metrics
from telemetry_gateway.sensors.dates import format_date

if TYPE_CHECKING:
    from telemetry_gateway.clock import Clock
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.sensors.store import SensorStore


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did, returned by the scheduled function (and logged by Lambda)."""

    namespaces: int
    stale: int  # index entries older than the cutoff
    marked_inactive: int  # of those, the ones this run changed
    finished: bool  # False when the deadline stopped it early


def sweep(store: SensorStore, clock: Clock, inactive_after_seconds: int, deadline: Deadline) -> SweepResult:
    result = _sweep(store, clock, inactive_after_seconds, deadline)
    metrics.add_metric(name="ClientsMarkedInactive", unit=MetricUnit.Count, value=result.marked_inactive)
    if not result.finished:
        metrics.add_metric(name="SweepUnfinished", unit=MetricUnit.Count, value=1)
    return result


def _sweep(store: SensorStore, clock: Clock, inactive_after_seconds: int, deadline: Deadline) -> SweepResult:
    cutoff = format_date(clock.now() - timedelta(seconds=inactive_after_seconds))
    namespaces = store.namespaces(deadline)
    stale = marked = 0
    for namespace in namespaces:
        for client in store.stale_clients(namespace, cutoff, deadline):
            if deadline.expired():
                return SweepResult(len(namespaces), stale, marked, finished=False)
            stale += 1
            marked += store.mark_inactive(client, cutoff, deadline)
    return SweepResult(len(namespaces), stale, marked, finished=True)
