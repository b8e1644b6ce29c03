"""The API tokens pages. A new token is shown once, in the answer to the form that made it (never in a
redirect, a flash message or the session cookie, which is signed but readable), and only its hash is kept."""

from __future__ import annotations

from typing import Any

from flask import flash, request, url_for
from flask_login import current_user

from teamops.access import authorize, requires
from teamops.api.models import ApiToken
from teamops.api.tokens import issue_token, latest_expiry_date, revoke_token
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.org.models import Staff
from teamops.tokens import bp, services
from teamops.tokens.forms import NewTokenForm, TokenSearchForm
from teamops.web import form_status, get_or_404, page_number, paginate, render, see_other


def _user() -> Staff:
    user: Staff = current_user._get_current_object()
    return user


def _label(token: ApiToken) -> str:
    return f"“{token.label}”" if token.label else "with no label"


@bp.route("/account/tokens", methods=["GET", "POST"])
@requires("manage_own_tokens")
def mine() -> Any:
    user = _user()
    form = NewTokenForm(staff=user)
    status, new_token, new_row = form_status(), None, None
    if form.validate_on_submit():
        new_token, new_row = issue_token(user, form.label.data or "", form.expires_on.data)
        db.session.commit()
        form, status = NewTokenForm(formdata=None, staff=user), 200
    page = paginate(services.own_tokens(user), page_number(request.args.get("page")))
    return render("tokens/mine.html", form=form, page=page, new_token=new_token, new_row=new_row,
                  action_form=ActionForm(), now=utcnow(), latest_expiry=latest_expiry_date(), status=status)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@requires("manage_own_tokens")
def revoke_mine(token_id: int) -> Any:
    token = get_or_404(ApiToken, token_id)
    authorize("manage_own_tokens", token)
    if ActionForm().validate_on_submit() and revoke_token(token):
        db.session.commit()
        flash(f"Your token {_label(token)} is revoked: it no longer works.", "success")
    return see_other(url_for("tokens.mine"))


def _search() -> TokenSearchForm:
    search = TokenSearchForm(request.args)
    search.validate()
    return search


@bp.route("/admin/tokens")
@requires("manage_all_tokens")
def everyone() -> Any:
    search, now = _search(), utcnow()
    query = services.all_tokens(search.q.data or "", search.show.data or "working", now)
    page = paginate(query, page_number(request.args.get("page")))
    return render("tokens/everyone.html", "tokens/_everyone_results.html", page=page, search=search, now=now,
                  action_form=ActionForm())


@bp.route("/admin/tokens/<int:token_id>/revoke", methods=["POST"])
@requires("manage_all_tokens")
def revoke_any(token_id: int) -> Any:
    token = get_or_404(ApiToken, token_id)
    if ActionForm().validate_on_submit() and revoke_token(token):
        db.session.commit()
        flash(f"{token.staff.name}'s token {_label(token)} is revoked: it no longer works.", "success")
    search = _search()
    return see_other(url_for("tokens.everyone", q=search.q.data or None, show=search.show.data,
                             page=request.args.get("page")))
