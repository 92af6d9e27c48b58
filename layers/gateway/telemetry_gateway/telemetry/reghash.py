"""The registration hash a client proves itself with on /authenticate (spec section 6)."""

import hashlib
import hmac

from telemetry_gateway.telemetry.checksums import go_quote
from telemetry_gateway.telemetry.rawjson import scrub_surrogates

_DIGESTS = {
    "sha256": hashlib.sha256,
    "sha512": hashlib.sha512,
}


def registration_hash_matches(method: str, value: str, client_id: str, system_uuid: str, timestamp: str) -> bool:
    """Whether `value` is the lowercase hex digest of the pipe form or the legacy JSON form.

    Both forms are always computed and compared in constant time, so timing tells nothing.
    An unknown `method` (they are case-sensitive) never matches.
    """
    digest = _DIGESTS.get(method)
    if digest is None:
        return False
    pipe = f"{client_id}|{system_uuid}|{timestamp}"
    legacy = (
        f'{{"clientId":{go_quote(client_id)},"systemUUID":{go_quote(system_uuid)},"timestamp":{go_quote(timestamp)}}}'
    )
    offered = value.encode("utf-8", "surrogatepass")
    pipe_ok = hmac.compare_digest(digest(_utf8(pipe)).hexdigest().encode(), offered)
    legacy_ok = hmac.compare_digest(digest(_utf8(legacy)).hexdigest().encode(), offered)
    return pipe_ok | legacy_ok


def _utf8(text: str) -> bytes:
    return scrub_surrogates(text).encode("utf-8")
