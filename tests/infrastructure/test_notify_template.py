"""The notify section of template.yaml agrees with the spec's windows and with the code's keys."""

from __future__ import annotations

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
