"""The dip samples pages (R-QA-6): the month across the teams in reach with the ratings over time, picking a
team's records, rating a sample, and the supervisor's feedback."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from teamops import charts, dates
from teamops.access import authorize, can, requires, signed_in, teams_in_reach
from teamops.audit.services import note_read
from teamops.bookings.models import KIND_LABELS
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.notify import notify
from teamops.org.models import Service, Team
from teamops.quality import bp, dips
from teamops.quality.dip_forms import ChosenPickForm, DipMonthForm, RandomPickForm, RatingForm, rating_form
from teamops.quality.dips import DipRefused, Picked, TeamMonth
from teamops.quality.models import RATINGS, RUBRIC, DipSample
from teamops.records import labels
from teamops.records.loading import as_read
from teamops.records.models import SupervisionRecord
from teamops.records.queries import RECORD_PAGE
from teamops.web import get_or_404, month_in_url, render, see_other

MOST_LINES = 4  # teams drawn as lines of their own beside "All teams shown" (the chart's five series)



@bp.route("/dip-samples")
@requires("dip_sample")
def dip_samples() -> Any:
    """The month's records held and sampled per team in reach against the target, the ratings over twelve
    months (a chart and its table) and the month's totals per criterion."""
    user = signed_in()
    on = dates.today()
    every_team = can("pick_service")
    services = list(db.session.scalars(select(Service).where(Service.active.is_(True)).order_by(Service.name))) \
        if every_team else []
    form = DipMonthForm(request.args, services=services)
    status = 200
    try:
        month = dips.parse_month(form.month.data, on)
    except DipRefused as refused:
        form.month.errors = [str(refused)]  # what was typed stays in the box
        month, status = on.replace(day=1), 400
    else:
        form.month.data = dates.month_code(month)
    teams = teams_in_reach(user).where(Team.active.is_(True))
    if every_team and form.service.data:
        teams = teams.where(Team.service_id == form.service.data)
    rows = dips.month_overview(teams, month, user)
    ids = teams.with_only_columns(Team.id).order_by(None)
    months = dips.trend_months(month)
    by_team = dips.ratings_by_team(ids, months)
    lines = _trend_lines(rows, by_team, months)
    return render("quality/dip_samples.html", status=status, form=form, month=month, rows=rows, months=months,
                  trend=lines, trend_key=charts.trend_series(lines),
                  trend_svg=charts.percent_trend_svg(months, lines, "Percentage of criteria rated met",
                                                     id_prefix="dip-trend", measure="criteria rated met"),
                  team_trend=[(row.team, dips.line_of(by_team, [row.team.id], months)) for row in rows],
                  criteria=dips.criterion_totals(ids, month), rubric=RUBRIC, ratings=RATINGS,
                  target=rows[0].target if rows else dips.target())


def _trend_lines(rows: list[TeamMonth], by_team: dict[int, dict[date, dips.MonthRatings]],
                 months: list[date]) -> list[charts.TrendLine]:
    """All the teams shown together and, for a few teams, a line each."""
    everyone = [row.team.id for row in rows]
    lines = [charts.TrendLine("All teams shown", [point.pct_met for point in dips.line_of(by_team, everyone, months)])]
    if 1 < len(rows) <= MOST_LINES:
        lines += [charts.TrendLine(row.team.name, [point.pct_met for point in
                                                   dips.line_of(by_team, [row.team.id], months)]) for row in rows]
    return lines


def _team_month(team_id: int, month: str) -> tuple[Team, date]:
    team = get_or_404(Team, team_id)
    authorize("dip_sample", team)
    return team, month_in_url(month)


@bp.route("/dip-samples/teams/<int:team_id>/<month>")
@requires("dip_sample")
def dip_pick(team_id: int, month: str) -> Any:
    """A team's supervision records of the month: pick some at random, or choose them from the list."""
    team, first = _team_month(team_id, month)
    return _pick_page(team, first)


def _pick_page(team: Team, month: date, random_form: RandomPickForm | None = None,
               chosen_form: ChosenPickForm | None = None, status: int = 200) -> Any:
    user = signed_in()
    records = dips.month_records(team, month, user)
    target = dips.target()
    sampled = sum(1 for record in records if record.sample_id is not None)
    left = sum(1 for record in records if record.sample_id is None and not record.own)
    if random_form is None:
        random_form = RandomPickForm(formdata=None, data={"count": min(max(target - sampled, 1), max(left, 1))})
    return render("quality/dip_pick.html", status=status, team=team, month=month, records=records, target=target,
                  sampled=sampled, left=left, random_form=random_form,
                  chosen_form=chosen_form or ChosenPickForm(formdata=None), kinds=KIND_LABELS)


def _picked_message(picked: Picked) -> str:
    made = len(picked.made)
    message = f"{made} record{'s' if made != 1 else ''} added to your samples."
    if picked.already:
        message += (f" {picked.already} {'was' if picked.already == 1 else 'were'} already in your samples: "
                    "a record is sampled once by each person.")
    if picked.refused:
        message += (f" {picked.refused} could not be sampled: not a signed-off record of this team and month, or "
                    "of your own supervision.")
    return message


def _after_pick(team: Team, month: date, picked: Picked) -> Any:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("Some of these records were added to your samples at the same moment (another tab?). Nothing more "
              "was added: your samples are listed below.", "error")
        return see_other(url_for("quality.dip_pick", team_id=team.id, month=dates.month_code(month)))
    flash(_picked_message(picked), "success" if picked.made else "info")
    return see_other(url_for("quality.dip_pick", team_id=team.id, month=dates.month_code(month)))


