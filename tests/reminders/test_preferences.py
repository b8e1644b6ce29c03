"""Reminder settings (issue 15 item 4): e-mail per category for things coming up, daily or weekly (Monday);
overdue items always e-mailed on the day; everything still in the notifications; bad input answered next to the
field."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from teamops import dates, scheduling
from teamops.extensions import db
from teamops.reminders.models import Notification, ReminderPreference
from teamops.reminders.run import send_reminders
from tests import factories
from tests.reminders.smtp import Mailbox
from tests.reminders.test_send_reminders import smtp  # noqa: F401 (the fixture)


@pytest.fixture
def w(org: dict[str, Any]) -> dict[str, Any]:
    """The worker's N-PREF-1 is overdue; N-PREF-2 is due in three days, on a Wednesday (``day``)."""
    org["worker"].line_manager = org["team_manager"]
    db.session.commit()
    factories.case("N-PREF-1", "CP", False, org["worker"], date(2026, 6, 1))
    soon = factories.case("N-PREF-2", "CP", False, org["worker"], date(2026, 11, 2))
    due = scheduling.case_dues([soon], date(2026, 11, 2))[soon.id].next_due_on
    assert due is not None
    day = due - timedelta(days=3)
    return {**org, "day": day}


def _run(app: Flask, on: date) -> None:
    with app.test_request_context("/"):
        send_reminders(on, dates.utcnow())


def _worker_text(box: Mailbox) -> str:
    return "\n".join(m.get_body(("plain",)).get_content() for m in box.to("worker@example.org"))


def test_the_settings_page_saves_and_shows_the_choice(as_role, org):
    worker = as_role("worker")
    page = worker.get("/notifications/settings").get_data(as_text=True)
    assert ("cannot be turned off" in page and 'value="supervision" checked' in page.replace("\n", " ").replace(
        '  ', ' ')) or 'checked' in page
    response = worker.post_form("/notifications/settings", {"email": ["audits"], "digest": "weekly"})
    assert response.status_code == 303
    saved = db.session.get(ReminderPreference, org["worker"].id)
    assert saved.digest == "weekly" and "supervision" in saved.off and "audits" not in saved.off


@pytest.mark.parametrize(("data", "message"), [
    ({"email": ["supervision"]}, "Choose every day or once a week"),
    ({"email": ["nonsense"], "digest": "daily"}, "not a valid choice"),
    ({"digest": "hourly"}, "Not a valid choice"),
])
def test_bad_settings_are_answered_next_to_the_field_and_nothing_saved(as_role, org, data, message):
    response = as_role("worker").post_form("/notifications/settings", data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.get(ReminderPreference, org["worker"].id) is None


def test_email_off_keeps_things_coming_in_teamops_but_overdue_still_comes(app, smtp, w):  # noqa: F811
    db.session.add(ReminderPreference(staff_id=w["worker"].id, digest="daily", email_off="supervision"))
    db.session.commit()
    _run(app, w["day"])
    text = _worker_text(smtp)
    assert "N-PREF-1: case supervision is overdue" in text and "N-PREF-2" not in text
    lines = db.session.scalars(select(Notification.line).where(Notification.staff_id == w["worker"].id)).all()
    assert any("N-PREF-2: case supervision is due by" in line for line in lines)


def test_weekly_holds_things_coming_for_monday(app, smtp, w):  # noqa: F811
    db.session.add(ReminderPreference(staff_id=w["worker"].id, digest="weekly", email_off=""))
    db.session.commit()
    day = w["day"]
    _run(app, day)
    text = _worker_text(smtp)
    assert day.weekday() != 0  # a weekday before Monday, so the wait shows
    assert "N-PREF-1: case supervision is overdue" in text and "N-PREF-2" not in text
    monday = day + timedelta(days=(7 - day.weekday()) % 7)
    _run(app, monday)
    assert monday <= w["day"] + timedelta(days=3)  # still coming up on Monday (due that day at the latest)
    assert "N-PREF-2: case supervision is due by" in _worker_text(smtp)
