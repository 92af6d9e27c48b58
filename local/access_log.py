"""The access log of `make run`: one line per request, naming a matched route by its template
(`/Dispatch/{ka}/{kc}`) because paths carry credentials, and an unknown path with credentials masked."""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import unquote

# Named after the server, as it always was: LOCAL_LOG_LEVEL and the tests filter on this name.
ACCESS_LOG = logging.getLogger("local.server")

_COOKIE = re.compile(r"K[ACS][A-Za-z0-9_-]{20,}")  # Notify KA/KC cookies and KS Secret Tokens
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?")
_NAMED_SECRET = re.compile(
    r"(?i)([\w.-]*(?:secret|token|auth|passw|signature|credential|api[_-]?key|session)[\w.-]*[=:])[^&;/]*"
)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LONGEST = 256


def masked_target(target: str) -> str:
    """`target` (path and query as sent) fit for a log line. It is percent-decoded first, so that an
    encoded credential is masked too; control characters are escaped so that a path cannot forge lines."""
    text = unquote(target)
    text = _COOKIE.sub(lambda found: found.group()[:2] + "***", text)
    text = _JWT.sub("***", text)
    text = _NAMED_SECRET.sub(r"\1***", text)
    text = _UNPRINTABLE.sub(lambda found: f"\\x{ord(found.group()):02x}", text)
    return text if len(text) <= _LONGEST else text[:_LONGEST] + "..."


def log_request(method: str, resource: str, status: int, started: float) -> None:
    """`resource` is a route template, or a target already passed through `masked_target`."""
    ACCESS_LOG.info("%s %s %d %.1fms", method, resource, status, (time.perf_counter() - started) * 1000)
