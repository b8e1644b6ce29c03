"""What every template can use: the main menu, date formats, the policy check."""

from __future__ import annotations

import json
from datetime import date, datetime

from flask import Flask

from teamops.access import can
from teamops.dates import LONDON
from teamops.navigation import navigation


def format_date(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    """Local (UK) time for people; stored values stay UTC."""
    return value.astimezone(LONDON).strftime("%-d %B %Y, %H:%M") if value else ""


def install(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["fromjson"] = json.loads
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["endpoints"] = app.view_functions  # "records.show" in endpoints: link only if it exists
    app.jinja_env.globals["navigation"] = navigation
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
