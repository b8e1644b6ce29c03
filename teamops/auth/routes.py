"""Sign-in, sign-out, changing a password and setting one from a link."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, session, url_for
from flask_login import current_user

from teamops.access import requires
from teamops.auth import bp, holding, services, sso
from teamops.auth.forms import ChangePasswordForm, SetPasswordForm, SignInForm
from teamops.auth.keeping import KEPT_URL, carried_fields, safe_path, send_again
from teamops.auth.passwords import password_problem
from teamops.extensions import csrf, db
from teamops.forms import ActionForm
from teamops.web import form_status, render, see_other

BAD_CREDENTIALS = "Enter a correct e-mail address and password"
THROTTLED = "Too many failed sign-in attempts. Wait 15 minutes, then try again."
WRONG_CURRENT = "Your current password is not right"
PASSWORDS_OFF_SIGN_IN = "TeamOps does not use passwords here: sign in with your council account"
SSO_NEXT = "sso_next"  # where to go once signed in, kept in the session while the browser is at the provider
NOT_HELD = ("TeamOps cannot keep your form through the council sign-in just now. Copy what you typed somewhere "
            "safe first, then sign in and send it again.")
THROTTLED_CURRENT = "Too many wrong passwords for this account. Wait 15 minutes, then try again."


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect, and never a broken one (teamops.auth.keeping)."""
    return safe_path(target) or url_for("home.index")


