"""Telling a person something that concerns them: a set-password link, a change to their access.

There is no e-mail yet: each message is logged as the mail that would be sent, to the person's own address.
The notifications work swaps SMTP in here, and nowhere else. A message may carry a secret (a set-password
link) meant for that person alone; no page ever shows it to anyone else.
"""

from __future__ import annotations

from flask import current_app

from teamops.org.models import Staff


def notify(person: Staff, subject: str, body: str) -> None:
    """Sends ``person`` a message (for now: logs the mail that would be sent to them)."""
    current_app.logger.info("Mail to %s <%s>\nSubject: %s\n\n%s", person.name, person.email, subject, body)
