from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import delete, or_

from teamops.access import requires
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.imports.forms import ConfirmForm, UploadForm, content_digest
from teamops.imports.models import PendingImport
from teamops.imports.services import KINDS, run_import
from teamops.navigation import nav_item

bp = Blueprint("imports", __name__, url_prefix="/admin/import")
nav_item("Import", "imports.upload", "manage_organisation", 90)

PREVIEW_ROWS = 200
PENDING_KEPT_FOR = timedelta(days=1)


def _pending(pending_id: int) -> PendingImport:
    pending = db.session.get(PendingImport, pending_id)
    if pending is None or pending.uploaded_by_id != current_user.id:
        abort(404)
    return pending


@bp.route("", methods=["GET", "POST"])
@requires("manage_organisation")
def upload() -> Any:
    form = UploadForm()
    if form.validate_on_submit():
        content = form.file.data.read()
        filename = (form.file.data.filename or "upload.csv")[:255]
        report = run_import(form.kind.data, content, dry_run=True)
        if report.problems:
            return render_template("imports/preview.html", report=report, kind=form.kind.data,
                                   filename=filename, pending=None, limit=PREVIEW_ROWS), 400
        # One waiting file per admin; files nobody confirmed within a day go (they hold personal data).
        db.session.execute(delete(PendingImport).where(or_(
            PendingImport.uploaded_by_id == current_user.id,
            PendingImport.uploaded_at < utcnow() - PENDING_KEPT_FOR)))
        pending = PendingImport(kind=form.kind.data, filename=filename, content=content,
                                uploaded_by_id=current_user.id, uploaded_at=utcnow())
        db.session.add(pending)
        db.session.commit()
        confirm_form = ConfirmForm(formdata=None, digest=content_digest(content))
        return render_template("imports/preview.html", report=report, kind=form.kind.data, filename=filename,
                               pending=pending, action_form=confirm_form, limit=PREVIEW_ROWS)
    status = 400 if request.method == "POST" else 200
    return render_template("imports/upload.html", form=form, kinds=KINDS), status


@bp.route("/<int:pending_id>/confirm", methods=["POST"])
@requires("manage_organisation")
def confirm(pending_id: int) -> Any:
    pending = _pending(pending_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if form.digest.data != content_digest(pending.content):
        flash("That preview is out of date: nothing was imported. Check the file again.", "info")
        return redirect(url_for("imports.upload"), 303)
    kind, content, filename = pending.kind, pending.content, pending.filename
    report = run_import(kind, content)
    if report.problems:
        return render_template("imports/preview.html", report=report, kind=kind, filename=filename,
                               pending=None, limit=PREVIEW_ROWS), 400
    db.session.execute(delete(PendingImport).where(PendingImport.id == pending_id))
    db.session.commit()
    flash(f"Imported {filename}: {report.created} created, {report.updated} updated, "
          f"{report.unchanged} unchanged.", "success")
    return redirect(url_for("imports.upload"), 303)


@bp.errorhandler(413)
def too_large(error: Exception) -> Any:
    """An over-size upload gets its message next to the file field, not a bare error page."""
    form = UploadForm(formdata=None)
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    form.file.errors = [f"The file must be {limit} MB or smaller. Split it and import the parts in turn."]
    return render_template("imports/upload.html", form=form, kinds=KINDS), 413
