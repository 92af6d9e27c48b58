"""Powertools Logger, Metrics and Tracer, set up the same way for every function."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from telemetry_gateway.config import ConfigError, Env

# Functions that emit no business metric on a path must not warn on every invocation.
warnings.filterwarnings("ignore", message="No application metrics to publish")

logger = Logger()
metrics = Metrics()

LOG_LEVELS = frozenset({"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})


def check_settings(env: Env) -> None:
    """The Globals every function reads through Powertools; a missing one is a broken deployment."""
    env.text("POWERTOOLS_SERVICE_NAME")
    env.text("POWERTOOLS_METRICS_NAMESPACE")
    level = env.text("POWERTOOLS_LOG_LEVEL")
    if level.upper() not in LOG_LEVELS:
        raise ConfigError(f"POWERTOOLS_LOG_LEVEL={level!r} is not one of {sorted(LOG_LEVELS)}")


LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def _metrics_cleared(handler: LambdaHandler) -> LambdaHandler:
    """Leave no metric behind an invocation. `log_metrics` clears what it flushes, but with metrics
    disabled (local runs, tests) it flushes nothing, and after 100 values of one metric Powertools
    would serialize the pile in the middle of a request."""

    @wraps(handler)
    def entry(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        try:
            return handler(event, context)
        finally:
            metrics.clear_metrics()

    return entry


def _traced(handler: LambdaHandler) -> LambdaHandler:
    """A trace segment around the handler that never records the response (it may hold credentials)."""
    from telemetry_gateway import tracing  # noqa: PLC0415 - imported only by functions that trace

    return tracing.capture(handler)


def http_function(handler: LambdaHandler, *, traced: bool = True) -> LambdaHandler:
    """Wrap an API Gateway handler: correlation id = API Gateway request id, metrics flushed per
    invocation, and, for functions that call AWS (`traced`), X-Ray subsegments for those calls."""
    wrapped = metrics.log_metrics(handler)
    if traced:
        wrapped = _traced(wrapped)
    return _metrics_cleared(
        cast(
            LambdaHandler, logger.inject_lambda_context(wrapped, correlation_id_path=correlation_paths.API_GATEWAY_REST)
        )
    )


def scheduled_function(handler: LambdaHandler) -> LambdaHandler:
    """Wrap a scheduled (EventBridge Scheduler) handler with the same logging, tracing and metrics."""
    return _metrics_cleared(logger.inject_lambda_context(_traced(metrics.log_metrics(handler))))
