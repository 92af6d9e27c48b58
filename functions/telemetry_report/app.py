"""POST /telemetry/report."""

from telemetry_gateway.telemetry import api, reports
from telemetry_gateway.telemetry.config import ReportConfig
from telemetry_gateway.web.http import LambdaResponse
from telemetry_gateway.web.route import Request

RESERVE_SECONDS = 1.5  # kept back to answer before Lambda's own timeout
route = api.route(ReportConfig.from_env(), RESERVE_SECONDS)


@route.handler
def handler(request: Request[ReportConfig]) -> LambdaResponse:
    report = reports.ReportRequest(
        authorization=request.header("Authorization"),
        registration_id=request.header("X-Telemetry-Registration-Id"),
        content_encoding=request.header("Content-Encoding"),
        body=request.body,
    )
    reporter = reports.authorize(report, request.config, request.deadline)  # 401: token or registration
    # 400 body, 413 too large; stored, or queued whole when storage keeps failing (503 only if that fails too)
    receipt = reports.accept(report, reporter, request.config, request.clock, request.deadline)
    return api.render(receipt)
