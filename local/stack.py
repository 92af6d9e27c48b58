"""Creates template.yaml's tables, buckets and secrets in moto and resolves every function's environment."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3

from local.intrinsics import StackContext, UnresolvedReference, resolve
from local.template import Function, Template

TABLE = "AWS::DynamoDB::Table"
BUCKET = "AWS::S3::Bucket"
SECRET = "AWS::SecretsManager::Secret"
QUEUE = "AWS::SQS::Queue"
API = "AWS::Serverless::Api"


class EnvironmentConflict(ValueError):
    """Two functions give one variable different values; one process could not serve both faithfully."""


@dataclass
class LocalStack:
    template: Template
    context: StackContext
    _clients: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def client(self, service: str) -> Any:
        """A boto3 client in the stack's region, made on first use (moto must be running by then) and kept:
        making one costs more than the few calls `reset` sends with it."""
        if service not in self._clients:
            self._clients[service] = boto3.client(service, region_name=self.context.region)  # type: ignore[call-overload]
        return self._clients[service]

    def function_environment(self, fn: Function, overrides: Mapping[str, str] = {}) -> dict[str, str]:
        """The function's variables, resolved; `overrides` (the shell, local settings) win for names
        the template declares."""
        env = {name: str(resolve(value, self.context)) for name, value in fn.environment.items()}
        return {name: overrides.get(name, value) for name, value in env.items()}

    def process_environment(self, overrides: Mapping[str, str] = {}) -> dict[str, str]:
        merged: dict[str, str] = {}
        for fn in self.template.functions.values():
            for name, value in self.function_environment(fn, overrides).items():
                if merged.setdefault(name, value) != value:
                    raise EnvironmentConflict(f"{name} differs between functions ({merged[name]!r} vs {value!r})")
        return merged

    def outputs(self, environment: Mapping[str, str] = {}, api_url: str | None = None) -> dict[str, str]:
        """Outputs that mean something locally: names of tables, buckets and secrets, and parameters. A
        parameter that feeds a function variable reads as `environment` sets that variable (the shell
        overrides it under `make run`); an API's URL output reads as `api_url` (every API is served there)."""
        fed = {
            value["Ref"]: name
            for fn in self.template.functions.values()
            for name, value in fn.environment.items()
            if isinstance(value, dict) and set(value) == {"Ref"}
        }
        apis = set(self.template.resources_of_type(API))
        resolved: dict[str, str] = {}
        for name, output in self.template.raw.get("Outputs", {}).items():
            value = output.get("Value")
            if isinstance(value, dict) and set(value) == {"Ref"}:
                variable = fed.get(value["Ref"])
                if variable is not None and variable in environment:
                    resolved[name] = environment[variable]
                    continue
                try:
                    resolved[name] = self.context.ref(value["Ref"])
                except UnresolvedReference:
                    continue
            elif api_url is not None and isinstance(value, dict) and _names_any(value.get("Fn::Sub"), apis):
                resolved[name] = api_url
        return resolved

    def table_names(self) -> list[str]:
        return [self.context.refs[name] for name in self.template.resources_of_type(TABLE)]

    def bucket_names(self) -> list[str]:
        return [self.context.refs[name] for name in self.template.resources_of_type(BUCKET)]


def context(template: Template, region: str) -> StackContext:
    """Parameters at their defaults and the names resources get locally; a secret's reference is its
    logical id until `provision` creates it (enough to resolve environments without an emulator)."""
    ctx = template.default_context(region)
    for logical_id in template.resources_of_type(TABLE):
        ctx.refs[logical_id] = logical_id
        ctx.attributes[(logical_id, "Arn")] = f"arn:aws:dynamodb:{region}:{ctx.account_id}:table/{logical_id}"
    for logical_id in template.resources_of_type(BUCKET):
        name = f"local-{logical_id.lower()}"
        ctx.refs[logical_id] = name
        ctx.attributes[(logical_id, "Arn")] = f"arn:aws:s3:::{name}"
    for logical_id in template.resources_of_type(SECRET):
        ctx.refs[logical_id] = logical_id
    for logical_id in template.resources_of_type(QUEUE):
        ctx.refs[logical_id] = f"https://sqs.{region}.amazonaws.com/{ctx.account_id}/{logical_id}"
        ctx.attributes[(logical_id, "Arn")] = f"arn:aws:sqs:{region}:{ctx.account_id}:{logical_id}"
    return ctx


def provision(template: Template, secret_values: Mapping[str, str], region: str) -> LocalStack:
    """Create every table, bucket and secret of the template. Call only after moto has started."""
    stack = LocalStack(template, context(template, region))
    create_tables(stack)
    create_buckets(stack)
    create_queues(stack)
    secrets = boto3.client("secretsmanager", region_name=region)
    for logical_id in template.resources_of_type(SECRET):
        arn = secrets.create_secret(Name=logical_id, SecretString=secret_values[logical_id])["ARN"]
        stack.context.refs[logical_id] = arn
    return stack


def create_tables(stack: LocalStack) -> None:
    dynamodb = stack.client("dynamodb")
    for logical_id, resource in stack.template.resources_of_type(TABLE).items():
        props = resource["Properties"]
        name = stack.context.refs[logical_id]
        dynamodb.create_table(**_create_table_args(name, props))
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            dynamodb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
            )


