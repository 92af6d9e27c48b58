"""Failure handling shared by every API family: its own refusals answered in its wire format and counted,
storage still failing after retries logged and answered as its 503, anything else logged as its 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.observability import logger, metrics
from telemetry_gateway.storage.errors import StorageUnavailable

if TYPE_CHECKING:
    from telemetry_gateway.web.http import LambdaResponse


def guarded[E: Exception](
    attempt: Callable[[], LambdaResponse],
    refusal: type[E],
    refused: Callable[[E], LambdaResponse],
    unavailable: Callable[[], LambdaResponse],
    fault: Callable[[], LambdaResponse],
) -> LambdaResponse:
    """`attempt()`, or the family's answer to what went wrong; no detail but a refusal's reaches the caller."""
    try:
        return attempt()
    except refusal as exc:
        response = refused(exc)
        metrics.add_metric(name=f"Refused{response['statusCode']}", unit=MetricUnit.Count, value=1)
        return response
    except StorageUnavailable:
        logger.exception("storage still failing after retries")
        metrics.add_metric(name="StorageUnavailable", unit=MetricUnit.Count, value=1)
        return unavailable()
    except Exception:
        logger.exception("unexpected fault")
        return fault()
