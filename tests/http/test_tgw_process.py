"""`.venv/bin/tgw` as an operator runs it, a process of its own against a running `make run`: what reaches
stdout and stderr, and the exit code, end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.local_server import LocalServer, free_port, run_tgw


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.mark.parametrize(
    "argv",
    [["--json", "--local", "notify", "circuit", "list"], ["--local", "notify", "circuit", "list", "--json"]],
    ids=["first", "last"],
)
def test_json_anywhere_prints_one_object(server: LocalServer, argv: list[str]) -> None:
    done = run_tgw(server.data_dir, *argv)

    assert (done.returncode, done.stdout, done.stderr) == (0, '{"circuits": []}\n', "")


def test_an_unknown_client_is_one_json_error_and_exit_1(server: LocalServer) -> None:
    done = run_tgw(server.data_dir, "--json", "--local", "sensors", "reset-window", "test", "123")

    assert (done.returncode, done.stdout, done.stderr) == (1, '{"error": "no client 123 in namespace \'test\'"}\n', "")


def test_without_json_the_error_is_one_line_on_stderr(server: LocalServer) -> None:
    done = run_tgw(server.data_dir, "--local", "notify", "user", "revoke", "--name", "nobody")

    assert (done.returncode, done.stdout, done.stderr) == (1, "", "tgw: no user named nobody\n")


def test_a_usage_error_with_json_is_json_and_exit_2(server: LocalServer) -> None:
    done = run_tgw(server.data_dir, "--local", "sensors", "picks", "test", "--since", "yesterday", "--json")

    assert (done.returncode, done.stderr) == (2, "")
    assert json.loads(done.stdout) == {
        "error": "--since: 'yesterday' is not a date; use e.g. 2025-07-30 or 2025-07-30T10:00:00Z "
        "(UTC unless an offset is given); see `tgw sensors picks --help`"
    }


def test_no_running_server_is_exit_3(tmp_path: Path) -> None:
    done = run_tgw(tmp_path, "--local", "notify", "user", "list", "--json")

    assert (done.returncode, done.stderr) == (3, "")
    assert json.loads(done.stdout)["error"].startswith("cannot reach the local server (")


def test_a_server_gone_without_cleaning_up_is_exit_3_at_once(server: LocalServer, tmp_path: Path) -> None:
    info = server.info | {"aws_endpoint": f"http://127.0.0.1:{free_port()}"}
    (tmp_path / "server.json").write_text(json.dumps(info))

    done = run_tgw(tmp_path, "--local", "notify", "user", "list", "--json")

    assert (done.returncode, done.stderr) == (3, "")
    assert "nothing answers at" in json.loads(done.stdout)["error"]


def test_a_list_cut_at_its_limit_says_so(server: LocalServer) -> None:
    for name in ("x1", "x2"):
        assert run_tgw(server.data_dir, "--local", "notify", "user", "create", "--name", name).returncode == 0

    cut = run_tgw(server.data_dir, "--local", "notify", "user", "list", "--limit", "1")
    cut_json = run_tgw(server.data_dir, "--local", "notify", "user", "list", "--limit", "1", "--json")

    assert (cut.returncode, cut.stdout.splitlines()[-1]) == (
        0,
        "(more exist: showing the first 1; use --limit N or --all)",
    )
    assert json.loads(cut_json.stdout)["more"] is True
