"""The audit pages (issue 14 item 2, R-QA-4/5): one case audit (the auditor's form, then its findings read only),
marking the findings read and an action done, and QAIT's re-audit."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from teamops import dates
from teamops.access import authorize, can, requires, signed_in
from teamops.cases.models import Case
from teamops.extensions import db
from teamops.forms import ActionForm, whole_number
from teamops.org.models import Staff
from teamops.quality import audits as services
from teamops.quality import bp
from teamops.quality.audit_forms import ADD_ACTION, REMOVE_PREFIX, SAVE, SUBMIT, AuditForm, ReauditForm, audit_form
from teamops.quality.audit_models import AuditAction, AuditRound, CaseAudit, GradeScale
from teamops.quality.audits import AuditRefused
from teamops.web import form_status, get_or_404, render, see_other


@bp.app_template_global()
def audit_action_age(action: AuditAction, on: Any) -> int:
    return services.age_in_days(action, on)


READ = [
    joinedload(CaseAudit.round).joinedload(AuditRound.scale).selectinload(GradeScale.grades),
    joinedload(CaseAudit.round).selectinload(AuditRound.questions),
    joinedload(CaseAudit.case).joinedload(Case.worker).joinedload(Staff.team),
    joinedload(CaseAudit.case).joinedload(Case.case_type),
    joinedload(CaseAudit.auditor), selectinload(CaseAudit.answers),
    selectinload(CaseAudit.actions).joinedload(AuditAction.owner),
]


# The audit a re-audit checks: in the same round, whose scale and questions are loaded with the re-audit.
ORIGINAL = [selectinload(CaseAudit.answers), selectinload(CaseAudit.actions).joinedload(AuditAction.owner)]


def _load(audit_id: int) -> CaseAudit:
    """The audit with everything its page shows (five statements, whatever the round's size)."""
    return get_or_404(CaseAudit, audit_id, options=READ)


def _url(audit: CaseAudit, anchor: str | None = None) -> str:
    return url_for("quality.audit", audit_id=audit.id, _anchor=anchor)


@bp.route("/audits/<int:audit_id>", methods=["GET", "POST"])
@requires("view_case_audit")
def audit(audit_id: int) -> Any:
    """The auditor answers, agrees the remedial actions and submits; after that, and for its other readers, the
    audit reads only."""
    found = _load(audit_id)
    authorize("view_case_audit", found)
    on = dates.today()
    form: AuditForm | None = None
    if request.method == "POST":
        authorize("do_audit", found)
        if not services.is_open(found):
            flash(f"{services.closed_reason(found)}.", "error")
            return see_other(_url(found))
    if can("do_audit", found) and services.is_open(found):
        form = audit_form(found, services.owner_choices(found, on), request.form if request.method == "POST" else None)
        if request.method == "POST":
            return _save(found, form) or _page(found, form, status=400)
    return _page(found, form)


def _save(audit: CaseAudit, form: AuditForm) -> Any:
    """Saves, adds or removes an action, or submits; None when the form goes back with its errors."""
    intent = request.form.get("do", SAVE)
    removing = whole_number(intent.removeprefix(REMOVE_PREFIX)) if intent.startswith(REMOVE_PREFIX) else 0
    kind = intent if intent in (SUBMIT, ADD_ACTION) else SAVE
    on = dates.today()
    if not form.check(kind, len(audit.actions) - (1 if removing else 0), on):
        return None
    new_action = form.new_action()
    try:
        services.save_draft(audit, form.answers(), form.grade.data or None, form.findings.data or "")
        if new_action is not None:
            services.add_action(audit, new_action, on)
        if removing > 0:
            services.remove_action(audit, removing)
        if kind == SUBMIT:
            services.submit(audit, bool(form.no_action_needed.data), dates.utcnow())
        db.session.commit()
    except (AuditRefused, IntegrityError) as refused:
        db.session.rollback()
        flash(str(refused) if isinstance(refused, AuditRefused)
              else "Someone else changed this audit at the same moment. Check it below.", "error")
        return see_other(url_for("quality.audit", audit_id=audit.id))
    if kind == SUBMIT:
        timing = "on time" if services.on_time(audit) else f"after its due date of {audit.due_on:%-d %B %Y}"
        flash(f"Audit of case {audit.case.case_ref} submitted ({timing}). The team's manager has been told.",
              "success")
        return see_other(_url(audit))
    if new_action is not None:
        flash("Action added and the draft saved. Nothing is sent until you submit.", "success")
        return see_other(_url(audit, "actions"))
    if removing:
        flash("Action removed and the draft saved.", "success")
        return see_other(_url(audit, "actions"))
    flash("Draft saved. Nothing is sent until you submit.", "success")
    return see_other(_url(audit))


def _page(audit: CaseAudit, form: AuditForm | None, status: int = 200) -> Any:
    original = get_or_404(CaseAudit, audit.reaudit_of_id, options=ORIGINAL) if audit.reaudit_of_id else None
    reaudit = services.reaudit_of(audit) if audit.submitted_at is not None else None
    grades = {grade.id: grade.label for grade in audit.round.scale.grades}
    user = signed_in()
    shows_content = audit.submitted_at is not None or user.id in (audit.auditor_id, audit.buddy_id)
    return render("quality/audits/audit.html", status=status, audit=audit, form=form, team=services.team_of(audit),
                  original=original, reaudit=reaudit, grades=grades, on=dates.today(), shows_content=shows_content,
                  on_time=services.on_time(audit), submitted_on=services.submitted_on(audit),
                  action_form=ActionForm(), why_no_reaudit=services.may_reaudit(audit) if reaudit is None else None)


@bp.route("/audits/<int:audit_id>/read", methods=["POST"])
@requires("read_audit_findings")
def audit_read(audit_id: int) -> Any:
    """The case's team manager opens the findings from their home page: they are marked read there."""
    found = get_or_404(CaseAudit, audit_id)
    authorize("read_audit_findings", found)
    if not ActionForm().validate_on_submit():
        abort(400)
    if services.mark_read(found, dates.utcnow()):
        db.session.commit()
    return see_other(_url(found))


@bp.route("/audit-actions/<int:action_id>/done", methods=["POST"])
@requires("close_audit_action")
def audit_action_done(action_id: int) -> Any:
    """The action's owner or the team's manager marks a remedial action done today."""
    action = get_or_404(AuditAction, action_id)
    authorize("close_audit_action", action)
    if not ActionForm().validate_on_submit():
        abort(400)
    if services.mark_done(action, dates.today()):
        db.session.commit()
        flash(f"Action on case {action.audit.case.case_ref} marked done.", "success")
    else:
        flash("That action was already done, or its audit is not submitted yet.", "info")
    if request.args.get("back") == "audit" and can("view_case_audit", action.audit):
        return see_other(_url(action.audit, "actions"))
    return see_other(url_for("home.index"))


@bp.route("/audits/<int:audit_id>/reaudit", methods=["GET", "POST"])
@requires("run_audits")
def reaudit(audit_id: int) -> Any:
    """QAIT schedules a re-audit of a submitted audit's case, to check its actions worked (R-QA-5)."""
    found = _load(audit_id)
    problem = services.may_reaudit(found)
    if problem:
        flash(problem, "error")
        return see_other(_url(found))
    on = dates.today()
    form = ReauditForm(request.form if request.method == "POST" else None,
                       data={"auditor": found.auditor_id, "due_on": services.default_reaudit_due(found, on)})
    form.set_auditors(services.auditor_choices(found))
    if request.method == "POST" and form.check(on):
        auditor = db.session.get(Staff, form.auditor.data)
        assert auditor is not None and form.due_on.data is not None
        try:
            again = services.schedule_reaudit(found, auditor, form.due_on.data, on)
            db.session.commit()
        except (AuditRefused, IntegrityError) as refused:
            db.session.rollback()
            flash(str(refused) if isinstance(refused, AuditRefused) else "A re-audit of this audit is already "
                  "scheduled.", "error")
            return see_other(_url(found))
        flash(f"Re-audit of case {found.case.case_ref} scheduled with {auditor.name}, due "
              f"{again.due_on:%-d %B %Y}.", "success")
        return see_other(_url(again))
    return render("quality/audits/reaudit.html", status=form_status(), audit=found, form=form,
                  team=services.team_of(found))
