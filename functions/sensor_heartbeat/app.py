"""POST /api/v1/{namespace}/heartbeat/{client_id}."""

from telemetry_gateway.sensors import heartbeat
from telemetry_gateway.sensors.pb.heartbeat_pb2 import HeartbeatMessage, HeartbeatResponse
from telemetry_gateway.sensors.web import signed_route

handler = signed_route(HeartbeatMessage, HeartbeatResponse)(heartbeat.beat)
