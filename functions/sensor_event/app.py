"""POST /api/v1/{namespace}/event/{client_id}."""

from telemetry_gateway.sensors import picks
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage, EventResponse
from telemetry_gateway.sensors.web import signed_route

handler = signed_route(EventMessage, EventResponse)(picks.record_pick)
