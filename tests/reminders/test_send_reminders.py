"""``send-reminders`` against a real SMTP server (issue 15 items 1, 2 and 8): one digest per person with links
built from TEAMOPS_BASE_URL and no case content; nothing sent twice for a day, across two runs or two runs at
once; a refused recipient does not stop the others and is tried again next run; a relay that is down loses
nothing; the monthly return's reminders across a bank holiday; "today" across the clock change."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from teamops import dates, scheduling
from teamops.extensions import db
from teamops.reminders.models import FAILED, SENT, ReminderSend
from teamops.reminders.run import send_reminders
from tests import factories
from tests.reminders.smtp import Mailbox, free_port, smtp_server, twice_at_once

BASE = "https://teamops.example.org"
# On ``day``: the workers (their cases, their personal supervision), their team managers (the overdue cases,
# the workers' and their own personal supervision) and the service manager (the team managers' personal
# supervision, never held).
# QAIT hears which teams to chase: November's return, never sent in this world, is late.
EVERYONE_OWED = {"worker@example.org", "tm@example.org", "south.worker@example.org", "south.tm@example.org",
                 "sm@example.org", "qait@example.org"}


@pytest.fixture
def smtp(app: Flask) -> Iterator[Mailbox]:
    with smtp_server() as box:
        _relay(app, box.port)
        yield box


def _relay(app: Flask, port: int) -> None:
    app.config["TEAMOPS"] = dataclasses.replace(app.config["TEAMOPS"], smtp_host="127.0.0.1", smtp_port=port,
                                                base_url=BASE, mail_from="teamops@council.example.org")


@pytest.fixture
def w(org: dict[str, Any]) -> dict[str, Any]:
    """The North worker (line-managed by the team manager) holds two child protection cases: N-REM-1 allocated
    long ago and never supervised (overdue), N-REM-2 due in three days; ``day`` is that day."""
    org["worker"].line_manager = org["team_manager"]
    org["south_worker"].line_manager = org["south_manager"]
    for team in org["teams"].values():  # their directory entries checked lately: nothing owed for them
        team.checked_on = date(2026, 11, 2)
    db.session.commit()
    old = factories.case("N-REM-1", "CP", False, org["worker"], date(2026, 6, 1))
    soon = factories.case("N-REM-2", "CP", False, org["worker"], date(2026, 11, 2))
    due = scheduling.case_dues([soon], date(2026, 11, 2))[soon.id].next_due_on
    assert due is not None
    day = due - timedelta(days=3)
    assert scheduling.case_dues([old], day)[old.id].due_state == scheduling.OVERDUE
    south = factories.case("S-REM-1", "CP", False, org["south_worker"], date(2026, 6, 1))
    return {**org, "old": old, "soon": soon, "south": south, "day": day, "due": due}


def _run(app: Flask, on: date) -> Any:
    with app.test_request_context("/"):
        return send_reminders(on, dates.utcnow())


def _sent() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(ReminderSend).where(ReminderSend.state == SENT)) or 0


def test_each_person_gets_one_digest_with_links_and_no_case_content(app, smtp, w):
    result = _run(app, w["day"])
    assert result.ok
    worker = smtp.to("worker@example.org")
    assert len(worker) == 1  # both cases and their own personal supervision in one e-mail
    mail = worker[0]
    assert mail["From"].addresses[0].addr_spec == "teamops@council.example.org"
    assert mail["To"].addresses[0].display_name == "Wren Worker"
    assert mail["Subject"].startswith("TeamOps: 3 things for you to do")
    assert mail["Auto-Submitted"] == "auto-generated"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert f"Case N-REM-2: case supervision is due by {w['due']:%-d %B %Y}" in text
    assert "Case N-REM-1: case supervision is overdue" in text
    assert "Your personal supervision is overdue" in text  # never had one since starting
    assert f"{BASE}/cases/{w['soon'].id}" in text and f'href="{BASE}/cases/{w["old"].id}"' in html
    # The line manager hears of the overdue case only, naming the worker; the south manager of theirs.
    manager = smtp.to("tm@example.org")
    assert len(manager) == 1
    manager_text = manager[0].get_body(("plain",)).get_content()
    assert "Case N-REM-1 (Wren Worker): case supervision is overdue" in manager_text and "N-REM-2" not in manager_text
    assert "S-REM-1" in smtp.to("south.tm@example.org")[0].get_body(("plain",)).get_content()
    assert all(len(item.rcpt_tos) == 1 for item in smtp.received)  # each digest to its own person only
    assert result.mails == len(smtp.received) and result.reminders == _sent()


def test_running_twice_for_a_day_sends_nothing_twice_and_the_next_day_only_whats_new(app, smtp, w):
    _run(app, w["day"])
    first = len(smtp.received)
    again = _run(app, w["day"])
    assert again.mails == 0 and len(smtp.received) == first
    # Four days on, N-REM-2 is overdue: that is new (to the worker and the manager); N-REM-1 is not said again.
    _run(app, w["day"] + timedelta(days=4))
    later = [item.message.get_body(("plain",)).get_content() for item in smtp.received[first:]]
    assert later and all("N-REM-1" not in text for text in later)
    assert sum("Case N-REM-2: case supervision is overdue" in text for text in later) == 1


def test_two_runs_at_once_send_each_message_once(app, smtp, w):
    results = twice_at_once(app, lambda: send_reminders(w["day"], dates.utcnow()))
    assert len(results) == 2 and all(result.ok for result in results)
    addresses = [address for item in smtp.received for address in item.rcpt_tos]
    assert sorted(addresses) == sorted(set(addresses))  # nobody got two digests
    assert set(addresses) == EVERYONE_OWED
    assert sum(result.mails for result in results) == len(smtp.received)


def test_a_refused_recipient_does_not_stop_the_others_and_is_tried_again_next_run(app, smtp, w):
    smtp.refuse.add("worker@example.org")
    result = _run(app, w["day"])
    assert result.refused == ["worker@example.org"] and not result.ok
    assert smtp.to("tm@example.org") and smtp.to("south.worker@example.org")
    db.session.rollback()
    failed = db.session.scalars(select(ReminderSend).where(ReminderSend.state == FAILED)).all()
    assert {row.staff_id for row in failed} == {w["worker"].id}
    assert all("550" in (row.last_error or "") for row in failed)
    before = len(smtp.received)
    smtp.refuse.clear()
    retried = _run(app, w["day"])
    assert retried.ok and retried.mails == 1 and len(smtp.received) == before + 1
    assert smtp.received[-1].rcpt_tos == ["worker@example.org"]


def test_a_relay_that_is_down_loses_nothing(app, w, runner):
    port = free_port()  # nothing listens here yet
    _relay(app, port)
    result = runner.invoke(args=["teamops", "send-reminders", "--today", w["day"].isoformat()])
    assert result.exit_code == 1 and "could not be used" in result.output
    assert _sent() == 0
    with smtp_server(port) as box:
        again = runner.invoke(args=["teamops", "send-reminders", "--today", w["day"].isoformat()])
        assert again.exit_code == 0, again.output
        assert {address for item in box.received for address in item.rcpt_tos} == EVERYONE_OWED
        assert "6 e-mails" in again.output


def test_a_bad_today_is_a_clear_message(app, runner):
    result = runner.invoke(args=["teamops", "send-reminders", "--today", "03/12/2026"])
    assert result.exit_code != 0 and "give a date as YYYY-MM-DD" in result.output


def _return_lines(box: Mailbox, address: str) -> list[str]:
    """The lines about December 2026's return (November's, never sent in this world, is late throughout)."""
    return [line for mail in box.to(address) for line in mail.get_body(("plain",)).get_content().splitlines()
            if "December 2026 supervision return" in line]


def test_the_return_reminders_across_the_new_year_bank_holiday(app, smtp, org):
    """December 2026's return is due on Monday 4 January 2027 (Friday 1 January is a bank holiday, R-QA-2). Two
    working days before is Thursday 31 December; late from Tuesday 5 January to the managers, from the fourth
    working day late (Friday 8 January) also to the service manager."""
    org["team_manager"].line_manager = org["service_manager"]
    db.session.commit()
    assert not _return_lines(smtp, "tm@example.org")
    _run(app, date(2026, 12, 30))
    assert not _return_lines(smtp, "tm@example.org")
    _run(app, date(2026, 12, 31))
    assert _return_lines(smtp, "tm@example.org") == [
        "- Family Safeguarding North: the December 2026 supervision return is due to QAIT by 4 January 2027"]
    _run(app, date(2027, 1, 4))  # the due day: said already
    assert len(_return_lines(smtp, "tm@example.org")) == 1
    _run(app, date(2027, 1, 5))
    assert _return_lines(smtp, "tm@example.org")[-1].endswith("was due to QAIT on 4 January 2027 and is 1 working "
                                                              "day late")
    # QAIT hears once, that day, how many teams to chase (all three here), linking to the month's returns.
    assert _return_lines(smtp, "qait@example.org") == [
        "- 3 teams have not sent the December 2026 supervision return due on 4 January 2027: chase them from the "
        "returns page"]
    assert not _return_lines(smtp, "sm@example.org")
    _run(app, date(2027, 1, 7))  # 3 working days late: no one new
    assert not _return_lines(smtp, "sm@example.org")
    _run(app, date(2027, 1, 8))
    escalated = _return_lines(smtp, "sm@example.org")
    assert len(escalated) == 2 and "4 working days late; the service manager has been told" in escalated[0]
    assert any("Family Safeguarding North" in line for line in escalated)
    assert len(_return_lines(smtp, "qait@example.org")) == 1  # once a month


@pytest.mark.parametrize(("moment", "day"), [
    (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # 00:30 BST on the night the clocks go back
    (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # 23:30 GMT, the same day
    (datetime(2027, 3, 27, 23, 30, tzinfo=UTC), date(2027, 3, 27)),  # 23:30 GMT, before the clocks go forward
])
def test_the_command_s_today_is_englands_across_the_clock_change(app, smtp, org, runner, moment, day):
    with time_machine.travel(moment, tick=False):
        result = runner.invoke(args=["teamops", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Reminders for {day:%-d %B %Y}:")
