"""What each dashboard template needs, built once so the dashboard pages and the home pages that include
them render the same fragment from the same data. All dates are as of ``dates.today()``."""

from __future__ import annotations

from typing import Any

from flask import render_template
from markupsafe import Markup
from sqlalchemy import Select
from werkzeug.datastructures import MultiDict

from teamops import access, dates, kept, scheduling
from teamops.bookings import services as bookings
from teamops.bookings.models import KIND_LABELS
from teamops.dashboards import figures, services, versions
from teamops.dashboards.forms import TeamTableForm
from teamops.org.models import Staff, Team
from teamops.returns import services as return_services

# Columns whose first click sorts the biggest (most urgent) first; the others start with the smallest.
DESCENDING_FIRST = frozenset({"cases", "overdue", "due_soon", "actions", "induction"})  # biggest first


def common() -> dict[str, Any]:
    on = dates.today()
    return {"today": on, "last_month_end": figures.last_month_end(on),
            "definition": scheduling.IN_TIMESCALE_DEFINITION, "kind_labels": KIND_LABELS}


def team_dashboard(team: Team, viewer: Staff, args: MultiDict[str, str] | None = None) -> dict[str, Any]:
    """The manager's table for one team, sorted and filtered as the query string asks. Someone who does not
    oversee the team but line-manages people in it (a practice supervisor, R-ORG-2) sees only those people's
    rows, without the team's figures."""
    context = common()
    whole_team = access.oversees_team(viewer, team)
    form = TeamTableForm(args if args is not None else MultiDict(), whole_team=whole_team)
    sort, descending, show = form.settings()
    team_figures = figures.team_figures(team, context["today"])
    rows = services.sort_and_filter(team_figures.rows, sort, descending, show, viewer.id)
    values = {**context, "team": team, "figures": team_figures, "rows": rows, "table_form": form,
              "sort": sort, "descending": descending, "show": show, "show_label": services.FILTERS[show][0],
              "sorts": services.SORTS, "descending_first": DESCENDING_FIRST, "whole_team": whole_team}

    # The table is made from the team's figures and the query string alone (and, for "my supervisees", who is
    # looking): its HTML is kept with the figures.
    mine = viewer.id if show == services.SUPERVISEES_ONLY else None
    key = None if team_figures.key is None else ("team_table", team_figures.key, sort, descending, show, mine)
    values["team_table"] = figures.kept_html(key, lambda: _html("dashboards/_team_table.html",
                                                                {**values, "submitted": _submitted(team, context)}))
    return values


def _submitted(team: Team, context: dict[str, Any]) -> scheduling.Compliance | None:
    """Last month's figure as the team submitted it in its return (issue 13), when there is one."""
    end = context["last_month_end"]
    found = return_services.submitted_figure(team.id, end.replace(day=1))
    return scheduling.Compliance(*found) if found is not None else None


def _html(template: str, values: dict[str, Any]) -> Markup:
    return Markup(render_template(template, **values))  # noqa: S704 - Jinja has escaped what it rendered


def worker_cases(person: Staff) -> dict[str, Any]:
    context = common()
    policy = scheduling.load_policy()
    personal = scheduling.person_dues([person], context["today"], policy)[person.id]
    return {**context, "person": person, "personal": personal,
            "case_rows": services.open_case_rows(person, context["today"], policy)}


def worker_dashboard(person: Staff) -> dict[str, Any]:
    """The worker's own view (``person`` is the one looking): next session, with the cases it will discuss that
    they may see, their cases, actions and records to acknowledge."""
    context = worker_cases(person)
    booking = services.next_booking(person, dates.utcnow())
    if booking is not None:
        kept.keep_until(booking.starts_at)  # once it starts, the next session is another one
    return {**context, "booking": booking,
            "visible_cases": bookings.visible_case_ids(person, [booking] if booking is not None else []),
            "actions": services.open_actions(person), "to_acknowledge": services.records_to_acknowledge(person)}


def teams_side_by_side(teams: list[Team], team_ids: Select[tuple[int]]) -> dict[str, Any]:
    context = common()
    by_team = figures.figures_for_teams(teams, context["today"], team_ids=team_ids)
    return {**context, "team_figures": [by_team[team.id] for team in teams],
            "totals": figures.add_up(by_team.values())}


def _above_teams(team_ids: Select[tuple[int]], user: Staff) -> dict[str, Any]:
    """Teams side by side, with the open escalations that come to this person (R-SUP-7; QAIT: all of them)."""
    context = teams_side_by_side(services.active_teams(team_ids), team_ids)
    escalated = access.escalated_team_ids(user)
    shown = team_ids if escalated is None else team_ids.where(Team.id.in_(escalated))
    return {**context, "escalations": services.open_escalations(shown, context["today"])}


def service_dashboard(service_id: int, user: Staff) -> dict[str, Any]:
    """A service's teams: a head of service's own, or any for QAIT."""
    return _above_teams(services.active_team_ids(service_id), user)


def managed_teams_dashboard(user: Staff) -> dict[str, Any]:
    """A service manager's teams: those whose team manager they line-manage, directly or through a chain
    (R-ORG-1)."""
    overseen = access.reach_team_ids(user)
    assert overseen is not None, "a service manager oversees some teams, never every team"
    return _above_teams(services.active_team_ids(within=overseen), user)


def qait_dashboard() -> dict[str, Any]:
    """Every active team, grouped by service, each group with its totals. The body is made from the teams'
    figures alone, so its HTML is kept under the fingerprint of every team's version: while no write has
    happened anywhere it is not made again, and the teams are not even read."""
    context = common()
    state = versions.fingerprint()
    key = None if state is None else ("qait_body", state, context["today"])
    return {**context, "qait_body": figures.kept_html(
        key, lambda: _html("dashboards/_qait_body.html", _qait_values(context)))}


def _qait_values(context: dict[str, Any]) -> dict[str, Any]:
    teams = services.active_teams()
    by_team = figures.figures_for_teams(teams, context["today"], team_ids=services.active_team_ids())
    groups: dict[int, dict[str, Any]] = {}
    for team in teams:
        group = groups.setdefault(team.service_id, {"service": team.service, "team_figures": []})
        group["team_figures"].append(by_team[team.id])
    for group in groups.values():
        group["totals"] = figures.add_up(group["team_figures"])
    return {**context, "groups": list(groups.values()), "totals": figures.add_up(by_team.values())}