@bp.route("/dip-samples/teams/<int:team_id>/<month>/random", methods=["POST"])
@requires("dip_sample")
def dip_pick_random(team_id: int, month: str) -> Any:
    team, first = _team_month(team_id, month)
    form = RandomPickForm()
    if not form.validate_on_submit():
        return _pick_page(team, first, random_form=form, status=400)
    try:
        picked = dips.pick_at_random(team, first, signed_in(), form.count.data or 0)
    except DipRefused as refused:
        db.session.rollback()
        form.count.errors = [str(refused)]
        return _pick_page(team, first, random_form=form, status=400)
    return _after_pick(team, first, picked)


@bp.route("/dip-samples/teams/<int:team_id>/<month>/chosen", methods=["POST"])
@requires("dip_sample")
def dip_pick_chosen(team_id: int, month: str) -> Any:
    team, first = _team_month(team_id, month)
    form = ChosenPickForm()
    if not form.validate_on_submit():
        return _pick_page(team, first, chosen_form=form, status=400)
    try:
        picked = dips.pick_chosen(team, first, signed_in(), list(form.records.data or []))
    except DipRefused as refused:
        db.session.rollback()
        form.records.errors = [str(refused)]
        return _pick_page(team, first, chosen_form=form, status=400)
    return _after_pick(team, first, picked)


def _load(sample_id: int, action: str) -> DipSample:
    sample = dips.load_sample(sample_id)
    if sample is None:
        abort(404)
    authorize(action, sample)
    return sample


@bp.route("/dip-samples/<int:sample_id>", methods=["GET", "POST"])
@requires("view_dip_sample")
def dip_sample(sample_id: int) -> Any:
    """A sample: the record, read only, for the samplers (reading it is audited), the rating form for whoever
    took it; the ratings and comments for the record's supervisor."""
    sample = _load(sample_id, "view_dip_sample")
    purged = dips.purged_reason(sample)
    rates = can("rate_dip_sample", sample) and purged is None
    if request.method == "POST":
        authorize("rate_dip_sample", sample)
        if purged is not None:  # whatever was sent: there is nothing left to rate
            flash(purged, "error")
            return see_other(url_for("quality.dip_sample", sample_id=sample.id))
        form = rating_form({}, "", formdata=request.form)
        if form.validate():
            return _rate(sample, form)
        return _sample_page(sample, form, status=400)
    return _sample_page(sample, rating_form(dips.ratings_of(sample), sample.comments) if rates else None)


def _sample_page(sample: DipSample, form: RatingForm | None, status: int = 200) -> Any:
    user = signed_in()
    record: SupervisionRecord | None = None
    snap = None
    if can("dip_sample", sample):
        record = get_or_404(SupervisionRecord, sample.record_id, RECORD_PAGE)
        snap = as_read(record)
        note_read(record, "dip sample")  # what was read, when and by whom: never what it says
    supervises = sample.record.supervisor_id == user.id
    page = render("quality/dip_sample.html", status=status, sample=sample, record=record, snap=snap, form=form,
                  ratings=dips.ratings_of(sample), rubric=RUBRIC, rating_labels=RATINGS, kinds=KIND_LABELS,
                  labels=labels, supervises=supervises,
                  read_form=ActionForm() if supervises and sample.rated_at and not sample.read_by_supervisor_at
                  else None, live=False)
    db.session.commit()
    return page


def _rate(sample: DipSample, form: RatingForm) -> Any:
    record = sample.record
    link = url_for("quality.dip_sample", sample_id=sample.id, _external=True)
    try:
        changed = dips.rate(sample, form.ratings(), form.comments.data or "", dates.utcnow())
        notify(record.supervisor, "TeamOps: a dip sample of your supervision has been rated",
               f"{signed_in().name} has {'changed their ratings of' if changed else 'rated'} the "
               f"{KIND_LABELS[record.kind].lower()} you recorded on {record.held_on:%-d %B %Y}, against the "
               f"dip-sample rubric. Read the feedback: {link}")
        db.session.commit()
    except DipRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return see_other(url_for("quality.dip_sample", sample_id=sample.id))
    flash("Ratings changed. The supervisor is told the feedback has changed." if changed else
          "Ratings saved. The supervisor is told there is feedback to read.", "success")
    return see_other(url_for("quality.dip_sample", sample_id=sample.id))


@bp.route("/dip-samples/<int:sample_id>/read", methods=["POST"])
@requires("read_dip_feedback")
def dip_read(sample_id: int) -> Any:
    """The record's supervisor has read the feedback."""
    sample = _load(sample_id, "read_dip_feedback")
    if ActionForm().validate_on_submit() and dips.mark_read(sample, dates.utcnow()):
        db.session.commit()
        flash("Marked as read. The sampler can see you have read their feedback.", "success")
    return see_other(url_for("quality.dip_sample", sample_id=sample.id))


@bp.route("/dip-samples/feedback")
@requires("read_dip_feedback")
def dip_feedback() -> Any:
    """The rated samples of the signed-in person's supervision, with their ratings."""
    samples = dips.feedback_for(signed_in())
    return render("quality/dip_feedback.html", samples=samples, rubric=RUBRIC, rating_labels=RATINGS,
                  kinds=KIND_LABELS, ratings={sample.id: dips.ratings_of(sample) for sample in samples})