def _already_signed_in() -> Any:
    """Someone signed in (in another tab, say) sending a sign-in page: home, or, when that page carried a form sent
    after the session ended, "Send your form again" with it rather than the form lost."""
    kept_url = safe_path(request.form.get(KEPT_URL)) if request.method == "POST" else None
    if kept_url is not None:
        return send_again(kept_url, carried_fields(request.form))
    return redirect(url_for("home.index"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    if current_user.is_authenticated:
        return _already_signed_in()
    form = SignInForm()
    status = 200
    if not sso.passwords_on():
        if request.method == "POST":  # no password is checked, whatever is sent
            form.email.errors = [PASSWORDS_OFF_SIGN_IN]
            status = 400
    elif form.validate_on_submit():
        result = services.authenticate(form.email.data or "", form.password.data or "", request.remote_addr)
        if result.staff is not None:
            services.start_session(result.staff)
            db.session.commit()
            kept_url = safe_path(request.form.get(KEPT_URL))
            if kept_url is not None:  # a form sent after the session ended: offer it again, as typed
                return send_again(kept_url, carried_fields(request.form))
            return see_other(_safe_next(request.args.get("next")))
        db.session.commit()  # the failure counts and is audited
        form.email.errors = [THROTTLED if result.throttled else BAD_CREDENTIALS]
        status = 429 if result.throttled else 400
    elif request.method == "POST":
        status = 400
    return render("auth/sign_in.html", form=form, status=status, kept=carried_fields(request.form),
                  kept_url=safe_path(request.form.get(KEPT_URL)), sso_error=None)


@bp.route("/sign-in/sso", methods=["GET", "POST"])
def sso_start() -> Any:
    """Sends the browser to the council's sign-on (teamops.auth.sso); back at ``sso_callback``. Posted from a
    sign-in page that carries a form sent after the session ended, it first holds that form on the server
    (teamops.auth.holding), to offer it again once signed in."""
    if not sso.enabled():
        abort(404)
    if current_user.is_authenticated:
        return _already_signed_in()
    target = safe_path(request.args.get("next"))
    kept_url = safe_path(request.form.get(KEPT_URL))
    # A form an earlier start in this browser held, never collected (someone gave up at the provider): whoever
    # signs on now did not send it, so it is not theirs to be offered.
    holding.drop(holding.key_from_session())
    response = sso.start()
    if response is None:
        return _sign_on_not_started(kept_url, sso.REFUSED["provider"])
    if kept_url is not None and not holding.hold(kept_url, carried_fields(request.form)):
        return _sign_on_not_started(kept_url, NOT_HELD)  # too many held, or too big
    session[SSO_NEXT] = target
    db.session.commit()
    return response


def _sign_on_not_started(kept_url: str | None, message: str) -> Any:
    """The sign-in page again, saying why the council's sign-on did not start; what was typed stays in it."""
    db.session.commit()
    return render("auth/sign_in.html", form=SignInForm(formdata=None), status=503, kept=carried_fields(request.form),
                  kept_url=kept_url, sso_error=message)


@bp.route("/sign-in/sso/callback")
def sso_callback() -> Any:
    """Where the council's sign-on sends the browser back: signed in, or the sign-in page saying why not. A form
    held for this sign-in comes back ready to send again, as after signing in with a password. When the sign-on
    failed before anyone said who they are (the provider failed, or the person said no there), it comes back in
    the sign-in page, as it was before the button was pressed, to try again; a refused account never sees it."""
    if not sso.enabled():
        abort(404)
    target = session.pop(SSO_NEXT, None)
    held_key = holding.key_from_session()
    outcome = sso.finish()
    if outcome.staff is None:
        if outcome.reason in sso.TRY_AGAIN and not outcome.email:
            held = holding.take(held_key)
        else:
            held = None
            holding.drop(held_key)
        db.session.commit()  # the refusal is audited
        return render("auth/sign_in.html", form=SignInForm(formdata=None), status=403 if outcome.email else 400,
                      kept=held.fields if held else {}, kept_url=held.path if held else None,
                      sso_error=outcome.message)
    services.start_session(outcome.staff, how="single sign-on", sso=outcome.identity)
    sso.mark_session()
    held = holding.take(held_key)
    db.session.commit()
    if held is not None:
        return send_again(held.path, held.fields)
    return see_other(_safe_next(target))


@bp.route("/session/heartbeat", methods=["POST"])
@requires("signed_in")
def heartbeat() -> Any:
    """Typing in a form, or "Stay signed in", keeps the session alive: the gate has just seen this request."""
    return "", 204


@bp.route("/session/status")
@requires("signed_in")
def session_status() -> Any:
    """How long until the idle time-out, for the warning. Asked in the background: it does not count as
    activity."""
    return {"seconds_left": services.seconds_left()}


@bp.route("/sign-in/sso/logout", methods=["POST"])
def sso_logout() -> Any:
    """Back-channel logout: the council's provider says a sign-on session has ended (the person signed out there,
    or was signed out by the council); the TeamOps sessions it started end too."""
    if not sso.enabled():
        abort(404)
    ended = sso.end_sessions_from_provider(request.form.get("logout_token", ""))
    if ended is None:
        return {"error": "invalid_request"}, 400
    db.session.commit()
    return "", 200


csrf.exempt(sso_logout)  # sent by the provider's server, not a browser: the signed logout token is its proof


@bp.route("/sign-out", methods=["POST"])
@requires("signed_in")
def sign_out() -> Any:
    if ActionForm().validate_on_submit():
        from_sign_on = bool(session.get(sso.SSO_SESSION))
        services.end_session(current_user._get_current_object())
        db.session.commit()
        flash("You have signed out.", "success")
        if from_sign_on and (to_provider := sso.sign_out_redirect()) is not None:
            return to_provider  # the council's sign-out page, which sends the browser back to the sign-in page
    return see_other(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@requires("signed_in")
def change_password() -> Any:
    if not sso.passwords_on():
        abort(404)
    form = ChangePasswordForm()
    status = form_status()
    if form.validate_on_submit():
        staff = current_user._get_current_object()
        problem = password_problem(form.new_password.data or "", staff.email)
        check = services.check_current_password(staff, form.current_password.data or "")
        if check == "right" and not problem:
            services.change_password(staff, form.new_password.data or "")
            services.start_session(staff)
            db.session.commit()
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return see_other(url_for("home.index"))
        db.session.commit()  # a wrong current password counts and is audited; the right one cleared the count
        if check != "right":
            form.current_password.errors = [THROTTLED_CURRENT if check == "throttled" else WRONG_CURRENT]
            status = 429 if check == "throttled" else 400
        elif problem:
            form.new_password.errors = [problem]
    return render("auth/change_password.html", form=form, status=status)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Any:
    link = services.find_password_link(token) if sso.passwords_on() else None
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
