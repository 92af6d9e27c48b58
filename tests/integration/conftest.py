"""What the integration tiers of every family share: storage that throttles on purpose."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from local.app import LocalApp
from local.faults import Faults
from support.clock import ManualClock
from telemetry_gateway import clock as clock_module

Throttle = Callable[..., Faults]


@pytest.fixture
def throttled(aws: LocalApp) -> Iterator[Throttle]:
    """`throttled(*resources, services=...)`: every call touching those tables, buckets or queues fails as
    their service throttles, on a clock whose sleeps pass at once, so retries run through the whole Lambda
    deadline in no time."""
    previous = clock_module.install(ManualClock(datetime.now(UTC)))
    stops: list[Callable[[], None]] = []

    def throttle(*resources: str, services: tuple[str, ...] = ("dynamodb", "s3", "sqs")) -> Faults:
        faults = Faults.always(services, only=[aws.stack.context.refs[name] for name in resources])
        stops.append(faults.install())
        return faults

    yield throttle
    for stop in stops:
        stop()
    clock_module.install(previous)
