"""The notify section of template.yaml agrees with the spec's windows and with the code's keys."""

from __future__ import annotations

import pytest

from local.intrinsics import resolve
from local.stack import shell_overrides
from local.template import load
from telemetry_gateway.notify import directory_store as notify_directory
from telemetry_gateway.notify import mailbox_store as mailbox

TEMPLATE = load()
API_GATEWAY_TIMEOUT_SECONDS = 29
WINDOW_MARGIN_SECONDS = 3


def default_of(function: str, variable: str) -> int:
    return int(TEMPLATE.parameters[TEMPLATE.functions[function].environment[variable]["Ref"]]["Default"])


def test_default_windows_leave_3_seconds_to_the_function_and_the_front_door() -> None:
    waits = {
        "NotifyDispatch": default_of("NotifyDispatch", "NOTIFY_DISPATCH_WAIT_SECONDS"),
        "NotifyMailboxListen": default_of("NotifyMailboxListen", "NOTIFY_LISTEN_WINDOW_SECONDS"),
    }
    assert waits == {"NotifyDispatch": 25, "NotifyMailboxListen": 25}
    for name, window in waits.items():
        timeout = TEMPLATE.functions[name].timeout
        assert timeout - window >= WINDOW_MARGIN_SECONDS, name
        assert API_GATEWAY_TIMEOUT_SECONDS - window >= WINDOW_MARGIN_SECONDS, name
        assert timeout < API_GATEWAY_TIMEOUT_SECONDS, name


def test_routes_are_the_specs() -> None:
    routes = {(r.function, r.method, r.path) for r in TEMPLATE.routes if r.function.startswith("Notify")}

    assert routes == {
        ("NotifyDispatch", "POST", "/Dispatch/{ka}/{kc}"),
        ("NotifyMailboxListen", "POST", "/MailboxListen"),
        ("NotifyMailboxPost", "POST", "/MailboxPost"),
    }
    assert {r.api for r in TEMPLATE.routes if r.function.startswith("Notify")} == {"JsonApi"}


def test_windows_follow_the_shell_in_make_run() -> None:
    overrides = shell_overrides(TEMPLATE, {"NOTIFY_LISTEN_WINDOW_SECONDS": "3", "NOTIFY_DISPATCH_WAIT_SECONDS": "4"})

    assert overrides == {"NOTIFY_LISTEN_WINDOW_SECONDS": "3", "NOTIFY_DISPATCH_WAIT_SECONDS": "4"}


def test_tables_declare_the_keys_indexes_and_ttl_the_code_uses() -> None:
    box = TEMPLATE.resources["NotifyMailboxTable"]["Properties"]
    directory = TEMPLATE.resources["NotifyDirectoryTable"]["Properties"]

    assert box["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert [k["AttributeName"] for k in box["KeySchema"]] == ["pk", "sk"]
    [pending] = box["LocalSecondaryIndexes"]
    assert pending["IndexName"] == mailbox.PENDING_INDEX
    assert [k["AttributeName"] for k in pending["KeySchema"]] == ["pk", "pendingSeq"]
    [by_kind] = directory["GlobalSecondaryIndexes"]
    assert by_kind["IndexName"] == notify_directory.BY_KIND_INDEX
    assert [k["AttributeName"] for k in by_kind["KeySchema"]] == ["listKind", "name"]


def resolved_timeout(function: str, **parameters: str) -> int:
    context = TEMPLATE.default_context()
    context.parameters.update(parameters)
    return int(resolve(TEMPLATE.resources[function]["Properties"]["Timeout"], context))


def windows_allowed(door: str, timeout: str, window: int) -> bool:
    """The window parameters' bounds and the template's Rules, evaluated as CloudFormation does when deploying."""
    for name in ("NotifyDispatchWaitSeconds", "NotifyListenWindowSeconds"):
        bounds = TEMPLATE.parameters[name]
        if not int(bounds["MinValue"]) <= window <= int(bounds["MaxValue"]):
            return False
    for rule in TEMPLATE.raw["Rules"].values():
        door_rule, timeout_rule = rule["RuleCondition"]["Fn::And"]
        if door_rule["Fn::Equals"][1] != door or timeout_rule["Fn::Equals"][1] != timeout:
            continue
        for assertion in rule["Assertions"]:
            allowed, _ = assertion["Assert"]["Fn::Contains"]
            if str(window) not in allowed:
                return False
    return True


@pytest.mark.parametrize(
    ("door", "timeout", "function_timeout", "longest_window"),
    [
        ("RestApi", "29", 28, 25),
        ("RestApi", "60", 59, 56),
        ("RestApi", "300", 299, 296),
        ("FunctionUrl", "29", 604, 600),
    ],
)
def test_the_front_door_decides_the_long_polls_timeout_and_deploying_refuses_windows_it_cannot_hold(
    door: str, timeout: str, function_timeout: int, longest_window: int
) -> None:
    for function in ("NotifyDispatch", "NotifyMailboxListen"):
        assert resolved_timeout(function, NotifyFrontDoor=door, NotifyRestIntegrationTimeoutSeconds=timeout) == (
            function_timeout
        )
    assert function_timeout - longest_window >= WINDOW_MARGIN_SECONDS
    assert windows_allowed(door, timeout, longest_window)
    assert not windows_allowed(door, timeout, longest_window + 1)


def test_function_urls_exist_only_behind_that_door_and_check_their_own_credentials() -> None:
    for function in ("NotifyDispatch", "NotifyMailboxListen", "NotifyMailboxPost"):
        url = TEMPLATE.resources[f"{function}Url"]
        assert (url["Condition"], url["Properties"]["AuthType"]) == ("NotifyUsesFunctionUrls", "NONE")
        actions = {
            TEMPLATE.resources[f"{function}Url{kind}Permission"]["Properties"]["Action"]
            for kind in ("Invoke", "Function")
        }
        assert actions == {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}
        assert TEMPLATE.raw["Outputs"][f"{function}Url"]["Condition"] == "NotifyUsesFunctionUrls"
    for route in TEMPLATE.routes:
        if route.function.startswith("Notify"):
            event = next(
                e for e in TEMPLATE.resources[route.function]["Properties"]["Events"].values() if e["Type"] == "Api"
            )
            assert event["Properties"]["TimeoutInMillis"]["Fn::FindInMap"][0] == "NotifyRestTimeouts"
