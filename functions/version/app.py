"""GET, HEAD /version."""

from telemetry_gateway import service
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 0.0  # nothing to wait for
route = service.route(RESERVE_SECONDS)


@route.handler
def handler(request: Request[None]) -> LambdaResponse:
    return service.render(request, service.version())
