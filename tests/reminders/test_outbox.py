"""One-off messages are never lost or sent twice (issue 15 items 1, 2, 5 and 7): a message is written to the
outbox with the change it is about and sent once that change commits; a change rolled back sends nothing; a relay
that is down when the page is done leaves the message for the next ``send-reminders`` run, which sends it once;
two runs at once send each message once; a message its process never sent is taken by the run."""

from __future__ import annotations

from datetime import timedelta

from flask import Response
from sqlalchemy import select

from teamops import dates
from teamops.extensions import db
from teamops.notify import notify
from teamops.reminders import inbox, outbox
from teamops.reminders.models import FAILED, SENT, Notification, OutboxMail
from tests.bookings.conftest import booking_form
from tests.reminders.smtp import free_port, smtp_server, twice_at_once
from tests.reminders.test_send_reminders import _relay, smtp  # noqa: F401 (the fixture)


def _states() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMail.state).order_by(OutboxMail.id)))


def test_a_message_goes_once_its_change_commits(app, smtp, org):  # noqa: F811
    with app.test_request_context("/"):
        notify(org["worker"], "TeamOps: kept", "Sent once this commits.")
        db.session.commit()
        notify(org["worker"], "TeamOps: rolled back", "Never sent.")
        db.session.rollback()
        outbox.send_queued(Response())
    assert [item.message["Subject"] for item in smtp.received] == ["TeamOps: kept"]
    assert _states() == [SENT]  # the rolled-back one was never written


def test_a_relay_down_when_the_page_is_done_leaves_it_for_the_next_run_which_sends_it_once(app, as_role, org,
                                                                                           runner):
    port = free_port()  # nothing listens here yet
    _relay(app, port)
    booked = as_role("team_manager").post_form("/bookings/new", booking_form(org))
    assert booked.status_code == 303  # the booking stands
    assert _states() == [FAILED, FAILED]  # the worker's and the supervisor's invitations
    with smtp_server(port) as box:
        first = runner.invoke(args=["teamops", "send-reminders"])
        assert first.exit_code == 0, first.output
        assert "Messages sent again after a failed first try: 2." in first.output
        again = runner.invoke(args=["teamops", "send-reminders"])
        assert again.exit_code == 0 and "sent again" not in again.output
    invitations = [item for item in box.received if item.message["Subject"].startswith("Supervision booked")]
    assert sorted(a for item in invitations for a in item.rcpt_tos) == ["tm@example.org", "worker@example.org"]
    assert _states() == [SENT, SENT]


def test_two_runs_at_once_send_each_failed_message_once(app, smtp, org):  # noqa: F811
    for n in range(6):
        notify(org["worker" if n % 2 else "team_manager"], f"TeamOps: message {n}", "Body")
    db.session.commit()
    db.session.execute(OutboxMail.__table__.update().values(state=FAILED))
    db.session.commit()
    results = twice_at_once(app, lambda: outbox.deliver_due(dates.utcnow()))
    subjects = sorted(item.message["Subject"] for item in smtp.received)
    assert subjects == [f"TeamOps: message {n}" for n in range(6)]  # each once
    assert sum(sent for sent, _, _ in results) == 6 and _states() == [SENT] * 6


def test_a_message_its_process_never_sent_is_taken_by_the_run_after_ten_minutes(app, smtp, org):  # noqa: F811
    notify(org["worker"], "TeamOps: left behind", "Its request died before sending it.")
    db.session.commit()  # outside a request: nobody sends it now
    with app.test_request_context("/"):
        assert outbox.deliver_due(dates.utcnow()) == (0, [], None)  # its own request may still be sending it
        assert outbox.deliver_due(dates.utcnow() + outbox.LEFT_AFTER + timedelta(seconds=1))[0] == 1
    assert [item.message["Subject"] for item in smtp.received] == ["TeamOps: left behind"]


def test_a_refused_address_does_not_stop_the_others(app, smtp, org):  # noqa: F811
    smtp.refuse.add("worker@example.org")
    notify(org["worker"], "TeamOps: to the worker", "Body")
    notify(org["team_manager"], "TeamOps: to the manager", "Body")
    db.session.commit()
    with app.test_request_context("/"):
        sent, refused, down = outbox.deliver_due(dates.utcnow() + outbox.LEFT_AFTER + timedelta(seconds=1))
    assert (sent, refused, down) == (1, ["worker@example.org"], None)
    assert _states() == [FAILED, SENT]


def test_sending_after_the_page_commits_nothing_the_page_left_uncommitted(app, smtp, org):  # noqa: F811
    with app.test_request_context("/"):
        notify(org["worker"], "TeamOps: committed", "Sent.")
        db.session.commit()
        inbox.add(org["team_manager"], "Never committed by the page")
        outbox.send_queued(Response())
        db.session.rollback()
    assert [item.message["Subject"] for item in smtp.received] == ["TeamOps: committed"]
    assert not db.session.scalars(select(Notification).where(Notification.line == "Never committed by the page")
                                  ).all()


def test_the_run_gives_up_after_seven_attempts_and_forgets_sent_messages_after_30_days(app, smtp, org):  # noqa: F811
    notify(org["worker"], "TeamOps: hopeless", "Body")
    notify(org["worker"], "TeamOps: long sent", "Body")
    db.session.commit()
    hopeless, old = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    hopeless.state, hopeless.attempts = FAILED, outbox.MAX_ATTEMPTS
    old.state, old.sent_at = SENT, dates.utcnow() - outbox.KEEP_SENT - timedelta(days=1)
    db.session.commit()
    with app.test_request_context("/"):
        assert outbox.deliver_due(dates.utcnow()) == (0, [], None)
    assert not smtp.received and _states() == [FAILED]  # the sent one is gone; the hopeless one stays, untried
