"""/register and /authenticate: create registrations and issue the one token each accepts."""

from __future__ import annotations

import secrets
from typing import Any

from telemetry_gateway.clock import Clock
from telemetry_gateway.observability import logger
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.storage.registrations import DuplicateTriple, IdTaken, Registration, RegistrationStore
from telemetry_gateway.telemetry.errors import REGISTER, TelemetryError, unauthorized
from telemetry_gateway.telemetry.records import sortable_time
from telemetry_gateway.telemetry.timefmt import format_server_time
from telemetry_gateway.telemetry.tokens import TokenPolicy, issue_token
from telemetry_gateway.telemetry.wire_requests import (
    AuthenticateRequest,
    RegistrationRequest,
    verify_registration_hash,
)

MAX_ID_DRAWS = 5


def credentials(registration_id: int, token: str, registration_date: str) -> dict[str, Any]:
    """The 200 body of both routes, keys in the reference server's order."""
    return {"registrationId": registration_id, "authToken": token, "registrationDate": registration_date}


def register(
    request: RegistrationRequest, store: RegistrationStore, key: bytes, policy: TokenPolicy, clock: Clock
) -> dict[str, Any]:
    now = clock.now()
    registration_date = format_server_time(now)
    registered_before = store.client_registered_before(request.client_id)
    for _ in range(MAX_ID_DRAWS):
        registration_id = secrets.randbelow(2**63 - 1) + 1  # random 63-bit ids: no counter to contend on
        issued = issue_token(registration_id, key, policy, now)
        try:
            store.create(
                Registration(
                    registration_id=registration_id,
                    client_id=request.client_id,
                    system_uuid=request.system_uuid,
                    timestamp=request.timestamp,
                    registration_date=registration_date,
                    jti=issued.jti,
                    created_at=sortable_time(now),
                    updated_at=sortable_time(now),
                )
            )
        except DuplicateTriple:
            raise TelemetryError(409, "specified registration already exists") from None
        except IdTaken:
            continue
        if registered_before:
            logger.warning("client registered again with a new triple", extra={"clientId": request.client_id})
        return credentials(registration_id, issued.token, registration_date)
    raise RuntimeError("could not draw an unused registration id")


def authenticate(
    request: AuthenticateRequest, store: RegistrationStore, key: bytes, policy: TokenPolicy, clock: Clock
) -> dict[str, Any]:
    try:
        registration = store.get(request.registration_id)
    except NotFound:
        raise unauthorized("Client not registered", REGISTER) from None
    verify_registration_hash(request, registration.client_id, registration.system_uuid, registration.timestamp)
    now = clock.now()
    issued = issue_token(registration.registration_id, key, policy, now)
    try:
        store.replace_jti(registration.registration_id, issued.jti, sortable_time(now))
    except NotFound:
        raise unauthorized("Client not registered", REGISTER) from None
    return credentials(registration.registration_id, issued.token, registration.registration_date)
