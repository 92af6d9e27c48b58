"""POST /api/v1/{namespace}/events/recent."""

from telemetry_gateway.sensors import api, recent_events
from telemetry_gateway.sensors.config import ApiConfig
from telemetry_gateway.sensors.pb.query_messages_pb2 import RecentEventQuery, RecentEventResponse
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.0  # kept back to answer DATASTORE_ERROR before Lambda's own timeout
route = api.route(RecentEventResponse, ApiConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[ApiConfig]) -> LambdaResponse:
    call = api.parse(request, RecentEventQuery, signed_route=False)  # 404 namespace, 413 size, 400 decode
    # unsigned: anyone may read the namespace's events
    answer = recent_events.recent(call)  # never refuses
    return api.render(answer)
