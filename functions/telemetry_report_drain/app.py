"""Queue: ReportQueue."""

from telemetry_gateway.telemetry import drain
from telemetry_gateway.telemetry.config import StoringConfig
from telemetry_gateway.web.scheduled import Consumer, Run

RESERVE_SECONDS = 2.0  # a message still failing then goes back to the queue for the next attempt
consumer = Consumer(StoringConfig.from_env(), RESERVE_SECONDS)


@consumer.handler
def handler(message: str, run: Run[StoringConfig]) -> None:
    drain.drain(message, run.config, run.deadline)  # rejected or still failing: back to the queue, then its DLQ
