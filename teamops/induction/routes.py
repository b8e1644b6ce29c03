"""A person's induction: the managers' list, the starter's own page, opening by hand, re-planning and
cancelling (R-IND-1..15)."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from teamops import dates
from teamops.access import authorize, can, inductions_in_reach, requires, staff_in_reach
from teamops.extensions import db
from teamops.induction import (
    bp,
    buddies,
    buddy_routes,
    calendar,
    checkins,
    checklist_routes,
    reading,
    report,
    services,
    template_routes,
)
from teamops.induction.models import Induction, InductionDay
from teamops.induction.plan_forms import JOB_GROUP_HINTS, CancelForm, OpenInductionForm, PlanForm, StartersForm
from teamops.induction.template_models import CONFIRMERS, HOST_SLOTS, JOB_GROUPS, SERVICE_GROUPS
from teamops.org.models import Staff, Team
from teamops.spreadsheets import csv_text, xlsx_bytes
from teamops.web import form_status, get_or_404, page_number, paginate, render, see_other

SHOWS = {"open": "Open", "complete": "Complete", "all": "All, with cancelled"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
__all__ = ["buddy_routes", "checklist_routes", "template_routes"]  # imported for their routes, on this blueprint


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"job_groups": JOB_GROUPS, "service_groups": SERVICE_GROUPS, "host_slots": HOST_SLOTS,
            "confirmers": CONFIRMERS, "job_group_hints": JOB_GROUP_HINTS}


def _load(induction_id: int) -> Induction:
    return get_or_404(Induction, induction_id, options=(
        joinedload(Induction.staff).joinedload(Staff.team).joinedload(Team.service),
        selectinload(Induction.days).joinedload(InductionDay.host), selectinload(Induction.items)))


def _when(induction: Induction) -> str:
    return (f"Day 1 is {induction.starts_on:%A %-d %B %Y} and the last day {induction.ends_on:%A %-d %B %Y}")


@bp.route("/inductions")
@requires("view_inductions")
def index() -> Any:
    show = request.args.get("show", "open")
    show = show if show in SHOWS else "open"
    query = (inductions_in_reach(current_user).join(Team, Team.id == Staff.team_id)
             .options(contains_eager(Induction.staff).contains_eager(Staff.team)))
    if show == "open":
        query = query.where(Induction.signed_off_at.is_(None), Induction.cancelled_at.is_(None))
    elif show == "complete":
        query = query.where(Induction.signed_off_at.is_not(None))
    query = query.order_by(Induction.starts_on.desc(), Staff.name, Induction.id)
    page = paginate(query, page_number(request.args.get("page")), keys=("show",))
    on = dates.today()
    progress = reading.progress_of([induction.id for induction in page.items], on)
    states = {induction.id: reading.status(induction, on, bool(progress.get(induction.id) and
                                                               progress[induction.id].overdue))
              for induction in page.items}
    return render("induction/index.html", "induction/_list.html", page=page, show=show, shows=SHOWS,
                  progress=progress, states=states, statuses=reading.STATUSES, tags=reading.STATUS_TAGS,
                  people=reading.buddies_and_concerns([induction.id for induction in page.items]))


@bp.route("/inductions/mine")
@requires("view_own_induction")
def mine() -> Any:
    latest = db.session.scalar(select(Induction).where(Induction.staff_id == current_user.id,
                                                       Induction.cancelled_at.is_(None))
                               .order_by(Induction.signed_off_at.is_not(None), Induction.starts_on.desc()).limit(1))
    if latest is not None:
        return see_other(url_for("induction.show", induction_id=latest.id))
    return render("induction/none.html")


@bp.route("/inductions/<int:induction_id>")
@requires("view_induction")
def show(induction_id: int) -> Any:
    induction = _load(induction_id)
    authorize("view_induction", induction)
    return _page(induction, CancelForm())


def _page(induction: Induction, cancel_form: CancelForm, status: int = 200) -> Any:
    """The induction's page: the timetable with today marked, the checklist by section with each item's state."""
    on = dates.today()
    sections: dict[str, list[Any]] = {}
    for item in induction.items:
        sections.setdefault(item.section, []).append((item, reading.item_state(item, on)))
    history = buddies.buddy_history(induction)
    logged = checkins.checkins_of(induction)
    return render("induction/show.html", induction=induction, on=on, sections=sections,
                  state=reading.status(induction, on, reading.has_overdue(induction.items, on)),
                  statuses=reading.STATUSES, tags=reading.STATUS_TAGS,
                  resolved=sum(item.resolved for item in induction.items),
                  mine=induction.staff_id == current_user.id, cancel_form=cancel_form, status=status,
                  current_buddy=next((row for row in history if row.to_date is None), None),
                  buddy_history=history, logged=logged, expected=checkins.matched(induction, logged, on),
                  runs=can("run_induction", induction), can_log=can("log_checkin", induction))


@bp.route("/inductions/new", methods=["GET", "POST"])
@requires("open_induction")
def new() -> Any:
    people = list(db.session.scalars(
        staff_in_reach(current_user).where(Staff.active.is_(True), Staff.id != current_user.id)
        .options(joinedload(Staff.team).joinedload(Team.service)).order_by(Staff.name)))
    people = [person for person in people if can("open_induction", person)]
    form = OpenInductionForm(people=people)
    if request.method == "GET":
        chosen = form.people.get(request.args.get("staff_id", type=int) or 0)
        if chosen is not None:
            form.staff_id.data = chosen.id
            form.start_date.data = chosen.start_date
            form.job_group.data = services.job_group_for(chosen)
            suggested = services.active_template(chosen.employment_type)
            form.template_id.data = suggested.id if suggested is not None else 0
    if form.validate_on_submit():
        person, template = form.person, form.chosen  # set by the form's checks
        assert person is not None and template is not None and form.start_date.data is not None
        kind = "mover" if template.kind == "mover" else "new_starter"
        if _free_date(form, person, kind):
            induction = services.open_induction(
                person, team=person.team, kind=kind, template=template, start_date=form.start_date.data,
                opened_via="by_hand", opened_by=current_user._get_current_object(), job_group=form.job_group.data)
            db.session.commit()
            flash(f"{person.name}'s induction is open. {_when(induction)}.", "success")
            return see_other(url_for("induction.show", induction_id=induction.id))
    return render("induction/new.html", form=form, status=form_status())


def _free_date(form: OpenInductionForm | PlanForm, person: Staff, kind: str, except_id: int | None = None) -> bool:
    """One induction of a kind per person and start date: a date taken is an error by the field."""
    assert form.start_date.data is not None
    if services.date_taken(person, kind, form.start_date.data, except_id):
        form.start_date.errors = [*form.start_date.errors,
                                  f"{person.name} already had an induction from this date: choose another date"]
        return False
    return True


@bp.route("/inductions/<int:induction_id>/plan", methods=["GET", "POST"])
@requires("run_induction")
def plan(induction_id: int) -> Any:
    induction = _load(induction_id)
    authorize("run_induction", induction)
    form = PlanForm(obj=induction)
    if request.method == "GET":
        form.template_id.data = induction.template_id or 0
    if form.validate_on_submit() and _free_date(form, induction.staff, induction.kind, induction.id):
        assert form.start_date.data is not None
        services.replan(induction, start_date=form.start_date.data, template=form.chosen,
                        job_group=form.job_group.data or induction.job_group, team=induction.staff.team)
        db.session.commit()
        flash(f"{induction.staff.name}'s induction is re-planned. {_when(induction)}.", "success")
        return see_other(url_for("induction.show", induction_id=induction.id))
    return render("induction/plan.html", form=form, induction=induction, status=form_status())


@bp.route("/inductions/<int:induction_id>/cancel", methods=["POST"])
@requires("run_induction")
def cancel(induction_id: int) -> Any:
    induction = _load(induction_id)
    authorize("run_induction", induction)
    form = CancelForm()
    if form.validate_on_submit():
        services.cancel(induction, form.reason.data or "", current_user._get_current_object())
        db.session.commit()
        flash(f"{induction.staff.name}'s induction is cancelled. It stays here as a record.", "success")
        return see_other(url_for("induction.show", induction_id=induction.id))
    return _page(induction, form, 400)


@bp.route("/inductions/<int:induction_id>/timetable.ics")
@requires("view_induction")
def ics(induction_id: int) -> Any:
    """The timetable as a calendar file for Outlook (one all-day event per item)."""
    induction = _load(induction_id)
    authorize("view_induction", induction)
    current = buddies.current_buddy_row(induction)
    response = make_response(calendar.timetable_ics(induction, current.buddy if current else None))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="induction-timetable.ics"'
    return response


@bp.route("/inductions/starters")
@requires("view_starters_report")
def starters() -> Any:
    """New starters since a date (the start of the last quarter by default), for the director's quarterly
    meeting (R-IND-16); ``format=csv`` or ``xlsx`` downloads the same rows."""
    on = dates.today()
    form = StartersForm(request.args, meta={"csrf": False})
    since = form.since.data if form.validate() and form.since.data else report.quarter_ago(on)
    rows = report.starters_since(since, on)
    wanted = request.args.get("format")
    name = f"new-starters-since-{since.isoformat()}"
    if wanted == "csv":
        text = csv_text([report.HEADER, *(row.cells() for row in rows)])
        return _download(text.encode("utf-8-sig"), "text/csv; charset=utf-8", f"{name}.csv")
    if wanted == "xlsx":
        book = xlsx_bytes("New starters", [report.HEADER, *(row.cells() for row in rows)])
        return _download(book, XLSX, f"{name}.xlsx")
    return render("induction/starters.html", form=form, rows=rows, since=since, tags=reading.STATUS_TAGS,
                  statuses=reading.STATUSES, status=400 if form.errors else 200)


def _download(body: bytes, content_type: str, filename: str) -> Any:
    response = make_response(body)
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
