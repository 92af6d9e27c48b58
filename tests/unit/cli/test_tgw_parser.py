"""`tgw`'s command tree: every command described, every option and positional with help, defaults shown,
`--json` on every command, usage errors raised (never printed), values refused with a clear message."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from cli import main as cli_main
from cli.dates import NotADate, parse_moment
from cli.errors import UsageError
from cli.options import first, wants_json

LIST_COMMANDS = [
    "telemetry list",
    "telemetry registrations",
    "notify user list",
    "notify circuit list",
    "sensors requests",
    "sensors readings",
    "sensors events",
    "sensors picks",
]


def walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every parser of the tree with the words that reach it ("" for the root)."""
    yield " ".join(path), parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from walk(child, (*path, name))


TREE = dict(walk(cli_main.parser()))
COMMANDS = [path for path, parser in TREE.items() if path and not parser._subparsers]


def test_the_tree_has_every_command_the_specs_name() -> None:
    assert {"notify user create", "notify circuit rotate-secret", "sensors clear-namespace"} <= set(COMMANDS)
    assert set(LIST_COMMANDS) <= set(COMMANDS)
    assert len(COMMANDS) >= 20


@pytest.mark.parametrize("path", list(TREE), ids=lambda path: path or "tgw")
def test_every_parser_has_a_description_and_every_action_has_help(path: str) -> None:
    parser = TREE[path]
    missing = [action.dest for action in parser._actions if not action.help or action.help == argparse.SUPPRESS]
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    missing += [choice.dest for group in subcommands for choice in group._choices_actions if not choice.help]

    assert parser.description, path
    assert missing == [], path


@pytest.mark.parametrize("path", list(TREE), ids=lambda path: path or "tgw")
def test_every_option_with_a_default_shows_it_and_json_is_everywhere(path: str) -> None:
    parser = TREE[path]
    shown = " ".join(parser.format_help().split())  # help wraps lines
    defaults = [
        action
        for action in parser._actions
        if action.option_strings and action.default not in (None, False, argparse.SUPPRESS, [])
    ]

    assert "--json" in shown
    for action in defaults:
        assert f"default: {action.default}" in shown, (path, action.dest)


@pytest.mark.parametrize("path", LIST_COMMANDS)
def test_every_list_takes_limit_and_all_and_defaults_to_100(path: str) -> None:
    shown = " ".join(TREE[path].format_help().split())

    assert "--limit N show at most N" in shown
    assert "(default: 100)" in shown
    assert "--all show every one" in shown


def test_usage_errors_are_raised_with_the_command_and_its_help() -> None:
    with pytest.raises(UsageError) as refused:
        cli_main.parser().parse_args(["--local", "notify", "user", "create"])

    assert str(refused.value) == "the following arguments are required: --name; see `tgw notify user create --help`"
    assert refused.value.exit_code == 2


def test_options_are_never_abbreviated() -> None:
    with pytest.raises(UsageError, match="unrecognized arguments: --lim 2"):
        cli_main.parser().parse_args(["--local", "notify", "user", "list", "--lim", "2"])


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--json", "--local", "notify", "user", "list"], True),
        (["--local", "notify", "user", "list", "--json"], True),
        (["--local", "notify", "--json", "user", "list"], True),
        (["--local", "notify", "user", "list"], False),
        (["--local", "telemetry", "show", "--", "--json"], False),  # after `--`, a key that looks like an option
    ],
)
def test_json_is_seen_anywhere_before_a_double_dash(argv: list[str], expected: bool) -> None:
    assert wants_json(argv) is expected


