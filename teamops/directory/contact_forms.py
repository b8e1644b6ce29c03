"""The form of a specialist contact or support service. Its opening hours are one text box read by
``teamops.directory.hours`` (a message naming each line that is wrong), or the "open 24 hours" box."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from teamops.directory.hours import ALWAYS_OPEN, HoursError, Period, parse_hours
from teamops.directory.models import CODE_MAX, LINK_MAX, LONG_MAX, NAME_MAX, SHORT_MAX
from teamops.extensions import db
from teamops.forms import PhoneNumber, WebLink
from teamops.org.models import EMAIL_MAX, PHONE_MAX, Service, Staff
from teamops.org.services import normalise_email

EVERYONE = ""
HOURS_MAX = 2000
EMAIL_MESSAGE = "Enter an e-mail address like name@example.org"


class ContactForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the name of the contact or service"),
                                           Length(max=NAME_MAX)])
    summary = TextAreaField("What it does or offers (optional)", validators=[Length(max=LONG_MAX)])
    service_id = SelectField("Service area it is for", choices=[(EVERYONE, "Everyone")],
                             validate_choice=False)
    staff_email = EmailField("Work e-mail of the member of staff it names (optional)", validators=[
        Optional(), Email(EMAIL_MESSAGE), Length(max=EMAIL_MAX)])
    phone = StringField("Phone (optional)", validators=[PhoneNumber(), Length(max=PHONE_MAX)])
    email = EmailField("E-mail (optional)", validators=[Optional(), Email(EMAIL_MESSAGE), Length(max=EMAIL_MAX)])
    link = StringField("Web link (optional)", validators=[WebLink(), Length(max=LINK_MAX)])
    org_code = StringField("Organisation code for its portal (optional)", validators=[Length(max=CODE_MAX)])
    referral = StringField("How to get support (optional)", validators=[Length(max=SHORT_MAX)])
    confidential = BooleanField("It is confidential")
    always_open = BooleanField(ALWAYS_OPEN)
    hours = TextAreaField("Opening hours (optional)", validators=[Length(max=HOURS_MAX)])
    hours_note = StringField("A note about the hours (optional)", validators=[Length(max=SHORT_MAX)])
    active = BooleanField("List it in the directory")

    def __init__(self, *args: Any, admin: bool = True, keep_service: int | None = None, **kwargs: Any) -> None:
        """``admin``: whether this person decides who the entry names and which service area it is for; the member
        of staff it names changes the rest and leaves those as they are. ``keep_service``: the entry's own service
        area, offered even if no longer active."""
        super().__init__(*args, **kwargs)
        self._service_choices: list[tuple[str, str]] = []
        if admin:
            self._service_choices = [(EVERYONE, "Everyone"), *(
                (str(service.id), service.name) for service in db.session.scalars(
                    select(Service).where(or_(Service.active, Service.id == keep_service))
                    .order_by(Service.name, Service.id)))]
            self.service_id.choices = self._service_choices
        else:
            del self.staff_email
            del self.service_id
        self.periods: list[Period] = []
        self.person: Staff | None = None

    def validate_service_id(self, field: SelectField) -> None:
        if field.data not in {str(choice[0]) for choice in self._service_choices}:
            raise ValidationError("Select who it is for from the list")

    def validate_staff_email(self, field: EmailField) -> None:
        person = db.session.scalar(select(Staff).where(Staff.email == normalise_email(field.data or "")))
        if person is None:
            raise ValidationError("There is nobody in TeamOps with this e-mail address")
        if not person.active:
            raise ValidationError("This person has left; name someone who works here, or leave it empty")
        self.person = person

    def validate_hours(self, field: TextAreaField) -> None:
        text = field.data or ""
        if self.always_open.data:
            if text.strip():
                raise ValidationError(f"Leave the opening hours empty when it is '{ALWAYS_OPEN}'")
            return
        try:
            self.periods = parse_hours(text)
        except HoursError as problem:
            raise ValidationError(str(problem)) from None

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if "service_id" in self:
            values["service_id"] = int(self.service_id.data) if self.service_id.data else None
        return {**values, "name": self.name.data or "", "summary": self.summary.data or "",
                "phone": self.phone.data, "email": self.email.data, "link": self.link.data,
                "org_code": self.org_code.data, "referral": self.referral.data or "",
                "confidential": bool(self.confidential.data), "always_open": bool(self.always_open.data),
                "hours_note": self.hours_note.data or "", "active": bool(self.active.data)}
