"""AWS clients, created lazily and once per container, and one seam through which tests, benchmarks and
the local runtime watch (or fail) every AWS call our code makes.

Lazy creation keeps cold starts short for routes that never touch a service, and it means a client is only
ever built after a test or the local runtime has started its emulator. The clients are botocore's own (boto3's
are the same objects): importing boto3 adds its resource layer and s3transfer, about 18 ms of CPU in every
cold start for nothing we call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import botocore.session
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sqs import SQSClient

_lock = threading.Lock()

# Standard retry mode retries throttling and 5xx with jittered exponential backoff; the request
# deadline bounds the rest (telemetry_gateway.storage.retry).
_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=2,
    read_timeout=5,
    tcp_keepalive=True,
)

# (service, operation, the call's parameters) -> None to let the call proceed, or an error code to fail it
# with as the service itself would (e.g. "ProvisionedThroughputExceededException"): fault injection.
CallObserver = Callable[[str, str, Mapping[str, Any]], str | None]
_observers: list[CallObserver] = []

# How each service answers a refusal: HTTP status of the error response.
_ERROR_STATUS = {"s3": 503}


def observe_calls(observer: CallObserver) -> Callable[[], None]:
    """Tell `observer` about every AWS API call our clients make; returns the function that stops it."""
    _observers.append(observer)
    return lambda: _observers.remove(observer)


class _FailedHttp:
    """The little of botocore's AWSResponse that the client reads when a before-call hook answers."""

    def __init__(self, status_code: int) -> None:
        self.status_code = status_code
        self.headers: dict[str, str] = {}
        self.content = b""


def _keep_parameters(params: Mapping[str, Any], context: dict[str, Any], **_: Any) -> None:
    """The caller's parameters (TableName, Bucket, ...), for _before_call: it sees only the wire request."""
    context["tgw_params"] = params


def _before_call(model: Any, context: dict[str, Any], **_: Any) -> tuple[_FailedHttp, dict[str, Any]] | None:
    service, operation = model.service_model.service_name, model.name
    params = context.get("tgw_params", {})
    for observer in list(_observers):
        code = observer(service, operation, params)
        if code is not None:
            status = _ERROR_STATUS.get(service, 400)
            error = {"Code": code, "Message": f"{code} (injected)"}
            return _FailedHttp(status), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": status}}
    return None


@cache
def session() -> botocore.session.Session:
    return botocore.session.get_session()


@cache
def client(service: str) -> Any:
    with _lock:  # session.client() is not thread-safe
        created: Any = session().create_client(service, config=_CONFIG)
    # Hooks registered on the session after a client exists never reach it, so each client gets its own.
    created.meta.events.register("before-parameter-build", _keep_parameters)
    created.meta.events.register("before-call", _before_call)
    return created


def dynamodb() -> DynamoDBClient:
    return cast("DynamoDBClient", client("dynamodb"))


def s3() -> S3Client:
    return cast("S3Client", client("s3"))


def secretsmanager() -> SecretsManagerClient:
    return cast("SecretsManagerClient", client("secretsmanager"))


def sqs() -> SQSClient:
    return cast("SQSClient", client("sqs"))
