"""Storage faults on purpose: `TGW_LOCAL_FAULTS=dynamodb=0.2,s3=0.1` makes that fraction of the functions'
calls to each service fail with the service's own throttling error, so retries, 503s and durability can be
watched under `make run` and asserted in tests. Never deployed."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from telemetry_gateway import aws

VARIABLE = "TGW_LOCAL_FAULTS"
# What each service answers when it throttles.
THROTTLING = {
    "dynamodb": "ProvisionedThroughputExceededException",
    "s3": "SlowDown",
    "sqs": "RequestThrottled",
    "secretsmanager": "ThrottlingException",
}


class FaultSpecError(ValueError):
    pass


def touched(params: Mapping[str, Any]) -> set[str]:
    """The tables, buckets and queues one call names (also inside batches and transactions)."""
    names = {str(params[key]) for key in ("TableName", "Bucket", "QueueUrl") if key in params}
    names.update(params.get("RequestItems") or {})
    for entry in params.get("TransactItems") or []:
        names.update(str(request["TableName"]) for request in entry.values() if "TableName" in request)
    return names


@dataclass
class Faults:
    """Fail `rates[service]` of the calls to each service, optionally only calls touching `only` names."""

    rates: dict[str, float]
    only: frozenset[str] | None = None
    draw: Callable[[], float] = field(default_factory=lambda: random.Random().random)
    injected: int = 0

    @classmethod
    def parse(cls, text: str) -> Faults:
        rates: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            service, _, rate = part.partition("=")
            if service not in THROTTLING:
                raise FaultSpecError(f"{VARIABLE}: unknown service {service!r}; one of {sorted(THROTTLING)}")
            try:
                rates[service] = float(rate)
            except ValueError:
                raise FaultSpecError(f"{VARIABLE}: {part!r} needs a fraction, e.g. {service}=0.2") from None
            if not 0.0 <= rates[service] <= 1.0:
                raise FaultSpecError(f"{VARIABLE}: {part!r} is not a fraction between 0 and 1")
        return cls(rates)

    @classmethod
    def always(cls, services: Iterable[str], only: Iterable[str] | None = None) -> Faults:
        """Every call to these services fails (optionally only those touching the named tables or buckets)."""
        return cls(dict.fromkeys(services, 1.0), frozenset(only) if only is not None else None)

    def __call__(self, service: str, _operation: str, params: Mapping[str, Any]) -> str | None:
        rate = self.rates.get(service, 0.0)
        if rate <= 0.0 or (self.only is not None and not touched(params) & self.only):
            return None
        if rate < 1.0 and self.draw() >= rate:
            return None
        self.injected += 1
        return THROTTLING[service]

    def install(self) -> Callable[[], None]:
        """Start failing calls; returns the function that stops it."""
        return aws.observe_calls(self)
