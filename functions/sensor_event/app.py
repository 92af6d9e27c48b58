"""POST /api/v1/{namespace}/event/{client_id}."""

from telemetry_gateway.sensors import api, picks
from telemetry_gateway.sensors.event_config import EventConfig
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage, EventResponse
from telemetry_gateway.sensors.signed import authenticate
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.0  # kept back to answer DATASTORE_ERROR before Lambda's own timeout
route = api.route(EventResponse, EventConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[EventConfig]) -> LambdaResponse:
    call = api.parse(request, EventMessage, signed_route=True)  # 404 namespace, 400 client id, 413 size, 400 decode
    signed = authenticate(call, request.config.secret_key)  # 400 signature fields, unknown client, replayed; 401
    # 400 missing field, unknown sensor, date; 413; detection after storing never refuses
    answer = picks.record_pick(signed, request.config.detection)
    return api.render(answer)
