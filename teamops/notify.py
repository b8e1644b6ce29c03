"""Telling a person something that concerns them: a set-password link, a change to their access, a decision.

Sent at once through the mail relay (``teamops.reminders.mail``), or written to the log when none is set. A
message may carry a secret (a set-password link) meant for that person alone; no page ever shows it to anyone
else. A relay that fails is logged and never fails the page that asked for the message: what is due is also in
the person's daily reminders.
"""

from __future__ import annotations

from flask import current_app

from teamops.org.models import Staff
from teamops.reminders import inbox
from teamops.reminders.mail import Mail, Mailer, Refused, RelayDown


def notify(person: Staff, subject: str, body: str, path: str = "/", *, in_app: bool = True) -> None:
    """Sends ``person`` a plain-text message at their own address and, unless ``in_app`` is False (a set-password
    link, for someone who cannot sign in yet), adds it to their notifications, linking to ``path``."""
    if in_app:
        inbox.add(person, subject, path)
    try:
        with Mailer() as mailer:
            mailer.send(Mail(person.name, person.email, subject, body))
    except (Refused, RelayDown) as failed:
        current_app.logger.warning("Mail to %s <%s> not sent (%s): %s", person.name, person.email, failed, subject)
