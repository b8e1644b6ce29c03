"""The sign-in gate, security headers and error pages, installed on every request."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, flash, g, make_response, redirect, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from teamops.access import POLICY_ATTRIBUTE
from teamops.api.responses import error_response
from teamops.api.tokens import sends_credentials
from teamops.audit.services import record_event
from teamops.auth import sso
from teamops.auth.forms import SignInForm
from teamops.auth.keeping import KEPT_URL, carried_fields, kept_fields, safe_path, send_again
from teamops.auth.services import check_session, end_session
from teamops.extensions import db
from teamops.kept import answer_from_copy
from teamops.web import BACKGROUND_HEADER, render, wants_fragment

# Endpoints anyone may open without signing in. Everything else needs a signed-in, active account.
PUBLIC_ENDPOINTS = frozenset({"static", "auth.sign_in", "auth.set_password", "auth.sso_start", "auth.sso_callback",
                              "auth.sso_logout", "home.health", "reminders.feed"})

def content_security_policy(sign_on_origin: str | None = None) -> str:
    """The CSP. Single sign-on adds the council's provider to ``form-action``: signing out (a form) ends at the
    provider's sign-out page, and browsers check where a form's redirects lead as well as the form itself."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'" + (f" {sign_on_origin}" if sign_on_origin else ""),
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ])


CSP = content_security_policy()
CSP_KEY = "TEAMOPS_CSP"
# A year, and subdomains too: once a browser has seen TeamOps over HTTPS it never tries plain http again, so a
# network attacker cannot strip TLS from the next visit. Sent only when the public URL is https.
HSTS = "max-age=31536000; includeSubDomains"


def _gate() -> Any:
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return None
    if (copy := answer_from_copy()) is not None:
        return copy
    api = request.path.startswith("/api/")
    if sends_credentials(request):
        return None  # the API signs in by its own header and answers 401 itself
    if current_user.is_authenticated:
        # The kept-page check found this session valid, with nothing to write, a moment ago: not read again.
        state = "valid" if g.pop("session_valid", False) else check_session(
            current_user, activity=request.headers.get(BACKGROUND_HEADER) != "true")
        if state == "ended":
            end_session(None)
            if not api:
                flash("Your session has ended. Sign in again to carry on.", "info")
        if state != "valid":
            db.session.commit()
    if not current_user.is_authenticated:
        if api:
            return None  # the API answers 401 itself; it also accepts bearer tokens
        if request.method == "GET":
            return redirect(url_for("auth.sign_in", next=request.full_path), 303)
        return _sign_in_keeping_the_form()
    view = current_app.view_functions.get(endpoint)
    if view is not None and not hasattr(view, POLICY_ATTRIBUTE):
        abort(403)
    return None


NUL_MESSAGE = "{} contains a character that cannot be saved (a NUL character, code 0). Remove it and try again."
NAMELESS_MESSAGE = "The form could not be read: a part of it has no name. Send it again from its page."


def _refuse_nul() -> Any:
    """A NUL character in the address or a form is refused whole, before any view: PostgreSQL stores none in text
    (a query or a row with one fails), and no one types one, so only a broken or hostile client sends it. Sign-in's
    ``next=`` is neither stored nor queried: a bad one is ignored there (``safe_path``), as before."""
    if "\x00" in request.path:  # nothing is named so; left to a view, it would reach a lookup (a case type's code)
        abort(404)
    if None in request.form or None in request.files:  # a multipart part whose name its header garbled
        if request.path.startswith("/api/"):
            return error_response(400, NAMELESS_MESSAGE)
        return _bad_form(NAMELESS_MESSAGE)
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            if ("\x00" in name or "\x00" in value) and not (source is request.args and name == "next"):
                field = name.replace("\x00", "")
                return _nul_refusal("The form" if source is request.form else "The address", field or None)
    return None


def _nul_refusal(where: str, field: str | None) -> Any:
    if request.path.startswith("/api/"):
        return error_response(400, NUL_MESSAGE.format(field or where), field)
    return _bad_form(NUL_MESSAGE.format(where))


def _bad_form(message: str) -> Any:
    return render("errors/error.html", "errors/_error.html", code=400, title=ERROR_TITLES[400], message=message,
                  status=400)


