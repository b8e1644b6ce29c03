"""Your data: the page that says what TeamOps holds about the signed-in person, and the download of it.

The download is a POST (a button-only form with its CSRF token): it writes an audit event, and a GET never
writes. It has no id in it: everyone downloads their own data and nobody else's, admins included."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask_login import current_user

from teamops.access import requires
from teamops.audit.services import record_event
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.org.models import Staff
from teamops.privacy import bp
from teamops.privacy.export import export_zip
from teamops.web import render, see_other


def _user() -> Staff:
    user: Staff = current_user._get_current_object()
    return user


@bp.route("/account/your-data")
@requires("signed_in")
def your_data() -> Any:
    return render("privacy/your_data.html", action_form=ActionForm())


@bp.route("/account/your-data/download", methods=["POST"])
@requires("signed_in")
def download() -> Any:
    if not ActionForm().validate_on_submit():
        return see_other(url_for("privacy.your_data"))
    user, now = _user(), utcnow()
    archive = export_zip(user, now)
    record_event("read", "downloaded their own data (subject access export)", entity="staff", entity_id=user.id)
    db.session.commit()
    return Response(archive, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="teamops-your-data-{now:%Y-%m-%d}.zip"',
        "Cache-Control": "no-store"})
