"""POST /api/v1/{namespace}/client/create."""

from telemetry_gateway.sensors import api, registry
from telemetry_gateway.sensors.config import SensorConfig
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientCreateResponse
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.0  # kept back to answer DATASTORE_ERROR before Lambda's own timeout
route = api.route(ClientCreateResponse, SensorConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[SensorConfig]) -> LambdaResponse:
    call = api.parse(request, ClientCreateMessage, signed_route=False)  # 404 namespace, 413 size, 400 decode
    # unsigned: a new client has no secret yet
    answer = registry.create(call, request.config.secret_key.value())  # 400 missing sensor type; 413 too large
    return api.render(answer)
