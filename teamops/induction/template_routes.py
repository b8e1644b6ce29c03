"""The induction templates' pages (admins, R-IND-15): the timetables and their days, the service checklist; and
a team's induction settings (its managers, covers and admins). Parse, authorise, call ``templates``, commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, request, url_for
from sqlalchemy.orm import selectinload

from teamops.access import authorize, requires
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.induction import bp, templates
from teamops.induction.forms import ChecklistItemForm, DayForm, RuledForm, TeamInductionForm, TemplateForm
from teamops.induction.template_models import (
    AUTOMATIC,
    CONFIRMERS,
    DEADLINES,
    MAX_LENGTH_DAYS,
    REQUIREMENTS,
    ChecklistItem,
    InductionTemplate,
    InductionTemplateDay,
)
from teamops.org.models import Team
from teamops.web import form_status, get_or_404, render, see_other

T = TypeVar("T")


def _save(form: RuledForm, save: Callable[[], T]) -> T | None:
    """Saves a form sent valid, and commits: what was saved, or None for a form to show again with its errors.
    A rule the save refuses (a change made meanwhile) goes next to its field like the form's own messages."""
    if not form.validate_on_submit():
        return None
    try:
        saved = save()
    except templates.Refused as refused:
        db.session.rollback()
        form.refuse(refused.problems)
        return None
    db.session.commit()
    return saved


# Timetables -------------------------------------------------------------------------------------------

@bp.route("/admin/induction/templates", endpoint="templates")
@requires("manage_induction_templates")
def template_list() -> Any:
    return render("induction/templates.html", rows=templates.templates())


@bp.route("/admin/induction/templates/<int:template_id>", endpoint="template")
@requires("manage_induction_templates")
def template_page(template_id: int) -> Any:
    template = get_or_404(InductionTemplate, template_id, options=[selectinload(InductionTemplate.days)])
    return render("induction/template.html", template=template, days=templates.days_by_number(template),
                  action_form=ActionForm())


@bp.route("/admin/induction/templates/new", methods=["GET", "POST"])
@bp.route("/admin/induction/templates/<int:template_id>/edit", methods=["GET", "POST"])
@requires("manage_induction_templates")
def template_form(template_id: int | None = None) -> Any:
    template = get_or_404(InductionTemplate, template_id) if template_id else None
    form = TemplateForm(template=template)
    saved = _save(form, lambda: templates.save_template(
        template, name=form.name.data or "", kind=form.kind.data or "", length_days=form.length_days.data or 0,
        active=bool(form.active.data)))
    if saved is not None:
        flash(f"Timetable {saved.name} saved. Inductions opened from now on follow it; running ones keep their "
              "copy.", "success")
        return see_other(url_for("induction.template", template_id=saved.id))
    return render("induction/template_form.html", form=form, template=template, longest=MAX_LENGTH_DAYS,
                  status=form_status())


@bp.route("/admin/induction/templates/<int:template_id>/days/new", methods=["GET", "POST"],
          endpoint="template_day_form")
@bp.route("/admin/induction/template-days/<int:day_id>/edit", methods=["GET", "POST"],
          endpoint="template_day_form")
@requires("manage_induction_templates")
def template_day_form(template_id: int | None = None, day_id: int | None = None) -> Any:
    day = get_or_404(InductionTemplateDay, day_id) if day_id else None
    template = day.template if day is not None else get_or_404(InductionTemplate, template_id)
    asked = request.args.get("day", "")  # "Add an item to day 3" on the template's page
    if day is None and request.method == "GET" and asked.isascii() and asked.isdigit() and len(asked) <= 3:
        form = DayForm(template=template, data={"day_number": int(asked)})
    else:
        form = DayForm(template=template, day=day)
    saved_day = _save(form, lambda: templates.save_day(template, day, form.values()))
    if saved_day is not None:
        flash(f"Day {saved_day.day_number} of {template.name} saved.", "success")
        return see_other(url_for("induction.template", template_id=template.id,
                                 _anchor=f"day-{saved_day.day_number}"))
    return render("induction/day_form.html", form=form, template=template, day=day, status=form_status())


@bp.route("/admin/induction/template-days/<int:day_id>/delete", methods=["POST"])
@requires("manage_induction_templates")
def template_day_delete(day_id: int) -> Any:
    day = get_or_404(InductionTemplateDay, day_id)
    template = day.template
    if not ActionForm().validate_on_submit():
        abort(400)
    number = day.day_number
    templates.delete_day(day)
    db.session.commit()
    flash(f"The item was removed from day {number} of {template.name}.", "success")
    return see_other(url_for("induction.template", template_id=template.id, _anchor=f"day-{number}"))


# The checklist ----------------------------------------------------------------------------------------

@bp.route("/admin/induction/checklist")
@requires("manage_induction_templates")
def checklist() -> Any:
    return render("induction/checklist.html", sections=templates.checklist(), confirmers=CONFIRMERS,
                  deadlines=DEADLINES, requirements=REQUIREMENTS, automatic=AUTOMATIC)


@bp.route("/admin/induction/checklist/new", methods=["GET", "POST"])
@bp.route("/admin/induction/checklist/<int:item_id>/edit", methods=["GET", "POST"])
@requires("manage_induction_templates")
def checklist_item_form(item_id: int | None = None) -> Any:
    item = get_or_404(ChecklistItem, item_id) if item_id else None
    form = ChecklistItemForm(item=item)
    saved = _save(form, lambda: templates.save_checklist_item(item, form.values()))
    if saved is not None:
        flash(f"Checklist item {saved.code} saved. Inductions opened from now on get it as it is now.", "success")
        return see_other(url_for("induction.checklist", _anchor=f"item-{saved.id}"))
    return render("induction/checklist_item_form.html", form=form, item=item, sections=templates.sections(),
                  automatic=AUTOMATIC, action_form=ActionForm(), status=form_status())


@bp.route("/admin/induction/checklist/<int:item_id>/active", methods=["POST"])
@requires("manage_induction_templates")
def checklist_item_active(item_id: int) -> Any:
    item = get_or_404(ChecklistItem, item_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    wanted = request.args.get("to") or request.form.get("to")
    if wanted not in ("active", "retired"):
        abort(400)
    if templates.set_item_active(item, wanted == "active"):
        db.session.commit()
    flash(f"Checklist item {item.code} " + ("is back in use: inductions opened from now on get it." if item.active
                                          else "retired: inductions opened from now on leave it out."), "success")
    return see_other(url_for("induction.checklist", _anchor=f"item-{item.id}"))


# A team's settings ------------------------------------------------------------------------------------

@bp.route("/admin/teams/<int:team_id>/induction", methods=["GET", "POST"])
@requires("set_team_induction")
def team_settings(team_id: int) -> Any:
    team = get_or_404(Team, team_id, options=[selectinload(Team.business_support)])
    authorize("set_team_induction", team)
    form = TeamInductionForm(team=team, members=templates.active_members(team))
    if _save(form, lambda: templates.save_team_settings(
            team, meeting_weekday=form.meeting_weekday.data, business_support_id=form.contact_id())) is not None:
        flash(f"Induction settings for {team.name} saved.", "success")
        return see_other(url_for("org.team", team_id=team.id))
    return render("induction/team_settings.html", form=form, team=team, status=form_status())
