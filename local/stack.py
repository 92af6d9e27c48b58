"""Creates template.yaml's tables, buckets and secrets in moto and resolves every function's environment."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import boto3

from local.intrinsics import StackContext, UnresolvedReference, resolve
from local.template import Function, Template

TABLE = "AWS::DynamoDB::Table"
BUCKET = "AWS::S3::Bucket"
SECRET = "AWS::SecretsManager::Secret"
QUEUE = "AWS::SQS::Queue"


class EnvironmentConflict(ValueError):
    """Two functions give one variable different values; one process could not serve both faithfully."""


@dataclass
class LocalStack:
    template: Template
    context: StackContext

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

    def outputs(self) -> dict[str, str]:
        """Outputs that mean something locally: names of tables, buckets and secrets, and parameters."""
        resolved: dict[str, str] = {}
        for name, output in self.template.raw.get("Outputs", {}).items():
            value = output.get("Value")
            if isinstance(value, dict) and set(value) == {"Ref"}:
                try:
                    resolved[name] = self.context.ref(value["Ref"])
                except UnresolvedReference:
                    continue
        return resolved

    def table_names(self) -> list[str]:
        return [self.context.refs[name] for name in self.template.resources_of_type(TABLE)]

    def bucket_names(self) -> list[str]:
        return [self.context.refs[name] for name in self.template.resources_of_type(BUCKET)]


def context(template: Template, region: str) -> StackContext:
    """Parameters at their defaults and the names resources get locally; a secret's reference is its
    logical id until `provision` creates it (enough to resolve environments without an emulator)."""
    ctx = StackContext(region=region)
    ctx.parameters = {name: str(p.get("Default", "")) for name, p in template.parameters.items()}
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
    dynamodb = boto3.client("dynamodb", region_name=stack.context.region)
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


def reset(stack: LocalStack) -> None:
    """Fresh, empty tables and buckets (tests): cheaper than a new emulator per test."""
    dynamodb = boto3.client("dynamodb", region_name=stack.context.region)
    for name in stack.table_names():
        dynamodb.delete_table(TableName=name)
    create_tables(stack)
    s3 = boto3.resource("s3", region_name=stack.context.region)
    for name in stack.bucket_names():
        s3.Bucket(name).objects.all().delete()
    sqs = boto3.client("sqs", region_name=stack.context.region)
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
