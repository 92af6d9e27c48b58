"""Client secrets derived with HMAC and message signatures compared in constant time (section 6)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from telemetry_gateway.sensors.signatures import client_secret, expected_signature, signature_matches

KEY = bytes(range(64))
SECRET = "4f78828f065c861b26ea969b11e947cf3a7a793acaec33f0058dbc4455dd4689"


def test_the_secret_is_hex_hmac_sha256_of_namespace_id_and_generation() -> None:
    secret = client_secret(KEY, "csn", 12345678901234567890, 1)

    assert secret == hmac.new(KEY, b"csn/12345678901234567890/1", hashlib.sha256).hexdigest()
    assert len(secret) == 64
    assert secret == secret.lower()


def test_namespace_id_and_generation_each_change_the_secret() -> None:
    secrets = {
        client_secret(KEY, "csn", 1, 1),
        client_secret(KEY, "test", 1, 1),
        client_secret(KEY, "csn", 2, 1),
        client_secret(KEY, "csn", 1, 2),
        client_secret(bytes(64), "csn", 1, 1),
    }
    assert len(secrets) == 5


def test_the_signature_is_sha256_of_date_id_and_secret() -> None:
    date = "2014-04-13T19:42:17.744"

    assert expected_signature(date, 42, SECRET) == hashlib.sha256(f"{date}/42/{SECRET}".encode()).hexdigest()


@pytest.mark.parametrize("transform", [str, str.upper, str.title])
def test_hex_case_is_ignored(transform: object) -> None:
    good = expected_signature("d", 1, SECRET)

    assert signature_matches("d", 1, transform(good), SECRET)  # type: ignore[operator]


@pytest.mark.parametrize(
    "signature",
    ["", "0" * 64, "zz", "é" * 64, "\udcff"],
)
def test_anything_else_does_not_match(signature: str) -> None:
    assert signature_matches("d", 1, signature, SECRET) is False


def test_the_date_is_used_verbatim() -> None:
    signed = expected_signature("2014-04-13T19:42:17.744Z", 1, SECRET)

    assert not signature_matches("2014-04-13T19:42:17.744", 1, signed, SECRET)
