"""POST /api/v1/{namespace}/event/{client_id}."""

from telemetry_gateway.sensors import api, picks
from telemetry_gateway.sensors.config import EventConfig
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage, EventResponse
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.0  # kept back to answer DATASTORE_ERROR before Lambda's own timeout
route = api.route(EventResponse, EventConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[EventConfig]) -> LambdaResponse:
    call = api.parse(request, EventMessage, signed_route=True)  # 404 namespace, 400 client id, 413 size, 400 decode
    signed = api.authenticate(call, request)  # 400 signature fields, 400 unknown client, 401, 400 replayed
    # 400 missing field, unknown sensor, date; 413; detection after storing never refuses
    answer = picks.record_pick(signed, request.config.detection)
    return api.render(answer)
