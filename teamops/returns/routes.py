"""The returns pages: a month's returns across the teams in reach (QAIT's dashboard: roll-ups, the trend,
chasing), one team's return (the figures, the commentary, submitting, QAIT's decision, every version)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from teamops import charts, dates, scheduling
from teamops.access import authorize, can, requires, signed_in
from teamops.extensions import db
from teamops.org.models import Service, Team
from teamops.returns import bp, caseload_routes, export_routes, services  # noqa: F401 - routes join bp
from teamops.returns.figures import team_month
from teamops.returns.forms import ChaseForm, DecisionForm, MonthForm, ReturnForm, return_form
from teamops.returns.models import SUBMITTED, SupervisionReturn
from teamops.returns.services import ReturnRefused, TeamReturn
from teamops.web import form_status, get_or_404, month_in_url, render, see_other


@bp.app_template_filter("month_label")
def month_label(month: date) -> str:
    return dates.month_label(month)


@bp.app_template_filter("month_code")
def month_code(month: date) -> str:
    return dates.month_code(month)


@bp.app_template_filter("month_short")
def month_short(month: date) -> str:
    return f"{month:%b %Y}"


@bp.app_template_filter("prev_month")
def prev_month(month: date) -> str:
    return dates.month_code(dates.add_months(month, -1))


@bp.app_template_filter("next_month")
def next_month(month: date) -> str:
    return dates.month_code(dates.add_months(month, 1))


@bp.app_template_filter("percent_of")
def percent_of(part: int, whole: int) -> float | None:
    return scheduling.percentage(part, whole)


@bp.app_template_global()
def working_days_left(on: date, due_on: date) -> int:
    return dates.working_days_left(on, due_on)



@bp.route("/")
@requires("view_returns")
def index() -> Any:
    """A month's returns for every team in reach: status, due date, working days late, % in timescale; for
    more than one team the roll-ups and the 12-month trend; for QAIT the next due dates and chasing."""
    user = signed_in()
    on = dates.today()
    runs = can("run_returns")
    pickable = list(db.session.scalars(select(Service).where(Service.active.is_(True)).order_by(Service.name))) \
        if runs else []
    form = MonthForm(request.args, services=pickable)
    status = 200
    try:
        month = services.parse_month(form.month.data, on)
    except ReturnRefused as refused:
        form.month.errors = [str(refused)]  # what was typed stays in the box
        month, status = services.last_month(on), 400
    else:
        form.month.data = dates.month_code(month)
    service_id = form.service.data or None if runs else None
    teams = services.teams_for(user, service_id)
    rule = services.due_rule()
    rows = services.month_returns(teams, month, live=services.has_ended(month, on), on=on, rule=rule)
    months = services.trend_months(month)
    submitted = services.submitted_trend(teams.with_only_columns(Team.id).order_by(None), months)
    lines = _trend_lines(rows, submitted, months)
    return render("returns/index.html", status=status, form=form, month=month, rows=rows, on=on,
                  ended=services.has_ended(month, on), services_rolled=services.by_service(rows, on),
                  county=services.roll_up("All teams shown", rows, on), months=months, trend=lines,
                  trend_key=charts.trend_series(lines),
                  trend_svg=charts.percent_trend_svg(months, lines, "Percentage of cases in timescale, as returned"),
                  team_trend=_team_trend(rows, submitted, months),
                  coming=services.coming_due_dates(on, rule=rule) if runs else [],
                  chase_form=ChaseForm() if runs else None)


def _trend_lines(rows: list[TeamReturn], submitted: dict[int, dict[date, tuple[int, int]]],
                 months: list[date]) -> list[charts.TrendLine]:
    """The county's line and, with more than one service, a line per service: the returns as submitted."""
    everyone = [row.team.id for row in rows]
    lines = [charts.TrendLine("All teams shown", [point.pct_in_timescale for point in
                                                  services.trend_of(submitted, everyone, months)])]
    by_service: dict[str, list[int]] = {}
    for row in rows:
        by_service.setdefault(row.team.service.name, []).append(row.team.id)
    if len(by_service) > 1:
        lines += [charts.TrendLine(name, [point.pct_in_timescale for point in
                                          services.trend_of(submitted, ids, months)])
                  for name, ids in sorted(by_service.items())]
    return lines


def _team_trend(rows: list[TeamReturn], submitted: dict[int, dict[date, tuple[int, int]]],
                months: list[date]) -> list[tuple[Team, list[services.TrendPoint]]]:
    return [(row.team, services.trend_of(submitted, [row.team.id], months)) for row in rows]


@bp.route("/chase", methods=["POST"])
@requires("run_returns")
def chase() -> Any:
    """QAIT chases the late teams it selected: each team's managers, then its service manager, then its head of
    service (a second and third chase escalate)."""
    form = ChaseForm()
    on = dates.today()
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0], "error")
        return see_other(url_for("returns.index", month=form.month.data or None))
    try:
        month = services.parse_month(form.month.data, on)
    except ReturnRefused as refused:
        flash(str(refused), "error")
        return see_other(url_for("returns.index"))
    chosen = select(Team).where(Team.id.in_(form.teams.data or []))
    rows = services.month_returns(chosen, month, on=on)
    made = services.chase(rows, signed_in(), on)
    db.session.commit()
    skipped = len(rows) - len(made)
    message = f"Chased {len(made)} team{'s' if len(made) != 1 else ''} for {dates.month_label(month)}."
    if skipped:
        message += (f" {skipped} not chased: not late, or already chased three times.")
    flash(message, "success" if made else "error")
    return see_other(url_for("returns.index", month=dates.month_code(month)))


