"""Which storage failures are worth another try within the request's budget."""

from __future__ import annotations

from botocore.exceptions import ClientError

from telemetry_gateway.storage.retry import is_transient


def cancelled(*codes: str) -> ClientError:
    response = {
        "Error": {"Code": "TransactionCanceledException"},
        "CancellationReasons": [{"Code": code} for code in codes],
    }
    return ClientError(response, "TransactWriteItems")  # type: ignore[arg-type]


def test_a_transaction_that_lost_only_to_another_transaction_is_retried() -> None:
    assert is_transient(cancelled("None", "TransactionConflict"))


def test_a_transaction_whose_condition_failed_is_an_answer_not_a_fault() -> None:
    assert not is_transient(cancelled("ConditionalCheckFailed", "TransactionConflict"))
    assert not is_transient(cancelled("ConditionalCheckFailed", "None"))


def test_throttling_is_retried_and_validation_is_not() -> None:
    assert is_transient(ClientError({"Error": {"Code": "ThrottlingException"}}, "GetItem"))
    assert not is_transient(ClientError({"Error": {"Code": "ValidationException"}}, "GetItem"))
