"""`local.stack.reset`, which starts every test that uses `aws`: it empties tables and buckets, keeps the
tables as the template made them, and deletes in DynamoDB's batch size, not moto's."""

from __future__ import annotations

from typing import Any

import pytest

from local.stack import BATCH_WRITE_LIMIT, BUCKET, TABLE, reset


def tables(app: Any) -> dict[str, dict[str, Any]]:
    """Table name → its template properties."""
    refs = app.stack.context.refs
    return {refs[logical_id]: r["Properties"] for logical_id, r in app.stack.template.resources_of_type(TABLE).items()}


def fill(app: Any, count: int) -> None:
    """`count` items in every table, each carrying every declared attribute (so every index holds them
    too), and `count` objects in every bucket."""
    dynamodb, s3 = app.stack.client("dynamodb"), app.stack.client("s3")
    for name, props in tables(app).items():
        for n in range(count):
            item = {
                d["AttributeName"]: {"S": f"{d['AttributeName']}-{n}"} if d["AttributeType"] == "S" else {"N": str(n)}
                for d in props["AttributeDefinitions"]
            }
            dynamodb.put_item(TableName=name, Item=item)
    for bucket in app.stack.bucket_names():
        for n in range(count):
            s3.put_object(Bucket=bucket, Key=f"payload/{n}", Body=b"x")


def item_counts(app: Any) -> dict[str, int]:
    """Items seen by a Scan of every table and of every one of its indexes."""
    dynamodb = app.stack.client("dynamodb")
    counts: dict[str, int] = {}
    for name, props in tables(app).items():
        counts[name] = dynamodb.scan(TableName=name, Select="COUNT")["Count"]
        for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            for index in props.get(kind, []):
                scanned = dynamodb.scan(TableName=name, IndexName=index["IndexName"], Select="COUNT")
                counts[f"{name}/{index['IndexName']}"] = scanned["Count"]
    return counts


def object_counts(app: Any) -> dict[str, int]:
    s3 = app.stack.client("s3")
    return {bucket: s3.list_objects_v2(Bucket=bucket)["KeyCount"] for bucket in app.stack.bucket_names()}


def test_reset_empties_every_table_index_and_bucket(aws: Any) -> None:
    fill(aws, 3)
    assert set(item_counts(aws).values()) == {3}
    assert set(object_counts(aws).values()) == {3}
    assert aws.stack.template.resources_of_type(BUCKET)

    reset(aws.stack)

    assert set(item_counts(aws).values()) == {0}
    assert set(object_counts(aws).values()) == {0}


def test_reset_keeps_the_tables_and_their_settings(aws: Any) -> None:
    dynamodb = aws.stack.client("dynamodb")
    before = {name: dynamodb.describe_table(TableName=name)["Table"] for name in tables(aws)}
    fill(aws, 3)

    reset(aws.stack)

    for name, props in tables(aws).items():
        after = dynamodb.describe_table(TableName=name)["Table"]
        assert (after["TableArn"], after["CreationDateTime"]) == (
            before[name]["TableArn"],
            before[name]["CreationDateTime"],
        )
        ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        expected = props.get("TimeToLiveSpecification", {}).get("AttributeName")
        assert ttl.get("AttributeName") == expected


def test_reset_deletes_in_batches_of_at_most_25_and_leaves_empty_tables_alone(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    dynamodb = aws.stack.client("dynamodb")
    name = aws.stack.context.refs["RegistrationsTable"]
    for n in range(2 * BATCH_WRITE_LIMIT + 3):
        dynamodb.put_item(TableName=name, Item={"pk": {"S": f"r{n}"}})
    batches: list[tuple[str, int]] = []
    send = dynamodb.batch_write_item

    def spy(**kwargs: Any) -> Any:
        batches.extend((table, len(requests)) for table, requests in kwargs["RequestItems"].items())
        return send(**kwargs)

    monkeypatch.setattr(dynamodb, "batch_write_item", spy)

    reset(aws.stack)

    assert BATCH_WRITE_LIMIT == 25
    assert batches == [(name, 25), (name, 25), (name, 3)]
    assert item_counts(aws)[name] == 0
