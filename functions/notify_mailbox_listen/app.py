"""POST /MailboxListen/."""

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from telemetry_gateway import clock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.http import LambdaResponse
from telemetry_gateway.notify import masters, web, wiring
from telemetry_gateway.notify.settings import settings
from telemetry_gateway.notify.wire import master_request

# The spec's margin: every wait ends this long before Lambda's own timeout would.
RESERVE_SECONDS = 3.0


@web.notify_function
def handler(event: APIGatewayProxyEvent, context: LambdaContext) -> LambdaResponse:
    config, current = settings(), clock.current()
    message = masters.listen(
        master_request(event, config.endpoint_urls),
        wiring.directory(),
        wiring.mailbox(),
        config,
        current,
        Deadline.from_context(context, current, RESERVE_SECONDS),
    )
    return web.delivered(message, current.now())
