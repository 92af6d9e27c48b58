"""Template intrinsics and schedules as `make run` resolves them."""

from __future__ import annotations

import pytest

from local.intrinsics import StackContext, UnresolvedReference, resolve
from local.scheduler import rate_seconds


def context() -> StackContext:
    ctx = StackContext(region="eu-west-1", parameters={"Window": "25"}, refs={"Table": "tbl"})
    ctx.attributes[("Table", "Arn")] = "arn:aws:dynamodb:eu-west-1:123456789012:table/tbl"
    return ctx


def test_intrinsics_resolve_against_local_resources() -> None:
    ctx = context()

    assert resolve({"Ref": "Table"}, ctx) == "tbl"
    assert (
        resolve({"Fn::Sub": "${Table.Arn}/index/*"}, ctx) == "arn:aws:dynamodb:eu-west-1:123456789012:table/tbl/index/*"
    )
    assert resolve({"Fn::Sub": "${AWS::Region}-${Window}-${!Literal}"}, ctx) == "eu-west-1-25-${Literal}"
    assert resolve({"Fn::Join": [",", [{"Ref": "Table"}, "x"]]}, ctx) == "tbl,x"
    assert resolve({"Fn::Sub": ["${Name}", {"Name": {"Ref": "Window"}}]}, ctx) == "25"


def test_a_reference_to_nothing_is_an_error() -> None:
    with pytest.raises(UnresolvedReference):
        resolve({"Ref": "Missing"}, context())


@pytest.mark.parametrize(
    ("expression", "seconds"), [("rate(5 minutes)", 300), ("rate(1 hour)", 3600), ("rate(2 days)", 172800)]
)
def test_rate_schedules(expression: str, seconds: int) -> None:
    assert rate_seconds(expression) == seconds


def test_cron_schedules_are_refused_rather_than_silently_skipped() -> None:
    with pytest.raises(ValueError, match="only rate"):
        rate_seconds("cron(0 12 * * ? *)")
