"""POST /telemetry/register."""

from telemetry_gateway.telemetry.registration import register
from telemetry_gateway.telemetry.web import credential_function
from telemetry_gateway.telemetry.wire_requests import parse_register

handler = credential_function(parse_register, register)
