"""Issue 10 item 6: text areas with a limit count characters (GOV.UK character count); nothing is cut at a
maxlength; text over the limit is an error next to the field, in GOV.UK's words."""

from __future__ import annotations

from datetime import date

from tests import factories
from tests.bookings.conftest import booking_form


def test_text_over_the_limit_is_an_error_in_plain_words(as_role, org):
    manager = as_role("team_manager")
    form = manager.get("/bookings/new").get_data(as_text=True)
    assert "maxlength" not in form
    response = manager.post_form("/bookings/new", booking_form(org, location="x" * 201))
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Place must be 200 characters or fewer" in text and "Field cannot be longer" not in text
    assert "x" * 201 in text  # what was typed is kept, not cut


def test_a_text_area_with_a_limit_counts_characters(as_role, org):
    case = factories.case("LONG-1", "CIN", False, org["worker"], date(2026, 1, 5))
    page = as_role("team_manager").get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'data-module="govuk-character-count"' in page and 'data-maxlength="5000"' in page
    assert "maxlength=" not in page.replace("data-maxlength=", "")
