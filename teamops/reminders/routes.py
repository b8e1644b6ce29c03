"""Your calendar feed (issue 15 item 6): the page to make, replace or stop it, and the feed itself, which is
public by its secret address (a calendar program signs in to nothing) and answers 404 for any address that is
not a live feed's, never 500."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, url_for
from flask_login import current_user

from teamops.access import requires
from teamops.calendars import base_url
from teamops.dates import utcnow
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.org.models import Staff
from teamops.reminders import bp, feeds
from teamops.web import render, see_other


def _me() -> Staff:
    person: Staff = current_user._get_current_object()
    return person


@bp.route("/calendar", methods=["GET", "POST"])
@requires("signed_in")
def calendar() -> Any:
    """GET: what the feed is and whether you have one. POST: a new address, shown this once."""
    me = _me()
    form = ActionForm()
    address = None
    if form.validate_on_submit():
        token = feeds.make(me)
        db.session.commit()
        address = base_url() + url_for("reminders.feed", token=token)
    elif form.is_submitted():
        abort(400)
    return render("reminders/calendar.html", feed=feeds.feed_of(me), address=address, form=ActionForm())


@bp.route("/calendar/stop", methods=["POST"])
@requires("signed_in")
def stop() -> Any:
    if not ActionForm().validate_on_submit():
        abort(400)
    if feeds.stop(_me()):
        db.session.commit()
        flash("Your calendar feed is stopped: its address no longer works. Remove the calendar from Outlook too.",
              "success")
    return see_other(url_for("reminders.calendar"))


@bp.get("/calendar/<token>.ics")
def feed(token: str) -> Response:
    person = feeds.owner_of(token)
    if person is None:
        abort(404)
    body = feeds.calendar_of(person, utcnow())
    return Response(body, headers={"Content-Type": "text/calendar; charset=utf-8",
                                   "Content-Disposition": 'inline; filename="teamops.ics"',
                                   "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"})
