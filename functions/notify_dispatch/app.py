"""POST /Dispatch/{ka}/{kc}."""

from telemetry_gateway.notify import api, dispatch
from telemetry_gateway.notify.config import DispatchConfig
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 3.0  # the spec's margin: every wait ends this long before Lambda's own timeout
route = api.route(DispatchConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[DispatchConfig]) -> LambdaResponse:
    message = api.dispatch_request(request.event)
    sender = dispatch.authenticate(message, request.config, request.deadline)  # 403: KA or KC cookie
    answer = dispatch.dispatch(message, sender, request.config, request.clock, request.deadline)  # 413, 504
    return api.answered(answer)
