"""Reminders that really arrive, and calendars (issue 15): e-mail through the configured relay (``mail``), the
daily ``send-reminders`` run (``run``) that gathers what is due for each person (``sources``) into one digest,
claimed in the database before it is sent (``models.ReminderSend``) so that no run sends anything twice; one-off
messages kept in an outbox until sent (``outbox``); and each person's secret calendar feed (``feeds``,
``routes``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reminders", __name__)


from teamops.reminders import outbox  # noqa: E402 - after bp

bp.after_app_request(outbox.send_queued)
