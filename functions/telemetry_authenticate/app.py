"""POST /telemetry/authenticate."""

from telemetry_gateway.telemetry.registration import authenticate
from telemetry_gateway.telemetry.web import credential_function
from telemetry_gateway.telemetry.wire_requests import parse_authenticate

handler = credential_function(parse_authenticate, authenticate)
