"""The one shape of every HTTP function file (scheduled and queue functions: `web.scheduled`).

At import, `functions/<name>/app.py` declares its time reserve and builds its Route from its configuration,
which is read and validated then, so a broken deployment fails at init naming the variable. Its handler
then reads top to bottom: parse → authenticate (signed routes) → use case → render. The Route supplies
what every handler needs (the request's clock, receive time and deadline) and turns whatever refuses the
request into the family's wire format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from telemetry_gateway import clock
from telemetry_gateway.config import Env
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.observability import LambdaHandler, check_settings, http_function
from telemetry_gateway.web.event import ApiEvent
from telemetry_gateway.web.guard import guarded
from telemetry_gateway.web.http import LambdaResponse, body_bytes, header

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from telemetry_gateway.clock import Clock


@dataclass(frozen=True)
class Request[C]:
    """One invocation: the API Gateway event, the function's configuration, and its time."""

    event: ApiEvent
    config: C
    clock: Clock
    received: datetime  # on the injected clock
    deadline: Deadline  # the Lambda deadline minus the function's reserve

    @property
    def body(self) -> bytes:
        return body_bytes(self.event)

    def header(self, name: str) -> str | None:
        return header(self.event, name)

    def path_parameter(self, name: str) -> str | None:
        return (self.event.path_parameters or {}).get(name)


@dataclass(frozen=True)
class Family[E: Exception]:
    """How one API family answers: its own refusals (`refusal`), storage exhaustion (its 503), faults (500)."""

    refusal: type[E]
    refused: Callable[[E], LambdaResponse]
    unavailable: Callable[[], LambdaResponse]
    fault: Callable[[], LambdaResponse]
    # Turns another front door's event into the REST API's (notify: function URLs); identity by default.
    adapt: Callable[[dict[str, Any]], dict[str, Any]] = lambda event: event


class Route[C]:
    """An HTTP function: its family, configuration (validated already) and time reserve."""

    def __init__(self, family: Family[Any], config: C, reserve_seconds: float, *, traced: bool = True) -> None:
        check_settings(Env())
        self.family = family
        self.config = config
        self.reserve_seconds = reserve_seconds
        self.traced = traced

    def handler(self, body: Callable[[Request[C]], LambdaResponse]) -> LambdaHandler:
        family = self.family

        def serve(event: dict[str, Any], context: LambdaContext) -> LambdaResponse:
            return guarded(
                lambda: body(self._request(ApiEvent(event), context)),
                family.refusal,
                family.refused,
                family.unavailable,
                family.fault,
            )

        wrapped = http_function(serve, traced=self.traced)

        def entry(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
            return wrapped(family.adapt(event), context)

        return entry

    def _request(self, event: ApiEvent, context: LambdaContext) -> Request[C]:
        current = clock.current()
        return Request(
            event=event,
            config=self.config,
            clock=current,
            received=current.now(),
            deadline=Deadline.from_context(context, current, self.reserve_seconds),
        )
