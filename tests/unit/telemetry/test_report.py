import json

import pytest

from support.reports import (
    ABSENT,
    BUNDLE_CLIENT_ID,
    BUNDLE_ID,
    ITEM_ID,
    REPORT_CLIENT_ID,
    REPORT_ID,
    TIMESTAMP,
    bundle,
    item,
    report,
)
from telemetry_gateway.telemetry.errors import TelemetryError
from telemetry_gateway.telemetry.report import Item, parse_report

OTHER_ID = "9e107d9d-372b-4b6a-8f2c-3c1b2a4d5e6f"


def _refusal(body: bytes) -> TelemetryError:
    with pytest.raises(TelemetryError) as caught:
        parse_report(body)
    assert caught.value.status == 400
    assert caught.value.scope is None
    return caught.value


def test_reference_report_becomes_typed_values() -> None:
    body = report(
        bundle(item(footer={"checksum": "568df23401425a56e9e568e2847fa735"}, telemetryAnnotations=["DEVTEST"]))
    )

    parsed = parse_report(body)

    assert (parsed.report_id, parsed.timestamp, parsed.client_id) == (REPORT_ID, TIMESTAMP, REPORT_CLIENT_ID)
    assert parsed.annotations == ("",)
    assert parsed.checksum == ""
    [only_bundle] = parsed.bundles
    assert (only_bundle.bundle_id, only_bundle.client_id, only_bundle.customer_id) == (
        BUNDLE_ID,
        BUNDLE_CLIENT_ID,
        "",
    )
    assert only_bundle.items == (
        Item(
            telemetry_id=ITEM_ID,
            timestamp=TIMESTAMP,
            type="SLE-SERVER-SCCHwInfo",
            annotations=("DEVTEST",),
            checksum="568df23401425a56e9e568e2847fa735",
            data_text='{"version":1,"data":{}}',
        ),
    )


@pytest.mark.parametrize(
    "data",
    [
        '{ "version" : 1.50E+02,\n\t"data": {"a": "\\u00e9 \\"x\\"", "a": [1, -0, 1e400]} }',
        "null",
        "{}",
        '"just a string"',
        "1" * 5000,  # beyond Python's int digit limit, still valid JSON
    ],
)
def test_data_text_is_kept_exactly_as_sent(data: str) -> None:
    parsed = parse_report(report(bundle(item(data=data))))

    assert parsed.bundles[0].items[0].data_text == data


def test_duplicate_keys_keep_the_last_value() -> None:
    body = (
        report(bundle(item(data='{"first":1}')))
        .decode()
        .replace('"telemetryData":{"first":1}', '"telemetryData":{"first":1},"telemetryData":{"last":2}')
        .replace('"reportId": ', '"reportId": "not a uuid", "reportId": ')
        .encode()
    )

    parsed = parse_report(body)

    assert parsed.report_id == REPORT_ID
    assert parsed.bundles[0].items[0].data_text == '{"last":2}'


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [(ABSENT, None), (None, None), ([], ()), ([""], ("",)), (["a", "b=c"], ("a", "b=c"))],
)
def test_annotations_distinguish_absent_from_empty(annotations: object, expected: object) -> None:
    body = report(
        bundle(item(telemetryAnnotations=annotations), bundleAnnotations=annotations),
        reportAnnotations=annotations,
    )

    parsed = parse_report(body)

    assert parsed.annotations == expected
    assert parsed.bundles[0].annotations == expected
    assert parsed.bundles[0].items[0].annotations == expected


def test_optional_values_default_to_empty_strings() -> None:
    parsed = parse_report(report(bundle(item(footer=None), bundleCustomerId=ABSENT, footer={}), footer=None))

    assert parsed.checksum == ""
    assert parsed.bundles[0].customer_id == ""
    assert parsed.bundles[0].checksum == ""
    assert parsed.bundles[0].items[0].checksum == ""


def test_unknown_keys_are_ignored_at_every_level() -> None:
    body = json.loads(report(bundle(item())))
    body["extra"] = {"x": [1]}
    body["header"]["Extra"] = 1
    body["telemetryBundles"][0]["extra"] = None
    body["telemetryBundles"][0]["telemetryDataItems"][0]["footer"] = {"checksum": "", "more": True}

    parsed = parse_report(json.dumps(body).encode())

    assert parsed.report_id == REPORT_ID


def test_keys_are_case_sensitive() -> None:
    body = report().decode().replace('"reportId"', '"reportID"').encode()

    assert _refusal(body).message == "report validation failed: header.reportId is required"


def test_item_type_length_counts_characters_not_bytes() -> None:
    parsed = parse_report(report(bundle(item(telemetryType="ééééé"))))

    assert parsed.bundles[0].items[0].type == "ééééé"


