"""A queue consumer answers as Lambda's partial batch responses expect: the ids of the messages that failed, and
an error when all of them did (the whole batch goes back to the queue)."""

from __future__ import annotations

from typing import Any

import pytest

from local.lambda_runtime import LocalContext
from local.template import load
from telemetry_gateway.web.scheduled import BatchFailed, Consumer, Run

SETTINGS = {"POWERTOOLS_SERVICE_NAME": "test", "POWERTOOLS_METRICS_NAMESPACE": "Test", "POWERTOOLS_LOG_LEVEL": "ERROR"}


def batch(*bodies: str) -> dict[str, Any]:
    return {"Records": [{"messageId": f"m{n}", "body": body} for n, body in enumerate(bodies)]}


@pytest.fixture
def consume(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in SETTINGS.items():
        monkeypatch.setenv(name, value)
    seen: list[str] = []

    def body(message: str, run: Run[None]) -> None:
        seen.append(message)
        if message.startswith("bad"):
            raise ValueError(message)

    handler = Consumer(None, 1.0).handler(body)
    context = LocalContext(load().functions["TelemetryReportDrain"], "us-east-1")
    return lambda event: (handler(event, context), seen)  # type: ignore[arg-type]


def test_every_message_is_handled_and_only_the_failed_ones_are_returned(consume: Any) -> None:
    assert consume(batch("a", "bad 1", "b", "bad 2")) == (
        {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m3"}]},
        ["a", "bad 1", "b", "bad 2"],
    )


def test_a_batch_without_failures_answers_an_empty_list(consume: Any) -> None:
    assert consume(batch("a", "b"))[0] == {"batchItemFailures": []}


def test_a_batch_that_failed_entirely_fails_the_invocation(consume: Any) -> None:
    with pytest.raises(BatchFailed):
        consume(batch("bad 1", "bad 2"))
