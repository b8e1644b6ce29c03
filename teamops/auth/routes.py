"""Sign-in, sign-out, changing a password and setting one from a link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from teamops.access import requires
from teamops.auth import bp, services
from teamops.auth.forms import ChangePasswordForm, SetPasswordForm, SignInForm
from teamops.auth.passwords import password_problem, verify_password
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.web import form_status, render, see_other

BAD_CREDENTIALS = "Enter a correct e-mail address and password"
THROTTLED = "Too many failed sign-in attempts. Wait 15 minutes, then try again."


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect, and never a broken one. Browsers read a backslash as a
    slash and drop tabs and line breaks, so ``/\\evil.example`` and ``/<tab>/evil.example`` lead off the site;
    a line break cannot go in a Location header at all (it failed the sign-in with a 500). Any such character
    means the home page."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable() and not urlsplit(target).netloc):
        return target
    return url_for("home.index")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(form.email.data or "", form.password.data or "", request.remote_addr)
        if result.staff is not None:
            services.start_session(result.staff)
            db.session.commit()
            return see_other(_safe_next(request.args.get("next")))
        db.session.commit()  # the failure counts and is audited
        form.email.errors = [THROTTLED if result.throttled else BAD_CREDENTIALS]
        status = 429 if result.throttled else 400
    elif request.method == "POST":
        status = 400
    return render("auth/sign_in.html", form=form, status=status)


@bp.route("/sign-out", methods=["POST"])
@requires("signed_in")
def sign_out() -> Any:
    if ActionForm().validate_on_submit():
        services.end_session(current_user._get_current_object())
        db.session.commit()
        flash("You have signed out.", "success")
    return see_other(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@requires("signed_in")
def change_password() -> Any:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        staff = current_user._get_current_object()
        problem = password_problem(form.new_password.data or "", staff.email)
        if not verify_password(staff.password_hash, form.current_password.data or ""):
            form.current_password.errors = ["Your current password is not right"]
        elif problem:
            form.new_password.errors = [problem]
        else:
            services.change_password(staff, form.new_password.data or "")
            services.start_session(staff)
            db.session.commit()
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return see_other(url_for("home.index"))
    return render("auth/change_password.html", form=form, status=form_status())


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Any:
    link = services.find_password_link(token)
    if link is None:
        return render("auth/link_expired.html", status=404)
    if len(token) > 100:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(form.new_password.data or "", link.staff.email)
        if problem:
            form.new_password.errors = [problem]
        else:
            services.use_password_link(link, form.new_password.data or "")
            db.session.commit()
            flash("Your password is set. Sign in with it now.", "success")
            return see_other(url_for("auth.sign_in"))
    return render("auth/set_password.html", form=form, staff=link.staff, token=token, status=form_status())
