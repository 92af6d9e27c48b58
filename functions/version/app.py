"""GET, HEAD /version."""

from telemetry_gateway.service import static_json_function, version

handler = static_json_function(version)
