"""Credentials: the issued formats, SHA-256 of the whole string, and the shapes refused unseen."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest

from cli import notify_admin
from support.clock import ManualClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify import credentials


def test_issued_credentials_are_prefix_plus_43_url_safe_characters() -> None:
    for kind, prefix in ((credentials.KA, "KA"), (credentials.KC, "KC"), (credentials.KS, "KS")):
        value = notify_admin.issue(kind)
        assert re.fullmatch(prefix + r"[A-Za-z0-9_-]{43}", value), value
    assert notify_admin.issue(credentials.KA) != notify_admin.issue(credentials.KA)


def test_digest_is_lowercase_hex_sha256_of_the_full_string() -> None:
    assert credentials.digest("KSabc") == hashlib.sha256(b"KSabc").hexdigest()


class NoLookups:
    def owner(self, *_: Any) -> str:
        raise AssertionError("a malformed credential must not reach storage")


@pytest.mark.parametrize(
    "segment", ["", "KA" + "a" * 39, "KA" + "a" * 129, "KA" + "a" * 40 + "!", "XA" + "a" * 43, "ka" + "a" * 43]
)
def test_malformed_cookies_are_unknown_without_a_lookup(segment: str) -> None:
    deadline = Deadline.after(ManualClock(), 5)

    assert credentials.cookie_owner(NoLookups(), credentials.KA, segment, deadline) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("secret", [None, "", "x" * 257])
def test_missing_or_overlong_secrets_are_unknown_without_a_lookup(secret: str | None) -> None:
    deadline = Deadline.after(ManualClock(), 5)

    assert credentials.secret_owner(NoLookups(), secret, deadline) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["atest@telemetry", "a", "A.b_c+d-e@f", "x" * 64])
def test_valid_names(name: str) -> None:
    assert notify_admin.check_name(name) == name


@pytest.mark.parametrize("name", ["", "x" * 65, "with space", "slash/name", "hash#name"])
def test_invalid_names(name: str) -> None:
    with pytest.raises(ValueError, match="invalid name"):
        notify_admin.check_name(name)
