"""People who have not started yet (issue 9 item 10) are not offered for booking or for a record, and are not
counted in any figure before their start date."""

from __future__ import annotations

from datetime import date

from teamops.dashboards.figures import team_figures
from teamops.dates import freeze
from tests import factories
from tests.conftest import sign_in


def test_a_future_starter_is_not_offered_or_counted_until_they_start(app, org):
    north = org["teams"]["north"]
    starter = factories.staff("worker", north, email="starter@example.org", name="Nia Newcomer",
                              start_date=date(2027, 1, 4))
    with freeze(date(2026, 12, 2)):
        figures = team_figures(north, date(2026, 12, 2))
        assert "starter@example.org" not in {row.staff.email for row in figures.rows}
        client = app.test_client()
        sign_in(client, org["team_manager"])
        assert "Nia Newcomer" not in client.get("/bookings/new").get_data(as_text=True)
        assert "Nia Newcomer" not in client.get("/records/new").get_data(as_text=True)
        refused = client.post_form("/bookings/new", {"kind": "personal", "worker_id": str(starter.id),
                                                     "session_date": "2027-01-05", "start_time": "10:00",
                                                     "duration_minutes": "60", "online": "y"})
        assert refused.status_code == 400 and "starts on 4 January 2027" in refused.get_data(as_text=True)
        api = client.get(f"/api/v1/staff?team={north.id}").get_json()
        assert "starter@example.org" not in {item["email"] for item in api["items"]}
    with freeze(date(2027, 1, 4)):
        figures = team_figures(north, date(2027, 1, 4))
        assert "starter@example.org" in {row.staff.email for row in figures.rows}
        client = app.test_client()
        sign_in(client, org["team_manager"])
        assert "Nia Newcomer" in client.get("/bookings/new").get_data(as_text=True)
        api = client.get(f"/api/v1/staff?team={north.id}").get_json()
        assert "starter@example.org" in {item["email"] for item in api["items"]}
        api_before = client.get(f"/api/v1/staff?team={north.id}&as_of=2027-01-03").get_json()
        assert "starter@example.org" not in {item["email"] for item in api_before["items"]}


def test_no_record_of_a_session_before_the_start_date(app, org):
    with freeze(date(2026, 12, 2)):
        late_starter = factories.staff("worker", org["teams"]["north"], name="Leo Later",
                                       start_date=date(2026, 11, 16))
        client = app.test_client()
        sign_in(client, org["team_manager"])
        response = client.get(f"/records/new?worker={late_starter.id}&kind=personal&held_on=2026-11-13&step=cases")
        text = response.get_data(as_text=True)
        assert response.status_code in (200, 400) and "started on 16 November 2026: enter a date from then" in text
        fine = client.get(f"/records/new?worker={late_starter.id}&kind=personal&held_on=2026-11-16&step=cases")
        assert fine.status_code == 303
