"""Resolves the CloudFormation intrinsics the template uses (Ref, GetAtt, Sub, Join, Select) locally."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


class UnresolvedReference(KeyError):
    pass


@dataclass
class StackContext:
    region: str
    account_id: str = "123456789012"
    stack_name: str = "local"
    parameters: dict[str, str] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # logical id → value of !Ref
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)  # (logical id, attr) → value
    mappings: dict[str, Any] = field(default_factory=dict)  # the template's Mappings
    conditions: dict[str, Any] = field(default_factory=dict)  # the template's Conditions, unevaluated

    def condition(self, name: str) -> bool:
        return bool(resolve(self.conditions[name], self))

    def ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account_id,
            "AWS::StackName": self.stack_name,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
        for table in (pseudo, self.parameters, self.refs):
            if name in table:
                return table[name]
        raise UnresolvedReference(name)

    def get_att(self, name: str, attribute: str) -> str:
        try:
            return self.attributes[(name, attribute)]
        except KeyError:
            raise UnresolvedReference(f"{name}.{attribute}") from None


_SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


def resolve(value: Any, ctx: StackContext) -> Any:
    if isinstance(value, list):
        return [resolve(item, ctx) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        return {key: resolve(item, ctx) for key, item in value.items()}
    ((key, arg),) = value.items()
    if key == "Ref":
        return ctx.ref(arg)
    if key == "Fn::GetAtt":
        name, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
        return ctx.get_att(name, attribute)
    if key == "Fn::Sub":
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], resolve(arg[1], ctx))
        return _substitute(text, variables, ctx)
    if key == "Fn::Join":
        separator, items = arg
        return separator.join(str(item) for item in resolve(items, ctx))
    if key == "Fn::Select":
        index, items = resolve(arg, ctx)
        return items[int(index)]
    if key == "Fn::FindInMap":
        mapping, top, second = (str(part) for part in resolve(arg, ctx))
        return ctx.mappings[mapping][top][second]
    if key in _CONDITIONS:
        return _CONDITIONS[key](arg, ctx)
    if key == "Fn::If":
        name, when_true, when_false = arg
        return resolve(when_true if ctx.condition(name) else when_false, ctx)
    return {key: resolve(arg, ctx)}


_CONDITIONS: dict[str, Any] = {
    "Condition": lambda name, ctx: ctx.condition(name),
    "Fn::Equals": lambda arg, ctx: str(resolve(arg[0], ctx)) == str(resolve(arg[1], ctx)),
    "Fn::Not": lambda arg, ctx: not resolve(arg[0], ctx),
    "Fn::And": lambda arg, ctx: all(resolve(item, ctx) for item in arg),
    "Fn::Or": lambda arg, ctx: any(resolve(item, ctx) for item in arg),
}


def _substitute(text: str, variables: dict[str, Any], ctx: StackContext) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in variables:
            return str(variables[name])
        if "." in name and not name.startswith("AWS::"):
            resource, attribute = name.split(".", 1)
            return ctx.get_att(resource, attribute)
        return ctx.ref(name)

    return _SUB_VARIABLE.sub(replace, text)
