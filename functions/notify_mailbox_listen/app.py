"""POST /MailboxListen/."""

from telemetry_gateway.notify import api, masters
from telemetry_gateway.notify.config import ListenConfig
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 3.0  # the spec's margin: every wait ends this long before Lambda's own timeout
route = api.route(ListenConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[ListenConfig]) -> LambdaResponse:
    form = api.master_request(request.event, request.config.endpoint_urls)
    circuit = masters.authorise(form, request.config.stores, request.deadline)  # 403: Referer, then secret
    message = masters.listen(form, circuit, request.config, request.clock, request.deadline)  # 502: none came
    return api.delivered(message, request.clock.now())
