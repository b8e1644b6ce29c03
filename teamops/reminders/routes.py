"""Your calendar feed (issue 15 item 6): the page to make, replace or stop it, and the feed itself, which is
public by its secret address (a calendar program signs in to nothing) and answers 404 for any address that is
not a live feed's, never 500. Your notifications (item 3): the list, the header's count, opening one and marking
them all read."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, request, url_for
from sqlalchemy.exc import IntegrityError

from teamops.access import requires, signed_in
from teamops.calendars import base_url
from teamops.dates import utcnow
from teamops.directory.models import Network
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.reminders import bp, feeds, inbox
from teamops.reminders.forms import PreferencesForm
from teamops.reminders.models import DAILY, Notification, ReminderPreference
from teamops.reminders.sources import CATEGORY_HEADINGS, CHOOSABLE
from teamops.web import form_status, get_or_404, page_number, paginate, render, see_other


@bp.route("/calendar", methods=["GET", "POST"])
@requires("signed_in")
def calendar() -> Any:
    """GET: what the feed is and whether you have one. POST: a new address, shown this once."""
    me = signed_in()
    form = ActionForm()
    address = None
    if form.validate_on_submit():
        token = feeds.make(me)
        db.session.commit()
        address = base_url() + url_for("reminders.feed", token=token)
    elif form.is_submitted():
        abort(400)
    return render("reminders/calendar.html", feed=feeds.feed_of(me), address=address, form=ActionForm(),
                  networks=feeds.chosen_networks(me))


@bp.route("/calendar/stop", methods=["POST"])
@requires("signed_in")
def stop() -> Any:
    if not ActionForm().validate_on_submit():
        abort(400)
    if feeds.stop(signed_in()):
        db.session.commit()
        flash("Your calendar feed is stopped: its address no longer works. Remove the calendar from Outlook too.",
              "success")
    return see_other(url_for("reminders.calendar"))


@bp.route("/calendar/networks/<int:network_id>", methods=["POST"])
@requires("signed_in")
def choose_network(network_id: int) -> Any:
    """Adds a network's meetings to your feed (``chosen=1``) or takes them out, and goes back to where you were:
    the network's page, or (``back=calendar``) this page."""
    network = get_or_404(Network, network_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    chosen = request.form.get("chosen") == "1"
    if chosen and not network.active:
        abort(404)
    if feeds.choose(signed_in(), network, chosen):
        try:
            db.session.commit()
        except IntegrityError:  # the same choice made twice at once: the first one stands
            db.session.rollback()
        flash(f"The {network.name} meetings are {'now in' if chosen else 'no longer in'} your calendar feed.",
              "success")
    if request.args.get("back") == "calendar":
        return see_other(url_for("reminders.calendar"))
    return see_other(url_for("directory.network", network_id=network.id))


@bp.get("/calendar/<token>.ics")
def feed(token: str) -> Response:
    person = feeds.owner_of(token)
    if person is None:
        abort(404)
    body = feeds.calendar_of(person, utcnow())
    return Response(body, headers={"Content-Type": "text/calendar; charset=utf-8",
                                   "Content-Disposition": 'inline; filename="teamops.ics"',
                                   "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"})


# Notifications (issue 15 item 3) --------------------------------------------------------------------------

@bp.route("/notifications")
@requires("signed_in")
def notifications() -> Any:
    page = paginate(inbox.of(signed_in().id), page_number(request.args.get("page")))
    return render("reminders/notifications.html", "reminders/_notifications.html", page=page, form=ActionForm(),
                  unread=inbox.unread_count(signed_in().id))


@bp.route("/notifications/count")
@requires("signed_in")
def notification_count() -> Any:
    """The header's count, asked in the background by htmx (never counted as activity)."""
    return render("reminders/_count.html", count=inbox.unread_count(signed_in().id), most=inbox.MOST_SHOWN_COUNT)


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@requires("signed_in")
def open_notification(notification_id: int) -> Any:
    """Marks it read and goes to the page to act on (a button: no GET writes)."""
    found = get_or_404(Notification, notification_id)
    if found.staff_id != signed_in().id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    inbox.mark_read(found, utcnow())
    db.session.commit()
    return see_other(inbox.safe_path(found.path))


@bp.route("/notifications/read", methods=["POST"])
@requires("signed_in")
def read_all() -> Any:
    if not ActionForm().validate_on_submit():
        abort(400)
    marked = inbox.mark_all_read(signed_in().id, utcnow())
    db.session.commit()
    if marked:
        flash(f"{marked} notification{'s' if marked != 1 else ''} marked as read.", "success")
    return see_other(url_for("reminders.notifications"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@requires("signed_in")
def preferences() -> Any:
    """Which reminders of things coming up come by e-mail, and how often. Overdue items cannot be turned off."""
    me = signed_in()
    saved = db.session.get(ReminderPreference, me.id)
    if request.method == "GET":
        form = PreferencesForm(data={"email": [c for c in CHOOSABLE if saved is None or c not in saved.off],
                                     "digest": saved.digest if saved is not None else DAILY})
    else:
        form = PreferencesForm()
    if form.validate_on_submit():
        chosen = set(form.email.data or [])
        row = saved or ReminderPreference(staff_id=me.id)
        row.digest = form.digest.data or DAILY
        row.email_off = ",".join(c for c in CHOOSABLE if c not in chosen)
        db.session.add(row)
        db.session.commit()
        flash("Your reminder settings are saved.", "success")
        return see_other(url_for("reminders.preferences"))
    return render("reminders/preferences.html", form=form, headings=CATEGORY_HEADINGS, status=form_status())
