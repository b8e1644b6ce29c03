"""Telling a person something that concerns them: a set-password link, a change to their access, a decision.

A message joins the person's notifications and the mail outbox (``teamops.reminders.outbox``) in the transaction
of the change it is about: it is e-mailed once that change commits, and if the relay refuses it or is down, by the
next ``send-reminders`` run, never twice. A set-password link is the exception: it is a secret for that person
alone, so it is sent at once and kept nowhere (a relay that fails is logged without it, and the admin can send a
new link); and it is not a notification, since the person cannot sign in yet.
"""

from __future__ import annotations

from flask import current_app

from teamops.org.models import Staff
from teamops.reminders import inbox, outbox
from teamops.reminders.mail import Mail, Mailer, Refused, RelayDown


def notify(person: Staff, subject: str, body: str, path: str = "/", *, secret: bool = False) -> None:
    """Tells ``person``: by e-mail at their own address and in their notifications (linking to ``path``); a
    ``secret`` message (a set-password link) by e-mail only, at once."""
    if not secret:
        inbox.add(person, subject, path)
        outbox.queue(person, subject, body)
        return
    try:
        with Mailer() as mailer:
            mailer.send(Mail(person.name, person.email, subject, body))
    except (Refused, RelayDown) as failed:
        current_app.logger.warning("Mail to %s <%s> not sent (%s): %s", person.name, person.email, failed, subject)
