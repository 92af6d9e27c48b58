"""/register and /authenticate: create registrations and issue the one token each accepts."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit

from telemetry_gateway.observability import logger, metrics
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.telemetry.errors import REGISTER, TelemetryError, unauthorized
from telemetry_gateway.telemetry.records import sortable_time
from telemetry_gateway.telemetry.registration_store import DuplicateTriple, IdTaken, Registration
from telemetry_gateway.telemetry.timefmt import format_server_time
from telemetry_gateway.telemetry.tokens import issue_token
from telemetry_gateway.telemetry.wire_requests import (
    AuthenticateRequest,
    RegistrationRequest,
    verify_registration_hash,
)

if TYPE_CHECKING:
    from telemetry_gateway.clock import Clock
    from telemetry_gateway.deadline import Deadline
    from telemetry_gateway.telemetry.config import CredentialsConfig

MAX_ID_DRAWS = 5


def credentials(registration_id: int, token: str, registration_date: str) -> dict[str, Any]:
    """The 200 body of both routes, keys in the reference server's order."""
    return {"registrationId": registration_id, "authToken": token, "registrationDate": registration_date}


def register(
    request: RegistrationRequest, config: CredentialsConfig, clock: Clock, deadline: Deadline
) -> dict[str, Any]:
    """A new registration with its first token; 409 when the triple is registered already."""
    now = clock.now()
    registration_date = format_server_time(now)
    registered_before = config.registrations.client_registered_before(request.client_id, deadline)
    key = config.signing_key.value()
    for _ in range(MAX_ID_DRAWS):
        registration_id = secrets.randbelow(2**63 - 1) + 1  # random 63-bit ids: no counter to contend on
        issued = issue_token(registration_id, key, config.tokens, now)
        try:
            config.registrations.create(
                Registration(
                    registration_id=registration_id,
                    client_id=request.client_id,
                    system_uuid=request.system_uuid,
                    timestamp=request.timestamp,
                    registration_date=registration_date,
                    jti=issued.jti,
                    created_at=sortable_time(now),
                    updated_at=sortable_time(now),
                ),
                deadline,
            )
        except DuplicateTriple:
            raise TelemetryError(409, "specified registration already exists") from None
        except IdTaken:
            continue
        metrics.add_metric(name="Registrations", unit=MetricUnit.Count, value=1)
        if registered_before:
            logger.warning("client registered again with a new triple", extra={"clientId": request.client_id})
        return credentials(registration_id, issued.token, registration_date)
    raise RuntimeError("could not draw an unused registration id")


def verify(request: AuthenticateRequest, config: CredentialsConfig, deadline: Deadline) -> Registration:
    """The registration the request proves it holds (its registration hash); 401 otherwise."""
    try:
        registration = config.registrations.get(request.registration_id, deadline)
    except NotFound:
        raise unauthorized("Client not registered", REGISTER) from None
    verify_registration_hash(request, registration.client_id, registration.system_uuid, registration.timestamp)
    return registration


def reissue(registration: Registration, config: CredentialsConfig, clock: Clock, deadline: Deadline) -> dict[str, Any]:
    """A new token for the registration; the previous one stops being accepted."""
    now = clock.now()
    issued = issue_token(registration.registration_id, config.signing_key.value(), config.tokens, now)
    try:
        config.registrations.replace_jti(registration.registration_id, issued.jti, sortable_time(now), deadline)
    except NotFound:
        raise unauthorized("Client not registered", REGISTER) from None
    return credentials(registration.registration_id, issued.token, registration.registration_date)
