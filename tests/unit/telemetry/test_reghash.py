import hashlib

import pytest

from telemetry_gateway.telemetry.reghash import registration_hash_matches

C = "1b504dca-bd71-424f-87f6-21eb7f5745db"
S = "3f97d439-5212-4688-af22-ad0559a626cb"
T = "2024-06-30T23:59:59.999999999Z"


@pytest.mark.parametrize(
    ("method", "digest"),
    [
        ("sha256", "50affc559bfc12aded18832f09ad22d2e5835a8ddfcc0e34810cc4cb686147a7"),
        (
            "sha512",
            "274e6147d561525621c38014de250bd7dabb04de0ff2e345265ea150edff13f2"
            "d50368fff90800b8102ad74b9bc6fd3e712ba56c67f0eaec310c8183f376751d",
        ),
        ("sha256", "1a374d367946699bddce3c749ec755ce4b8859c4c9984f3c1f41460ce3bbed9c"),
        (
            "sha512",
            "e42e829103cd42a73aa33f85f52d5c6b3eb33d775beaa1cf25815ba74870a875"
            "77fd6ba12e9ebfd1b5f8a9270dea34adc02d00e0db6d1ea6c2bea5c7f51c8080",
        ),
    ],
)
def test_spec_worked_example_matches_in_both_forms(method: str, digest: str) -> None:
    assert registration_hash_matches(method, digest, C, S, T)
    assert not registration_hash_matches(method, digest.upper(), C, S, T)
    assert not registration_hash_matches(method, digest, C, S, T + " ")


@pytest.mark.parametrize("method", ["SHA256", "sha-256", "md5", ""])
def test_unknown_methods_never_match(method: str) -> None:
    digest = "50affc559bfc12aded18832f09ad22d2e5835a8ddfcc0e34810cc4cb686147a7"

    assert not registration_hash_matches(method, digest, C, S, T)


def test_empty_system_uuid_hashes_as_double_pipe_and_empty_json_string() -> None:
    pipe = hashlib.sha256(f"{C}||{T}".encode()).hexdigest()
    legacy = hashlib.sha256(f'{{"clientId":"{C}","systemUUID":"","timestamp":"{T}"}}'.encode()).hexdigest()

    assert registration_hash_matches("sha256", pipe, C, "", T)
    assert registration_hash_matches("sha256", legacy, C, "", T)


def test_legacy_form_quotes_strings_like_go() -> None:
    client_id = 'a<"b">&\u00e9'
    legacy = '{"clientId":"a\\u003c\\"b\\"\\u003e\\u0026\u00e9","systemUUID":"s","timestamp":"t"}'

    assert registration_hash_matches("sha512", hashlib.sha512(legacy.encode()).hexdigest(), client_id, "s", "t")


def test_non_ascii_offered_values_do_not_match() -> None:
    assert not registration_hash_matches("sha256", "é" * 64, C, S, T)
