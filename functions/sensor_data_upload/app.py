"""POST /api/v1/{namespace}/data/upload/{upload_token}."""

from telemetry_gateway.sensors import api, form, uploads
from telemetry_gateway.sensors.pb.heartbeat_pb2 import SensorReadingUploadResponse
from telemetry_gateway.sensors.upload_config import UploadConfig
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 2.0  # kept back to answer DATASTORE_ERROR before Lambda's own timeout
route = api.route(SensorReadingUploadResponse, UploadConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[UploadConfig]) -> LambdaResponse:
    call = api.parse_upload(request)  # 404 namespace
    claims = uploads.authenticate(call, request.config.upload_key)  # 403 invalid, expired, other namespace
    # 400 not multipart, missing payload part; 413 payload too large
    payload = form.payload(request.body, request.header("Content-Type"), request.config.max_payload_bytes)
    answer = uploads.receive(call, claims, payload)  # never refuses: a repeated upload answers the first id
    return api.render(answer)
