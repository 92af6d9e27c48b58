"""The shape of the functions nobody calls over HTTP: scheduled ones (EventBridge Scheduler) and queue consumers.

Apart from `web.route` so that the HTTP functions, nearly all of them, do not load what only these two use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telemetry_gateway import clock
from telemetry_gateway.config import Env
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.observability import LambdaHandler, check_settings, logger, scheduled_function

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from telemetry_gateway.clock import Clock


@dataclass(frozen=True)
class Run[C]:
    """One scheduled invocation: the function's configuration and its time."""

    config: C
    clock: Clock
    deadline: Deadline


class _Unrouted[C]:
    """The configuration, checked at import with the settings, and the time reserve of such a function."""

    def __init__(self, config: C, reserve_seconds: float) -> None:
        check_settings(Env())
        self.config = config
        self.reserve_seconds = reserve_seconds

    def _run(self, context: LambdaContext) -> Run[C]:
        current = clock.current()
        return Run(self.config, current, Deadline.from_context(context, current, self.reserve_seconds))


class Schedule[C](_Unrouted[C]):
    """A scheduled function (EventBridge Scheduler)."""

    def handler(self, body: Callable[[Run[C]], dict[str, Any]]) -> LambdaHandler:
        def run(_event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
            return body(self._run(context))

        return scheduled_function(run)


class BatchFailed(Exception):
    """Every message of a batch failed: the invocation fails, and the whole batch goes back to the queue."""


class Consumer[C](_Unrouted[C]):
    """An SQS-triggered function: each message handled on its own; those that fail go back to the queue (a
    partial batch response) and, after the queue's maxReceiveCount, to its dead-letter queue.

    Powertools' BatchProcessor did this for us with the same answers (no failure: an empty list; some: their
    message ids; all: an error), but importing it loads Powertools' event classes for every event source
    (about 15 ms of CPU, a tenth of `import boto3`, in each cold start of the drain)."""

    def handler(self, body: Callable[[str, Run[C]], None]) -> LambdaHandler:
        def consume(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
            run = self._run(context)
            records = event["Records"]
            failed = []
            for record in records:
                try:
                    body(record["body"], run)
                except Exception as exc:  # any failure sends this message back to the queue
                    logger.warning("message failed", extra={"messageId": record["messageId"], "error": repr(exc)})
                    failed.append({"itemIdentifier": record["messageId"]})
            if records and len(failed) == len(records):
                raise BatchFailed(f"all {len(records)} messages of the batch failed")
            return {"batchItemFailures": failed}

        return scheduled_function(consume)