@pytest.mark.parametrize("position", [0, 1, 2, 3, 4, 5])
def test_json_parses_at_every_position(position: int) -> None:
    argv = ["--local", "notify", "user", "list", "--limit", "3"]
    argv.insert(position if position != 5 else len(argv), "--json")

    parsed = cli_main.parser().parse_args(argv)

    assert (parsed.limit, parsed.json) == (3, True)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--limit", "0"], "--limit: '0' is not a whole number from 1 to 1000000 (use --all for every one)"),
        (["--limit", "-1"], "--limit: '-1' is not a whole number from 1"),
        (["--limit", "ten"], "--limit: 'ten' is not a whole number from 1"),
        (["--limit", "99999999999999999999999"], "--limit: '99999999999999999999999' is not a whole number"),
        (["--limit", "2", "--all"], "--all: not allowed with argument --limit"),
        (["--since", "yesterday"], "--since: 'yesterday' is not a date; use e.g. 2025-07-30 or 2025-07-30T10:00:00Z"),
        (["--since", "2025-02-30"], "--since: '2025-02-30' is not a date"),
        (["--until", "soon"], "--until: 'soon' is not a date"),
    ],
)
def test_bad_values_are_refused_with_what_is_expected(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError) as refused:
        cli_main.parser().parse_args(["--local", "telemetry", "list", "--type", "t", *argv])

    assert str(refused.value).startswith(message)
    assert str(refused.value).endswith("; see `tgw telemetry list --help`")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sensors", "show-client", "test", "12x"], "CLIENT_ID: '12x' is not an id (a whole number from 0 to 2^64-1)"),
        (["sensors", "show-client", "test", str(2**64)], f"CLIENT_ID: '{2**64}' is not an id"),
        (["sensors", "show-client", "Bad Name", "1"], "NAMESPACE: 'Bad Name' is not a namespace name"),
        (["sensors", "edit-client", "test", "1", "--set", "novalue"], "--set: 'novalue' is not KEY=VALUE"),
        (["notify", "user", "create", "--name", "a b"], "--name: 'a b' is not a valid name"),
        (["telemetry", "registrations", "--client", ""], "--client: must not be empty"),
        (["sensors", "request-data", "test", "--all", "--current", "--expires-in", "0"], "--expires-in: '0' is not"),
        (["sensors", "request-data", "test", "--area", "1,2", "--current"], "--area: '1,2' is not LAT,LON,METRES"),
    ],
)
def test_ids_names_and_pairs_are_checked_before_anything_is_read(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError, match="^" + message.replace("(", r"\(").replace(")", r"\)").replace("^", r"\^")):
        cli_main.parser().parse_args(["--local", *argv])


@pytest.mark.parametrize(
    ("text", "end_of_day", "moment"),
    [
        ("2025-07-30", False, datetime(2025, 7, 30, tzinfo=UTC)),
        ("2025-07-30", True, datetime(2025, 7, 30, 23, 59, 59, 999999, tzinfo=UTC)),
        ("2025-07-30T10:00", True, datetime(2025, 7, 30, 10, tzinfo=UTC)),
        ("2025-07-30 10:00:00", False, datetime(2025, 7, 30, 10, tzinfo=UTC)),
        ("2025-07-30T10:00:00.5Z", False, datetime(2025, 7, 30, 10, 0, 0, 500000, tzinfo=UTC)),
        ("2025-07-30T12:00:00+02:00", False, datetime(2025, 7, 30, 10, tzinfo=UTC)),
        ("2025-07-30T10:00:00.123456789Z", False, datetime(2025, 7, 30, 10, 0, 0, 123456, tzinfo=UTC)),
    ],
)
def test_dates_are_iso_and_utc_unless_they_carry_an_offset(text: str, end_of_day: bool, moment: datetime) -> None:
    assert parse_moment(text, end_of_day=end_of_day) == moment


@pytest.mark.parametrize("text", ["yesterday", "", "2025-13-01", "30/07/2025", "0001-01-01T00:00:00+01:00"])
def test_what_is_not_a_date_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(NotADate, match=r"is not a date; use e\.g\. 2025-07-30 or 2025-07-30T10:00:00Z \(UTC unless"):
        parse_moment(text)


@pytest.mark.parametrize(
    ("found", "limit", "expected"),
    [
        ([1, 2, 3], 2, ([1, 2], True)),
        ([1, 2, 3], 3, ([1, 2, 3], False)),
        ([1, 2, 3], 100, ([1, 2, 3], False)),
        ([1, 2, 3], None, ([1, 2, 3], False)),
        ([], 1, ([], False)),
    ],
)
def test_a_list_knows_when_more_exist(found: list[int], limit: int | None, expected: tuple[list[int], bool]) -> None:
    assert first(iter(found), limit) == expected


def test_a_list_reads_one_more_than_it_shows_and_no_further() -> None:
    read: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(1000):
            read.append(n)
            yield n

    first(numbers(), 5)

    assert read == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--stack-name", "", "notify", "user", "list"], "--stack-name: '' is not a CloudFormation stack name"),
        (["--stack-name", "1abc", "notify", "user", "list"], "--stack-name: '1abc' is not a CloudFormation stack"),
        (["--stack-name", "s", "--region", "", "notify", "user", "list"], "--region: '' is not an AWS region"),
        (["--stack-name", "s", "--region", "Mars", "notify", "user", "list"], "--region: 'Mars' is not an AWS region"),
    ],
)
def test_the_stack_and_region_are_checked_before_aws_is_asked(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError) as refused:
        cli_main.parser().parse_args(argv)

    assert str(refused.value).startswith(message)


def test_a_well_formed_stack_and_region_parse() -> None:
    parsed = cli_main.parser().parse_args(
        ["--stack-name", "telemetry-gateway", "--region", "eu-central-1", "sensors", "sweep"]
    )

    assert (parsed.stack_name, parsed.region) == ("telemetry-gateway", "eu-central-1")
