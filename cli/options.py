"""The command line's shared parts: the parser every command gets (with `--json`, help that shows defaults,
usage errors raised instead of printed), the value types that refuse bad input with a clear message, and
the `--limit`/`--all` options of every list.

A value type raises argparse.ArgumentTypeError with what was wrong; argparse prefixes the option
(`argument --since: ...`) and cli.main prints it as a usage error (exit 2).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any, NoReturn

from cli import notify_admin
from cli import sensor_data as data
from cli.dates import NotADate, parse_moment
from cli.errors import UsageError
from cli.sensor_admin import OperatorError
from telemetry_gateway.sensors.addressing import MAX_CLIENT_ID, is_valid_namespace
from telemetry_gateway.sensors.data_records import Area

JSON_HELP = 'print exactly one JSON object on stdout (on failure: {"error": ...}); accepted anywhere on the line'
DEFAULT_LIMIT = 100
MAX_LIMIT = 1_000_000
MAX_SECONDS = 10 * 365 * 86400
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
# The command a parsed line runs, as the operator would type it ("tgw notify user list"): named in errors.
COMMAND = "tgw_command"
type Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]  # generic only to the type checker


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions as written; every option's help ends with its default, when it has one worth showing
    (not a flag's False, not None, and not when the help already says what the default is)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help
        if text is None or "default" in text or not _has_default(action):
            return text
        return f"{text} (default: %(default)s)"


def _has_default(action: argparse.Action) -> bool:
    default = action.default
    return default not in (None, False, argparse.SUPPRESS, []) and bool(action.option_strings)


class Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands whose one-line help is also their description, and which remember their full name."""

    def add_parser(self, name: str, **kwargs: Any) -> Parser:
        kwargs.setdefault("description", kwargs.get("help"))
        parser: Parser = super().add_parser(name, **kwargs)
        parser.set_defaults(**{COMMAND: parser.prog})
        return parser


class Parser(argparse.ArgumentParser):
    """Every parser of the tree: `--json` on each (so it is accepted anywhere), defaults shown in help,
    no abbreviated options (a new option must not change what an old command line means), and usage
    errors raised as cli.errors.UsageError for cli.main to print (as JSON with --json)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self.register("action", "parsers", Commands)
        self.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=JSON_HELP)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message.removeprefix('argument ')}; see `{self.prog} --help`")


def subcommands(parser: argparse.ArgumentParser, dest: str, help: str) -> Subcommands:
    """A required choice of subcommand, named by `dest` in usage, e.g. COMMAND."""
    return parser.add_subparsers(dest=dest, required=True, metavar=dest.upper(), help=help)


def wants_json(argv: Sequence[str]) -> bool:
    """Whether `--json` is on the line (before any `--`), known even when the line does not parse."""
    before = argv[: list(argv).index("--")] if "--" in argv else argv
    return "--json" in before


# ---------------------------------------------------------------------------------------- value types


def _refuse(message: str) -> NoReturn:
    raise argparse.ArgumentTypeError(message)


def _whole(text: str, low: int, high: int, refusal: str) -> int:
    """The number `text` spells in ASCII digits, if it is within [low, high]; `refusal` names the range."""
    if text.isascii() and text.isdigit() and len(text) <= len(str(high)) and low <= int(text) <= high:
        return int(text)
    _refuse(f"{text!r} is not {refusal}")


def count(value: str) -> int:
    """How many to show (--limit): 1 to MAX_LIMIT; --all for more."""
    return _whole(value, 1, MAX_LIMIT, f"a whole number from 1 to {MAX_LIMIT} (use --all for every one)")


def port(value: str) -> int:
    """A TCP port (0: any free one)."""
    return _whole(value, 0, 65535, "a port from 0 to 65535")


def seconds(value: str) -> int:
    """A number of seconds from 1 up to ten years (--expires-in)."""
    return _whole(value, 1, MAX_SECONDS, f"a number of seconds from 1 to {MAX_SECONDS} (ten years)")


def identifier(value: str) -> int:
    """An id as the stores keep it: a decimal number from 0 to 2^64-1."""
    return _whole(value, 0, MAX_CLIENT_ID, "an id (a whole number from 0 to 2^64-1)")


def text(value: str) -> str:
    if not value.strip():
        _refuse("must not be empty")
    return value


def namespace(value: str) -> str:
    if not is_valid_namespace(value):
        _refuse(f"{value!r} is not a namespace name (1-40 characters from a-z, 0-9 and -)")
    return value


def holder_name(value: str) -> str:
    """A Notify user or circuit name."""
    try:
        return notify_admin.check_name(value)
    except ValueError:
        _refuse(f"{value!r} is not a valid name: use 1-64 characters from A-Z, a-z, 0-9 and ._@+-")


def stack_name(value: str) -> str:
    if not value[:1].isalpha() or not value.replace("-", "").isalnum() or len(value) > 128 or not value.isascii():
        _refuse(f"{value!r} is not a CloudFormation stack name")
    return value


def region(value: str) -> str:
    if not _REGION.fullmatch(value):
        _refuse(f"{value!r} is not an AWS region, e.g. eu-central-1")
    return value


def start_moment(value: str) -> datetime:
    """The start of a span (--since, --start): a date alone is that day's first instant."""
    try:
        return parse_moment(value)
    except NotADate as refused:
        _refuse(str(refused))


def end_moment(value: str) -> datetime:
    """The end of a span (--until, --end): a date alone includes that whole day."""
    try:
        return parse_moment(value, end_of_day=True)
    except NotADate as refused:
        _refuse(str(refused))


def area(value: str) -> Area:
    try:
        return data.parse_area(value)
    except OperatorError as refused:
        _refuse(str(refused).removeprefix("--area "))


# ---------------------------------------------------------------------------------------- lists


def add_list_options(parser: argparse.ArgumentParser, what: str) -> None:
    """`--limit N` or `--all`: a list never stops silently; it says when more exist (cli.output)."""
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--limit", type=count, default=DEFAULT_LIMIT, metavar="N", help=f"show at most N {what}, from the first"
    )
    size.add_argument("--all", dest="everything", action="store_true", help=f"show every one of the {what}")


def limit_of(args: argparse.Namespace) -> int | None:
    """How many the list may show: None for all."""
    return None if args.everything else int(args.limit)


def fetch_size(limit: int | None) -> int | None:
    """How many to read to know whether more exist than `limit`: one more."""
    return None if limit is None else limit + 1


def first[T](found: Iterable[T], limit: int | None) -> tuple[list[T], bool]:
    """At most `limit` of `found` (reading one more, no further), and whether more exist."""
    taken = list(islice(found, fetch_size(limit)))
    if limit is None or len(taken) <= limit:
        return taken, False
    return taken[:limit], True


def span_order(since: datetime | None, until: datetime | None, names: tuple[str, str]) -> None:
    if since is not None and until is not None and since > until:
        raise UsageError(f"{names[0]} must not be after {names[1]}")