def test_unpaired_surrogates_become_replacement_characters() -> None:
    body = report(bundle(item(telemetryType="\ud800abcde", telemetryAnnotations=["x\udfff"])))

    parsed_item = parse_report(body).bundles[0].items[0]

    assert parsed_item.type == "\ufffdabcde"
    assert parsed_item.annotations == ("x\ufffd",)


def test_upper_case_uuids_are_accepted() -> None:
    assert parse_report(report(reportId=REPORT_ID.upper())).report_id == REPORT_ID.upper()


ITEM_PATH = "telemetryBundles[0].telemetryDataItems[0]"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (report().replace(b'"header":', b'"head":', 1), "header is required"),
        (b'{"header":null,"telemetryBundles":[]}', "header is required"),
        (b'{"header":[],"telemetryBundles":[]}', "header has the wrong type"),
        (report(reportId=ABSENT), "header.reportId is required"),
        (report(reportId=""), "header.reportId is required"),
        (report(reportId=None), "header.reportId is required"),
        (report(reportId=17), "header.reportId has the wrong type"),
        (report(reportId="6ba7b810-9dad-41d1-80b4-00c04fd430c"), "header.reportId must be a UUID"),
        (report(reportId="6ba7b810-9dad-41d1-80b4-00c04fd430c8\n"), "header.reportId must be a UUID"),
        (report(reportTimeStamp=""), "header.reportTimeStamp is required"),
        (report(reportClientId="client"), "header.reportClientId must be a UUID"),
        (report(reportAnnotations="a"), "header.reportAnnotations has the wrong type"),
        (report(reportAnnotations=["a", 1]), "header.reportAnnotations[1] has the wrong type"),
        (report(reportAnnotations=[None]), "header.reportAnnotations[0] has the wrong type"),
        (report(footer="x"), "footer has the wrong type"),
        (report(footer={"checksum": 5}), "footer.checksum has the wrong type"),
        (
            report(footer={"checksum": "568DF23401425A56E9E568E2847FA735"}),
            "footer.checksum must be 32 lowercase hex characters",
        ),
        (
            report(footer={"checksum": "568df23401425a56e9e568e2847fa73"}),
            "footer.checksum must be 32 lowercase hex characters",
        ),
        (report().replace(b'"telemetryBundles":', b'"other":'), "telemetryBundles is required"),
        (
            report().replace(b'"telemetryBundles":[', b'"telemetryBundles":null,"x":['),
            "telemetryBundles is required",
        ),
        (
            report().replace(b'"telemetryBundles":[', b'"telemetryBundles":{},"x":['),
            "telemetryBundles has the wrong type",
        ),
        (
            report().replace(b'"telemetryBundles":[', b'"telemetryBundles":[],"x":['),
            "telemetryBundles must contain at least one element",
        ),
        (report("5"), "telemetryBundles[0] has the wrong type"),
        (report(bundle(), "null"), "telemetryBundles[1] is required"),
        (report(bundle().replace('"header":', '"head":', 1)), "telemetryBundles[0].header is required"),
        (report(bundle(bundleId="x")), "telemetryBundles[0].header.bundleId must be a UUID"),
        (report(bundle(bundleTimeStamp=ABSENT)), "telemetryBundles[0].header.bundleTimeStamp is required"),
        (report(bundle(bundleClientId="")), "telemetryBundles[0].header.bundleClientId is required"),
        (
            report(bundle(bundleCustomerId=0)),
            "telemetryBundles[0].header.bundleCustomerId has the wrong type",
        ),
        (
            report(bundle(bundleAnnotations={})),
            "telemetryBundles[0].header.bundleAnnotations has the wrong type",
        ),
        (
            report(bundle(footer={"checksum": "nope"})),
            "telemetryBundles[0].footer.checksum must be 32 lowercase hex characters",
        ),
        (
            report(bundle().replace('"telemetryDataItems":[', '"telemetryDataItems":[],"x":[')),
            "telemetryBundles[0].telemetryDataItems must contain at least one element",
        ),
        (
            report(bundle().replace('"telemetryDataItems":[', '"telemetryDataItems":"","x":[')),
            "telemetryBundles[0].telemetryDataItems has the wrong type",
        ),
        (
            report(bundle().replace('"telemetryDataItems":', '"items":')),
            "telemetryBundles[0].telemetryDataItems is required",
        ),
        (report(bundle(item(), "[]")), "telemetryBundles[0].telemetryDataItems[1] has the wrong type"),
        (report(bundle(item().replace('"header":', '"head":'))), f"{ITEM_PATH}.header is required"),
        (
            report(bundle(item(telemetryId=ITEM_ID[:-1] + "g"))),
            f"{ITEM_PATH}.header.telemetryId must be a UUID",
        ),
        (report(bundle(item(telemetryTimeStamp=None))), f"{ITEM_PATH}.header.telemetryTimeStamp is required"),
        (report(bundle(item(telemetryType=ABSENT))), f"{ITEM_PATH}.header.telemetryType is required"),
        (
            report(bundle(item(telemetryType="SLES"))),
            f"{ITEM_PATH}.header.telemetryType must be at least 5 characters",
        ),
        (
            report(bundle(item(telemetryType=["SLE-SERVER"]))),
            f"{ITEM_PATH}.header.telemetryType has the wrong type",
        ),
        (
            report(bundle(item(telemetryAnnotations=[{}]))),
            f"{ITEM_PATH}.header.telemetryAnnotations[0] has the wrong type",
        ),
        (report(bundle(item(data=None))), f"{ITEM_PATH}.telemetryData is required"),
        (report(bundle(item(footer=[]))), f"{ITEM_PATH}.footer has the wrong type"),
        (report(bundle(item(footer={"checksum": 1}))), f"{ITEM_PATH}.footer.checksum has the wrong type"),
    ],
)
def test_violations_name_path_and_problem(body: bytes, message: str) -> None:
    assert _refusal(body).message == f"report validation failed: {message}"


