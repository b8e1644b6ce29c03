"""The two baselines ``benchmarks.load`` measures beside TeamOps, served by gunicorn with the same settings:
a bare WSGI callable (``gunicorn benchmarks.hello:bare``), the least any Python app served this way costs, and
a one-route Flask app (``gunicorn benchmarks.hello:flask_app``), the least a Flask page costs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

BODY = b"Hello, world"


def bare(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]


flask_app = Flask(__name__)


@flask_app.route("/")
def hello() -> str:
    return BODY.decode()
