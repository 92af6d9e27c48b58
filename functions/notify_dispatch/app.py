"""POST /Dispatch/{ka}/{kc}."""

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from telemetry_gateway import clock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.http import LambdaResponse, body_bytes, header_lines
from telemetry_gateway.notify import dispatch, web, wiring
from telemetry_gateway.notify.function_url import path_parameter
from telemetry_gateway.notify.settings import settings

# The spec's margin: every wait ends this long before Lambda's own timeout would.
RESERVE_SECONDS = 3.0


@web.notify_function
def handler(event: APIGatewayProxyEvent, context: LambdaContext) -> LambdaResponse:
    request = dispatch.DispatchRequest(
        ka=path_parameter(event, "ka", -2),
        kc=path_parameter(event, "kc", -1),
        body=body_bytes(event),
        headers=header_lines(event),
    )
    current = clock.current()
    answer = dispatch.dispatch(
        request,
        wiring.directory(),
        wiring.mailbox(),
        wiring.message_ids(),
        settings(),
        current,
        Deadline.from_context(context, current, RESERVE_SECONDS),
    )
    return web.answered(answer)
