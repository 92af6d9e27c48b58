"""template.yaml as data: functions (Globals merged in), their API routes and schedules, resources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from local.intrinsics import StackContext, resolve
from local.paths import ROOT, TEMPLATE_PATH


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !GetAtt, !Sub, …) into their long form."""


def _construct_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


def load_yaml(text: str) -> dict[str, Any]:
    data = yaml.load(text, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    if not isinstance(data, dict):
        raise ValueError("template is not a mapping")
    for section in ("Conditions", "Resources", "Outputs"):
        if section in data:
            data[section] = expand_loops(data[section])
    return data


def expand_loops(section: dict[str, Any]) -> dict[str, Any]:
    """What the AWS::LanguageExtensions transform makes of `Fn::ForEach::<name>` entries: one copy of the
    fragment per item, with `${Identifier}` and `&{Identifier}` replaced and `Ref: Identifier` the item."""
    expanded: dict[str, Any] = {}
    for key, value in section.items():
        if key.startswith("Fn::ForEach::"):
            identifier, collection, fragment = value
            for item in collection:
                expanded |= expand_loops(_substitute(fragment, identifier, str(item)))
        else:
            expanded[key] = value
    return expanded


def _substitute(node: Any, identifier: str, item: str) -> Any:
    if isinstance(node, str):
        return node.replace(f"${{{identifier}}}", item).replace(f"&{{{identifier}}}", item)
    if isinstance(node, list):
        return [_substitute(value, identifier, item) for value in node]
    if isinstance(node, dict):
        if node == {"Ref": identifier}:
            return item
        return {_substitute(k, identifier, item): _substitute(v, identifier, item) for k, v in node.items()}
    return node


@dataclass(frozen=True)
class Route:
    function: str  # logical id
    api: str  # logical id of the AWS::Serverless::Api
    method: str  # upper case, or ANY
    path: str  # as declared, e.g. /Dispatch/{ka}/{kc}


@dataclass(frozen=True)
class Schedule:
    function: str
    expression: str  # rate(5 minutes)
    input: str | None


@dataclass(frozen=True)
class Subscription:
    """A function fed by a queue (an SQS event source)."""

    function: str
    queue: str  # logical id of the AWS::SQS::Queue
    batch_size: int


@dataclass(frozen=True)
class Function:
    logical_id: str
    code_uri: str
    handler: str
    timeout: int
    memory: int
    environment: dict[str, Any]
    policies: list[Any]
    routes: tuple[Route, ...] = field(default=())
    schedules: tuple[Schedule, ...] = field(default=())
    subscriptions: tuple[Subscription, ...] = field(default=())

    @property
    def name(self) -> str:
        """snake_case of the logical id: the folder under functions/ and the file under events/."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.logical_id).lower()

    @property
    def source(self) -> Path:
        module = self.handler.rsplit(".", 1)[0].replace(".", "/")
        return ROOT / self.code_uri / f"{module}.py"


@dataclass(frozen=True)
class Template:
    raw: dict[str, Any]

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return dict(self.raw.get("Resources", {}))

    @property
    def parameters(self) -> dict[str, dict[str, Any]]:
        return dict(self.raw.get("Parameters", {}))

    def resources_of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in self.resources.items() if r.get("Type") == resource_type}

    @property
    def functions(self) -> dict[str, Function]:
        return {fid: self._function(fid, r) for fid, r in self.resources_of_type("AWS::Serverless::Function").items()}

    @property
    def routes(self) -> list[Route]:
        return [route for fn in self.functions.values() for route in fn.routes]

    @property
    def schedules(self) -> list[Schedule]:
        return [schedule for fn in self.functions.values() for schedule in fn.schedules]

    @property
    def subscriptions(self) -> list[Subscription]:
        return [subscription for fn in self.functions.values() for subscription in fn.subscriptions]

    def default_context(self, region: str = "us-east-1") -> StackContext:
        """Parameters at their defaults, with the template's mappings and conditions: enough to resolve what
        depends on settings only (a function's timeout chosen by a Parameter, say)."""
        return StackContext(
            region=region,
            parameters={name: str(p.get("Default", "")) for name, p in self.parameters.items()},
            mappings=dict(self.raw.get("Mappings", {})),
            conditions=dict(self.raw.get("Conditions", {})),
        )

    def api_properties(self, api: str) -> dict[str, Any]:
        return dict(self.resources[api].get("Properties", {}))

    def _function(self, logical_id: str, resource: dict[str, Any]) -> Function:
        globals_ = dict(self.raw.get("Globals", {}).get("Function", {}))
        props = {**globals_, **resource.get("Properties", {})}
        env = {
            **globals_.get("Environment", {}).get("Variables", {}),
            **resource.get("Properties", {}).get("Environment", {}).get("Variables", {}),
        }
        routes: list[Route] = []
        schedules: list[Schedule] = []
        subscriptions: list[Subscription] = []
        for event in (props.get("Events") or {}).values():
            kind, eprops = event.get("Type"), event.get("Properties", {})
            if kind == "Api":
                api = eprops.get("RestApiId", {}).get("Ref", "ServerlessRestApi")
                routes.append(Route(logical_id, api, eprops["Method"].upper(), eprops["Path"]))
            elif kind in ("Schedule", "ScheduleV2"):
                schedules.append(Schedule(logical_id, eprops["ScheduleExpression"], eprops.get("Input")))
            elif kind == "SQS":
                queue = eprops["Queue"]["Fn::GetAtt"][0]
                subscriptions.append(Subscription(logical_id, queue, int(eprops.get("BatchSize", 10))))
        return Function(
            logical_id=logical_id,
            code_uri=props["CodeUri"],
            handler=props["Handler"],
            timeout=int(resolve(props.get("Timeout", 3), self.default_context())),
            memory=int(resolve(props.get("MemorySize", 128), self.default_context())),
            environment=env,
            policies=list(props.get("Policies") or []),
            routes=tuple(routes),
            schedules=tuple(schedules),
            subscriptions=tuple(subscriptions),
        )


@cache
def load(path: Path = TEMPLATE_PATH) -> Template:
    return Template(load_yaml(path.read_text()))
