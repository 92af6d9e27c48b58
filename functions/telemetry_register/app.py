"""POST /telemetry/register."""

from telemetry_gateway.telemetry import api, registration
from telemetry_gateway.telemetry.config import CredentialsConfig
from telemetry_gateway.telemetry.wire_requests import parse_register
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.5  # kept back to answer 503 before Lambda's own timeout
route = api.route(CredentialsConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[CredentialsConfig]) -> LambdaResponse:
    registering = parse_register(request.body)  # 400: not the JSON /register takes
    # (unsigned: the registration is the credential)
    issued = registration.register(registering, request.config, request.clock, request.deadline)  # 409: duplicate
    return api.render(issued)
