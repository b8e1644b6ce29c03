"""Forms for champions, their areas, a team's directory entry, a person's own directory details and the
directory search."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from teamops.dates import EVENT_YEARS
from teamops.directory.models import NAME_MAX, SCOPES, SHORT_MAX, ChampionArea
from teamops.extensions import db
from teamops.forms import DateInputField, PhoneNumber, year_between
from teamops.org.models import DIRECTORY_TEXT_MAX, EMAIL_MAX, TEXT_MAX, Staff
from teamops.org.services import normalise_email

SCOPE_CHOICES = list(SCOPES.items())
SEARCH_MAX = 100
BASES_MAX = 10


def _area_choices() -> list[tuple[str, str]]:
    areas = db.session.scalars(select(ChampionArea).where(ChampionArea.active.is_(True))
                               .order_by(ChampionArea.name))
    return [("", "Choose an area"), *((str(area.id), area.name) for area in areas)]


def _area_id(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


class _AreaAndScope(FlaskForm):
    area = SelectField("Area", validators=[DataRequired("Choose an area")], validate_choice=False)
    scope = RadioField("Who they champion for", choices=SCOPE_CHOICES, default="team",
                       validators=[DataRequired("Choose who they champion for")], validate_choice=False)
    note = StringField("Note (optional)", validators=[Length(max=SHORT_MAX, message=f"Keep the note to "
                                                                                       f"{SHORT_MAX} characters")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = _area_choices()

    @property
    def area_id(self) -> int | None:
        return _area_id(self.area.data)

    def validate_area(self, field: SelectField) -> None:
        if self.area_id is None or str(self.area_id) not in {value for value, _ in self.area.choices or ()}:
            raise ValidationError("Choose an area")

    def validate_scope(self, field: RadioField) -> None:
        if field.data not in SCOPES:
            raise ValidationError("Choose who they champion for")


class AppointForm(_AreaAndScope):
    """A manager appoints a member of their team (by work e-mail) as a champion from a date."""

    email = EmailField("Work e-mail of the champion", validators=[
        DataRequired("Enter the work e-mail of the champion"), Email("Enter an e-mail address like name@example.org"),
        Length(max=EMAIL_MAX)])
    starts_on = DateInputField("Champion from", validators=[year_between(EVENT_YEARS)])

    def person(self) -> Staff | None:
        return db.session.scalar(select(Staff).where(Staff.email == normalise_email(self.email.data or "")))


class VolunteerForm(_AreaAndScope):
    """A member of staff offers to champion an area; their manager approves."""


class AreaForm(FlaskForm):
    name = StringField("Area", validators=[DataRequired("Enter the area's name"), Length(max=NAME_MAX)])
    description = StringField("What its champions help with (optional)", validators=[Length(max=SHORT_MAX)])
    active = BooleanField("In use", default=True)

    def __init__(self, *args: Any, area: ChampionArea | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._area = area

    def validate_name(self, field: StringField) -> None:
        query = select(ChampionArea.id).where(func.lower(ChampionArea.name) == (field.data or "").strip().lower())
        if self._area is not None:
            query = query.where(ChampionArea.id != self._area.id)
        if db.session.scalar(query) is not None:
            raise ValidationError("There is already an area with this name")


class TeamEntryForm(FlaskForm):
    """What the directory says about a team."""

    remit = TextAreaField("What the team does", validators=[Length(max=DIRECTORY_TEXT_MAX)])
    phone = StringField("Team phone (optional)", validators=[PhoneNumber(), Length(max=32)])
    email = EmailField("Team e-mail (optional)", validators=[
        Optional(), Email("Enter an e-mail address like team@example.org"), Length(max=EMAIL_MAX)])
    other_bases = TextAreaField("Other office bases (optional)", validators=[Length(max=BASES_MAX * (TEXT_MAX + 2))])

    def bases(self) -> list[str]:
        names: list[str] = []
        for line in (self.other_bases.data or "").splitlines():
            name = " ".join(line.split())
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        return names

    def validate_other_bases(self, field: TextAreaField) -> None:
        names = self.bases()
        if len(names) > BASES_MAX:
            raise ValidationError(f"List at most {BASES_MAX} other bases, one on each line")
        if any(len(name) > TEXT_MAX for name in names):
            raise ValidationError(f"Keep each base's name to {TEXT_MAX} characters")
        if any(not name.isprintable() for name in names):
            raise ValidationError("Enter each base's name as plain text, one on each line")


class MyDetailsForm(FlaskForm):
    """A person's own directory details: a work phone and, when not their team's main one, their office base."""

    work_phone = StringField("Work phone (optional)", validators=[PhoneNumber(), Length(max=32)])
    office_base = SelectField("Office base", validate_choice=False)

    def __init__(self, *args: Any, bases: list[str], team_base: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office_base.choices = [("", f"My team's base ({team_base})"),
                                    *((base, base) for base in bases if base != team_base)]

    def validate_office_base(self, field: SelectField) -> None:
        if (field.data or "") not in {value for value, _ in self.office_base.choices or ()}:
            raise ValidationError("Choose an office base from the list")


class DirectorySearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search the directory", validators=[Length(max=SEARCH_MAX, message=(
        f"Enter at most {SEARCH_MAX} characters"))])


class AreaPickForm(FlaskForm):
    class Meta:
        csrf = False

    area = SelectField("Area", validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = [("", "Every area"), *_area_choices()[1:]]

    @property
    def area_id(self) -> int | None:
        return _area_id(self.area.data)
