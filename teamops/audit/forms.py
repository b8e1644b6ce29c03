from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from teamops.audit.models import ACTIONS
from teamops.audit.reading import entity_choices
from teamops.forms import DateInputField


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    person = StringField("Who (e-mail)", validators=[Optional(), Length(max=254)])
    entity = SelectField("Record type", choices=[("", "Any"), *entity_choices()], validators=[Optional()])
    action = SelectField("Action", choices=[("", "Any")] + [(a, a.replace("_", " ")) for a in ACTIONS],
                         validators=[Optional()])
    date_from = DateInputField("From", validators=[Optional()])
    date_to = DateInputField("To", validators=[Optional()])