# Flask-WTF's words for a form without the token field, and for one sent from another site's page (over HTTPS).
NEVER_FROM_A_PAGE = frozenset({"The CSRF token is missing.", "The referrer does not match the host."})
SIGN_IN_ENDPOINTS = frozenset({"auth.sign_in", "auth.sso_start"})
CROSS_SITE_MESSAGE = ("It did not come from a TeamOps page, or its security check had run out. Nothing was saved: "
                      "open the page in TeamOps and fill it in there.")


def sent_from_this_site() -> bool:
    """Whether the browser says the request came from one of TeamOps's own pages: Fetch Metadata's
    ``Sec-Fetch-Site``, or from a browser too old to send it, an ``Origin`` of this host (a request with neither
    is believed: no browser that sends forms across sites omits both). A form another site sent is never kept to
    be sent again: its fields are the other site's, and "Send it now" would send them as the person's own."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def _sign_in_keeping_the_form() -> Any:
    """A form sent after the session ended: the sign-in page, carrying what was typed to send it again (only a
    form sent from TeamOps itself)."""
    form = SignInForm(formdata=None)
    if not sent_from_this_site():
        return render("auth/sign_in.html", form=form, kept=[], kept_url=None, status=401)
    return render("auth/sign_in.html", form=form, kept=kept_fields(request.form), kept_url=request.full_path,
                  status=401)


def _csrf_failure(error: CSRFError) -> Any:
    """The form's security token was missing or no longer valid (the page was open across a sign-out or a
    restart): say so on a whole page, and keep what was typed so it can be sent again (only a form sent from
    TeamOps itself: one from another site is just refused)."""
    db.session.rollback()
    # A form with no token field at all was never on a TeamOps page (every form has one), nor one from another
    # site's address: never kept.
    if wants_fragment() or not sent_from_this_site() or error.description in NEVER_FROM_A_PAGE:
        return render("errors/error.html", "errors/_error.html", code=400, title="Your form could not be sent",
                      message=None if wants_fragment() else CROSS_SITE_MESSAGE, status=400)
    kept_url = safe_path(request.form.get(KEPT_URL))
    if kept_url is not None and request.endpoint in SIGN_IN_ENDPOINTS:
        # The sign-in page carrying a kept form, open too long: signed in meanwhile in another tab (which made a
        # new token), "Send your form again"; otherwise the same page again with a fresh token, still carrying it.
        if current_user.is_authenticated:
            return send_again(kept_url, carried_fields(request.form))
        return render("auth/sign_in.html", form=SignInForm(formdata=None), kept=carried_fields(request.form),
                      kept_url=kept_url, status=400)
    return render("auth/resend.html", action=request.full_path, kept=kept_fields(request.form), reason="csrf",
                  status=400)


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = current_app.config[CSP_KEY]
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config["TEAMOPS"].https:
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("HX-Request")
    return response


ERROR_TITLES = {
    400: "There is a problem with your request",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not allowed here",
    413: "That file is too large",
    500: "Sorry, there is a problem with TeamOps",
}


def _error_page(error: HTTPException) -> Any:
    code = error.code or 500
    if code == 403:
        db.session.rollback()
        if current_user.is_authenticated:
            record_event("access_denied", f"refused {request.method} {request.path}"[:300])
            db.session.commit()
    title = ERROR_TITLES.get(code, error.name)
    if request.path.startswith("/api/"):
        return {"error": title}, code, allow_header(error)
    response = make_response(render("errors/error.html", "errors/_error.html", code=code, title=title,
                                    status=code))
    response.headers.update(allow_header(error))
    return response


def allow_header(error: HTTPException) -> dict[str, str]:
    """A 405 names the methods the address does allow (RFC 9110), whatever the body looks like."""
    return {key: value for key, value in error.get_headers() if key == "Allow"}


def _server_error(error: Exception) -> Any:
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return _error_page(InternalServerError())


def init_app(app: Flask) -> None:
    app.config[CSP_KEY] = content_security_policy(sso.issuer_origin(app.config["TEAMOPS"]))
    # First of all, before the CSRF check too: it reads the form's names as text, so a nameless part would fail it.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_nul)
    app.before_request(_gate)
    app.after_request(_headers)
    app.register_error_handler(CSRFError, _csrf_failure)
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(Exception, _server_error)
