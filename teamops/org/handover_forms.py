"""The hand-over form (R-ORG-4): one choice per case, supervisee and team, with "everything to" shortcuts
that fill the choices left blank, so a leaver with thirty cases is handed over in one go, without JavaScript."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField

from teamops.cases.allocation_rules import Caution, Refusal, allocation_check
from teamops.dates import today
from teamops.forms import id_number
from teamops.induction import periods
from teamops.org.handover import Duties, Plan, kept_coworker, would_loop
from teamops.org.models import MANAGER_ROLES, Staff

SAME = (0, "As chosen above")


def _choices(people: list[Staff], first: tuple[int, str]) -> list[tuple[int, str]]:
    return [first, *((p.id, f"{p.name} ({p.team.name})") for p in people)]


class HandoverForm(FlaskForm):
    """Built for one leaver's duties (``build``); ``plan`` holds who takes on what once it validates."""

    leaver: Staff
    duties: Duties
    workers: dict[int, Staff]
    managers: dict[int, Staff]
    team_managers: dict[int, Staff]
    plan: Plan | None = None
    cautions: list[Caution]
    confirm_allocation = BooleanField("Allocate anyway")

    def _cases(self) -> tuple[bool, dict[int, Staff], dict[int, Staff | None]]:
        """Who takes on each case, each allowed by the allocation rules (R-IND-3) from today; a caution (an
        agency starter's first day) holds the hand-over until "Allocate anyway" is chosen."""
        ok = True
        workers: dict[int, Staff] = {}
        coworkers: dict[int, Staff | None] = {}
        self.cautions = []
        chosen_people = {case.id: self.workers.get(self[f"case_{case.id}"].data or self.all_cases.data or 0)
                         for case in self.duties.cases}
        for case in self.duties.cases:
            person = chosen_people[case.id]
            coworkers[case.id] = kept_coworker(case, self.leaver, person) if person is not None else None
        named = [*chosen_people.values(), *coworkers.values()]
        rows = periods.rows_for(sorted({p.id for p in named if p is not None}))
        for case in self.duties.cases:
            field = self[f"case_{case.id}"]
            person = chosen_people[case.id]
            if person is None:
                field.errors = [f"Choose who takes on case {case.case_ref}"]
                ok = False
                continue
            verdict = allocation_check(person, today(), case.case_type_code, case.section_47, coworkers[case.id],
                                       rows=rows)
            if isinstance(verdict, Refusal):
                field.errors = [f"Case {case.case_ref}: {verdict.message}"]
                ok = False
                continue
            if isinstance(verdict, Caution) and not self.confirm_allocation.data:
                self.cautions.append(Caution(f"Case {case.case_ref}: {verdict.reason}", verdict.advice))
                ok = False
            workers[case.id] = person
        return ok, workers, coworkers

    def validate(self, extra_validators: Any = None) -> bool:
        self.cautions = []
        if not super().validate(extra_validators):
            return False
        ok, workers, coworkers = self._cases()
        line_managers: dict[int, Staff] = {}
        for report in self.duties.supervisees:
            name = f"supervisee_{report.id}"
            chosen = self[name].data or self.all_supervisees.data
            manager = self.managers.get(chosen or 0)
            if manager is None:
                self[name].errors = [f"Choose {report.name}'s new line manager"]
                ok = False
            elif manager.id == report.id:
                self[name].errors = [f"{report.name} cannot line-manage themselves: choose someone else"]
                ok = False
            elif would_loop(report, manager):
                self[name].errors = [f"{manager.name} is line-managed by {report.name}: choose someone else"]
                ok = False
            else:
                line_managers[report.id] = manager
        team_managers: dict[int, Staff | None] = {}
        for team in self.duties.teams:
            chosen = self[f"team_{team.id}"].data or 0
            if chosen and chosen not in self.team_managers:
                self[f"team_{team.id}"].errors = [f"Choose {team.name}'s new manager from the list"]
                ok = False
            team_managers[team.id] = self.team_managers.get(chosen) if chosen else None
        if ok:
            self.plan = Plan(workers, line_managers, team_managers, coworkers)
        return ok


def build(leaver: Staff, duties: Duties, people: list[Staff], formdata: Any = None) -> HandoverForm:
    """``people``: who may take on the leaver's cases or supervisees (active, in the hander's reach); the
    managers among them may manage a team."""
    workers = managers = [p for p in people if p.id != leaver.id]
    leads = [p for p in managers if p.role in MANAGER_ROLES]
    attrs: dict[str, Any] = {}
    worker_choices = _choices(workers, (0, "Choose for each case below"))
    manager_choices = _choices(managers, (0, "Choose for each person below"))
    if duties.cases:
        attrs["all_cases"] = SelectField("Give every case to", choices=worker_choices, coerce=id_number,
                                         validate_choice=False)
        for case in duties.cases:
            attrs[f"case_{case.id}"] = SelectField(f"Case {case.case_ref}", choices=_choices(workers, SAME),
                                                   coerce=id_number, validate_choice=False)
    if duties.supervisees:
        attrs["all_supervisees"] = SelectField("New line manager for everyone", choices=manager_choices,
                                               coerce=id_number, validate_choice=False)
        for person in duties.supervisees:
            attrs[f"supervisee_{person.id}"] = SelectField(person.name, choices=_choices(managers, SAME),
                                                           coerce=id_number, validate_choice=False)
    for team in duties.teams:
        attrs[f"team_{team.id}"] = SelectField(f"New manager of {team.name}",
                                               choices=_choices(leads, (0, "No manager for now")),
                                               coerce=id_number, validate_choice=False)
    form_class = type("BuiltHandoverForm", (HandoverForm,), attrs)
    form: HandoverForm = form_class(formdata=formdata) if formdata is not None else form_class()
    form.leaver, form.duties, form.cautions = leaver, duties, []
    form.workers = {p.id: p for p in workers}
    form.managers = {p.id: p for p in managers}
    form.team_managers = {p.id: p for p in leads}
    return form
