"""Where `tgw` acts: the running `make run` of this checkout (--local) or a deployed stack."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.exceptions import ClientError

from cli.errors import EXIT_UNREACHABLE, LOCAL_HINT, CommandError
from local import state
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.storage.table import Table

PROBE_SECONDS = 2  # a running `make run` answers at once


class TargetError(CommandError):
    """The target cannot do what the command needs (e.g. it lacks a stack output)."""


class TargetUnreachable(TargetError):
    """No running `make run`, no such stack: nothing to act on."""

    exit_code = EXIT_UNREACHABLE


@dataclass
class Target:
    outputs: dict[str, str]
    session: boto3.session.Session
    endpoint_url: str | None = None
    label: str = "the stack"  # how messages name the target

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.endpoint_url)  # type: ignore[call-overload]

    def output(self, name: str) -> str:
        try:
            return self.outputs[name]
        except KeyError:
            raise TargetError(f"{self.label} has no output {name} (deployed from an older template.yaml?)") from None

    def table(self, output: str) -> Table:
        """The table a stack output names, reached with this target's credentials."""
        client = self.client("dynamodb")
        return Table(self.output(output), lambda: client)

    def bucket(self, output: str) -> Bucket:
        client = self.client("s3")
        return Bucket(self.output(output), lambda: client)


def local_target() -> Target:
    """The running `make run` of this checkout, as its `.local-data/server.json` describes it; refused at
    once when that file is missing or names a server that no longer answers (a `make run` killed hard)."""
    path = state.DATA_DIR / state.SERVER_FILE
    try:
        info = state.read_server_info(state.DATA_DIR)
        endpoint, region, outputs = str(info["aws_endpoint"]), str(info["region"]), dict(info["outputs"])
    except FileNotFoundError:
        raise TargetUnreachable(f"cannot reach the local server ({path} not found): {LOCAL_HINT}") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise TargetUnreachable(f"cannot reach the local server ({path} is unreadable): restart `make run`") from None
    address = urlsplit(endpoint)
    try:
        socket.create_connection((address.hostname or "127.0.0.1", address.port or 80), PROBE_SECONDS).close()
    except OSError:
        raise TargetUnreachable(
            f"cannot reach the local server (nothing answers at {endpoint}): {LOCAL_HINT}"
        ) from None
    session = boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local", region_name=region)
    return Target(outputs, session, endpoint, "the local server")


def stack_target(stack_name: str, region: str | None) -> Target:
    """A deployed stack, through the normal credential chain; resources come from its outputs."""
    session = boto3.session.Session(region_name=region)
    try:
        stacks = session.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as error:
        if "does not exist" in str(error.response.get("Error", {}).get("Message", "")):
            where = session.region_name or "the configured region"
            raise TargetUnreachable(f"no stack named {stack_name} in {where}") from None
        raise
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    return Target(outputs, session, label=f"the stack {stack_name}")
