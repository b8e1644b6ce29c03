"""GET forms for the dashboards: which team, which workers, in which order. They only read, so they carry
no CSRF token, and a value that is not one of the choices falls back to the default instead of failing."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField

from teamops.dashboards.services import FILTERS, SORTS, SUPERVISEES_ONLY
from teamops.forms import id_number
from teamops.org.models import Service, Team

ORDERS = {"asc": "Ascending", "desc": "Descending"}


class TeamTableForm(FlaskForm):
    class Meta:
        csrf = False

    show = SelectField("Show", choices=[(key, label) for key, (label, _) in FILTERS.items()], default="all")
    sort = SelectField("Sort by", choices=[(key, label) for key, (label, _) in SORTS.items()], default="name")
    order = SelectField("Order", choices=list(ORDERS.items()), default="asc")

    def __init__(self, *args: Any, whole_team: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.whole_team = whole_team
        if not whole_team:  # a practice supervisor sees their supervisees only (R-ORG-2)
            self.show.choices = [(SUPERVISEES_ONLY, FILTERS[SUPERVISEES_ONLY][0])]

    def settings(self) -> tuple[str, bool, str]:
        """(sort, descending, show), each its default when the request gave something unknown."""
        self.validate()
        sort = self.sort.data if not self.sort.errors and self.sort.data in SORTS else "name"
        order = self.order.data if not self.order.errors and self.order.data in ORDERS else "asc"
        show = self.show.data if not self.show.errors and self.show.data in FILTERS else "all"
        show = show if self.whole_team else SUPERVISEES_ONLY
        self.sort.data, self.order.data, self.show.data = sort, order, show
        return sort, order == "desc", show


class TeamPickForm(FlaskForm):
    class Meta:
        csrf = False

    team = SelectField("Team", coerce=id_number)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team.choices = [(team.id, f"{team.name} ({team.service.name})") for team in teams]


class ServicePickForm(FlaskForm):
    class Meta:
        csrf = False

    service = SelectField("Service", coerce=id_number)

    def __init__(self, *args: Any, services: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service.choices = [(service.id, service.name) for service in services]
