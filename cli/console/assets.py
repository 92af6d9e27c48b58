"""The console's files: its own front end (committed under static/) and the libraries and map data it uses,
served from the checkout's node_modules (installed from the npm registry by the Makefile bootstrap), never
from a CDN and never copied into the repository. Only the files named here are served."""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from local import paths

STATIC = Path(__file__).parent / "static"
# TGW_CONSOLE_NODE_MODULES: where an installed `tgw` finds a checkout's libraries (default: this checkout's)
NODE_MODULES = Path(os.environ.get("TGW_CONSOLE_NODE_MODULES") or paths.ROOT / "node_modules")
# URL path under /vendor/ -> file under node_modules
VENDOR = {
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "topojson-client/topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}
_STATIC_NAME = re.compile(r"[a-z0-9-]+\.(html|js|css|svg)")


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str
    cache_seconds: int  # libraries do not change while the console runs; its own files may (a developer's)


def static(name: str) -> Asset | None:
    path = STATIC / name
    if not _STATIC_NAME.fullmatch(name) or not path.is_file():
        return None
    return Asset(path.read_bytes(), TYPES[path.suffix], 0)


def vendor(name: str) -> Asset | None:
    relative = VENDOR.get(name)
    path = NODE_MODULES / relative if relative else None
    if path is None or not path.is_file():
        return None
    return Asset(path.read_bytes(), TYPES[path.suffix], 3600)


def missing_libraries() -> list[str]:
    return [relative for relative in VENDOR.values() if not (NODE_MODULES / relative).is_file()]


def bootstrap_page(missing: list[str]) -> Asset:
    """What / answers when the libraries are not installed: what is missing and how to install it."""
    items = "".join(f"<li><code>{html.escape(name)}</code></li>" for name in missing)
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tgw console: libraries missing</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body class="plain">
<h1>tgw console: front-end libraries missing</h1>
<p>The console's map and libraries come from npm packages that the project's bootstrap installs into
<code>{html.escape(str(NODE_MODULES))}</code>. Not found there:</p>
<ul>{items}</ul>
<p>Run the bootstrap in the checkout (<code>make run</code>, <code>make test</code> or <code>make lint</code>
install them), or <code>npm ci --no-audit --no-fund</code> in <code>{html.escape(str(paths.ROOT))}</code>;
then reload this page. An installed <code>tgw</code> finds a checkout's libraries through
<code>TGW_CONSOLE_NODE_MODULES</code>.</p>
</body></html>
"""
    return Asset(body.encode(), TYPES[".html"], 0)