@bp.route("/<int:team_id>/<month>", methods=["GET", "POST"])
@requires("view_returns")
def team_return(team_id: int, month: str) -> Any:
    """One team's return for a month: the figures (live while it may change, else as submitted), the manager's
    commentary, submitting, QAIT's decision and every version."""
    team = get_or_404(Team, team_id)
    authorize("view_returns", team)
    first = month_in_url(month)
    on = dates.today()
    ret = services.find(team.id, first)
    writes = can("submit_return", team) and services.may_change(ret) and services.has_ended(first, on)
    figures = team_month(team.id, first, on) if services.may_change(ret) else None
    form: ReturnForm | None = None
    if writes and figures is not None:
        form = return_form(figures.lines, services.notes_of(ret), ret.team_commentary if ret else "")
        if request.method == "POST":
            form.process(request.form)
            if form.validate():
                return _save(team, first, ret, form, submit=request.form.get("action") == "submit")
    elif request.method == "POST":
        authorize("submit_return", team)
        flash(_why_not(ret, first, on), "error")
        return see_other(url_for("returns.team_return", team_id=team.id, month=month))
    decision = DecisionForm() if can("run_returns") and ret is not None and ret.status == SUBMITTED else None
    return _page(team, first, ret, figures, form, decision, status=form_status())


def _why_not(ret: SupervisionReturn | None, month: date, on: date) -> str:
    if not services.has_ended(month, on):
        return f"{dates.month_label(month)} has not ended yet: its return can be prepared from the 1st"
    if ret is not None and ret.status == SUBMITTED:
        return "This return has been submitted: QAIT must return it before it can change"
    return "This return has been accepted by QAIT and can no longer change"


def _save(team: Team, month: date, ret: SupervisionReturn | None, form: ReturnForm, submit: bool) -> Any:
    user = signed_in()
    on = dates.today()
    try:
        ret = ret or services.start(team, month, user, on)
        services.save_draft(ret, form.team_commentary.data or "", form.notes())
        version = services.submit(ret, user, on) if submit else None
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("Someone else saved or submitted this return at the same moment. Check it below.", "error")
        return see_other(url_for("returns.team_return", team_id=team.id, month=dates.month_code(month)))
    except ReturnRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return see_other(url_for("returns.team_return", team_id=team.id, month=dates.month_code(month)))
    if version is not None:
        timing = "on time" if version.on_time else (
            f"{version.working_days_late} working day{'s' if version.working_days_late != 1 else ''} late")
        flash(f"Return for {dates.month_label(month)} submitted to QAIT ({timing}). Its figures are now frozen.",
              "success")
    else:
        flash("Draft saved. Nothing is sent to QAIT until you submit.", "success")
    return see_other(url_for("returns.team_return", team_id=team.id, month=dates.month_code(month)))


def _page(team: Team, month: date, ret: SupervisionReturn | None, figures: Any, form: ReturnForm | None,
          decision: DecisionForm | None, status: int = 200) -> Any:
    on = dates.today()
    due = services.due_on(month)
    versions = services.versions_of(ret)
    return render("returns/return.html", status=status, team=team, month=month, ret=ret,
                  state=services.status_of(ret), figures=figures, form=form, decision=decision, versions=versions,
                  latest=versions[0] if versions else None, due_on=due, on=on,
                  ended=services.has_ended(month, on), late_by=dates.working_days_late(due, on),
                  days_left=dates.working_days_left(on, due), chases=services.chases_of(team.id, month))


@bp.route("/<int:team_id>/<month>/decision", methods=["POST"])
@requires("run_returns")
def decide(team_id: int, month: str) -> Any:
    """QAIT accepts the submitted return, or returns it with a comment."""
    team = get_or_404(Team, team_id)
    first = month_in_url(month)
    ret = services.find(team.id, first)
    if ret is None or ret.status != SUBMITTED:
        flash("Only a submitted return can be accepted or returned", "error")
        return see_other(url_for("returns.team_return", team_id=team.id, month=month))
    form = DecisionForm()
    if not form.validate_on_submit():
        return _page(team, first, ret, None, None, form, status=400)
    try:
        services.decide(ret, form.decision.data or "", form.comment.data or "", signed_in(), dates.utcnow())
        db.session.commit()
    except ReturnRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return see_other(url_for("returns.team_return", team_id=team.id, month=month))
    flash(f"Return {'accepted' if ret.status == 'accepted' else 'returned to the team'}.", "success")
    return see_other(url_for("returns.team_return", team_id=team.id, month=month))


@bp.route("/<int:team_id>/<month>/versions/<int:number>")
@requires("view_returns")
def version(team_id: int, month: str, number: int) -> Any:
    """One submission as it was submitted: its frozen figures, its commentary and QAIT's decision on it."""
    team = get_or_404(Team, team_id)
    authorize("view_returns", team)
    first = month_in_url(month)
    ret = services.find(team.id, first)
    found = next((each for each in services.versions_of(ret) if each.number == number), None)
    if found is None:
        abort(404)
    return render("returns/version.html", team=team, month=first, ret=ret, version=found)
