"""The audit rounds' pages (issue 14 item 1, R-QA-4): admins' grading scales; QAIT's rounds, a round's page
(its audits, progress and grades), setting one up, the offered pick and its confirmation, adding and removing
a case, an audit's buddy; a manager's own audits; a round's briefings as a calendar file. Parse, authorise, call
``rounds`` or ``round_picks``, commit once."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, make_response, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from teamops import dates
from teamops.access import authorize, requires, signed_in
from teamops.extensions import db
from teamops.forms import ActionForm, whole_number
from teamops.org.models import Service
from teamops.policy.models import CaseType
from teamops.quality import bp, round_picks, rounds
from teamops.quality.audit_models import AUDIT_STATUSES, AuditRound, CaseAudit, GradeScale
from teamops.quality.round_calendar import briefings_ics
from teamops.quality.round_export import sheets as round_export_sheets
from teamops.quality.round_forms import AddCaseForm, BuddyForm, PickSizeForm, RoundForm, ScaleForm
from teamops.quality.round_picks import LEFT_OUT, OfferRow
from teamops.quality.rounds import Refused
from teamops.spreadsheets import xlsx_workbook
from teamops.web import form_status, get_or_404, render, see_other

STATUS_LABELS = {"assigned": "Assigned", "submitted": "Submitted", "overdue": "Overdue"}
STATUS_TAGS = {"assigned": "govuk-tag--blue", "submitted": "govuk-tag--green", "overdue": "govuk-tag--red"}
assert set(STATUS_LABELS) == set(AUDIT_STATUSES)


def _refuse(form: Any, refused: Refused) -> None:
    """A rule the service refused goes next to its field like the form's own messages."""
    for name, message in refused.problems.items():
        form[name].errors = [*form[name].errors, message]


# Grading scales (admins) ------------------------------------------------------------------------------------

@bp.route("/scales")
@requires("manage_grade_scales")
def scales() -> Any:
    if rounds.ensure_default_scale():  # the Ofsted scale, the first time anyone looks
        db.session.commit()
    return render("quality/rounds/scales.html", rows=rounds.scales())


@bp.route("/scales/new", methods=["GET", "POST"], endpoint="scale_form")
@bp.route("/scales/<int:scale_id>", methods=["GET", "POST"], endpoint="scale_form")
@requires("manage_grade_scales")
def scale_form(scale_id: int | None = None) -> Any:
    scale = get_or_404(GradeScale, scale_id, options=[selectinload(GradeScale.grades)]) if scale_id else None
    data = {"name": scale.name, "grades": "\n".join(g.label for g in scale.grades),
            "active": "yes" if scale.active else "no"} if scale is not None and request.method == "GET" else None
    form = ScaleForm(data=data)  # a form sent is read as sent: a box left out is not the saved value
    if form.validate_on_submit():
        try:
            saved = rounds.save_scale(scale, form.name.data or "", form.grade_list(), form.active.data == "yes")
            db.session.commit()
        except Refused as refused:
            db.session.rollback()
            _refuse(form, refused)
        except IntegrityError:
            db.session.rollback()
            form.name.errors = ["Someone saved a scale with this name at the same moment: give this one another"]
        else:
            flash(f"Grading scale {saved.name} saved.", "success")
            return see_other(url_for("quality.scales"))
    used = rounds.rounds_using(scale) if scale is not None else 0
    return render("quality/rounds/scale_form.html", form=form, scale=scale, used=used, status=form_status())


# Rounds (QAIT) ----------------------------------------------------------------------------------------------

@bp.route("/audits/rounds", endpoint="rounds")
@requires("run_audits")
def rounds_list() -> Any:
    """Every round, newest first, with its progress, due date and briefings."""
    found = list(db.session.scalars(rounds.rounds_newest_first().options(selectinload(AuditRound.services))))
    on = dates.today()
    return render("quality/rounds/rounds.html", rows=found, progress=rounds.progress([r.id for r in found], on),
                  on=on)