def test_item_checksum_has_no_format_rule() -> None:
    parsed = parse_report(report(bundle(item(footer={"checksum": "Not An MD5"}))))

    assert parsed.bundles[0].items[0].checksum == "Not An MD5"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            report(bundle(item(telemetryType="x")), reportClientId="x", footer={"checksum": "x"}),
            "header.reportClientId must be a UUID",
        ),
        (
            report(bundle(item(telemetryType="x"), bundleId="x"), bundle(bundleId="y")),
            "telemetryBundles[0].header.bundleId must be a UUID",
        ),
        (
            report(bundle(item(telemetryType="x"), footer={"checksum": "x"}), bundle(bundleId="y")),
            f"{ITEM_PATH}.header.telemetryType must be at least 5 characters",
        ),
        (
            report(bundle(item(), item(telemetryId="x"), item(telemetryType="x"))),
            "telemetryBundles[0].telemetryDataItems[1].header.telemetryId must be a UUID",
        ),
        (
            report(bundle(footer={"checksum": "x"}), footer={"checksum": "y"}),
            "telemetryBundles[0].footer.checksum must be 32 lowercase hex characters",
        ),
        (
            report(bundle(item(telemetryId="x", footer=5))),
            f"{ITEM_PATH}.header.telemetryId must be a UUID",
        ),
    ],
)
def test_first_violation_in_document_order_is_reported(body: bytes, message: str) -> None:
    assert _refusal(body).message == f"report validation failed: {message}"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"[]",
        b'"report"',
        b"null",
        report() + b" x",
        report() + b"{}",
        report()[:-1],
        report(bundle(item(data="NaN"))),
        report(bundle(item(data='{"v":Infinity}'))),
        report(bundle(item(data="[-Infinity]"))),
        report(bundle(item(data='{"v":}'))),
        report(bundle(item(data="{'v':1}"))),
        report(bundle(item(data="01"))),
        report(bundle(item(data='"tab\there"'))),
        report(reportTimeStamp="\u00e9").replace(b"\\u00e9", b"\xe9"),
        report().replace(b'"telemetryBundles"', b'"telemetry\xffBundles"'),
        b"\xef\xbb\xbf" + report(),
        report(bundle(item(data="[" * 100_000 + "]" * 100_000))),
        report().replace(b'"telemetryBundles":[', b'"telemetryBundles":[,'),
        report().replace(b'"header":', b'"header"'),
        report().replace(b'"header":', b"header:"),
    ],
)
def test_invalid_json_is_an_invalid_request_body(body: bytes) -> None:
    assert _refusal(body).message.startswith("invalid request body: ")


def test_large_report_keeps_every_item() -> None:
    blob = json.dumps({"version": 1, "data": {"text": "x <y> " * 300, "values": list(range(200))}}, indent=1)
    items = [item(data=blob.replace("<y>", f"<{index}>")) for index in range(5000)]
    body = report(bundle(*items[:2500]), bundle(*items[2500:]))
    assert len(body) > 10_000_000

    parsed = parse_report(body)

    assert [len(b.items) for b in parsed.bundles] == [2500, 2500]
    assert parsed.bundles[1].items[-1].data_text == blob.replace("<y>", "<4999>")
