"""The /register and /authenticate request bodies (spec sections 5 and 6).

Each parser applies its endpoint's checks in the spec's order, up to the first one that needs
storage, and raises the exact TelemetryError of the first that fails.
"""

from dataclasses import dataclass
from typing import Any

from telemetry_gateway.telemetry.errors import REGISTER, TelemetryError, invalid_body, unauthorized
from telemetry_gateway.telemetry.rawjson import load_object, scrub_surrogates
from telemetry_gateway.telemetry.reghash import registration_hash_matches

MAX_STRING_LENGTH = 256
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


@dataclass(frozen=True, slots=True)
class RegistrationRequest:
    """The registration triple, verbatim: the registration hash is computed from these strings."""

    client_id: str
    system_uuid: str  # "" when absent or null
    timestamp: str


@dataclass(frozen=True, slots=True)
class AuthenticateRequest:
    """An /authenticate body: the registration id and the hash proof, as sent."""

    registration_id: int  # >= 1
    method: str | None  # None when regHash or the member is absent or null
    value: str | None


def parse_register(body: bytes) -> RegistrationRequest:
    """Steps 1-3 of /register; the duplicate-triple check (step 4) belongs to storage."""
    doc = load_object(body)
    registration = _member_object(doc, "clientRegistration")
    client_id = _bounded_string(registration, "clientId", "clientRegistration.clientId")
    system_uuid = _bounded_string(registration, "systemUUID", "clientRegistration.systemUUID")
    timestamp = _bounded_string(registration, "timestamp", "clientRegistration.timestamp")
    if not client_id:
        raise TelemetryError(400, "missing registration clientId")
    if not timestamp:
        raise TelemetryError(400, "missing registration timestamp")
    return RegistrationRequest(client_id=client_id, system_uuid=system_uuid, timestamp=timestamp)


def parse_authenticate(body: bytes) -> AuthenticateRequest:
    """Steps 1-2 of /authenticate. The caller looks the registration up (step 3), then calls
    `verify_registration_hash` (step 4)."""
    doc = load_object(body)
    registration_id = doc.get("registrationId")
    if registration_id is not None:
        if not isinstance(registration_id, int) or isinstance(registration_id, bool):
            raise invalid_body("registrationId must be an integer")
        if not _INT64_MIN <= registration_id <= _INT64_MAX:
            raise invalid_body("registrationId is out of range")
    reg_hash = _member_object(doc, "regHash")
    method = _optional_string(reg_hash, "method", "regHash.method")
    value = _optional_string(reg_hash, "value", "regHash.value")
    if registration_id is None or registration_id <= 0:
        raise unauthorized("Invalid registrationId value provided", REGISTER)
    return AuthenticateRequest(registration_id=registration_id, method=method, value=value)


def verify_registration_hash(request: AuthenticateRequest, client_id: str, system_uuid: str, timestamp: str) -> None:
    """Step 4 of /authenticate, against the stored registration triple."""
    if (
        request.method is None
        or request.value is None
        or not registration_hash_matches(request.method, request.value, client_id, system_uuid, timestamp)
    ):
        raise unauthorized("Registration mismatch", REGISTER)


def _member_object(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """An object member; absent or null reads as `{}`."""
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid_body(f"{key} must be an object")
    return value


def _optional_string(parent: dict[str, Any], key: str, path: str) -> str | None:
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid_body(f"{path} must be a string")
    return scrub_surrogates(value)


def _bounded_string(parent: dict[str, Any], key: str, path: str) -> str:
    """A string of at most 256 characters; absent or null reads as ""."""
    value = _optional_string(parent, key, path) or ""
    if len(value) > MAX_STRING_LENGTH:
        raise invalid_body(f"{path} must be at most {MAX_STRING_LENGTH} characters")
    return value
