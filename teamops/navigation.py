"""The main menu: one declared list. Each item shows for the roles it is meant for (``None``: everyone) and
only when its policy allows the person; the menu is the same wherever the page comes from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from flask_login import current_user

from teamops.access import can

ABOVE_TEAMS = ("service_manager", "head_of_service")
MANAGERS_AND_QAIT = ("team_manager", *ABOVE_TEAMS, "qait")


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    policy: str
    roles: tuple[str, ...] | None = None  # None: anyone the policy allows


MENU: tuple[NavItem, ...] = (
    NavItem("Home", "home.index", "signed_in"),
    NavItem("Dashboard", "dashboards.team", "view_team_dashboard", ("team_manager",)),
    NavItem("My supervisees", "dashboards.team", "view_supervisees", ("worker",)),
    NavItem("Dashboard", "dashboards.service", "view_service_dashboard", ABOVE_TEAMS),
    NavItem("Dashboard", "dashboards.qait", "view_all_teams", ("qait",)),
    NavItem("Cases", "cases.index", "view_case", ("worker", *MANAGERS_AND_QAIT)),
    NavItem("Bookings", "bookings.index", "supervise"),
    NavItem("My sessions", "bookings.mine", "signed_in", ("worker",)),
    NavItem("My actions", "records.actions", "view_record", ("worker",)),
    NavItem("Records", "records.index", "view_record", ("worker", *MANAGERS_AND_QAIT)),
    NavItem("Returns", "returns.index", "view_returns"),
    NavItem("Inductions", "induction.index", "view_inductions"),
    NavItem("New starters", "induction.starters", "view_starters_report"),
    NavItem("Caseload reviews", "returns.caseload_list", "view_returns", MANAGERS_AND_QAIT),
    NavItem("Dip samples", "quality.dip_samples", "dip_sample"),
    # Quarterly case audits (R-QA-4): QAIT's rounds; a manager's own audits (those they do or buddy).
    NavItem("Audits", "quality.rounds", "run_audits"),
    NavItem("Audits", "quality.audits", "do_audit", ("team_manager", *ABOVE_TEAMS)),
    # What the audits found across rounds, for the teams in reach: grades by theme, open remedial actions.
    NavItem("Audit findings", "quality.findings_page", "view_audit_findings", MANAGERS_AND_QAIT),
    # Case disagreements for those above teams; workers' disagreements with their record for whoever resolves
    # them (a line manager of any role included).
    NavItem("Directory", "directory.index", "read_directory"),
    NavItem("Escalations", "records.escalations", "view_escalations", ("worker", "team_manager", *ABOVE_TEAMS)),
    NavItem("Teams", "org.teams", "view_team", (*MANAGERS_AND_QAIT, "admin")),
    NavItem("Staff", "org.staff", "view_staff", (*MANAGERS_AND_QAIT, "admin")),
    NavItem("Services", "org.services", "manage_organisation"),
    NavItem("Policy", "policy.index", "manage_policy"),
    NavItem("Induction templates", "induction.templates", "manage_induction_templates"),
    NavItem("Grading scales", "quality.scales", "manage_grade_scales"),  # the case audits' (admins keep them)
    NavItem("Settings", "org.settings", "manage_settings"),
    NavItem("Import", "imports.upload", "import_data"),
    # Everyone reaches their own tokens from the header's account links; admins also see every account's here.
    NavItem("All API tokens", "tokens.everyone", "manage_all_tokens"),
    NavItem("Access changes", "org.access_changes", "approve_role_grant", ("admin", "qait")),
    NavItem("Audit trail", "audit.index", "view_audit"),
)


def navigation() -> list[dict[str, Any]]:
    """Service navigation items for the signed-in person, in menu order, the current one marked."""
    if not current_user.is_authenticated:
        return []
    shown = []
    for item in MENU:
        if (item.roles is not None and current_user.role not in item.roles) or not can(item.policy):
            continue
        href = url_for(item.endpoint)
        shown.append({"text": item.label, "href": href, "active": request.endpoint == item.endpoint})
    if not any(entry["active"] for entry in shown):  # a page below an item: the most specific item it is under
        under = [entry for entry in shown if entry["href"] != "/" and request.path.startswith(f"{entry['href']}/")]
        if under:
            max(under, key=lambda entry: len(str(entry["href"])))["active"] = True
    return shown
