"""What `tgw` says when a command fails: the operator's sentence and an exit code for every kind of failure,
never botocore's wording or a Python exception's text."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    ReadTimeoutError,
    SSOTokenLoadError,
)

from cli.errors import UsageError, describe
from cli.sensor_admin import OperatorError
from cli.target import TargetError, TargetUnreachable
from telemetry_gateway.storage.errors import (
    ConditionFailed,
    Conflict,
    NotFound,
    StorageUnavailable,
    TransactionCancelled,
)

COMMAND = "tgw notify user list"
LEAKS = ("An error occurred", "when calling", "Parameter validation", "Traceback", "Error(", "botocore")


def refusal(code: str, message: str, operation: str = "Query") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


def unavailable(cause: Exception) -> StorageUnavailable:
    try:
        raise StorageUnavailable(str(cause)) from cause
    except StorageUnavailable as error:
        return error


CASES: list[tuple[BaseException, bool, str, int]] = [
    (OperatorError("no client 42 in namespace 'test'"), True, "no client 42 in namespace 'test'", 1),
    (NotFound("no user named nobody"), True, "no user named nobody", 1),
    (Conflict("user a already exists"), True, "user a already exists", 1),
    (ConditionFailed({}), True, "the stored data changed while the command ran; try again", 1),
    (TransactionCancelled([None, {}]), True, "the stored data changed while the command ran; try again", 1),
    (TargetError("the stack has no output X"), False, "the stack has no output X", 1),
    (TargetUnreachable("cannot reach the local server"), True, "cannot reach the local server", 3),
    (UsageError("--since must not be after --until"), True, "--since must not be after --until", 2),
    (
        refusal("AccessDeniedException", "User: arn:aws:iam::1:user/op is not authorized to perform: dynamodb:Query"),
        False,
        "AWS refused: AccessDeniedException: User: arn:aws:iam::1:user/op is not authorized to perform: dynamodb:Query",
        1,
    ),
    (refusal("ResourceNotFoundException", ""), False, "AWS refused: ResourceNotFoundException", 1),
    (
        refusal("ValidationException", "a\n" + "x" * 500),
        False,
        "AWS refused: ValidationException: a " + "x" * 197 + "…",
        1,
    ),
    (ParamValidationError(report="Invalid length for parameter Key.value"), False, "a value of the command line", 2),
    (NoCredentialsError(), False, "no usable AWS credentials: set AWS_PROFILE", 3),
    (SSOTokenLoadError(error_msg="expired"), False, "no usable AWS credentials", 3),
    (NoRegionError(), False, "no AWS region: pass --region or set AWS_REGION", 2),
    (EndpointConnectionError(endpoint_url="https://dynamodb.x"), False, "cannot reach AWS: check the network", 3),
    (EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), True, "cannot reach the local server: is `make", 3),
    (ConnectTimeoutError(endpoint_url="http://127.0.0.1:1"), True, "cannot reach the local server", 3),
    (ReadTimeoutError(endpoint_url="https://dynamodb.x"), False, "cannot reach AWS", 3),
    (unavailable(refusal("ProvisionedThroughputExceededException", "slow down")), False, "storage kept failing", 3),
    (unavailable(EndpointConnectionError(endpoint_url="http://127.0.0.1:1")), True, "cannot reach the local", 3),
    (
        ValueError("Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize."),
        True,
        "`tgw notify user list` failed unexpectedly: this is an error in tgw itself; run it again with TGW_DEBUG=1",
        4,
    ),
    (KeyError("pk"), True, "`tgw notify user list` failed unexpectedly", 4),
]


@pytest.mark.parametrize(
    ("error", "local", "message", "code"), CASES, ids=[f"{n}-{type(case[0]).__name__}" for n, case in enumerate(CASES)]
)
def test_each_failure_has_a_clear_message_and_exit_code(
    error: BaseException, local: bool, message: str, code: int
) -> None:
    said, exit_code = describe(error, COMMAND, local)

    assert said.startswith(message)
    assert exit_code == code
    assert not any(leak in said for leak in LEAKS), said
    assert "islice" not in said
    assert "\n" not in said


def test_storage_kept_failing_names_the_code_aws_answered() -> None:
    said, _ = describe(unavailable(refusal("ThrottlingException", "Rate exceeded")), COMMAND, False)

    assert said == "storage kept failing (ThrottlingException) until the command's time ran out; try again later"
