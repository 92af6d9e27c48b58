"""`.local-data/`: the generated server keys and how `tgw --local` reaches the running `make run`.

Standard library only: the operator tool reads it, and `tgw` must run without the development extras."""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from local.paths import ROOT

# TGW_LOCAL_DATA lets tests run a server without touching the developer's own `make run` state.
DATA_DIR = Path(os.environ.get("TGW_LOCAL_DATA") or ROOT / ".local-data")
KEYS_FILE = "keys.json"
SERVER_FILE = "server.json"


def server_keys(names: Iterable[str], data_dir: Path = DATA_DIR) -> dict[str, str]:
    """One 64-byte random key (base64) per secret of the template, generated on first use and kept,
    so tokens issued by one `make run` stay valid in the next."""
    path = data_dir / KEYS_FILE
    keys: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in names if name not in keys]
    if missing:
        for name in missing:
            keys[name] = base64.b64encode(secrets.token_bytes(64)).decode("ascii")
        _write_private(path, keys)
    return keys


def write_server_info(info: dict[str, Any], data_dir: Path = DATA_DIR) -> None:
    _write_private(data_dir / SERVER_FILE, info)


def read_server_info(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    path = data_dir / SERVER_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: is `make run` running in this checkout?")
    info: dict[str, Any] = json.loads(path.read_text())
    return info


def remove_server_info(data_dir: Path = DATA_DIR) -> None:
    (data_dir / SERVER_FILE).unlink(missing_ok=True)


def _write_private(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(mode=0o700, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, indent=2)
    tmp.replace(path)
