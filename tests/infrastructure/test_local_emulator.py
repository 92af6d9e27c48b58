"""The embedded moto, as fixed for local use: transactions roll back exactly, concurrency is safe."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError


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
