"""The main menu. Each blueprint registers its own items; the menu shows those the person's role can use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from flask_login import current_user

from teamops.access import can


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    policy: str
    order: int
    roles: tuple[str, ...] | None = None  # None: anyone the policy allows


ITEMS: dict[str, NavItem] = {}


def nav_item(label: str, endpoint: str, policy: str, order: int, roles: tuple[str, ...] | None = None) -> None:
    ITEMS[endpoint] = NavItem(label, endpoint, policy, order, roles)


def navigation() -> list[dict[str, Any]]:
    """Service navigation items for the signed-in person, in menu order, the current one marked."""
    if not current_user.is_authenticated:
        return []
    shown = []
    for item in sorted(ITEMS.values(), key=lambda i: i.order):
        if (item.roles is not None and current_user.role not in item.roles) or not can(item.policy):
            continue
        href = url_for(item.endpoint)
        active = request.endpoint == item.endpoint or (href != "/" and request.path.startswith(href + "/"))
        shown.append({"text": item.label, "href": href, "active": active})
    return shown
