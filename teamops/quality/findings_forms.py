"""The filter of the audit findings page: a service of the teams in reach (a GET form, so the address can be
shared)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectField
from wtforms.validators import Optional, ValidationError

from teamops.forms import id_number
from teamops.org.models import Service

CHOOSE_SERVICE = "Choose a service from the list"


class FindingsFilterForm(FlaskForm):
    class Meta:
        csrf = False

    service = SelectField("Service", coerce=id_number, validators=[Optional()], validate_choice=False)

    def __init__(self, *args: Any, services: Iterable[Service] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service.choices = [(0, "All your services")] + [(service.id, service.name) for service in services]

    def validate(self, extra_validators: Any = None) -> bool:
        """One plain message for a service that is not a number or not one of the list (an edited address)."""
        valid: bool = super().validate(extra_validators)
        if self.service.errors:
            self.service.errors = [CHOOSE_SERVICE]
        return valid

    def validate_service(self, field: Field) -> None:
        if field.data and field.data not in {value for value, _ in self.service.choices}:
            raise ValidationError(CHOOSE_SERVICE)

    def chosen(self) -> int | None:
        """The service chosen, when the form is valid; otherwise every service in reach."""
        return None if self.errors or not self.service.data else int(self.service.data)