def create_buckets(stack: LocalStack) -> None:
    s3 = boto3.client("s3", region_name=stack.context.region)
    for name in stack.bucket_names():
        if stack.context.region == "us-east-1":
            s3.create_bucket(Bucket=name)
        else:
            location: Any = {"LocationConstraint": stack.context.region}
            s3.create_bucket(Bucket=name, CreateBucketConfiguration=location)


# DynamoDB refuses a BatchWriteItem of more than 25 requests; moto accepts 26, so we hold the line ourselves.
BATCH_WRITE_LIMIT = 25
S3_DELETE_LIMIT = 1000
_RESUBMISSIONS = 8


def reset(stack: LocalStack) -> None:
    """Empty every table, bucket and queue of the stack (tests), keeping the tables themselves.

    Deleting and recreating five tables cost ~50 ms per test; an empty table costs one Scan here, and a
    used one a Scan of its keys and a BatchWriteItem per 25 of them."""
    dynamodb = stack.client("dynamodb")
    for logical_id, resource in stack.template.resources_of_type(TABLE).items():
        keys = [key["AttributeName"] for key in resource["Properties"]["KeySchema"]]
        empty_table(dynamodb, stack.context.refs[logical_id], keys)
    s3 = stack.client("s3")
    for name in stack.bucket_names():
        empty_bucket(s3, name)
    sqs = stack.client("sqs")
    for url in queue_urls(stack):
        sqs.purge_queue(QueueUrl=url)


def create_queues(stack: LocalStack) -> None:
    """Dead-letter queues first: a redrive policy names its target by ARN."""
    sqs = boto3.client("sqs", region_name=stack.context.region)
    queues = stack.template.resources_of_type(QUEUE)
    for logical_id in sorted(queues, key=lambda name: "RedrivePolicy" in queues[name].get("Properties", {})):
        properties = resolve(queues[logical_id].get("Properties", {}), stack.context)
        attributes = {
            name: json.dumps(value) if isinstance(value, dict) else str(value)
            for name, value in properties.items()
            if name in ("VisibilityTimeout", "MessageRetentionPeriod", "RedrivePolicy")
        }
        url = sqs.create_queue(QueueName=logical_id, Attributes=attributes)["QueueUrl"]
        stack.context.refs[logical_id] = url


def queue_urls(stack: LocalStack) -> list[str]:
    return [stack.context.refs[name] for name in stack.template.resources_of_type(QUEUE)]


def empty_table(dynamodb: Any, table: str, key_attributes: list[str]) -> int:
    """Delete every item of `table`; returns how many there were."""
    names = {f"#k{i}": name for i, name in enumerate(key_attributes)}
    scan: dict[str, Any] = {
        "TableName": table,
        "ProjectionExpression": ", ".join(names),
        "ExpressionAttributeNames": names,
        "ConsistentRead": True,
    }
    keys: list[dict[str, Any]] = []
    while True:
        page = dynamodb.scan(**scan)
        keys.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    for start in range(0, len(keys), BATCH_WRITE_LIMIT):
        requests = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + BATCH_WRITE_LIMIT]]
        _batch_delete(dynamodb, table, requests)
    return len(keys)


def _batch_delete(dynamodb: Any, table: str, requests: list[dict[str, Any]]) -> None:
    pending = {table: requests}
    for _ in range(_RESUBMISSIONS):
        pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
        if not pending:
            return
    raise RuntimeError(f"{table}: {len(pending[table])} deletes still unprocessed after {_RESUBMISSIONS} tries")


def empty_bucket(s3: Any, bucket: str) -> int:
    """Delete every object (every version and delete marker) of `bucket`; returns how many."""
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        objects = [
            {"Key": entry["Key"], "VersionId": entry["VersionId"]}
            for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        ]
        for start in range(0, len(objects), S3_DELETE_LIMIT):
            chunk = objects[start : start + S3_DELETE_LIMIT]
            errors = s3.delete_objects(Bucket=bucket, Delete={"Objects": chunk, "Quiet": True}).get("Errors")
            if errors:
                raise RuntimeError(f"{bucket}: could not delete {errors}")
            deleted += len(chunk)
    return deleted


def _create_table_args(name: str, props: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PROVISIONED"),
    }
    if args["BillingMode"] == "PROVISIONED":
        args["ProvisionedThroughput"] = props["ProvisionedThroughput"]
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if props.get(key):
            args[key] = [
                {k: v for k, v in index.items() if k in ("IndexName", "KeySchema", "Projection")}
                for index in props[key]
            ]
    return args


def shell_overrides(template: Template, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Variables the template declares and the shell sets: the shell wins (e.g. NOTIFY_LISTEN_WINDOW_SECONDS)."""
    declared = {name for fn in template.functions.values() for name in fn.environment}
    return {name: environ[name] for name in declared if name in environ}


def _names_any(text: object, logical_ids: set[str]) -> bool:
    """Whether a `!Sub` string refers to one of `logical_ids` (`${JsonApi}`)."""
    return isinstance(text, str) and any(f"${{{logical_id}}}" in text for logical_id in logical_ids)
