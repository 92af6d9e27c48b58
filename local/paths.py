"""Where the checkout is: the one fact `local` and the operator tool share (standard library only, so `tgw`
runs without the development extras)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"
