"""E-mail through the configured relay (CONTRACT.md "Configuration": ``TEAMOPS_SMTP_*``, ``TEAMOPS_MAIL_FROM``):
plain text and HTML, attachments (calendar invitations), links built from ``TEAMOPS_BASE_URL``. With no relay
set, each message is written to the log instead, as it would have been sent.

A ``Mailer`` holds one connection for a run of messages and reports what went wrong in two kinds: the relay
refused this recipient (``Refused``: the others still go), or the relay cannot be reached or failed
(``RelayDown``: nothing more goes this time; the next run tries again).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from types import TracebackType

from flask import current_app

from teamops import dates

TIMEOUT_SECONDS = 30


class Refused(Exception):
    """The relay refused this message's recipient (a bad or unknown address)."""


class RelayDown(Exception):
    """The relay could not be reached, or failed while sending."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "text/calendar; method=REQUEST", say
    data: bytes


@dataclass(frozen=True)
class Mail:
    to_name: str
    to_address: str
    subject: str
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = field(default=())
    # An iCalendar invitation (METHOD REQUEST or CANCEL): sent as the message's text/calendar alternative, which
    # Outlook shows with Accept and Decline and applies to the calendar, and as an .ics attachment for the rest.
    invitation: tuple[str, bytes] | None = None  # (method, calendar)


def link(path: str) -> str:
    """An address in TeamOps for an e-mail: ``TEAMOPS_BASE_URL`` and the path (``/records/12``)."""
    base: str = current_app.config["TEAMOPS"].base_url
    return base.rstrip("/") + path


def message(mail: Mail) -> EmailMessage:
    """The message as it goes to the relay: text, then HTML as the alternative, then any attachments."""
    config = current_app.config["TEAMOPS"]
    built = EmailMessage()
    built["From"] = Address("TeamOps", addr_spec=config.mail_from)
    built["To"] = Address(mail.to_name, addr_spec=mail.to_address)
    built["Subject"] = mail.subject
    built["Date"] = format_datetime(dates.utcnow())
    built["Message-ID"] = make_msgid(domain=config.mail_from.rpartition("@")[2] or "teamops.local")
    built["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a reminder
    built.set_content(mail.text)
    if mail.html is not None:
        built.add_alternative(mail.html, subtype="html")
    if mail.invitation is not None:
        method, calendar = mail.invitation
        built.add_alternative(calendar.decode(), subtype="calendar", params={"method": method})
    attachments = mail.attachments
    if mail.invitation is not None:
        method, calendar = mail.invitation
        attachments = (*attachments, Attachment("invite.ics", f"application/ics; method={method}", calendar))
    for attachment in attachments:
        maintype, _, rest = attachment.content_type.partition("/")
        subtype, _, params = rest.partition(";")
        extra = dict(part.strip().split("=", 1) for part in params.split(";") if "=" in part)
        built.add_attachment(attachment.data, maintype=maintype, subtype=subtype.strip(),
                             filename=attachment.filename, params=extra)
    return built


class Mailer:
    """``with Mailer() as mailer: mailer.send(mail)``: one connection to the relay, opened at the first send."""

    def __init__(self) -> None:
        self.config = current_app.config["TEAMOPS"]
        self.logger = current_app.logger
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    @property
    def relayed(self) -> bool:
        return bool(self.config.smtp_host)

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is None:
            try:
                smtp = smtplib.SMTP(self.config.smtp_host, self.config.smtp_port, timeout=TIMEOUT_SECONDS)
                if self.config.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.config.smtp_user:
                    smtp.login(self.config.smtp_user, self.config.smtp_password or "")
            except (smtplib.SMTPException, OSError) as failed:
                raise RelayDown(f"The mail relay {self.config.smtp_host}:{self.config.smtp_port} could not be "
                                f"used: {failed}") from failed
            self._smtp = smtp
        return self._smtp

    def send(self, mail: Mail) -> None:
        built = message(mail)
        if not self.relayed:
            self.logger.info("Mail to %s <%s>\nSubject: %s\n\n%s", mail.to_name, mail.to_address, mail.subject,
                             mail.text)
            return
        smtp = self._connect()
        try:
            smtp.send_message(built)
        except smtplib.SMTPRecipientsRefused as refused:
            raise Refused(f"The relay refused {mail.to_address}: {_reason(refused)}") from refused
        except (smtplib.SMTPException, OSError) as failed:
            self._smtp = None  # a broken connection is not used again
            raise RelayDown(f"The mail relay failed while sending: {failed}") from failed


def _reason(refused: smtplib.SMTPRecipientsRefused) -> str:
    for code, text in refused.recipients.values():
        return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    return "refused"
