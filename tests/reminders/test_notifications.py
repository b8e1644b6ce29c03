"""In-app notifications (issue 15 item 3): messages and the daily reminders join a person's notifications; the
header's count comes in the background and never counts as activity; opening one marks it read and goes to the
page to act on; marking all read; nobody opens another's; a set-password link is not one."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from teamops import dates
from teamops.extensions import db
from teamops.org import grants
from teamops.reminders.models import Notification
from teamops.reminders.run import send_reminders
from tests import factories

BACKGROUND = {"HX-Request": "true", "X-TeamOps-Background": "true"}


def _count(client: Any) -> int:
    """The header's unread count (0 when it shows none)."""
    fragment = client.get("/notifications/count", headers=BACKGROUND).get_data(as_text=True)
    found = re.search(r">(\d+)<span class=\"govuk-visually-hidden\"> unread", fragment)
    return int(found.group(1)) if found else 0


@pytest.fixture
def reminded(app: Flask, org: dict[str, Any]) -> dict[str, Any]:
    """The worker's case is overdue and the daily run has sent its reminders."""
    org["worker"].line_manager = org["team_manager"]
    db.session.commit()
    case = factories.case("N-NOT-1", "CP", False, org["worker"], date(2026, 6, 1))
    with app.test_request_context("/"):
        send_reminders(dates.today(), dates.utcnow())
    return {**org, "case": case}


def test_the_daily_reminders_join_the_notifications_once(app, as_role, reminded):
    worker = as_role("worker")
    assert _count(worker) == 2
    page = worker.get("/notifications").get_data(as_text=True)
    assert "Case N-NOT-1: case supervision is overdue" in page and "Your personal supervision is overdue" in page
    with app.test_request_context("/"):
        send_reminders(dates.today(), dates.utcnow())  # again: nothing new
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.staff_id == reminded["worker"].id)) == 2


def test_opening_one_marks_it_read_and_goes_to_the_page(as_role, reminded):
    worker = as_role("worker")
    mine = db.session.scalars(select(Notification).where(Notification.staff_id == reminded["worker"].id,
                                                         Notification.line.like("Case N-NOT-1%"))).one()
    response = worker.post_form(f"/notifications/{mine.id}/open")
    assert response.status_code == 303 and response.headers["Location"] == f"/cases/{reminded['case'].id}"
    db.session.refresh(mine)
    assert mine.read_at is not None
    assert _count(worker) == 1
    # Someone else's is not theirs to open.
    assert as_role("south_worker").post_form(f"/notifications/{mine.id}/open").status_code == 404
    assert worker.post_form("/notifications/read").status_code == 303
    assert _count(worker) == 0
    assert "New" not in worker.get("/notifications").get_data(as_text=True)


def test_the_count_never_keeps_the_session_alive(as_role, reminded):
    worker = as_role("worker")
    factories.age_sessions(28)
    assert worker.get("/notifications/count", headers=BACKGROUND).status_code == 200
    factories.age_sessions(3)  # 31 minutes since the last page: the background asks did not count
    assert worker.get("/notifications/count", headers=BACKGROUND).status_code == 303


def test_a_message_is_a_notification_but_a_set_password_link_is_not(as_role, org, make):
    grants.request_role(org["worker"], "qait", org["admin"])
    db.session.commit()
    lines = db.session.scalars(select(Notification.line).where(Notification.staff_id == org["worker"].id)).all()
    assert lines == ["TeamOps: the QAIT role was asked for you"]
    newcomer = make.staff("worker", org["teams"]["north"], email="new.person@example.org", name="Nia Newcomer",
                          start_date=dates.today() + timedelta(days=3))
    newcomer.password_hash = None
    db.session.commit()
    assert as_role("admin").post_form(f"/admin/staff/{newcomer.id}/password-link").status_code == 303
    assert not db.session.scalars(select(Notification).where(Notification.staff_id == newcomer.id)).all()


def test_without_javascript_the_header_links_to_the_list(as_role, reminded):
    page = as_role("worker").get("/").get_data(as_text=True)
    assert 'href="/notifications"' in page and 'hx-get="/notifications/count"' in page
