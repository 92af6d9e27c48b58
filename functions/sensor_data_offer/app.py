"""POST /api/v1/{namespace}/data/offer/{client_id}."""

from telemetry_gateway.sensors import api, offers
from telemetry_gateway.sensors.data_config import OfferConfig
from telemetry_gateway.sensors.pb.heartbeat_pb2 import SensorReadingOfferMessage, SensorReadingOfferResponse
from telemetry_gateway.sensors.signed import authenticate
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.0  # kept back to answer DATASTORE_ERROR before Lambda's own timeout
route = api.route(SensorReadingOfferResponse, OfferConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[OfferConfig]) -> LambdaResponse:
    call = api.parse(
        request, SensorReadingOfferMessage, signed_route=True
    )  # 404 namespace, 400 client id, 413 size, 400 decode
    signed = authenticate(call, request.config.secret_key)  # 400 signature fields, unknown client, replayed; 401
    answer = offers.offer(signed, api.upload_links(request))  # never refuses: "" for an unwanted offer
    return api.render(answer)
