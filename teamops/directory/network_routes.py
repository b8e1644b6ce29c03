"""Networks and groups: the list, a network's page and its .ics file (everyone signed in), creating one
(admins), editing it, its contacts and its meeting changes, and confirming it is still correct (admins and its
listed contacts)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, url_for
from sqlalchemy import select

from teamops import dates
from teamops.access import authorize, can, requires, signed_in
from teamops.directory import bp, calendar, checking, networks, recurrence
from teamops.directory.models import CONTACT_ROLES, NETWORK_KINDS, Network, NetworkContact, NetworkException
from teamops.directory.network_forms import ContactForm, ExceptionForm, NetworkForm
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.org.models import Staff
from teamops.org.services import normalise_email
from teamops.reminders import feeds
from teamops.web import form_status, get_or_404, render, see_other


@bp.context_processor
def _network_labels() -> dict[str, Any]:
    return {"network_kinds": NETWORK_KINDS, "contact_roles": CONTACT_ROLES}


def _load(network_id: int) -> Network:
    return get_or_404(Network, network_id, options=networks.with_everything())


@bp.route("/networks")
@requires("read_directory")
def networks_index() -> Any:
    on = dates.today()
    rows = [(network, next(iter(recurrence.next_meetings(network, on, 1)), None))
            for network in db.session.scalars(networks.networks_query())]
    return render("directory/networks.html", rows=rows, may_add=can("manage_directory"))


@bp.route("/networks/<int:network_id>")
@requires("read_directory")
def network(network_id: int) -> Any:
    found = _load(network_id)
    return _page(found)


def _page(network: Network) -> Any:
    on = dates.today()
    keeps = can("edit_network", network)
    return render("directory/network.html", network=network, contacts=networks.shown_contacts(network),
                  meetings=recurrence.next_meetings(network, on, 3), rule=recurrence.rule_in_words(network),
                  exceptions=[e for e in network.exceptions if max(e.original_on, e.moved_on or e.original_on) >= on],
                  keeps=keeps, needs_contact=keeps and networks.needs_contact(network),
                  stale=checking.is_stale(network, on), action_form=ActionForm(),
                  in_feed=feeds.has_chosen(signed_in(), network))


@bp.route("/networks/new", methods=["GET", "POST"])
@requires("manage_directory")
def network_new() -> Any:
    form = NetworkForm()
    if form.validate_on_submit() and _saved(form, None):
        return see_other(url_for("directory.network", network_id=form.network.id))  # type: ignore[union-attr]
    return render("directory/network_form.html", form=form, network=None, status=form_status())


@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
@requires("edit_network")
def network_edit(network_id: int) -> Any:
    found = _load(network_id)
    authorize("edit_network", found)
    form = NetworkForm(network=found)
    if form.validate_on_submit() and _saved(form, found):
        return see_other(url_for("directory.network", network_id=found.id))
    return render("directory/network_form.html", form=form, network=found, status=form_status())


def _saved(form: NetworkForm, network: Network | None) -> bool:
    """Saves the form, or puts the service's refusal next to its field (nothing written)."""
    try:
        saved = networks.save_network(network, form.details(), form.schedule, signed_in())
    except (networks.NetworkProblem, recurrence.PatternProblem) as problem:
        db.session.rollback()
        field = getattr(form, {"ends_at": "end_time"}.get(problem.field, problem.field))
        field.errors = [*field.errors, problem.message]
        return False
    db.session.commit()
    form.network = saved
    flash(f"{saved.name} is saved.", "success")
    return True


@bp.route("/networks/<int:network_id>/contacts", methods=["GET", "POST"])
@requires("edit_network")
def network_contacts(network_id: int) -> Any:
    found = _load(network_id)
    authorize("edit_network", found)
    form = ContactForm()
    if form.validate_on_submit():
        assert form.email.data is not None and form.role.data is not None
        person = db.session.scalar(select(Staff).where(Staff.email == normalise_email(form.email.data),
                                                       Staff.active.is_(True)))
        try:
            if person is None:
                raise networks.NetworkProblem("Enter the work e-mail of someone who works here now", "email")
            networks.add_contact(found, person, form.role.data, bool(form.agreed.data), form.agreed_on.data)
        except networks.NetworkProblem as problem:
            db.session.rollback()
            getattr(form, problem.field).errors.append(problem.message)
        else:
            db.session.commit()
            flash(f"{person.name} is listed as a contact.", "success")
            return see_other(url_for("directory.network_contacts", network_id=found.id))
    return render("directory/network_contacts.html", network=found, form=form, action_form=ActionForm(),
                  status=form_status())


@bp.route("/networks/<int:network_id>/contacts/<int:contact_id>/remove", methods=["POST"])
@requires("edit_network")
def network_contact_remove(network_id: int, contact_id: int) -> Any:
    found = _load(network_id)
    authorize("edit_network", found)
    contact = get_or_404(NetworkContact, contact_id)
    if contact.network_id != found.id:
        abort(404)
    name = contact.staff.name
    networks.remove_contact(contact)
    db.session.commit()
    flash(f"{name} is no longer listed.", "success")
    return see_other(url_for("directory.network_contacts", network_id=found.id))


@bp.route("/networks/<int:network_id>/exceptions", methods=["GET", "POST"])
@requires("edit_network")
def network_exceptions(network_id: int) -> Any:
    found = _load(network_id)
    authorize("edit_network", found)
    form = ExceptionForm()
    if form.validate_on_submit():
        assert form.original_on.data is not None
        try:
            networks.add_exception(found, form.original_on.data, form.moves_to, form.starts_at, form.ends_at,
                                   form.note.data or "")
        except networks.NetworkProblem as problem:
            db.session.rollback()
            getattr(form, problem.field).errors.append(problem.message)
        else:
            db.session.commit()
            flash("The meeting is changed.", "success")
            return see_other(url_for("directory.network_exceptions", network_id=found.id))
    return render("directory/network_exceptions.html", network=found, form=form, action_form=ActionForm(),
                  rule=recurrence.rule_in_words(found), meetings=recurrence.next_meetings(found, dates.today(), 6),
                  status=form_status())


@bp.route("/networks/<int:network_id>/exceptions/<int:exception_id>/remove", methods=["POST"])
@requires("edit_network")
def network_exception_remove(network_id: int, exception_id: int) -> Any:
    found = _load(network_id)
    authorize("edit_network", found)
    exception = get_or_404(NetworkException, exception_id)
    if exception.network_id != found.id:
        abort(404)
    networks.remove_exception(exception)
    db.session.commit()
    flash("The meeting is back as the pattern has it.", "success")
    return see_other(url_for("directory.network_exceptions", network_id=found.id))


@bp.route("/networks/<int:network_id>/confirm", methods=["POST"])
@requires("edit_network")
def network_confirm(network_id: int) -> Any:
    found = _load(network_id)
    authorize("edit_network", found)
    networks.confirm(found, signed_in())
    db.session.commit()
    flash("Thank you: the entry is marked as checked today.", "success")
    return see_other(url_for("directory.network", network_id=found.id))


@bp.route("/networks/<int:network_id>.ics")
@requires("read_directory")
def network_ics(network_id: int) -> Any:
    """The meetings as a calendar file (one repeating event, its cancelled and moved meetings)."""
    found = get_or_404(Network, network_id)
    response = make_response(calendar.network_ics(found))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="network-{found.id}.ics"'
    return response
