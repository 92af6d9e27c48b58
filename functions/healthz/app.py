"""GET, HEAD /healthz."""

from telemetry_gateway.service import health, static_json_function

handler = static_json_function(health)