def _round_form(round_: AuditRound | None) -> RoundForm:
    services = list(db.session.scalars(select(Service).where(Service.active.is_(True)).order_by(Service.name)))
    scales = rounds.active_scales()
    if round_ is not None:
        services += [s for s in round_.services if s not in services]
        scales += [round_.scale] if round_.scale not in scales else []
    if request.method == "POST":  # a form sent is read as sent: a box left out is not the saved value
        return RoundForm(services=services, scales=scales)
    data: dict[str, Any]
    if round_ is not None:
        data = {
            "year": round_.year, "quarter": str(round_.quarter), "theme": round_.theme,
            "service_ids": [s.id for s in round_.services], "due_on": round_.due_on, "scale_id": round_.scale_id,
            "questions": "\n".join(q.text for q in round_.questions), "briefing_place": round_.briefing_place}
        for kind in ("before", "after"):
            moment = getattr(round_, f"briefing_{kind}_at")
            if moment is not None:
                local = moment.astimezone(dates.LONDON)
                data[f"{kind}_date"], data[f"{kind}_time"] = local.date(), f"{local:%H:%M}"
    else:
        on = dates.today()
        default = next((s for s in scales if s.name == rounds.OFSTED_SCALE), scales[0] if scales else None)
        data = {"year": on.year, "quarter": str(rounds.quarter_of(on)),
                "scale_id": default.id if default is not None else 0}
    return RoundForm(data=data, services=services, scales=scales)


@bp.route("/audits/rounds/new", methods=["GET", "POST"], endpoint="round_form")
@bp.route("/audits/rounds/<int:round_id>/edit", methods=["GET", "POST"], endpoint="round_form")
@requires("run_audits")
def round_form(round_id: int | None = None) -> Any:
    """Sets up a round, or changes one while none of its audits is submitted."""
    round_ = get_or_404(AuditRound, round_id) if round_id else None
    if round_ is not None and (locked := rounds.locked_message(round_)):
        flash(locked, "error")
        return see_other(url_for("quality.round", round_id=round_.id))
    if round_ is None and rounds.ensure_default_scale():  # the Ofsted scale, the first time a round is set up
        db.session.commit()
    form = _round_form(round_)
    if form.validate_on_submit():
        try:
            saved = rounds.save_round(round_, form.details(), signed_in())
            db.session.commit()
        except Refused as refused:
            db.session.rollback()
            _refuse(form, refused)
        except IntegrityError:  # the same round set up by someone else at the same moment
            db.session.rollback()
            form.theme.errors = ["There is already a round on this theme in that quarter: choose another theme "
                                 "or quarter"]
        else:
            flash(f"Audit round {saved.name} saved.", "success")
            return see_other(url_for("quality.round", round_id=saved.id))
    return render("quality/rounds/round_form.html", form=form, round=round_, status=form_status())


def _round_page(round_: AuditRound, add_form: AddCaseForm | None = None, status: int = 200) -> Any:
    on = dates.today()
    auditors = round_picks.auditors(round_)
    audits = rounds.round_audits(round_)
    locked = "An audit of this round has been submitted, so the round can no longer change" \
        if any(audit.submitted_at is not None for audit in audits) else None
    return render("quality/rounds/round.html", status=status, round=round_, on=on, audits=audits,
                  progress=rounds.Progress.of(audits, on) if audits else None,
                  by_service=rounds.grades_by_service(round_), by_question=rounds.grades_by_question(round_),
                  pick_form=PickSizeForm(data={"n": len(auditors) or 1}),
                  add_form=add_form or AddCaseForm(auditors=auditors), action_form=ActionForm(),
                  locked=locked, statuses=STATUS_LABELS, tags=STATUS_TAGS)


def _load_round(round_id: int) -> AuditRound:
    """A round with its scale and grades, services and questions (four statements)."""
    return get_or_404(AuditRound, round_id, options=[
        joinedload(AuditRound.scale).selectinload(GradeScale.grades), selectinload(AuditRound.services),
        selectinload(AuditRound.questions)])


@bp.route("/audits/rounds/<int:round_id>", endpoint="round")
@requires("run_audits")
def round_page(round_id: int) -> Any:
    """A round: its details and briefings, its audits, its progress and grades, and giving out its cases."""
    return _round_page(_load_round(round_id))


