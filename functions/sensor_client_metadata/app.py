"""POST /api/v1/{namespace}/client/metadata/{client_id}."""

from telemetry_gateway.sensors import registry
from telemetry_gateway.sensors.pb.client_messages_pb2 import ClientMetadataRequest, ClientMetadataResponse
from telemetry_gateway.sensors.web import signed_route

handler = signed_route(ClientMetadataRequest, ClientMetadataResponse)(registry.metadata)
