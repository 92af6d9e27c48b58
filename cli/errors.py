"""What `tgw` tells the operator when a command fails: one clear sentence and an exit code.

Never a traceback, never botocore's wording ("Parameter validation failed", "An error occurred (...) when
calling the ... operation"), never a Python exception's text. Exit codes:

| Code | Meaning |
|---|---|
| 0 | done |
| 1 | refused, or what it names does not exist (client, user, circuit, reading, stack output); AWS refused |
| 2 | the command line is wrong: unknown command or option, missing or malformed value, contradictory values |
| 3 | the target cannot be reached: no running `make run`, no such stack, no credentials or network, storage |
|   | kept failing |
| 4 | tgw itself failed (a bug): the message names the command; `TGW_DEBUG=1` prints the traceback on stderr |
| 130 | interrupted (Ctrl-C) |
"""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    CredentialRetrievalError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
    SSOError,
    TokenRetrievalError,
)

from cli.sensor_admin import OperatorError
from telemetry_gateway.storage.errors import (
    ConditionFailed,
    Conflict,
    NotFound,
    StorageError,
    StorageUnavailable,
    TransactionCancelled,
)

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_BUG = 4
EXIT_INTERRUPTED = 130

LOCAL_HINT = "is `make run` running in this checkout?"
MAX_AWS_MESSAGE = 200  # AWS's own message, cut: some carry whole ARNs and policies


_CREDENTIALS = (NoCredentialsError, PartialCredentialsError, CredentialRetrievalError, SSOError, TokenRetrievalError)


class CommandError(Exception):
    """A failure whose message is written for the operator, printed as is with its exit code."""

    exit_code = EXIT_REFUSED


class UsageError(CommandError):
    """The command line is wrong: what was given, and what is expected."""

    exit_code = EXIT_USAGE


def describe(error: BaseException, command: str, local: bool) -> tuple[str, int]:
    """The operator's message and the exit code for a failure of `command` (e.g. "tgw notify user list")."""
    if isinstance(error, CommandError):
        return str(error), error.exit_code
    if isinstance(error, OperatorError):
        return str(error), EXIT_REFUSED
    if isinstance(error, StorageError):
        return _storage(error, local)
    if isinstance(error, ClientError):
        return _refused(error), EXIT_REFUSED
    if isinstance(error, BotoCoreError):
        return _client_side(error, local)
    return (
        f"`{command}` failed unexpectedly: this is an error in tgw itself; "
        "run it again with TGW_DEBUG=1 for the details, and report them",
        EXIT_BUG,
    )


def _storage(error: StorageError, local: bool) -> tuple[str, int]:
    if isinstance(error, StorageUnavailable):
        cause = error.__cause__
        if isinstance(cause, BotoCoreError):
            return _client_side(cause, local)
        code = _code(cause) if isinstance(cause, ClientError) else "conflicts"
        return f"storage kept failing ({code}) until the command's time ran out; try again later", EXIT_UNREACHABLE
    if type(error) in (ConditionFailed, TransactionCancelled):  # raw, not a refusal worded by the tool
        return "the stored data changed while the command ran; try again", EXIT_REFUSED
    if isinstance(error, (NotFound, Conflict)):
        return str(error), EXIT_REFUSED
    return "storage refused the command; try again", EXIT_REFUSED


def _client_side(error: BotoCoreError, local: bool) -> tuple[str, int]:
    """botocore failed before AWS answered: no credentials, no region, no connection, a refused value."""
    if isinstance(error, _CREDENTIALS):
        return (
            "no usable AWS credentials: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), "
            "or run `aws configure` or `aws sso login` (an SSO session may have expired)",
            EXIT_UNREACHABLE,
        )
    if isinstance(error, NoRegionError):
        return "no AWS region: pass --region or set AWS_REGION", EXIT_USAGE
    if isinstance(error, (ConnectionError, HTTPClientError)):
        if local:
            return f"cannot reach the local server: {LOCAL_HINT}", EXIT_UNREACHABLE
        return "cannot reach AWS: check the network and --region", EXIT_UNREACHABLE
    if isinstance(error, ParamValidationError):
        return "a value of the command line cannot be sent to AWS (empty or too long?)", EXIT_USAGE
    return "the AWS client failed before AWS answered; check the network, the credentials and --region", (
        EXIT_UNREACHABLE
    )


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code") or "Unknown")


def _refused(error: ClientError) -> str:
    """`AWS refused: <code>: <AWS's message, on one line and cut>`."""
    said = " ".join(str(error.response.get("Error", {}).get("Message") or "").split())
    if len(said) > MAX_AWS_MESSAGE:
        said = said[: MAX_AWS_MESSAGE - 1] + "…"
    return f"AWS refused: {_code(error)}" + (f": {said}" if said else "")
