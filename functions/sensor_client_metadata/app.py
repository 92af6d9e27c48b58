"""POST /api/v1/{namespace}/client/metadata/{client_id}."""

from telemetry_gateway.sensors import api, registry
from telemetry_gateway.sensors.config import SensorConfig
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientMetadataRequest, ClientMetadataResponse
from telemetry_gateway.sensors.signed import authenticate
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.0  # kept back to answer DATASTORE_ERROR before Lambda's own timeout
route = api.route(ClientMetadataResponse, SensorConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[SensorConfig]) -> LambdaResponse:
    call = api.parse(
        request, ClientMetadataRequest, signed_route=True
    )  # 404 namespace, 400 client id, 413 size, 400 decode
    signed = authenticate(call, request.config.secret_key)  # 400 signature fields, unknown client, replayed; 401
    answer = registry.metadata(signed)  # never refuses
    return api.render(answer)
