"""`tgw` failing as an operator sees it, in process on the session's moto: with --json exactly one
`{"error": ...}` object on stdout and nothing on stderr; without, one line `tgw: ...` on stderr; the exit
code says which kind of failure it was, and no Python or botocore text ever shows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from cli import main as cli_main
from cli import notify_admin
from cli.target import Target
from local import state
from local.app import REGION, LocalApp
from support.local_server import free_port

LEAKS = ("Traceback", "An error occurred", "when calling the", "Parameter validation", "botocore", "Error(")


@pytest.fixture
def target(aws: LocalApp, monkeypatch: pytest.MonkeyPatch) -> Target:
    """`tgw --local` pointed at the test session's moto."""
    local = Target(aws.outputs(), boto3.session.Session(region_name=REGION))
    monkeypatch.setattr(cli_main, "local_target", lambda: local)
    return local


def tgw(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli_main.main(list(argv))
    out, err = capsys.readouterr()
    assert not any(leak in out + err for leak in LEAKS), out + err
    return status, out, err


def json_error(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run with --json: one error object on stdout, nothing on stderr; its status and message."""
    status, out, err = tgw(capsys, *argv)
    [line] = out.splitlines()
    answer: dict[str, Any] = json.loads(line)
    assert (list(answer), err) == (["error"], "")
    assert status != 0
    return status, str(answer["error"])


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["sensors", "reset-window", "test", "123"], 1, "no client 123 in namespace 'test'"),
        (["sensors", "show-client", "test", "123"], 1, "no client 123 in namespace 'test'"),
        (["sensors", "close-request", "test", "7"], 1, "no request 7 in namespace 'test'"),
        (["sensors", "reading-get", "test", "7", "--output", "/tmp/x"], 1, "no reading 7 in namespace 'test'"),
        (["notify", "user", "revoke", "--name", "nobody"], 1, "no user named nobody"),
        (["notify", "circuit", "rotate-secret", "--name", "nobody"], 1, "no circuit named nobody"),
        (["notify", "circuit", "rotate-cookie", "--name", "nobody"], 1, "no circuit named nobody"),
        (["telemetry", "show", "nothing"], 1, "no item nothing"),
        (["sensors", "clear-namespace", "csn"], 1, "clearing namespace 'csn' needs --confirm"),
    ],
)
def test_what_does_not_exist_is_one_json_error(
    target: Target, capsys: pytest.CaptureFixture[str], argv: list[str], status: int, message: str
) -> None:
    assert json_error(capsys, "--local", *argv, "--json") == (status, message)


def test_without_json_an_error_is_one_line_on_stderr(target: Target, capsys: pytest.CaptureFixture[str]) -> None:
    assert tgw(capsys, "--local", "sensors", "reset-window", "test", "123") == (
        1,
        "",
        "tgw: no client 123 in namespace 'test'\n",
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["--json", "--local", "notify", "user", "revoke", "--name", "nobody"],
        ["--local", "--json", "notify", "user", "revoke", "--name", "nobody"],
        ["--local", "notify", "--json", "user", "revoke", "--name", "nobody"],
        ["--local", "notify", "user", "--json", "revoke", "--name", "nobody"],
        ["--local", "notify", "user", "revoke", "--json", "--name", "nobody"],
        ["--local", "notify", "user", "revoke", "--name", "nobody", "--json"],
    ],
)
def test_json_anywhere_makes_the_error_json(
    target: Target, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert json_error(capsys, *argv) == (1, "no user named nobody")


@pytest.mark.parametrize(
    "argv",
    [
        ["--json", "--local", "notify", "user", "list"],
        ["--local", "--json", "notify", "user", "list"],
        ["--local", "notify", "--json", "user", "list"],
        ["--local", "notify", "user", "--json", "list"],
        ["--local", "notify", "user", "list", "--json"],
        ["--local", "notify", "user", "list", "--limit", "5", "--json"],
        ["--local", "notify", "user", "list", "--json", "--limit", "5"],
    ],
)
def test_json_anywhere_prints_one_object(target: Target, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert tgw(capsys, *argv) == (0, '{"users": []}\n', "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--local", "notify", "user", "create"], "the following arguments are required: --name; see `tgw notify"),
        (["--local", "notify", "user", "fly"], "COMMAND: invalid choice: 'fly'"),
        (["--local", "notify", "user", "list", "--colour"], "unrecognized arguments: --colour"),
        (["notify", "user", "list"], "one of the arguments --local --stack-name is required"),
        (["--local", "--stack-name", "s", "notify", "user", "list"], "--stack-name: not allowed with argument --local"),
        (["--local", "--region", "eu-west-1", "notify", "user", "list"], "--region goes with --stack-name"),
        (["--local", "notify", "user", "list", "--limit", "0"], "--limit: '0' is not a whole number from 1"),
        (["--local", "notify", "user", "list", "--limit", "-1"], "--limit: '-1' is not a whole number from 1"),
        (["--local", "telemetry", "list", "--type", "t", "--since", "yesterday"], "--since: 'yesterday' is not a date"),
        (["--local", "sensors", "picks", "test", "--since", "yesterday"], "--since: 'yesterday' is not a date; use"),
        (
            ["--local", "sensors", "picks", "test", "--since", "2025-07-30", "--until", "2025-07-29"],
            "--since must not be after --until",
        ),
        (
            [
                "--local",
                "telemetry",
                "list",
                "--type",
                "t",
                "--since",
                "2025-07-30T10:00Z",
                "--until",
                "2025-07-30T09Z",
            ],
            "--since must not be after --until",
        ),
        (
            ["--local", "sensors", "picks", "test", "--since", "2025-01-01", "--until", "2025-03-01"],
            "--since to --until spans 60 days: at most 31 at a time",
        ),
        (["--local", "sensors", "request-data", "test", "--all", "--start", "2025-07-30"], "--start and --end go"),
        (["--local", "sensors", "show-client", "test", "abc"], "CLIENT_ID: 'abc' is not an id"),
    ],
)
def test_a_wrong_command_line_is_a_json_usage_error(
    target: Target, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, said = json_error(capsys, *argv, "--json")

    assert status == 2
    assert said.startswith(message), said


def test_a_wrong_command_line_without_json_is_one_line_too(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = tgw(capsys, "--local", "sensors", "picks", "test", "--since", "yesterday")

    assert (status, out) == (2, "")
    assert err.startswith("tgw: --since: 'yesterday' is not a date; use e.g. 2025-07-30 or 2025-07-30T10:00:00Z")
    assert err.count("\n") == 1


def test_no_running_local_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(state, "DATA_DIR", tmp_path)

    status, said = json_error(capsys, "--json", "--local", "notify", "user", "list")

    assert status == 3
    assert said == (
        f"cannot reach the local server ({tmp_path / 'server.json'} not found): is `make run` running in this checkout?"
    )


def test_a_local_server_that_died_without_cleaning_up(
    aws: LocalApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make run` killed hard leaves its server.json behind: refused at once, not retried for an hour."""
    gone = f"http://127.0.0.1:{free_port()}"
    state.write_server_info({"aws_endpoint": gone, "region": REGION, "outputs": aws.outputs()}, tmp_path)
    monkeypatch.setattr(state, "DATA_DIR", tmp_path)

    status, said = json_error(capsys, "--local", "notify", "user", "list", "--json")

    assert status == 3
    assert said == f"cannot reach the local server (nothing answers at {gone}): is `make run` running in this checkout?"


def test_an_unreadable_server_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "server.json").write_text("{not json")
    monkeypatch.setattr(state, "DATA_DIR", tmp_path)

    status, said = json_error(capsys, "--local", "notify", "user", "list", "--json")

    assert (status, said) == (
        3,
        f"cannot reach the local server ({tmp_path / 'server.json'} is unreadable): restart `make run`",
    )


def test_a_stack_without_the_output_a_command_needs(
    aws: LocalApp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = {k: v for k, v in aws.outputs().items() if k != "NotifyDirectoryTableName"}
    stack = Target(outputs, boto3.session.Session(region_name=REGION), label="the stack demo")
    monkeypatch.setattr(cli_main, "stack_target", lambda _name, _region: stack)

    status, said = json_error(capsys, "--stack-name", "demo", "notify", "user", "list", "--json")

    assert (status, said) == (
        1,
        "the stack demo has no output NotifyDirectoryTableName (deployed from an older template.yaml?)",
    )


class RefusingTarget(Target):
    """A target whose DynamoDB answers every call with an AWS error, through botocore's own error path."""

    code = "AccessDeniedException"
    message = "User: arn:aws:iam::123456789012:user/op is not authorized to perform: dynamodb:Query"

    def client(self, service: str) -> Any:
        client = super().client(service)
        stubber = Stubber(client)
        for operation in ("query", "get_item", "transact_write_items"):
            stubber.add_client_error(operation, self.code, self.message)
        stubber.activate()
        return client


def test_aws_refusing_a_call_is_named_by_its_code(
    aws: LocalApp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    refusing = RefusingTarget(aws.outputs(), boto3.session.Session(region_name=REGION))
    monkeypatch.setattr(cli_main, "local_target", lambda: refusing)

    status, said = json_error(capsys, "--local", "notify", "user", "list", "--json")
    _, out, err = tgw(capsys, "--local", "notify", "user", "list")

    assert (status, said) == (1, f"AWS refused: AccessDeniedException: {RefusingTarget.message}")
    assert (out, err) == ("", f"tgw: {said}\n")


def test_an_unexpected_failure_names_the_command_never_the_exception(
    target: Target, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise ValueError("Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")

    monkeypatch.setattr(notify_admin, "listing", broken)

    status, said = json_error(capsys, "--local", "notify", "user", "list", "--json")
    _, out, err = tgw(capsys, "--local", "notify", "user", "list")

    assert status == 4
    assert said == (
        "`tgw notify user list` failed unexpectedly: this is an error in tgw itself; "
        "run it again with TGW_DEBUG=1 for the details, and report them"
    )
    assert (out, err) == ("", f"tgw: {said}\n")


def test_tgw_debug_shows_the_traceback_on_stderr_only(
    target: Target, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the details")

    monkeypatch.setattr(notify_admin, "listing", broken)
    monkeypatch.setenv("TGW_DEBUG", "1")

    status = cli_main.main(["--local", "notify", "user", "list", "--json"])
    out, err = capsys.readouterr()

    assert status == 4
    assert list(json.loads(out)) == ["error"]
    assert "Traceback" in err
    assert "RuntimeError: the details" in err


def test_ctrl_c_ends_quietly_with_130(
    target: Target, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*_: Any, **__: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(notify_admin, "listing", interrupted)

    assert tgw(capsys, "--local", "notify", "user", "list", "--json") == (130, "", "")
