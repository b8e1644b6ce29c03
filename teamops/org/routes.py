"""Services, teams and staff pages. Lists are scoped to the person's reach; changes are admin-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from teamops.access import authorize, requires, staff_in_reach, teams_in_reach
from teamops.auth import sso
from teamops.auth.sso import PASSWORDS_OFF
from teamops.dates import today
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.induction import services as opening
from teamops.org import (
    absence_routes,
    access_routes,
    asye_routes,
    bp,
    cover_routes,
    covers,
    grants,
    handover,
    handover_routes,
    services,
    settings_routes,
)
from teamops.org.forms import SearchForm, ServiceForm, StaffForm, TeamForm
from teamops.org.models import WEEKDAYS, Service, Staff, Team
from teamops.web import filter_keys, form_status, get_or_404, page_number, paginate, render, see_other

# Imported for their routes, on this blueprint.
__all__ = ["absence_routes", "access_routes", "asye_routes", "cover_routes", "handover_routes", "settings_routes"]


def _list(name: str, search: Callable[[Any, str, str], Any], in_reach: Any) -> Any:
    """The teams or staff list: searched, filtered and paged from the query string, whole or its results."""
    form = SearchForm(request.args)
    form.validate()
    query = search(in_reach, form.q.data or "", form.show.data or "active")
    results = paginate(query, page_number(request.args.get("page")), keys=filter_keys(form))
    return render(f"org/{name}.html", f"org/_{name}_results.html", page=results, search=form)


# Services ------------------------------------------------------------------------------------------

@bp.route("/services", endpoint="services")
@requires("manage_organisation")
def services_list() -> Any:
    rows = db.session.scalars(select(Service).options(selectinload(Service.teams)).order_by(Service.name))
    return render("org/services.html", services=list(rows), action_form=ActionForm())


@bp.route("/services/new", methods=["GET", "POST"])
@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@requires("manage_organisation")
def service_form(service_id: int | None = None) -> Any:
    service = get_or_404(Service, service_id) if service_id else None
    form = ServiceForm(obj=service, service=service)
    if form.validate_on_submit():
        services.save_service(service, form.name.data or "", form.induction_group.data or "other",
                              caseload_reviews=bool(form.caseload_reviews.data))
        db.session.commit()
        flash(f"Service “{form.name.data}” saved.", "success")
        return see_other(url_for("org.services"))
    return render("org/service_form.html", form=form, service=service, status=form_status())


# Teams ---------------------------------------------------------------------------------------------

@bp.route("/teams")
@requires("view_team")
def teams() -> Any:
    return _list("teams", services.search_teams, teams_in_reach(current_user))


@bp.route("/teams/<int:team_id>")
@requires("view_team")
def team(team_id: int) -> Any:
    team = get_or_404(Team, team_id)
    authorize("view_team", team)
    members = db.session.scalars(
        select(Staff).where(Staff.team_id == team.id).options(selectinload(Staff.line_manager))
        .order_by(Staff.active.desc(), Staff.name)
    ).all()
    return render("org/team.html", team=team, members=members, action_form=ActionForm(), covers=covers.covers_of(team),
                  cover_state=covers.state, weekdays=WEEKDAYS, today=today())


@bp.route("/teams/new", methods=["GET", "POST"])
@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@requires("manage_organisation")
def team_form(team_id: int | None = None) -> Any:
    team = get_or_404(Team, team_id) if team_id else None
    form = TeamForm(obj=team, team=team)
    if request.method == "GET" and team is not None and team.manager is not None:
        form.manager_email.data = team.manager.email
    if form.validate_on_submit():
        saved = services.save_team(team, service_id=form.service_id.data or 0, name=form.name.data or "",
                                   office_base=form.office_base.data or "",
                                   manager_id=form.manager.id if form.manager else None)
        db.session.commit()
        flash(f"Team “{saved.name}” saved.", "success")
        return see_other(url_for("org.team", team_id=saved.id))
    return render("org/team_form.html", form=form, team=team, status=form_status())


@bp.route("/teams/<int:team_id>/active", methods=["POST"])
@requires("manage_organisation")
def team_active(team_id: int) -> Any:
    team = get_or_404(Team, team_id)
    if ActionForm().validate_on_submit():
        activate = request.args.get("to") == "active"
        services.set_team_active(team, activate)
        db.session.commit()
        flash(f"Team “{team.name}” {'reopened' if activate else 'closed'}.", "success")
    return see_other(url_for("org.team", team_id=team.id))


# Staff ---------------------------------------------------------------------------------------------

@bp.route("/staff")
@requires("view_staff")
def staff() -> Any:
    return _list("staff", services.search_staff, staff_in_reach(current_user))


@bp.route("/staff/<int:staff_id>")
@requires("view_staff")
def staff_member(staff_id: int) -> Any:
    person = get_or_404(Staff, staff_id)
    authorize("view_staff", person)
    return render("org/staff_member.html", person=person, action_form=ActionForm(),
                  pending_grant=grants.pending_grant(person))


@bp.route("/staff/new", methods=["GET", "POST"])
@bp.route("/staff/<int:staff_id>/edit", methods=["GET", "POST"])
@requires("manage_organisation")
def staff_form(staff_id: int | None = None) -> Any:
    person = get_or_404(Staff, staff_id) if staff_id else None
    form = StaffForm(obj=person, staff=person, editor=current_user._get_current_object())
    if request.method == "GET" and person is not None and person.line_manager is not None:
        form.line_manager_email.data = person.line_manager.email
    if form.validate_on_submit():
        editor = current_user._get_current_object()
        started = person.start_date if person is not None else None
        saved = services.save_staff(person, form.values(), requested_by=editor)
        waiting = grants.pending_grant(saved)
        induction = None
        if person is None:  # CONTRACT.md "Induction dates": adding someone opens their induction
            induction = opening.open_for_new_staff(saved, saved.team, "staff_form", editor)
        elif saved.start_date != started:
            induction = opening.start_date_changed(saved, saved.team, editor, "staff_form")
        db.session.commit()
        flash(f"{saved.name} saved." + (f" The {waiting.role_label} role takes effect when a second person "
                                        "approves it." if waiting is not None else "")
              + (f" Their induction runs from {induction.starts_on:%A %-d %B %Y} to {induction.ends_on:%A %-d %B %Y}."
                 if induction is not None else ""), "success")
        return see_other(url_for("org.staff_member", staff_id=saved.id))
    return render("org/staff_form.html", form=form, person=person, status=form_status())


@bp.route("/staff/<int:staff_id>/active", methods=["POST"])
@requires("manage_organisation")
def staff_active(staff_id: int) -> Any:
    person = get_or_404(Staff, staff_id)
    if ActionForm().validate_on_submit():
        activate = request.args.get("to") == "active"
        duties = None if activate or not person.active else handover.duties_of(person)
        if not activate and person.id == current_user.id:
            flash("You cannot deactivate your own account.", "info")
        elif duties:  # R-ORG-4: a leaver hands over first
            return render("org/staff_member.html", person=person, action_form=ActionForm(),
                          pending_grant=grants.pending_grant(person), leaver_duties=duties.summary(),
                          status=400)
        else:
            services.set_staff_active(person, activate)
            if not activate:
                opening.close_for_leaver(person, current_user._get_current_object())
            db.session.commit()
            outcome = "reactivated" if activate else "deactivated: they are signed out and cannot sign in"
            flash(f"{person.name} {outcome}.", "success")
    return see_other(url_for("org.staff_member", staff_id=person.id))


@bp.route("/staff/<int:staff_id>/password-link", methods=["POST"])
@requires("manage_organisation")
def staff_password_link(staff_id: int) -> Any:
    person = get_or_404(Staff, staff_id)
    if not person.active or not ActionForm().validate_on_submit():
        abort(400)
    if not sso.passwords_on():
        flash(PASSWORDS_OFF, "info")
        return see_other(url_for("org.staff_member", staff_id=person.id))
    if person.password_hash is not None:
        # A link for an account that has a password would let whoever holds it take the account over.
        flash(f"{person.name} already has a password, so no set-password link was made. "
              "Use Reset password if they have lost it.", "info")
        return see_other(url_for("org.staff_member", staff_id=person.id))
    services.send_password_link(person)
    db.session.commit()
    flash(f"A set-password link was sent to {person.name} at {person.email}. It works once, for 72 hours.",
          "success")
    return see_other(url_for("org.staff_member", staff_id=person.id))


@bp.route("/staff/<int:staff_id>/reset-password", methods=["POST"])
@requires("manage_organisation")
def staff_reset_password(staff_id: int) -> Any:
    person = get_or_404(Staff, staff_id)
    if not person.active or not ActionForm().validate_on_submit():
        abort(400)
    if not sso.passwords_on():
        flash(PASSWORDS_OFF, "info")
        return see_other(url_for("org.staff_member", staff_id=person.id))
    if person.id == current_user.id:
        flash("Change your own password from your account page.", "info")
        return see_other(url_for("org.staff_member", staff_id=person.id))
    services.send_password_link(person, reset=True)
    db.session.commit()
    flash(f"{person.name}'s password was reset and they were signed out. A set-password link was sent to them "
          f"at {person.email}; it is not shown here.", "success")
    return see_other(url_for("org.staff_member", staff_id=person.id))