@bp.get("/audits/rounds/<int:round_id>/export.xlsx")
@requires("run_audits")
def round_export(round_id: int) -> Response:
    """The round as a workbook: its audits, the remedial actions with their age, the grades by service."""
    round_ = _load_round(round_id)
    body = xlsx_workbook(round_export_sheets(round_, dates.today()))
    return Response(body, headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="audit-round-{round_.id}.xlsx"'})


def _case_types() -> dict[str, str]:
    return {code: label for code, label in db.session.execute(select(CaseType.code, CaseType.label))}


@bp.route("/audits/rounds/<int:round_id>/pick", methods=["GET", "POST"])
@requires("run_audits")
def pick(round_id: int) -> Any:
    """The offered pick (GET ``n``, ``seed``): an editable table of cases and auditors; confirming it (POST)
    gives the cases out as shown, or sends the table back with a message next to each row that breaks a rule."""
    round_ = get_or_404(AuditRound, round_id, options=[selectinload(AuditRound.services)])
    on = dates.today()
    if request.method == "POST":
        return _confirm(round_, on)
    form = PickSizeForm(request.args)
    seed = _seed(request.args.get("seed"))
    auditors = round_picks.auditors(round_)
    if not form.validate():
        return render("quality/rounds/pick.html", status=400, round=round_, form=form, offer=None, seed=seed,
                      auditors=auditors, problems={}, types=_case_types(), action_form=ActionForm())
    n = form.n.data or len(auditors) or 1
    form.n.data = n
    offer = round_picks.offer(round_, n, seed, on)
    return render("quality/rounds/pick.html", round=round_, form=form, offer=offer, rows=offer.rows, seed=seed,
                  auditors=offer.auditors, first_timers=offer.first_timers, problems={}, types=_case_types(),
                  action_form=ActionForm(), next_seed=round_picks.new_seed())


def _seed(text: str | None) -> int:
    number = whole_number(text)
    return number if number > 0 else round_picks.new_seed()


def _confirm(round_: AuditRound, on: Any) -> Any:
    if not ActionForm().validate_on_submit():
        abort(400)
    case_ids = [whole_number(value) for value in request.form.getlist("case_id")]
    auditor_ids = [whole_number(value) for value in request.form.getlist("auditor_id")]
    if len(case_ids) != len(auditor_ids):
        abort(400)
    rows = list(zip(case_ids, auditor_ids, strict=True))
    try:
        made = round_picks.assign(round_, rows, signed_in(), on)
        db.session.commit()
    except Refused as refused:
        db.session.rollback()
        return _pick_again(round_, rows, refused.problems)
    except IntegrityError:
        db.session.rollback()
        flash("Someone gave out some of these cases at the same moment: check the round's audits below.", "error")
        return see_other(url_for("quality.round", round_id=round_.id))
    buddied = sum(1 for audit in made if audit.buddy_id is not None)
    flash(f"{len(made)} case{'s' if len(made) != 1 else ''} given to auditors"
          + (f"; {buddied} first-time audit{'s' if buddied != 1 else ''} with a buddy" if buddied else "")
          + ". The auditors and buddies have been told.", "success")
    return see_other(url_for("quality.round", round_id=round_.id))


def _pick_again(round_: AuditRound, rows: list[tuple[int, int]], problems: dict[str, str]) -> Any:
    """The confirmed table as it was sent, with each row's problem next to it: nothing was written."""
    cases = round_picks.cases_by_id([case_id for case_id, _auditor in rows])
    if any(case_id not in cases for case_id, _auditor in rows):  # not a table this page made
        flash("That list of cases is not one TeamOps offered: offer a pick again", "error")
        return see_other(url_for("quality.round", round_id=round_.id))
    shown = [OfferRow(cases[case_id], auditor_id) for case_id, auditor_id in rows]
    auditors = round_picks.auditors(round_)
    seed = _seed(request.form.get("seed"))
    form = PickSizeForm(data={"n": whole_number(request.form.get("n")) or len(shown)})
    return render("quality/rounds/pick.html", status=400, round=round_, form=form, offer=None, rows=shown,
                  seed=seed, auditors=auditors,
                  first_timers=round_picks.first_timers(round_, {a for _c, a in rows if a != LEFT_OUT}),
                  problems=problems, types=_case_types(), action_form=ActionForm(), next_seed=round_picks.new_seed())


def _audit_of(round_id: int, audit_id: int) -> tuple[AuditRound, CaseAudit]:
    audit = get_or_404(CaseAudit, audit_id)
    if audit.round_id != round_id:
        abort(404)
    return audit.round, audit


@bp.route("/audits/rounds/<int:round_id>/cases", methods=["POST"])
@requires("run_audits")
def add_case(round_id: int) -> Any:
    """One case by its reference, with an auditor (the same rules as a pick)."""
    round_ = _load_round(round_id)
    form = AddCaseForm(auditors=round_picks.auditors(round_))
    if form.validate_on_submit():
        try:
            audit = round_picks.add_case(round_, form.case_ref.data or "", form.auditor_id.data or 0, signed_in(),
                                         dates.today())
            db.session.commit()
        except Refused as refused:
            db.session.rollback()
            _refuse(form, refused)
        except IntegrityError:
            db.session.rollback()
            form.case_ref.errors = ["This case was added to the round at the same moment by someone else"]
        else:
            buddy = f", with {audit.buddy.name} as their audit buddy" if audit.buddy is not None else ""
            flash(f"{audit.case.case_ref} given to {audit.auditor.name}{buddy}.", "success")
            return see_other(url_for("quality.round", round_id=round_.id))
    return _round_page(round_, add_form=form, status=400)


@bp.route("/audits/rounds/<int:round_id>/audits/<int:audit_id>/remove", methods=["POST"])
@requires("run_audits")
def remove_audit(round_id: int, audit_id: int) -> Any:
    round_, audit = _audit_of(round_id, audit_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    ref = audit.case.case_ref
    try:
        round_picks.remove(audit)
        db.session.commit()
    except Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        flash(f"{ref} is no longer in this round.", "success")
    return see_other(url_for("quality.round", round_id=round_.id))


@bp.route("/audits/rounds/<int:round_id>/audits/<int:audit_id>/buddy", methods=["GET", "POST"])
@requires("run_audits")
def buddy(round_id: int, audit_id: int) -> Any:
    """QAIT changes or clears an audit's buddy while it is not submitted."""
    round_, audit = _audit_of(round_id, audit_id)
    form = BuddyForm(data={"buddy_id": audit.buddy_id or 0} if request.method == "GET" else None,
                     people=round_picks.buddy_choices(audit))
    if request.method == "POST" and audit.submitted_at is not None:
        flash("This audit has been submitted: its buddy can no longer change", "error")
        return see_other(url_for("quality.round", round_id=round_.id))
    if form.validate_on_submit():
        try:
            round_picks.set_buddy(audit, form.buddy_id.data or None)
            db.session.commit()
        except Refused as refused:
            db.session.rollback()
            _refuse(form, refused)
        else:
            flash(f"{audit.case.case_ref}: " + (f"{audit.buddy.name} is the audit buddy." if audit.buddy else
                                                 "no audit buddy."), "success")
            return see_other(url_for("quality.round", round_id=round_.id))
    return render("quality/rounds/buddy.html", form=form, round=round_, audit=audit, status=form_status())


# Briefings and a manager's own audits -----------------------------------------------------------------------

@bp.route("/audits/rounds/<int:round_id>/briefings.ics")
@requires("view_audit_round")
def briefings(round_id: int) -> Any:
    """The round's briefings as a calendar file: QAIT, and whoever audits or buddies in the round."""
    round_ = get_or_404(AuditRound, round_id)
    authorize("view_audit_round", round_)
    response = make_response(briefings_ics(round_))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="audit-briefings-{round_.id}.ics"'
    return response


@bp.route("/audits")
@requires("do_audit")
def audits() -> Any:
    """Your audits: the cases you audit or buddy, with their round, due date, status and the briefings."""
    on = dates.today()
    return render("quality/rounds/audits.html", audits=rounds.audits_of(signed_in()), on=on, statuses=STATUS_LABELS,
                  tags=STATUS_TAGS)
