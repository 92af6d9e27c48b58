"""POST /telemetry/report."""

from telemetry_gateway.telemetry import api, reports
from telemetry_gateway.telemetry.config import ReportConfig
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.5  # kept back to answer 503 before Lambda's own timeout
route = api.route(ReportConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[ReportConfig]) -> LambdaResponse:
    report = reports.ReportRequest(
        authorization=request.header("Authorization"),
        registration_id=request.header("X-Telemetry-Registration-Id"),
        content_encoding=request.header("Content-Encoding"),
        body=request.body,
    )
    registration_id = reports.authorize(report, request.config, request.deadline)  # 401: token or registration
    receipt = reports.accept(report, registration_id, request.config, request.clock, request.deadline)  # 400, 413
    return api.render(receipt)
