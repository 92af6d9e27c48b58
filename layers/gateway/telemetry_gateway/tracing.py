"""The X-Ray tracer, in its own module because creating it imports aws_xray_sdk (about 160 ms of a cold
start, measured by `make bench`): only functions that call AWS services pay for it."""

from __future__ import annotations

from aws_lambda_powertools import Tracer

tracer = Tracer()
