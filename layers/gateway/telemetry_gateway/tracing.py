"""X-Ray tracing of the functions that call AWS: a segment around the handler and a subsegment per AWS call.

Tracing support is paid for once, and only where a trace is recorded:

- The X-Ray SDK is loaded when the first *sampled* invocation of a container arrives (Lambda tells each
  invocation whether X-Ray samples it, in `_X_AMZN_TRACE_ID`), not at import. For an unsampled invocation the
  SDK would only build dummy segments and send nothing, yet loading it is about 21 ms of CPU, a seventh of
  `import boto3`, in every cold start. Once loaded, it traces every invocation of the container as before.
- Only botocore is patched. Powertools' default patches every library the SDK knows: it imports sqlite3 and
  probes eight absent database drivers at each cold start, and wraps http.client as well, so every AWS call
  went through two wrappers (the second one only to find that botocore's requests are not its business).
- Where tracing is off (Powertools' rule: outside Lambda, or POWERTOOLS_TRACE_DISABLED), nothing is loaded.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.shared import constants
from aws_lambda_powertools.shared.functions import resolve_truthy_env_var_choice

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from telemetry_gateway.observability import LambdaHandler

PATCHED = ("botocore",)
TRACE_HEADER = "_X_AMZN_TRACE_ID"  # this invocation's trace header, set by the Lambda runtime


def active() -> bool:
    """Powertools' rule: in Lambda (not SAM local or Chalice) unless POWERTOOLS_TRACE_DISABLED says no."""
    if resolve_truthy_env_var_choice(env=os.getenv(constants.TRACER_DISABLED_ENV, "false")):
        return False
    in_lambda = bool(os.getenv(constants.LAMBDA_TASK_ROOT_ENV))
    emulated = bool(os.getenv(constants.SAM_LOCAL_ENV) or os.getenv(constants.CHALICE_LOCAL_ENV))
    return in_lambda and not emulated


def sampled() -> bool:
    """Whether X-Ray records the current invocation (`Sampled=1` in its trace header)."""
    return "Sampled=1" in os.getenv(TRACE_HEADER, "").split(";")


def capture(handler: LambdaHandler) -> LambdaHandler:
    """`handler` inside a trace segment that never records the response (it may hold credentials), from the
    container's first sampled invocation on; the handler itself when tracing is off."""
    if not active():
        return handler
    state: dict[str, Any] = {"traced": None, "served": False}

    def entry(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if state["traced"] is None and sampled():
            state["traced"] = _traced(handler, cold_start=not state["served"])
        state["served"] = True
        run: LambdaHandler = state["traced"] or handler
        return run(event, context)

    return entry


def _traced(handler: LambdaHandler, *, cold_start: bool) -> LambdaHandler:
    """Load the SDK, patch botocore, and wrap the handler with Powertools' Tracer."""
    from aws_lambda_powertools.tracing import Tracer, tracer  # noqa: PLC0415 - the SDK loads with the first trace

    if not cold_start:  # Powertools annotates its first traced invocation as the cold start; it was not one
        tracer.is_cold_start = False
    traced: LambdaHandler = Tracer(patch_modules=PATCHED).capture_lambda_handler(handler, capture_response=False)
    return traced
