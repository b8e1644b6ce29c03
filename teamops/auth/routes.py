from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from teamops.access import requires
from teamops.auth import services
from teamops.auth.forms import ChangePasswordForm, SetPasswordForm, SignInForm
from teamops.auth.passwords import password_problem, verify_password
from teamops.extensions import db, login_manager
from teamops.forms import ActionForm
from teamops.org.models import Staff

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_staff(staff_id: str) -> Staff | None:
    if not staff_id.isdigit():
        return None
    return db.session.get(Staff, int(staff_id))

BAD_CREDENTIALS = "Enter a correct e-mail address and password"
THROTTLED = "Too many failed sign-in attempts. Wait 15 minutes, then try again."


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
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
            return redirect(_safe_next(request.args.get("next")), 303)
        form.email.errors = [THROTTLED if result.throttled else BAD_CREDENTIALS]
        status = 429 if result.throttled else 400
    elif request.method == "POST":
        status = 400
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
@requires("signed_in")
def sign_out() -> Any:
    if ActionForm().validate_on_submit():
        services.end_session(current_user._get_current_object())
        flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"), 303)


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
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("home.index"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Any:
    link = services.find_password_link(token)
    if link is None:
        return render_template("auth/link_expired.html"), 404
    if len(token) > 100:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(form.new_password.data or "", link.staff.email)
        if problem:
            form.new_password.errors = [problem]
        else:
            services.use_password_link(link, form.new_password.data or "")
            flash("Your password is set. Sign in with it now.", "success")
            return redirect(url_for("auth.sign_in"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/set_password.html", form=form, staff=link.staff, token=token), status
