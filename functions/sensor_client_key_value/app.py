"""POST /api/v1/{namespace}/client/get-keyvalue/{client_id}."""

from telemetry_gateway.sensors import registry
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientKeyValueRequest, ClientKeyValueResponse
from telemetry_gateway.sensors.web import signed_route

handler = signed_route(ClientKeyValueRequest, ClientKeyValueResponse)(registry.key_values)
