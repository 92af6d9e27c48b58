"""POST /telemetry/report."""

from typing import Any

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from telemetry_gateway import clock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.http import body_bytes, header
from telemetry_gateway.telemetry import reports, wiring
from telemetry_gateway.telemetry.settings import settings
from telemetry_gateway.telemetry.web import telemetry_function

# Time kept back to answer 503 before Lambda's own timeout would.
RESERVE_SECONDS = 1.5


@telemetry_function
def handler(event: APIGatewayProxyEvent, context: LambdaContext) -> dict[str, Any]:
    request = reports.ReportRequest(
        authorization=header(event, "Authorization"),
        registration_id=header(event, "X-Telemetry-Registration-Id"),
        content_encoding=header(event, "Content-Encoding"),
        body=body_bytes(event),
    )
    now = clock.current()
    stores = reports.ReportStores(wiring.registrations(), wiring.telemetry_store(), wiring.payloads())
    return reports.accept_report(
        request,
        stores,
        wiring.signing_key(),
        settings(),
        now,
        Deadline.from_context(context, now, RESERVE_SECONDS),
    )
