"""Where `tgw` acts: the running `make run` of this checkout (--local) or a deployed stack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from local import state
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.storage.table import Table


class TargetError(RuntimeError):
    pass


@dataclass
class Target:
    outputs: dict[str, str]
    session: boto3.session.Session
    endpoint_url: str | None = None

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.endpoint_url)  # type: ignore[call-overload]

    def output(self, name: str) -> str:
        try:
            return self.outputs[name]
        except KeyError:
            raise TargetError(f"the stack has no output {name}") from None

    def table(self, output: str) -> Table:
        """The table a stack output names, reached with this target's credentials."""
        client = self.client("dynamodb")
        return Table(self.output(output), lambda: client)

    def bucket(self, output: str) -> Bucket:
        client = self.client("s3")
        return Bucket(self.output(output), lambda: client)


def local_target() -> Target:
    try:
        info = state.read_server_info()
    except FileNotFoundError as exc:
        raise TargetError(str(exc)) from None
    session = boto3.session.Session(
        aws_access_key_id="local", aws_secret_access_key="local", region_name=info["region"]
    )
    return Target(dict(info["outputs"]), session, info["aws_endpoint"])


def stack_target(stack_name: str, region: str | None) -> Target:
    """A deployed stack, through the normal credential chain; resources come from its outputs."""
    session = boto3.session.Session(region_name=region)
    stacks = session.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    return Target(outputs, session)
