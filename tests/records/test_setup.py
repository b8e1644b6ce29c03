"""Step 1 of writing a record: choosing the worker, kind, date, cases and attendees, with and without htmx."""

from __future__ import annotations

from tests.records.conftest import days_ago


def test_the_setup_form_starts_blank(as_role):
    page = as_role("team_manager").get("/records/new")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Write a supervision record" in text and "Wren Worker" in text
    assert "Sid South" not in text  # only staff in the manager's teams
    assert "There is a problem" not in text


def test_choosing_a_worker_and_kind_lists_their_open_cases(as_role, org, case_of, make):
    case_of(ref="CP-OPEN")
    case_of(ref="CP-SHUT", closed_on=days_ago(30))
    colleague = make.staff("worker", org["teams"]["north"], name="Cal Colleague")
    case_of(colleague, ref="CIN-OTHER", case_type="CIN")
    text = as_role("team_manager").get(
        f"/records/new?worker={org['worker'].id}&kind=case&held_on={days_ago(1).isoformat()}").get_data(as_text=True)
    assert "CP-OPEN" in text and "CP-SHUT" not in text and "CIN-OTHER" not in text
    assert 'name="step" value="cases"' in text
    assert "There is a problem" not in text  # no complaint before the cases were shown


def test_group_supervision_lists_the_teams_cases_and_attendees(as_role, org, case_of, make):
    colleague = make.staff("worker", org["teams"]["north"], name="Cal Colleague")
    case_of(ref="CP-1")
    case_of(colleague, ref="CIN-2", case_type="CIN")
    case_of(org["south_worker"], ref="SOUTH-3")
    text = as_role("team_manager").get(
        f"/records/new?worker={org['worker'].id}&kind=group&held_on={days_ago(1).isoformat()}").get_data(as_text=True)
    assert "CP-1" in text and "CIN-2" in text and "SOUTH-3" not in text
    assert "Who else attended" in text and "Cal Colleague" in text


def test_continuing_with_cases_goes_to_the_record_form(as_role, org, case_of):
    case = case_of()
    response = as_role("team_manager").get(
        f"/records/new?worker={org['worker'].id}&kind=case&held_on={days_ago(1).isoformat()}&case={case.id}&step=cases")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/records/new/write?")


def test_continuing_without_a_case_says_so(as_role, org, case_of):
    case_of()
    response = as_role("team_manager").get(
        f"/records/new?worker={org['worker'].id}&kind=case&held_on={days_ago(1).isoformat()}&step=cases")
    assert response.status_code == 400
    assert "Select at least one case discussed" in response.get_data(as_text=True)


def test_personal_supervision_needs_no_cases(as_role, org):
    response = as_role("team_manager").get(
        f"/records/new?worker={org['worker'].id}&kind=personal&held_on={days_ago(1).isoformat()}")
    assert response.status_code == 303


def test_missing_choices_are_named(as_role):
    response = as_role("team_manager").get("/records/new?worker=0&kind=&held_on=")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Select the worker supervised" in text and "Select personal, case or group supervision" in text
    assert "Enter the date the session was held" in text


def test_htmx_refresh_returns_the_fragment_without_complaints(as_role, org, case_of):
    case_of(ref="CP-HX")
    response = as_role("team_manager").get(
        f"/records/new?worker={org['worker'].id}&kind=case&held_on=&refresh=1", headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert text.lstrip().startswith('<div class="teamops-record-setup" hx-target="this" hx-swap="outerHTML">')
    assert "<html" not in text and "There is a problem" not in text
    full = as_role("team_manager").get(
        f"/records/new?worker={org['worker'].id}&kind=case&held_on={days_ago(1).isoformat()}&refresh=1",
        headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "CP-HX" in full


def test_htmx_continue_redirects_with_hx_redirect(as_role, org):
    response = as_role("team_manager").get(
        f"/records/new?worker={org['worker'].id}&kind=personal&held_on={days_ago(1).isoformat()}",
        headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/records/new/write?")


def test_the_change_link_reopens_the_setup(as_role, org, case_of):
    case = case_of()
    response = as_role("team_manager").get(
        f"/records/new?change=1&worker={org['worker'].id}&kind=case&held_on={days_ago(1).isoformat()}"
        f"&case={case.id}&step=cases")
    assert response.status_code == 200
    assert f'value="{case.id}" checked' in response.get_data(as_text=True)


def test_a_booking_with_a_closed_case_shows_the_setup_with_the_problem(as_role, org, case_of, booking_for):
    case = case_of(closed_on=days_ago(3))
    booking = booking_for(cases=[case], days=-2)
    response = as_role("team_manager").get(f"/records/new?booking={booking.id}")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "only open cases can be discussed" in text and f'name="booking" value="{booking.id}"' in text
