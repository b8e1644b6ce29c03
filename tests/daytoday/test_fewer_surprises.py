"""Issue 10 items 9 and 13 (parts): one error per field; no sign-off before the session has started; the case
page says "Open" or "Closed on ..."."""

from __future__ import annotations

from datetime import date

from teamops.dates import freeze
from teamops.extensions import db
from tests import factories
from tests.bookings.conftest import booking_form
from tests.conftest import sign_in


def test_one_error_per_field(as_role, org):
    response = as_role("team_manager").post_form("/bookings/new", booking_form(org, duration_minutes="lots"))
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert summary.count('href="#duration_minutes"') == 1


def test_no_sign_off_before_the_session_has_started(app, org):
    with freeze(date(2026, 5, 12)):  # noon
        booking = factories.booking(org["worker"], org["team_manager"], factories.uk_time(date(2026, 5, 12), 15))
        record = factories.record("personal", date(2026, 5, 12), org["worker"], org["team_manager"])
        record.booking = booking
        db.session.commit()
        client = app.test_client()
        sign_in(client, org["team_manager"])
        response = client.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
        assert response.status_code == 400
        assert "The session starts at 12 May 2026, 15:00" in response.get_data(as_text=True)
        db.session.refresh(record)
        assert record.status == "draft"


def test_the_case_page_says_open_or_closed_on(as_role, org):
    case = factories.case("ST-1", "CIN", False, org["worker"], date(2026, 1, 5))
    page = as_role("team_manager").get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Status" in page and "Closed: " not in page
    factories.close_case(case, date(2026, 3, 2))
    assert "Closed on 2 March 2026" in as_role("team_manager").get(f"/cases/{case.id}").get_data(as_text=True)


def test_each_version_shows_its_own_reason_and_editor(as_role, org):
    from teamops.records import services as records
    from tests.dashboards.conftest import tables

    record = factories.record("personal", date(2026, 3, 2), org["worker"], org["team_manager"],
                              status="signed_off", wellbeing="Well")
    records.update_record(record, records.RecordContent(
        [records.SectionInput(None, {"wellbeing": "Tired"})], reason="Wellbeing was recorded wrongly"),
        org["team_manager"])
    db.session.commit()
    html = as_role("team_manager").get(f"/records/{record.id}/versions").get_data(as_text=True)
    table = next(t for t in tables(html) if t[0][0] == "Version")
    rows = {row[0]: row for row in table[1:]}
    assert rows["Version 2 (current)"][2:] == ["Tia Manager", "Wellbeing was recorded wrongly"]
    assert rows["Version 1"][3] == "The first version"


def test_sign_off_asks_first(as_role, org):
    record = factories.record("personal", date(2026, 3, 2), org["worker"], org["team_manager"],
                              wellbeing="Well", no_further_action=True)
    manager = as_role("team_manager")
    asked = manager.post_form(f"/records/{record.id}/sign-off")
    assert asked.status_code == 200 and "Sign off this record?" in asked.get_data(as_text=True)
    db.session.refresh(record)
    assert record.status == "draft"
    assert manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"}).status_code == 303
    db.session.refresh(record)
    assert record.status == "signed_off"


def test_the_clash_warning_replaces_the_primary_button(as_role, org):
    from tests.bookings.conftest import in_days

    day = in_days(14)
    factories.booking(org["worker"], org["team_manager"], factories.uk_time(day, 10))
    manager = as_role("team_manager")
    response = manager.post_form("/bookings/new", booking_form(org, session_date=day.isoformat()))
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Book anyway" in text and "Change the time" in text and ">Book the session<" not in text.replace(
        "\n", "").replace("  ", "")


def test_a_case_session_for_a_worker_without_cases_suggests_personal(as_role, org):
    response = as_role("team_manager").post_form("/bookings/new", booking_form(org, kind="case"))
    assert response.status_code == 400
    assert "Wren Worker holds no open cases: book personal supervision instead" in response.get_data(as_text=True)
