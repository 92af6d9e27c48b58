import hashlib

import pytest

from support.reports import ABSENT, BUNDLE_CLIENT_ID, BUNDLE_ID, ITEM_ID, TIMESTAMP, bundle, item, report
from telemetry_gateway.telemetry.checksums import compact_data, data_checksum, go_quote, verify_checksums
from telemetry_gateway.telemetry.errors import TelemetryError
from telemetry_gateway.telemetry.report import parse_report

OTHER_ITEM_ID = "9e107d9d-372b-4b6a-8f2c-3c1b2a4d5e6f"
OTHER_BUNDLE_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
WRONG = "0" * 32


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("\b\f\n\r\t", '"\\b\\f\\n\\r\\t"'),
        ("\x00\x01\x1f", '"\\u0000\\u0001\\u001f"'),
        ("<a href='x'>&</a>", "\"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e\""),
        ("\u2028\u2029", '"\\u2028\\u2029"'),
        ("lone \ud800 and \udfff", '"lone \ufffd and \ufffd"'),
        ("\x7f é 😀 /", '"\x7f é 😀 /"'),
    ],
)
def test_go_quote_matches_go_encoding(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted


@pytest.mark.parametrize(
    ("data", "compacted"),
    [
        ('{"version":1,"data":{}}', '{"version":1,"data":{}}'),
        (' {\n\t"version" : 1 ,\r\n "data" : { } }\n', '{"version":1,"data":{}}'),
        ('{"a b": " c  d ", "e": [ 1.50E+02 , -0 ]}', '{"a b":" c  d ","e":[1.50E+02,-0]}'),
        ('[ "esc \\" quote ", "\\\\", "\\u00e9 \\n" ]', '["esc \\" quote ","\\\\","\\u00e9 \\n"]'),
        ('{"a": 1, "a": 2}', '{"a":1,"a":2}'),
        ('{"html": "<b> & </b>"}', '{"html":"\\u003cb\\u003e \\u0026 \\u003c/b\\u003e"}'),
        ('"line\u2028para\u2029"', '"line\\u2028para\\u2029"'),
        ("[true, false, null]", "[true,false,null]"),
    ],
)
def test_compact_data_keeps_everything_but_whitespace(data: str, compacted: str) -> None:
    assert compact_data(data) == compacted


def test_data_checksum_reference_vector() -> None:
    assert data_checksum('{"version":1,"data":{}}') == "568df23401425a56e9e568e2847fa735"
    assert data_checksum('{ "version": 1, "data": {} }') == "568df23401425a56e9e568e2847fa735"


# A report whose checksums were computed by hand from the recipe of spec section 8.5.
DATA_1 = '{ "version": 1,\n "data": {"k": "v & w"} }'
ITEM_1_CHECKSUM = md5('{"version":1,"data":{"k":"v \\u0026 w"}}')
ITEM_1 = (
    f'{{"header":{{"telemetryId":"{ITEM_ID}","telemetryTimeStamp":"{TIMESTAMP}",'
    '"telemetryType":"SLE-SERVER-SCCHwInfo","telemetryAnnotations":["DEVTEST","a\\u003cb"]},'
    '"telemetryData":{"version":1,"data":{"k":"v \\u0026 w"}},'
    f'"footer":{{"checksum":"{ITEM_1_CHECKSUM}"}}}}'
)
ITEM_2 = (
    f'{{"header":{{"telemetryId":"{OTHER_ITEM_ID}","telemetryTimeStamp":"{TIMESTAMP}",'
    '"telemetryType":"SLE-SERVER-SCCHwInfo"},'
    '"telemetryData":[1.0,"x"],"footer":{"checksum":""}}'
)
BUNDLE_1_CHECKSUM = md5(f"[{ITEM_1},{ITEM_2}]")
BUNDLE_1 = (
    f'{{"header":{{"bundleId":"{BUNDLE_ID}","bundleTimeStamp":"{TIMESTAMP}",'
    f'"bundleClientId":"{BUNDLE_CLIENT_ID}","bundleCustomerId":"","bundleAnnotations":[""]}},'
    f'"telemetryDataItems":[{ITEM_1},{ITEM_2}],"footer":{{"checksum":"{BUNDLE_1_CHECKSUM}"}}}}'
)
ITEM_3 = (
    f'{{"header":{{"telemetryId":"{ITEM_ID}","telemetryTimeStamp":"{TIMESTAMP}",'
    '"telemetryType":"SLE-SERVER-SCCHwInfo","telemetryAnnotations":[""]},'
    '"telemetryData":{"version":1,"data":{}},"footer":{"checksum":""}}'
)
BUNDLE_2 = (
    f'{{"header":{{"bundleId":"{OTHER_BUNDLE_ID}","bundleTimeStamp":"{TIMESTAMP}",'
    f'"bundleClientId":"{BUNDLE_CLIENT_ID}","bundleCustomerId":"ACME"}},'
    f'"telemetryDataItems":[{ITEM_3}],"footer":{{}}}}'
)
REPORT_CHECKSUM = md5(f"[{BUNDLE_1},{BUNDLE_2}]")


def hand_checked_report(
    item_1: str = ITEM_1_CHECKSUM,
    bundle_1: str = BUNDLE_1_CHECKSUM,
    item_3: str = "",
    report_checksum: str = REPORT_CHECKSUM,
) -> bytes:
    return report(
        bundle(
            item(data=DATA_1, footer={"checksum": item_1}, telemetryAnnotations=["DEVTEST", "a<b"]),
            item(data='[1.0, "x"]', telemetryId=OTHER_ITEM_ID, telemetryAnnotations=[]),
            footer={"checksum": bundle_1},
        ),
        bundle(
            item(footer={"checksum": item_3}),
            bundleId=OTHER_BUNDLE_ID,
            bundleCustomerId="ACME",
            bundleAnnotations=ABSENT,
        ),
        footer={"checksum": report_checksum},
    )


def test_checksums_computed_by_the_recipe_verify() -> None:
    verify_checksums(parse_report(hand_checked_report()))


def test_absent_and_empty_checksums_are_skipped() -> None:
    verify_checksums(parse_report(hand_checked_report(item_1="", bundle_1="", report_checksum="")))


@pytest.mark.parametrize(
    ("checksums", "where"),
    [
        ({"item_1": WRONG}, "bundle 0 item 0"),
        ({"item_1": md5('{"version":1,"data":{"k":"v & w"}}')}, "bundle 0 item 0"),
        ({"item_3": md5('{"version":1,"data":{}} ')}, "bundle 1 item 0"),
        ({"bundle_1": WRONG}, "bundle 0"),
        ({"report_checksum": WRONG}, "report"),
        ({"bundle_1": WRONG, "item_3": WRONG}, "bundle 0"),
        ({"item_1": WRONG, "report_checksum": WRONG}, "bundle 0 item 0"),
        ({"item_3": WRONG, "report_checksum": WRONG}, "bundle 1 item 0"),
    ],
)
def test_first_mismatch_in_verification_order_is_reported(checksums: dict[str, str], where: str) -> None:
    parsed = parse_report(hand_checked_report(**checksums))

    with pytest.raises(TelemetryError) as caught:
        verify_checksums(parsed)

    assert (caught.value.status, caught.value.message) == (400, f"checksum verification failed: {where}")


def test_item_checksum_covers_number_spelling() -> None:
    parsed = parse_report(report(bundle(item(data="[1.0]", footer={"checksum": md5("[1]")}))))

    with pytest.raises(TelemetryError, match=r"^checksum verification failed: bundle 0 item 0$"):
        verify_checksums(parsed)


def _legacy_control_report(escape: str) -> bytes:
    """A bundle and report hashed with U+0008 in an annotation written as `escape`."""
    item_text = (
        f'{{"header":{{"telemetryId":"{ITEM_ID}","telemetryTimeStamp":"{TIMESTAMP}",'
        f'"telemetryType":"SLE-SERVER-SCCHwInfo","telemetryAnnotations":["back{escape}space"]}},'
        '"telemetryData":{"version":1,"data":{}},"footer":{"checksum":""}}'
    )
    bundle_checksum = md5(f"[{item_text}]")
    bundle_text = (
        f'{{"header":{{"bundleId":"{BUNDLE_ID}","bundleTimeStamp":"{TIMESTAMP}",'
        f'"bundleClientId":"{BUNDLE_CLIENT_ID}","bundleCustomerId":""}},'
        f'"telemetryDataItems":[{item_text}],"footer":{{"checksum":"{bundle_checksum}"}}}}'
    )
    return report(
        bundle(
            item(telemetryAnnotations=["back\bspace"]),
            bundleAnnotations=ABSENT,
            footer={"checksum": bundle_checksum},
        ),
        footer={"checksum": md5(f"[{bundle_text}]")},
    )


@pytest.mark.parametrize("escape", ["\\b", "\\u0008"])
def test_go_before_1_22_escapes_are_accepted(escape: str) -> None:
    verify_checksums(parse_report(_legacy_control_report(escape)))


def test_unescaped_control_characters_are_not_accepted() -> None:
    parsed = parse_report(_legacy_control_report("\b"))

    with pytest.raises(TelemetryError, match=r"^checksum verification failed: bundle 0$"):
        verify_checksums(parsed)
