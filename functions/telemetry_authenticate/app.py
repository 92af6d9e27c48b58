"""POST /telemetry/authenticate."""

from telemetry_gateway.telemetry import api, registration
from telemetry_gateway.telemetry.config import CredentialsConfig
from telemetry_gateway.telemetry.wire_requests import parse_authenticate
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.5  # kept back to answer 503 before Lambda's own timeout
route = api.route(CredentialsConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[CredentialsConfig]) -> LambdaResponse:
    proof = parse_authenticate(request.body)  # 400: not the JSON /authenticate takes; 401: no registrationId
    holder = registration.verify(proof, request.config, request.deadline)  # 401: unknown or hash mismatch
    issued = registration.reissue(holder, request.config, request.clock, request.deadline)
    return api.render(issued)
