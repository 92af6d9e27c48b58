"""POST /MailboxPost/."""

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from telemetry_gateway import clock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.http import LambdaResponse
from telemetry_gateway.notify import masters, web, wiring
from telemetry_gateway.notify.settings import settings
from telemetry_gateway.notify.wire import master_request

# Time kept back to answer 503 before Lambda's own timeout would.
RESERVE_SECONDS = 1.5


@web.notify_function
def handler(event: APIGatewayProxyEvent, context: LambdaContext) -> LambdaResponse:
    config, current = settings(), clock.current()
    message_id = masters.post(
        master_request(event, config.endpoint_urls),
        wiring.directory(),
        wiring.mailbox(),
        config,
        current,
        Deadline.from_context(context, current, RESERVE_SECONDS),
    )
    return web.posted(message_id)
