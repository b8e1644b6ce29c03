"""The import page: upload a CSV file, see every row to create or update, then confirm."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, url_for
from flask_login import current_user

from teamops.access import requires
from teamops.extensions import db
from teamops.imports import bp
from teamops.imports.forms import ConfirmForm, UploadForm, content_digest
from teamops.imports.models import PendingImport
from teamops.imports.services import (
    KINDS,
    forget_pending,
    hold_for_confirmation,
    kind_of,
    kinds_for,
    run_import,
    scope_for,
)
from teamops.org.settings import case_ref_rule
from teamops.web import changed, form_status, get_or_404, render, see_other

PREVIEW_ROWS = 200
# The problems the page lists; the rest are counted ("and N more"). A 5 MB file can hold 870,000 bad rows.
PREVIEW_PROBLEMS = 200
# The warnings the result page repeats, one message each (the preview lists up to PREVIEW_ROWS).
PREVIEW_WARNINGS = 20
# The rows an upload may have: far more than any team's or organisation's file (10,000 staff import in seconds),
# few enough that a file of tiny bad rows is checked in seconds and megabytes. The command line has no limit.
UPLOAD_ROWS = 50_000


def _kinds() -> list[str]:
    """The kinds the signed-in person may import; 403 for anyone who may import none."""
    kinds = kinds_for(current_user)
    if not kinds:
        abort(403)
    return kinds


def _upload_page(form: UploadForm, kinds: list[str], status: int) -> Any:
    return render("imports/upload.html", form=form, kinds={name: KINDS[name] for name in kinds},
                  case_refs=case_ref_rule(), status=status)


def _pending(pending_id: int) -> PendingImport:
    pending = get_or_404(PendingImport, pending_id)
    if pending.uploaded_by_id != current_user.id:
        abort(404)
    return pending


@bp.route("", methods=["GET", "POST"])
@requires("import_data")
def upload() -> Any:
    kinds = _kinds()
    form = UploadForm(kinds=kinds)
    if form.validate_on_submit():
        content = form.file.data.read()
        filename = (form.file.data.filename or "upload.csv")[:255]
        if not form.kind.data:  # recognised from the header row, never a silent default
            form.kind.data = kind_of(content, kinds) or ""
            if not form.kind.data:
                form.kind.errors = ["TeamOps cannot tell from the header row what the file holds: select it"]
                return _upload_page(form, kinds, 400)
        report = run_import(form.kind.data, content, dry_run=True, scope=scope_for(current_user),
                            problem_limit=PREVIEW_PROBLEMS, row_limit=UPLOAD_ROWS)
        if report.problems:
            return render("imports/preview.html", report=report, kind=form.kind.data,
                                   filename=filename, pending=None, limit=PREVIEW_ROWS, status=400)
        pending = hold_for_confirmation(current_user._get_current_object(), form.kind.data, filename, content)
        db.session.commit()
        confirm_form = ConfirmForm(formdata=None, digest=content_digest(content))
        return render("imports/preview.html", report=report, kind=form.kind.data, filename=filename,
                               pending=pending, action_form=confirm_form, limit=PREVIEW_ROWS)
    return _upload_page(form, kinds, form_status())


@bp.route("/<int:pending_id>/confirm", methods=["POST"])
@requires("import_data")
def confirm(pending_id: int) -> Any:
    kinds = _kinds()
    pending = _pending(pending_id)
    if pending.kind not in kinds:  # the uploader's role changed since the preview
        abort(403)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if form.digest.data != content_digest(pending.content):
        flash("That preview is out of date: nothing was imported. Check the file again.", "info")
        return see_other(url_for("imports.upload"))
    kind, content, filename = pending.kind, pending.content, pending.filename
    report = run_import(kind, content, scope=scope_for(current_user), problem_limit=PREVIEW_PROBLEMS,
                        row_limit=UPLOAD_ROWS)
    if report.problems:  # the organisation changed since the preview: nothing was written
        return render("imports/preview.html", report=report, kind=kind, filename=filename,
                               pending=None, limit=PREVIEW_ROWS, status=400)
    forget_pending(pending)
    db.session.commit()
    flash(f"Imported {filename}: {report.created} created, {report.updated} updated, "
          f"{report.unchanged} unchanged.", "success")
    for warning in report.warnings[:PREVIEW_WARNINGS]:  # the result page lists what was imported anyway
        flash(f"Warning, line {warning.line} ({warning.column}): {warning.message}", "warning")
    if len(report.warnings) > PREVIEW_WARNINGS:
        flash(f"...and {len(report.warnings) - PREVIEW_WARNINGS} more warnings: the preview listed them all.",
              "warning")
    return changed(url_for("imports.upload"))


@bp.errorhandler(413)
def too_large(error: Exception) -> Any:
    """An over-size upload gets its message next to the file field, not a bare error page."""
    kinds = _kinds()
    form = UploadForm(formdata=None, kinds=kinds)
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    form.file.errors = [f"The file must be {limit} MB or smaller. Split it and import the parts in turn."]
    return _upload_page(form, kinds, 413)
