"""What every template can use: navigation for the signed-in role, date formats."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask import Flask, request, url_for
from flask_login import current_user

from teamops.access import can
from teamops.dates import LONDON


def format_date(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    """Local (UK) time for people; stored values stay UTC."""
    return value.astimezone(LONDON).strftime("%-d %B %Y, %H:%M") if value else ""


def navigation() -> list[dict[str, Any]]:
    """Service navigation items for what this person's role can reach."""
    if not current_user.is_authenticated:
        return []
    items = [("Home", "home.index", "signed_in")]
    items += [
        ("Teams", "admin.teams", "view_team"),
        ("Staff", "admin.staff", "view_staff"),
        ("Services", "admin.services", "manage_organisation"),
        ("Import", "imports.upload", "manage_organisation"),
        ("Audit trail", "audit.index", "view_audit"),
    ]
    shown = []
    for label, endpoint, action in items:
        if endpoint in {"admin.teams", "admin.staff"} and current_user.role == "worker":
            continue
        if can(action):
            href = url_for(endpoint)
            shown.append({"text": label, "href": href,
                          "active": request.endpoint == endpoint or request.path.startswith(href + "/")
                          if href != "/" else request.endpoint == endpoint})
    return shown


def install(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["fromjson"] = json.loads
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["navigation"] = navigation
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
