"""POST /api/v1/{namespace}/client/create."""

from telemetry_gateway.sensors import registry, wiring
from telemetry_gateway.sensors.calls import SensorCall
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientCreateMessage, ClientCreateResponse
from telemetry_gateway.sensors.web import sensor_route


@sensor_route(ClientCreateMessage, ClientCreateResponse)
def handler(call: SensorCall[ClientCreateMessage]) -> ClientCreateResponse:
    return registry.create(call, wiring.secret_key())
