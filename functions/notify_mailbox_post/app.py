"""POST /MailboxPost/."""

from telemetry_gateway.notify import api, masters
from telemetry_gateway.notify.config import PostConfig
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.5  # kept back to answer 503 before Lambda's own timeout
route = api.route(PostConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[PostConfig]) -> LambdaResponse:
    form = api.master_request(request.event, request.config.endpoint_urls)
    circuit = masters.authorise(form, request.config.stores, request.deadline)  # 403: Referer, then secret
    message_id = masters.post(form, circuit, request.config, request.clock, request.deadline)  # 400 404 409 410 413
    return api.posted(message_id)
