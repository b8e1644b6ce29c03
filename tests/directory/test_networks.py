"""Networks and groups (issue 12 item 3): the list and a network's page for everyone, creating (admins), editing,
contacts and meeting changes (admins and the network's listed contacts), refusals with nothing written, a
contact who has left, confirming, and the demo networks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import select

from teamops import dates
from teamops.directory import checking, networks
from teamops.directory.models import Network, NetworkContact, NetworkException
from teamops.directory.network_demo import seed_networks
from teamops.extensions import db
from teamops.org.models import Staff
from tests.directory.conftest import TODAY, count, form_values, make_network


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with dates.freeze(TODAY):
        yield


# Reading ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["worker", "team_manager", "qait", "admin", "yj_worker"])
def test_everyone_reads_the_list_and_the_page(as_role: Any, network: Network, role: str) -> None:
    client = as_role(role)
    listing = client.get("/directory/networks").get_data(as_text=True)
    assert "Diversity advocates" in listing and "Tue 17 Mar 2026, 14:00" in listing
    page = client.get(f"/directory/networks/{network.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Monthly on the third Tuesday, 14:00 to 17:00" in text
    assert "Tuesday 17 March 2026, 14:00 to 17:00" in text and "Tuesday 21 April 2026" in text
    assert "Tuesday 19 May 2026" in text
    assert "Chair: Wren Worker, worker@example.org" in text
    assert "Shared mailbox: diversity.advocates@example.org" in text
    assert f"/directory/networks/{network.id}.ics" in text
    assert "Last checked 2 March 2026 by Ada Admin" in text


def test_signed_out_visitors_are_sent_to_sign_in(client: Any, network: Network) -> None:
    assert client.get("/directory/networks").status_code == 303
    assert client.get(f"/directory/networks/{network.id}.ics").status_code == 303


def test_the_page_shows_a_work_phone_and_no_member_list(as_role: Any, org: dict[str, Any], network: Network) -> None:
    org["worker"].work_phone = "50222"
    db.session.commit()
    text = as_role("south_worker").get(f"/directory/networks/{network.id}").get_data(as_text=True)
    assert "Chair: Wren Worker, worker@example.org, 50222" in text
    assert "member" not in text.lower().replace("never lists members", "")


def test_only_its_keepers_see_the_buttons(as_role: Any, network: Network) -> None:
    for role, keeps in (("worker", True), ("admin", True), ("team_manager", False), ("qait", False)):
        text = as_role(role).get(f"/directory/networks/{network.id}").get_data(as_text=True)
        assert ("Confirm it is still correct" in text) is keeps, role
        assert (f"/directory/networks/{network.id}/edit" in text) is keeps, role


# Access -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("worker", 403), ("team_manager", 403), ("qait", 403)])
def test_only_admins_add_a_network(as_role: Any, role: str, status: int) -> None:
    assert as_role(role).get("/directory/networks/new").status_code == status


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("worker", 200), ("team_manager", 403),
                                              ("south_worker", 403), ("qait", 403)])
def test_admins_and_its_listed_contacts_keep_a_network(as_role: Any, network: Network, role: str,
                                                       status: int) -> None:
    client = as_role(role)
    for page in ("edit", "contacts", "exceptions"):
        assert client.get(f"/directory/networks/{network.id}/{page}").status_code == status
    confirmed = client.post_form(f"/directory/networks/{network.id}/confirm")
    assert confirmed.status_code == (303 if status == 200 else 403)


def test_a_huge_id_is_not_found(as_role: Any) -> None:
    client = as_role("admin")
    assert client.get("/directory/networks/99999999999").status_code == 404
    assert client.get("/directory/networks/2147483648.ics").status_code == 404


# Creating and editing -----------------------------------------------------------------------------------------

def test_an_admin_adds_a_network_with_a_pattern(as_role: Any, org: dict[str, Any]) -> None:
    response = as_role("admin").post_form("/directory/networks/new", form_values())
    assert response.status_code == 303, response.get_data(as_text=True)
    network = db.session.scalars(select(Network).where(Network.name == "Race champions")).one()
    assert (network.rule, network.first_on, network.starts_at, network.ends_at) == (
        "FREQ=MONTHLY;BYDAY=3TU", date(2026, 1, 1), time(14), time(17))
    assert (network.checked_on, network.checked_by_id) == (TODAY, org["admin"].id)


def test_a_network_with_no_pattern(as_role: Any) -> None:
    response = as_role("admin").post_form("/directory/networks/new", form_values(frequency="none", start_time=""))
    assert response.status_code == 303
    network = db.session.scalars(select(Network)).one()
    assert network.rule is None and network.first_on is None and network.starts_at is None


def test_the_edit_form_shows_the_pattern_in_its_fields(as_role: Any, network: Network) -> None:
    text = as_role("worker").get(f"/directory/networks/{network.id}/edit").get_data(as_text=True)
    assert 'value="monthly_weekday" checked' in text
    assert '<option value="1" selected>Tuesday</option>' in text
    assert 'value="14:00"' in text and 'value="17:00"' in text


def test_a_listed_contact_edits_and_it_is_checked(as_role: Any, org: dict[str, Any], network: Network) -> None:
    network.checked_on = date(2025, 1, 1)
    db.session.commit()
    values = form_values(name="Diversity advocates", frequency="weekly", interval="2", weekday="2",
                         start_time="10:00", end_time="11:00")
    response = as_role("worker").post_form(f"/directory/networks/{network.id}/edit", values)
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.refresh(network)
    assert network.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
    assert (network.checked_on, network.checked_by_id) == (TODAY, org["worker"].id)
    page = as_role("worker").get(f"/directory/networks/{network.id}").get_data(as_text=True)
    assert "Every 2 weeks on Wednesday, 10:00 to 11:00" in page


def test_confirming_marks_it_checked_today(as_role: Any, org: dict[str, Any], network: Network) -> None:
    network.checked_on = date(2025, 1, 1)
    db.session.commit()
    assert "Needs checking" in as_role("worker").get(f"/directory/networks/{network.id}").get_data(as_text=True)
    as_role("worker").post_form(f"/directory/networks/{network.id}/confirm")
    db.session.refresh(network)
    assert (network.checked_on, network.checked_by_id) == (TODAY, org["worker"].id)


BAD_NETWORKS = [
    ({"name": ""}, "Enter the network&#39;s name"),
    ({"position": "5", "weekday": "0", "months": "2"}, "the first would not be until Monday 29 February 2044"),
    ({"until-day": "31", "until-month": "12", "until-year": "2025"},
     "The end date must be the same as or after the first date"),
    ({"end_time": "13:00"}, "The end time must be after the start time"),
    ({"start_time": "2pm"}, "Enter a time as HH:MM in the 24-hour clock"),
    ({"end_time": "25:00"}, "Enter a time as HH:MM in the 24-hour clock"),
    ({"end_time": ""}, "Enter the end time"),
    ({"first_on-day": "", "first_on-month": "", "first_on-year": ""}, "Enter the first date"),
    ({"first_on-day": "30", "first_on-month": "2"}, "First date must be a real date"),
    ({"weekday": ""}, "Choose the weekday it meets on"),
    ({"position": ""}, "Choose which one in the month"),
    ({"frequency": "monthly_day", "month_day": "32"}, "Enter a day of the month from 1 to 31"),
    ({"interval": "13"}, "Enter a number from 1 to 12"),
    ({"interval": "two"}, "Enter a whole number of weeks or months"),
    ({"link": "javascript:alert(1)"}, "Enter a web address that starts with https://"),
    ({"mailbox": "not an address"}, "Enter an e-mail address like name@example.org"),
    ({"name": "Diversity advocates"}, "A network or group already has that name"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_NETWORKS)
def test_bad_input_is_refused_with_nothing_written(as_role: Any, network: Network, changes: dict[str, Any],
                                                   message: str) -> None:
    before = count(Network)
    response = as_role("admin").post_form("/directory/networks/new", form_values(**changes))
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in text and "There is a problem" in text
    assert count(Network) == before


def test_a_javascript_link_never_becomes_a_link(as_role: Any, network: Network) -> None:
    response = as_role("worker").post_form(f"/directory/networks/{network.id}/edit",
                                           form_values(name=network.name, link="javascript:alert(1)"))
    assert response.status_code == 400
    db.session.refresh(network)
    assert network.link is None
    assert 'href="javascript' not in as_role("worker").get(f"/directory/networks/{network.id}").get_data(as_text=True)


# Contacts -----------------------------------------------------------------------------------------------------

def contact_values(email: str = "south.worker@example.org", **changes: Any) -> dict[str, Any]:
    values = {"email": email, "role": "vice_chair", "agreed": "y", "agreed_on-day": "1", "agreed_on-month": "3",
              "agreed_on-year": "2026"}
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def test_a_contact_is_listed_with_their_agreement(as_role: Any, org: dict[str, Any], network: Network) -> None:
    response = as_role("worker").post_form(f"/directory/networks/{network.id}/contacts",
                                           contact_values("SOUTH.WORKER@example.org"))
    assert response.status_code == 303, response.get_data(as_text=True)
    listed = db.session.scalars(select(NetworkContact).where(NetworkContact.staff_id == org["south_worker"].id)).one()
    assert (listed.role, listed.agreed_on, listed.position) == ("vice_chair", date(2026, 3, 1), 2)
    page = as_role("qait").get(f"/directory/networks/{network.id}").get_data(as_text=True)
    assert "Vice chair: Sid South, south.worker@example.org" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"agreed": None}, "A contact is listed only with their agreement"),
    ({"agreed_on-day": "", "agreed_on-month": "", "agreed_on-year": ""}, "Enter the date they agreed to be listed"),
    ({"agreed_on-year": "2027"}, "The date they agreed cannot be in the future"),
    ({"email": "nobody@example.org"}, "Enter the work e-mail of someone who works here now"),
    ({"email": "worker@example.org"}, "Wren Worker is already listed"),
    ({"role": "treasurer"}, "Not a valid choice"),
])
def test_a_contact_without_their_agreement_or_a_bad_one_is_refused(as_role: Any, network: Network,
                                                                    changes: dict[str, Any], message: str) -> None:
    response = as_role("admin").post_form(f"/directory/networks/{network.id}/contacts",
                                          contact_values(**{"email": "south.worker@example.org", **changes}))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert count(NetworkContact) == 1


def test_the_service_refuses_a_contact_without_agreement_too(org: dict[str, Any], network: Network) -> None:
    with pytest.raises(networks.NetworkProblem, match="only with their agreement"):
        networks.add_contact(network, org["south_worker"], "chair", False, date(2026, 3, 1))
    db.session.rollback()
    assert count(NetworkContact) == 1


def test_a_contact_is_removed(as_role: Any, org: dict[str, Any], network: Network) -> None:
    contact = network.contacts[0]
    response = as_role("admin").post_form(f"/directory/networks/{network.id}/contacts/{contact.id}/remove")
    assert response.status_code == 303
    assert count(NetworkContact) == 0
    # The worker is no longer listed, so no longer keeps it.
    assert as_role("worker").get(f"/directory/networks/{network.id}/edit").status_code == 403


def test_a_contact_of_another_network_is_not_found(as_role: Any, org: dict[str, Any], network: Network) -> None:
    other = make_network(org["admin"], "LGBT+ staff network", contacts=((org["south_worker"], "co_chair"),),
                         mailbox="lgbt.network@example.org")
    contact = other.contacts[0]
    response = as_role("admin").post_form(f"/directory/networks/{network.id}/contacts/{contact.id}/remove")
    assert response.status_code == 404
    assert count(NetworkContact) == 2


def test_a_contact_who_has_left_is_not_shown_and_it_needs_a_new_one(as_role: Any, org: dict[str, Any],
                                                                   network: Network) -> None:
    org["worker"].active = False
    db.session.commit()
    assert networks.needs_contact(network)
    assert list(db.session.scalars(checking.networks_needing_contact())) == [network]
    for role, keeps in (("admin", True), ("qait", False)):
        text = as_role(role).get(f"/directory/networks/{network.id}").get_data(as_text=True)
        assert "Wren Worker" not in text
        assert "diversity.advocates@example.org" in text
        assert ("needs a new contact" in text) is keeps


def test_a_network_with_contacts_here_does_not_need_one(org: dict[str, Any], network: Network) -> None:
    assert not networks.needs_contact(network)
    assert list(db.session.scalars(checking.networks_needing_contact())) == []
    lonely = make_network(org["admin"], "Mentoring scheme", mailbox=None)
    assert networks.needs_contact(lonely)
    assert list(db.session.scalars(checking.networks_needing_contact())) == [lonely]


# Meeting changes ----------------------------------------------------------------------------------------------

def exception_values(**changes: Any) -> dict[str, Any]:
    values = {"original_on-day": "21", "original_on-month": "4", "original_on-year": "2026", "change": "cancel",
              "moved_on-day": "", "moved_on-month": "", "moved_on-year": "", "moved_start": "", "moved_end": "",
              "note": ""}
    values.update(changes)
    return values


def test_a_meeting_is_cancelled_and_another_moved(as_role: Any, network: Network) -> None:
    client = as_role("worker")
    assert client.post_form(f"/directory/networks/{network.id}/exceptions", exception_values()).status_code == 303
    moved = exception_values(**{"original_on-day": "19", "original_on-month": "5", "change": "move",
                                "moved_on-day": "20", "moved_on-month": "5", "moved_on-year": "2026",
                                "moved_start": "10:00", "moved_end": "13:00", "note": "Room needed"})
    assert client.post_form(f"/directory/networks/{network.id}/exceptions", moved).status_code == 303
    rows = {e.original_on: e for e in db.session.scalars(select(NetworkException))}
    assert rows[date(2026, 4, 21)].moved_on is None
    assert (rows[date(2026, 5, 19)].moved_on, rows[date(2026, 5, 19)].moved_starts_at) == (date(2026, 5, 20),
                                                                                          time(10))
    text = as_role("qait").get(f"/directory/networks/{network.id}").get_data(as_text=True)
    assert "Tuesday 17 March 2026, 14:00 to 17:00" in text
    assert "Wednesday 20 May 2026, 10:00 to 13:00 (moved from 19 May: Room needed)" in text
    assert "Tuesday 16 June 2026" in text
    assert "Tuesday 21 April 2026: cancelled" in text


def test_a_moved_meeting_keeps_the_usual_times_when_none_are_given(as_role: Any, network: Network) -> None:
    moved = exception_values(change="move", **{"moved_on-day": "22", "moved_on-month": "4", "moved_on-year": "2026"})
    assert as_role("admin").post_form(f"/directory/networks/{network.id}/exceptions", moved).status_code == 303
    row = db.session.scalars(select(NetworkException)).one()
    assert (row.moved_on, row.moved_starts_at, row.moved_ends_at) == (date(2026, 4, 22), time(14), time(17))


@pytest.mark.parametrize(("changes", "message"), [
    ({"original_on-day": "22"}, "There is no meeting on Wednesday 22 April 2026 in this pattern"),
    ({"change": "move"}, "Enter the date it moves to"),
    ({"change": "move", "moved_on-day": "22", "moved_on-month": "4", "moved_on-year": "2026", "moved_start": "15:00",
      "moved_end": "14:00"}, "The end time must be after the start time"),
    ({"change": "move", "moved_on-day": "22", "moved_on-month": "4", "moved_on-year": "2026", "moved_start": "3pm"},
     "Enter a time as HH:MM"),
    ({"change": ""}, "Choose whether it is cancelled or moves"),
])
def test_a_bad_meeting_change_is_refused(as_role: Any, network: Network, changes: dict[str, Any],
                                         message: str) -> None:
    response = as_role("admin").post_form(f"/directory/networks/{network.id}/exceptions", exception_values(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(NetworkException) == 0


def test_a_meeting_changed_twice_is_refused_and_the_change_undone(as_role: Any, network: Network) -> None:
    client = as_role("admin")
    client.post_form(f"/directory/networks/{network.id}/exceptions", exception_values())
    again = client.post_form(f"/directory/networks/{network.id}/exceptions", exception_values())
    assert again.status_code == 400 and "already cancelled or moved" in again.get_data(as_text=True)
    row = db.session.scalars(select(NetworkException)).one()
    assert client.post_form(f"/directory/networks/{network.id}/exceptions/{row.id}/remove").status_code == 303
    assert count(NetworkException) == 0


# The demo -----------------------------------------------------------------------------------------------------

def test_the_demo_networks(org: dict[str, Any]) -> None:
    people = list(db.session.scalars(select(Staff).where(Staff.active.is_(True)).order_by(Staff.id)))
    made = seed_networks(TODAY, people)
    db.session.commit()
    assert len(made) == 8
    diversity = db.session.scalars(select(Network).where(Network.name == "Diversity advocates")).one()
    assert (diversity.rule, diversity.starts_at, diversity.ends_at) == ("FREQ=MONTHLY;BYDAY=3TU", time(14), time(17))
    assert diversity.mailbox == "diversity.advocates@example.org"
    assert sorted(contact.role for contact in diversity.contacts) == ["chair", "vice_chair"]
    assert len(diversity.exceptions) == 2
    lgbt = db.session.scalars(select(Network).where(Network.name == "LGBT+ staff network")).one()
    assert [contact.role for contact in lgbt.contacts] == ["co_chair", "co_chair"]
    assert "confidential" in lgbt.notes and "agency staff included" in lgbt.notes
    assert all(network.mailbox is None or network.mailbox.endswith("@example.org") for network in made)
    assert seed_networks(TODAY, people) == []  # idempotent


def test_a_change_in_the_past_is_no_longer_listed(as_role: Any, network: Network) -> None:
    networks.add_exception(network, date(2026, 2, 17))  # before today, 2 March
    networks.add_exception(network, date(2026, 3, 17))
    db.session.commit()
    text = as_role("worker").get(f"/directory/networks/{network.id}").get_data(as_text=True)
    assert "Tuesday 17 March 2026: cancelled" in text
    assert "17 February 2026" not in text
