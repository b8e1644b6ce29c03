"""Messages to one person go through the relay (issue 15 items 1 and 7): a set-password link reaches the person
it is for at their own address, with a link built from TEAMOPS_BASE_URL that works; an access change reaches the
person it concerns; a relay that is down never fails the page that sent the message."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from sqlalchemy import select

from teamops import dates
from teamops.auth.models import PasswordToken
from teamops.extensions import db
from teamops.org import grants
from teamops.reminders import outbox
from tests.reminders.smtp import free_port
from tests.reminders.test_send_reminders import BASE, _relay, smtp  # noqa: F401 (the fixture)


def _ask_for_a_link(as_role, make, org):
    """An admin sends a set-password link to a newcomer who has no password yet."""
    newcomer = make.staff("worker", org["teams"]["north"], email="new.person@example.org", name="Nia Newcomer",
                          start_date=date(2026, 12, 1))
    newcomer.password_hash = None
    db.session.commit()
    return as_role("admin").post_form(f"/admin/staff/{newcomer.id}/password-link")


def test_a_set_password_link_reaches_the_person_and_works(app, smtp, as_role, make, org):  # noqa: F811
    assert _ask_for_a_link(as_role, make, org).status_code == 303
    assert [item.rcpt_tos for item in smtp.received] == [["new.person@example.org"]]
    mail = smtp.received[0].message
    assert mail["Subject"] == "Set your TeamOps password"
    body = mail.get_body(("plain",)).get_content()
    found = re.search(rf"{re.escape(BASE)}(/set-password/\S+)", body)
    assert found is not None
    assert db.session.scalar(select(PasswordToken)) is not None
    page = app.test_client().get(found.group(1))
    assert page.status_code == 200 and "password" in page.get_data(as_text=True).lower()


def test_an_access_change_reaches_the_person_it_concerns(app, smtp, org):  # noqa: F811
    grant = grants.request_role(org["worker"], "qait", org["admin"])
    db.session.flush()
    grants.decide(grant, org["qait"], approve=True)
    db.session.commit()  # outside a request (as a command would): the messages wait in the outbox for the run
    assert not smtp.received
    with app.test_request_context("/"):
        outbox.deliver_due(dates.utcnow() + outbox.LEFT_AFTER + timedelta(minutes=1))
    subjects = [item.message["Subject"] for item in smtp.received]
    assert all(item.rcpt_tos == ["worker@example.org"] for item in smtp.received)
    assert subjects == ["TeamOps: the QAIT role was asked for you", "TeamOps: you now have the QAIT role"]


def test_a_relay_that_is_down_never_fails_the_page(app, as_role, make, org, caplog):
    _relay(app, free_port())  # nothing listens there
    caplog.set_level(logging.WARNING, logger=app.logger.name)
    assert _ask_for_a_link(as_role, make, org).status_code == 303
    assert "not sent" in caplog.text and "/set-password/" not in caplog.text  # the secret is never logged


def test_the_test_mail_command_checks_the_settings(app, smtp, runner):  # noqa: F811
    result = runner.invoke(args=["teamops", "send-test-mail", "it.team@example.org"])
    assert result.exit_code == 0, result.output
    assert f"through the relay 127.0.0.1:{smtp.port}" in result.output
    assert [item.rcpt_tos for item in smtp.received] == [["it.team@example.org"]]
    assert BASE in smtp.received[0].message.get_body(("plain",)).get_content()
    smtp.refuse.add("nobody@example.org")
    refused = runner.invoke(args=["teamops", "send-test-mail", "nobody@example.org"])
    assert refused.exit_code == 1 and "refused nobody@example.org: 550" in refused.output
    assert runner.invoke(args=["teamops", "send-test-mail", "not-an-address"]).exit_code == 1
