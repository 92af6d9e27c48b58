"""The embedded moto, as fixed for local use: transactions roll back exactly, concurrency is safe."""

from __future__ import annotations

import inspect
import threading
from typing import Any

import boto3
import moto.core.responses as moto_responses
import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st
from moto.core.responses import BaseResponse
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.utilities import bytesize

from local import moto_fixes
from local.moto_fixes import ITEM_SIZE_LIMIT


@pytest.fixture
def table(aws: Any) -> str:
    return str(aws.stack.context.refs["RegistrationsTable"])


def test_failed_transaction_restores_every_item_it_touched(table: str) -> None:
    client = boto3.client("dynamodb")
    client.put_item(TableName=table, Item={"pk": {"S": "kept"}, "v": {"N": "1"}})
    client.put_item(TableName=table, Item={"pk": {"S": "taken"}})

    with pytest.raises(ClientError) as raised:
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": {"pk": {"S": "created"}}}},
                {
                    "Update": {
                        "TableName": table,
                        "Key": {"pk": {"S": "kept"}},
                        "UpdateExpression": "SET v = :v",
                        "ExpressionAttributeValues": {":v": {"N": "2"}},
                    }
                },
                {
                    "Put": {
                        "TableName": table,
                        "Item": {"pk": {"S": "taken"}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )

    assert [r["Code"] for r in raised.value.response["CancellationReasons"]] == [
        "None",
        "None",
        "ConditionalCheckFailed",
    ]
    assert "Item" not in client.get_item(TableName=table, Key={"pk": {"S": "created"}})
    assert client.get_item(TableName=table, Key={"pk": {"S": "kept"}})["Item"]["v"] == {"N": "1"}


def test_concurrent_writes_and_reads_do_not_corrupt_the_emulator(table: str) -> None:
    client = boto3.client("dynamodb")
    errors: list[Exception] = []

    def work(worker: int) -> None:
        try:
            for n in range(40):
                client.transact_write_items(
                    TransactItems=[{"Put": {"TableName": table, "Item": {"pk": {"S": f"w{worker}-{n}"}}}}]
                )
                client.scan(TableName=table, Limit=5)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert client.scan(TableName=table, Select="COUNT")["Count"] == 8 * 40


def test_a_base_table_query_reads_its_partition_as_dynamodb_would(aws: Any) -> None:
    """moto read and sorted the whole table for every Query; the fix hands it only the partition."""
    client, table = boto3.client("dynamodb"), str(aws.stack.context.refs["SensorTable"])
    for pk in ("a", "b"):
        for sk in ("3", "1", "2"):
            client.put_item(TableName=table, Item={"pk": {"S": pk}, "sk": {"S": sk}})

    def page(**extra: Any) -> Any:
        return client.query(
            TableName=table,
            KeyConditionExpression="pk = :pk AND sk > :after",
            ExpressionAttributeValues={":pk": {"S": "b"}, ":after": {"S": "1"}},
            **extra,
        )

    first = page(Limit=1)
    rest = page(ExclusiveStartKey=first["LastEvaluatedKey"])
    backwards = page(ScanIndexForward=False)

    assert [(i["pk"]["S"], i["sk"]["S"]) for i in first["Items"] + rest["Items"]] == [("b", "2"), ("b", "3")]
    assert [i["sk"]["S"] for i in backwards["Items"]] == ["3", "2"]
    assert (
        client.query(
            TableName=table, KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": "none"}}
        )["Items"]
        == []
    )


def test_an_update_is_measured_by_the_item_it_leaves(table: str) -> None:
    """DynamoDB's limit is on the item an update leaves: replacing a 220 KB attribute with another is fine,
    adding a second one is refused (moto counted the old value with the new one and refused both)."""
    client = boto3.client("dynamodb")
    key = {"pk": {"S": "big"}}
    client.put_item(TableName=table, Item={**key, "data": {"S": "x" * 220_000}})

    def set_attribute(name: str, fill: str) -> None:
        client.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET #a = :v",
            ExpressionAttributeNames={"#a": name},
            ExpressionAttributeValues={":v": {"S": fill * 220_000}},
        )

    set_attribute("data", "y")
    with pytest.raises(ClientError) as refused:
        set_attribute("more", "z")

    assert refused.value.response["Error"]["Message"] == "Item size to update has exceeded the maximum allowed size"
    stored = client.get_item(TableName=table, Key=key)["Item"]
    assert (set(stored), stored["data"]["S"][:1]) == ({"pk", "data"}, "y")


def _as_moto_built_it(attrs: dict[str, Any]) -> dict[str, Any]:
    """moto's own construction: every attribute through LimitedSizeDict's check of the whole item."""
    built = LimitedSizeDict()
    for key, value in attrs.items():
        built[key] = DynamoType(value)
    return dict(built)


def _outcome(build: Any) -> Any:
    try:
        return dict(build())
    except ItemSizeTooLarge as exc:
        return type(exc)


@pytest.mark.parametrize("extra", [-1, 0, 1])
def test_a_stored_item_is_refused_at_exactly_the_size_moto_refused(local_app: Any, extra: int) -> None:
    """moto measured the whole item at each attribute; the fix keeps a running total. Same answer at the
    limit: the last attribute takes the item to one byte under, exactly to, and one byte over it."""
    head: dict[str, Any] = {
        "pk": {"S": "k"},
        "nested": {"M": {"a": {"L": [{"N": "12.5"}, {"SS": ["x", "yy"]}]}}},
        "flag": {"BOOL": True},
    }
    used = sum(bytesize(key) + DynamoType(value).size() for key, value in head.items())
    attrs = {**head, "data": {"S": "d" * (ITEM_SIZE_LIMIT - used - bytesize("data") + extra)}}
    fixed = _outcome(lambda: Item(DynamoType({"S": "k"}), None, attrs).attrs)

    assert fixed == _outcome(lambda: _as_moto_built_it(attrs))
    assert (fixed is ItemSizeTooLarge) == (extra > 0)


values = st.recursive(
    st.one_of(
        st.text(max_size=20).map(lambda text: {"S": text}),
        st.integers().map(lambda n: {"N": str(n)}),
        st.booleans().map(lambda flag: {"BOOL": flag}),
        st.binary(max_size=20).map(lambda data: {"B": data}),
        st.sets(st.text(min_size=1, max_size=5), min_size=1, max_size=3).map(lambda s: {"SS": sorted(s)}),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: {"L": items}),
        st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=3).map(lambda m: {"M": m}),
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(attrs=st.dictionaries(st.text(min_size=1, max_size=8), values, min_size=1, max_size=8))
def test_items_are_built_exactly_as_moto_built_them(local_app: Any, attrs: dict[str, Any]) -> None:
    built = Item(DynamoType({"S": "k"}), None, attrs)

    assert Item.__init__ is moto_fixes._item_init  # the fix is what is compared
    assert isinstance(built.attrs, LimitedSizeDict)
    assert dict(built.attrs) == _as_moto_built_it(attrs)
    assert list(built.attrs) == list(attrs)


def test_every_response_class_answers_the_actions_it_answered(local_app: Any) -> None:
    """moto listed a response class's methods on every request; the fix lists them once per class."""
    classes = [cls for cls in _subclasses(BaseResponse) if cls.__module__.startswith("moto.")]

    assert moto_responses.method_names_from_class is moto_fixes._method_names  # type: ignore[attr-defined]
    assert {cls.__name__ for cls in classes} >= {"DynamoHandler", "S3Response", "SQSResponse"}
    for cls in classes:
        assert moto_responses.method_names_from_class(cls) == [  # type: ignore[attr-defined]
            name for name, _ in inspect.getmembers(cls, predicate=inspect.isfunction)
        ]


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found)) if found else found
