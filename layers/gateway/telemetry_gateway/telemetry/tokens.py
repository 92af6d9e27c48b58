"""Bearer tokens (spec section 7) and the /report credential headers (section 8.1)."""

import math
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt

from telemetry_gateway.telemetry.errors import AUTHENTICATE, TelemetryError, unauthorized

ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
DEFAULT_ALGORITHM = "HS512"
DEFAULT_ISSUER = "telemetry-service-gateway"
# Far beyond any sensible setting, and well inside datetime's range.
MAX_LIFETIME_SECONDS = 36525 * 86400

_INT64_MAX = 2**63 - 1
_LIFETIME = re.compile(r"([0-9]+)([smhdw]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DECIMAL = re.compile(r"[0-9]+")
_BEARER_PREFIX = "Bearer "


@dataclass(frozen=True, slots=True)
class TokenPolicy:
    """How tokens are signed, whom they name as issuer, and how long they last."""

    algorithm: str = DEFAULT_ALGORITHM
    issuer: str = DEFAULT_ISSUER
    lifetime_seconds: int = 7 * 86400

    def __post_init__(self) -> None:
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"token algorithm must be one of {sorted(ALGORITHMS)}, not {self.algorithm!r}")
        if not 0 < self.lifetime_seconds <= MAX_LIFETIME_SECONDS:
            raise ValueError(f"token lifetime out of range: {self.lifetime_seconds} s")


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token and the `jti` the registration will accept."""

    token: str
    jti: str  # stored on the registration; the raw token never is
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    """What a valid token says: its registration and `jti`."""

    registration_id: int
    jti: str


def parse_lifetime(text: str) -> int:
    """Seconds of a lifetime such as `3600`, `90m` or `1w`; ValueError stops the function at start-up."""
    match = _LIFETIME.fullmatch(text)
    if match is None:
        raise ValueError(
            f"invalid token lifetime {text!r}: expected a positive integer with an optional s, m, h, d or w suffix"
        )
    seconds = int(match[1]) * _UNIT_SECONDS[match[2]]
    if not 0 < seconds <= MAX_LIFETIME_SECONDS:
        raise ValueError(f"invalid token lifetime {text!r}: must be positive and at most 100 years")
    return seconds


def issue_token(registration_id: int, key: bytes, policy: TokenPolicy, now: datetime) -> IssuedToken:
    """A new signed token for the registration, with a fresh random `jti`."""
    issued_at = math.floor(now.timestamp())
    expires = issued_at + policy.lifetime_seconds
    jti = str(uuid.uuid4())
    claims = {"iss": policy.issuer, "sub": str(registration_id), "iat": issued_at, "exp": expires, "jti": jti}
    token = jwt.encode(claims, key, algorithm=policy.algorithm, headers={"typ": "JWT"})
    return IssuedToken(token=token, jti=jti, expires_at=datetime.fromtimestamp(expires, UTC))


def verify_token(token: str, key: bytes, policy: TokenPolicy) -> VerifiedToken:
    """The registration and `jti` a valid token names; any defect is the 401 `Invalid Authorization`.

    Whether the `jti` is still the registration's current one is for the caller to check.
    """
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[policy.algorithm],
            issuer=policy.issuer,
            leeway=0,
            options={"require": ["iss", "sub", "exp", "jti"], "verify_iat": False},
        )
    except jwt.PyJWTError as exc:
        raise _invalid_authorization() from exc
    registration_id = _positive_int64(claims["sub"])
    if registration_id is None or not claims["jti"]:
        raise _invalid_authorization()
    return VerifiedToken(registration_id=registration_id, jti=claims["jti"])


def parse_authorization(header_value: str | None) -> str | None:
    """The token of an `Authorization` value: `Bearer ` (this exact case) removed, or bare; None if empty."""
    if header_value is None:
        return None
    return header_value.removeprefix(_BEARER_PREFIX) or None


def parse_registration_id_header(value: str | None) -> int | None:
    """The `X-Telemetry-Registration-Id` value if it is a decimal in 1..2^63-1 (whitespace around allowed)."""
    return None if value is None else _positive_int64(value.strip())


def _positive_int64(digits: str) -> int | None:
    if not _DECIMAL.fullmatch(digits) or len(digits.lstrip("0")) > len(str(_INT64_MAX)):
        return None
    number = int(digits)
    return number if 0 < number <= _INT64_MAX else None


def _invalid_authorization() -> TelemetryError:
    return unauthorized("Invalid Authorization", AUTHENTICATE)
