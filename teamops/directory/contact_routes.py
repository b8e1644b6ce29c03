"""Specialist contacts and support services: the two lists ("who is mine?" first, and for support services
whether each is open now), an entry's page, adding (admins), changing and confirming (admins and the member of
staff an entry names). "Open now" is worked out on every request: these pages are never kept (no ``@kept``)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request, url_for
from flask_login import current_user

from teamops import dates
from teamops.access import authorize, can, requires, signed_in
from teamops.directory import bp, contacts
from teamops.directory.contact_forms import EVERYONE, ContactForm
from teamops.directory.hours import hours_text
from teamops.directory.models import CONTACT_KINDS, Contact
from teamops.extensions import db
from teamops.forms import ActionForm
from teamops.org.models import Team
from teamops.types import MAX_ID
from teamops.web import form_status, render, see_other

LISTS = {"specialist": "directory.contacts_list", "support": "directory.support"}
TITLES = {"specialist": "Specialist contacts", "support": "Support services"}


def _service_filter(raw: str | None) -> int | None:
    value = raw or ""
    if value.isascii() and value.isdigit() and 0 < len(value) < 10 and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def _own_service_id() -> int | None:
    team = db.session.get(Team, current_user.team_id)
    return team.service_id if team is not None else None


def _list(kind: str) -> Any:
    wanted = _service_filter(request.args.get("service"))
    services = contacts.services_for_filter(kind)  # a service area with no entries is not a filter
    chosen = next((service for service in services if service.id == wanted), None)
    now = dates.local_now()
    entries = [contacts.shown(contact, now) for contact in db.session.scalars(
        contacts.listed(kind, current_user, chosen.id if chosen else None)).unique()]
    return render("directory/contact_list.html", entries=entries, services=services, chosen=chosen,
                  own_service_id=_own_service_id(), now=now, kind=kind, title=TITLES[kind],
                  action_form=ActionForm())


@bp.route("/contacts")
@requires("read_directory")
def contacts_list() -> Any:
    return _list("specialist")


@bp.route("/support")
@requires("read_directory")
def support() -> Any:
    return _list("support")


def _load(contact_id: int) -> Contact:
    if not 0 < contact_id <= MAX_ID:
        abort(404)
    contact = contacts.load(contact_id)
    if contact is None or (not contact.active and not can("edit_contact", contact)):
        abort(404)
    return contact


@bp.route("/contacts/<int:contact_id>")
@requires("read_directory")
def contact(contact_id: int) -> Any:
    found = _load(contact_id)
    now = dates.local_now()
    return render("directory/contact.html", entry=contacts.shown(found, now), contact=found,
                  own_service_id=_own_service_id(), now=now, back=LISTS[found.kind], title=TITLES[found.kind],
                  action_form=ActionForm())


def _kind() -> str:
    kind = request.args.get("kind", "specialist")
    if kind not in CONTACT_KINDS:
        abort(404)
    return kind


@bp.route("/contacts/new", methods=["GET", "POST"])
@requires("manage_directory")
def contact_new() -> Any:
    kind = _kind()
    form = ContactForm(active=True)
    if form.validate_on_submit():
        added = contacts.save_contact(None, kind, form.values(), form.periods, signed_in(),
                                      staff=form.person)
        db.session.commit()
        flash(f"{added.name} is in the directory.", "success")
        return see_other(url_for("directory.contact", contact_id=added.id))
    return render("directory/contact_form.html", form=form, contact=None, kind=kind, status=form_status())


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@requires("read_directory")
def contact_edit(contact_id: int) -> Any:
    found = _load(contact_id)
    authorize("edit_contact", found)
    admin = can("manage_directory")
    if request.method == "POST":
        form = ContactForm(admin=admin, keep_service=found.service_id)
    else:
        form = ContactForm(admin=admin, keep_service=found.service_id, data={
            **{name: getattr(found, name) for name in contacts.FIELDS},
            "service_id": str(found.service_id) if found.service_id else EVERYONE,
            "staff_email": found.staff.email if found.staff else "", "hours": hours_text(contacts.periods(found))})
    if form.validate_on_submit():
        staff = form.person if admin else False
        contacts.save_contact(found, found.kind, form.values(), form.periods, signed_in(),
                              staff=staff)
        db.session.commit()
        flash(f"{found.name} is saved, and marked as checked today.", "success")
        return see_other(url_for("directory.contact", contact_id=found.id))
    return render("directory/contact_form.html", form=form, contact=found, kind=found.kind, status=form_status())


@bp.route("/contacts/<int:contact_id>/confirm", methods=["POST"])
@requires("read_directory")
def contact_confirm(contact_id: int) -> Any:
    found = _load(contact_id)
    authorize("edit_contact", found)
    form = ActionForm()
    if form.validate_on_submit():
        contacts.confirm(found, signed_in())
        db.session.commit()
        flash(f"{found.name} is marked as checked today.", "success")
    return see_other(url_for("directory.contact", contact_id=found.id))
