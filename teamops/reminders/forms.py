"""Your reminder settings (issue 15 item 4): which due-soon reminders come by e-mail, and daily or weekly."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, widgets
from wtforms.validators import InputRequired

from teamops.reminders.models import DAILY, WEEKLY
from teamops.reminders.sources import CATEGORY_HEADINGS, CHOOSABLE

DIGEST_CHOICES = [(DAILY, "Every day, as things fall due"), (WEEKLY, "Once a week, on Monday")]


class PreferencesForm(FlaskForm):
    email = SelectMultipleField(
        "E-mail me when these are coming up", choices=[(c, CATEGORY_HEADINGS[c]) for c in CHOOSABLE],
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput())
    digest = RadioField("How often to e-mail what is coming up", choices=DIGEST_CHOICES,
                        validators=[InputRequired("Choose every day or once a week")])
