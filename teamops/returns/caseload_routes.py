"""The caseload review pages (R-QA-3): the month's reviews in reach, a team's review with the commentary form, and
QAIT's button that makes the month's reports (as ``flask teamops caseload-snapshot`` does)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, request, url_for
from markupsafe import Markup

from teamops import dates
from teamops.access import authorize, can, requires, signed_in
from teamops.extensions import db
from teamops.returns import bp, caseload
from teamops.returns.caseload_forms import MonthForm, commentary_form
from teamops.returns.models import CASELOAD_COMMENTARY_MAX, CaseloadReview
from teamops.types import MAX_ID
from teamops.web import form_status, render, see_other

RETURN = "return"  # the button that also returns the review to QAIT


@bp.context_processor
def _month_words() -> dict[str, Any]:
    return {"month_label": dates.month_label, "month_code": dates.month_code}


@bp.route("/caseload")
@requires("view_returns")
def caseload_list() -> Any:
    """The month's reviews of the teams in reach (QAIT: every team, by service): state, due date, who returned
    it. ``?month=YYYY-MM`` (default this month); a month that is not one is said next to the field."""
    on = dates.today()
    picks_service = can("pick_service")
    form = MonthForm(request.args, services=caseload.services_with_reviews() if picks_service else [])
    month, problem = date_or_problem(form.month.data, on)
    if problem:
        form.month.errors = [problem]
    service_id = form.service.data if picks_service and form.service.data and form.service.data > 0 else None
    form.month.data = dates.month_code(month) if month else form.month.data
    lines = caseload.month_reviews(signed_in(), month, on, service_id) if month else []
    this_month = date(on.year, on.month, 1)
    return render("returns/caseload_list.html", form=form, month=month, lines=lines, this_month=this_month,
                  picks_service=picks_service, runs=can("run_returns"),
                  show_service=picks_service or len({line.review.team.service_id for line in lines}) > 1,
                  previous=dates.add_months(month, -1) if month else None,
                  following=dates.add_months(month, 1) if month and month < this_month else None,
                  status=400 if problem else 200)


def date_or_problem(text: str | None, on: date) -> tuple[date | None, str | None]:
    """The month asked for and None, or None and why it is not a month."""
    try:
        return caseload.parse_month(text, on), None
    except ValueError as error:
        return None, str(error)


@bp.route("/caseload/make", methods=["POST"])
@requires("run_returns")
def caseload_make() -> Any:
    """QAIT makes this month's reports now (those already made are left as they are)."""
    on = dates.today()
    month = date(on.year, on.month, 1)
    made = caseload.make_reports(month, on)
    db.session.commit()
    existed = caseload.reports_made(month) - made
    flash(f"Caseload reports for {dates.month_label(month)}: {made} made, {existed} already existed.", "success")
    return see_other(url_for("returns.caseload_list", month=dates.month_code(month)))


def _review(review_id: int) -> CaseloadReview:
    found = caseload.load_review(review_id) if 0 < review_id <= MAX_ID else None
    if found is None:
        abort(404)
    return found


@bp.route("/caseload/<int:review_id>", methods=["GET", "POST"])
@requires("view_returns")
def caseload_review(review_id: int) -> Any:
    """The review: its figures and commentary. A POST (its manager's, ``submit_return``) saves the commentary
    ("Save"), and with "Save and return to QAIT" returns the review; over the limit, the page comes back with the
    text kept and nothing saved. A returned review reads only."""
    review = _review(review_id)
    if request.method == "GET":
        authorize("view_returns", review)
        return _page(review)
    authorize("submit_return", review)
    here = url_for("returns.caseload_review", review_id=review.id)
    if not caseload.may_change(review):
        flash(caseload.returned_message(review), "info")
        return see_other(here)
    form = commentary_form(review.rows)
    if not form.validate_on_submit():
        return _page(review, form)
    caseload.save_commentary(review, form.commentary())
    if request.form.get("action") == RETURN:
        caseload.return_to_qait(review, signed_in(), dates.utcnow())
        db.session.commit()
        flash(f"Commentary saved and the {dates.month_label(review.month)} caseload review returned to QAIT.",
              "success")
        return see_other(here)
    db.session.commit()
    flash("Commentary saved. Return the review to QAIT when it is complete.", "success")
    return see_other(here)


def _page(review: CaseloadReview, form: Any = None) -> Any:
    on = dates.today()
    writes = caseload.may_change(review) and can("submit_return", review)
    if writes and form is None:
        form = commentary_form(review.rows)
    rows = review.rows
    types = caseload.type_columns(rows)
    return render("returns/caseload_review.html", review=review, rows=rows, form=form if writes else None,
                  state=caseload.state_on(review, on), days_late=caseload.working_days_late(review, on),
                  labels=caseload.STATE_LABELS, tags=caseload.STATE_TAGS, types=types,
                  type_headers={code: Markup('<abbr title="{}">{}</abbr>').format(name, code) for code, name in types},
                  type_totals={code: sum(row.by_type.get(code, 0) for row in rows) for code, _ in types},
                  two_months_before=dates.add_months(review.as_of, -caseload.UNSUPERVISED_MONTHS),
                  change_text=caseload.change_text, limit=CASELOAD_COMMENTARY_MAX,
                  status=form_status() if writes and form.errors else 200)
