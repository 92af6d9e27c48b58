"""Retrying transient storage failures with jittered backoff, inside a request's deadline."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from telemetry_gateway.storage.dynamo import CONDITION_FAILED, TRANSACTION_CONFLICT, cancellation_codes, error_code
from telemetry_gateway.storage.errors import Conflict, StorageUnavailable

if TYPE_CHECKING:
    from telemetry_gateway.deadline import Deadline

TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "SlowDown",
        "InternalError",
        "TransactionInProgressException",
        "RequestThrottled",
    }
)


def is_transient(exc: Exception) -> bool:
    if isinstance(exc, ClientError):
        codes = cancellation_codes(exc)
        if codes:  # a transaction that lost only to another transaction in flight may simply run again
            return TRANSACTION_CONFLICT in codes and CONDITION_FAILED not in codes
        return error_code(exc) in TRANSIENT_CODES
    return isinstance(exc, BotoCoreError)


# The kernel's randomness, not the module-level generator: an execution environment restored from a SnapStart
# snapshot would otherwise draw the same jitter as every other environment restored from it.
_jitter = random.SystemRandom()


def backoff_delays(first: float = 0.05, factor: float = 2.0, cap: float = 1.0) -> Callable[[], float]:
    """Full-jitter exponential backoff: each call returns the next sleep."""
    state = {"ceiling": first}

    def next_delay() -> float:
        ceiling = state["ceiling"]
        state["ceiling"] = min(cap, ceiling * factor)
        return _jitter.uniform(0, ceiling)

    return next_delay


def with_retries[T](operation: Callable[[], T], deadline: Deadline) -> T:
    """Run `operation` until it succeeds, fails permanently, or the deadline leaves no time to retry."""
    delay = backoff_delays()
    while True:
        try:
            return operation()
        except (ClientError, BotoCoreError) as exc:
            if not is_transient(exc):
                raise
            pause = delay()
            if deadline.remaining() <= pause:
                raise StorageUnavailable(str(exc)) from exc
            deadline.clock.sleep(pause)


def retry_on_conflict[T](attempt: Callable[[], T], deadline: Deadline) -> T:
    """Optimistic concurrency: run `attempt` (read, decide, conditional write) again while it loses a race,
    with backoff, until it wins or the deadline leaves no time (then StorageUnavailable)."""
    delay = backoff_delays()
    while True:
        try:
            return attempt()
        except Conflict as exc:
            pause = delay()
            if deadline.remaining() <= pause:
                raise StorageUnavailable(f"still conflicting: {exc}") from exc
            deadline.clock.sleep(pause)
