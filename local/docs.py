"""The JSON API's OpenAPI document in Swagger UI at `/docs` (a `make run` convenience; the deployed APIs have
no such route). Swagger UI's files come from the `swagger-ui-dist` npm package the bootstrap installs."""

from __future__ import annotations

import mimetypes

from local.apigw import HttpResponse
from local.paths import ROOT

PREFIX = "/docs"
DOCUMENT = ROOT / "openapi" / "json-api.yaml"
ASSETS = ROOT / "node_modules" / "swagger-ui-dist"
SERVED = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png"})

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Telemetry Gateway: JSON API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "/docs/openapi.yaml",
      dom_id: "#swagger-ui",
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout",
      // "Try it out" calls this very make run, whatever its port.
      onComplete: () => { window.ui.specActions.updateJsonSpec(
        Object.assign({}, window.ui.specSelectors.specJson().toJS(), {servers: [{url: window.location.origin}]})) },
    });
  </script>
</body>
</html>
"""


def is_docs(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def answer(method: str, path: str) -> HttpResponse:
    """The page, the document or one of Swagger UI's files; GET and HEAD only."""
    if method not in ("GET", "HEAD"):
        return _plain(405, "the docs are read-only", [("Allow", "GET, HEAD")])
    name = path.removeprefix(PREFIX).strip("/")
    if not name:
        return HttpResponse(200, [("Content-Type", "text/html; charset=utf-8")], PAGE.encode())
    if name == "openapi.yaml":
        return HttpResponse(200, [("Content-Type", "application/yaml")], DOCUMENT.read_bytes())
    if name not in SERVED:
        return _plain(404, f"no {path}")
    asset = ASSETS / name
    if not asset.is_file():
        return _plain(503, "Swagger UI is not installed: run the bootstrap (make run) or `npm ci` in the checkout")
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return HttpResponse(200, [("Content-Type", kind), ("Cache-Control", "max-age=3600")], asset.read_bytes())


def _plain(status: int, text: str, headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    return HttpResponse(
        status, [("Content-Type", "text/plain; charset=utf-8"), *(headers or [])], (text + "\n").encode()
    )
