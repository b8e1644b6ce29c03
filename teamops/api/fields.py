"""The item fields of each endpoint, in CONTRACT.md order, with their types.

One declaration serves the JSON items, the CSV header and the OpenAPI schemas, so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from teamops.directory.models import SCOPES
from teamops.org.models import EMPLOYMENT_TYPES, ROLES
from teamops.policy.models import CASE_TYPE_CODES
from teamops.quality.audit_models import AUDIT_STATUSES
from teamops.returns.models import RETURN_STATUSES
from teamops.scheduling import ABSENT, DUE_SOON, OK, OVERDUE

DUE_STATES = (OVERDUE, DUE_SOON, OK)


@dataclass(frozen=True)
class Field:
    name: str
    # integer, number, string, email, date, month (YYYY-MM), datetime (ISO UTC, ending Z), boolean,
    # local_datetimes (a list of ISO local date-times) or objects (a list of objects with the fields ``parts``)
    kind: str
    description: str
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    parts: tuple[Field, ...] = ()


TEAM_FIELDS = (
    Field("id", "integer", "The team's id: the value of the `team` parameter elsewhere."),
    Field("service", "string", "The service the team belongs to."),
    Field("team", "string", "The team's name."),
    Field("office_base", "string", "Where the team is based."),
    Field("manager_email", "email", "The team manager's e-mail address; null when none is set.", nullable=True),
)

STAFF_FIELDS = (
    Field("email", "email", "Work e-mail address."),
    Field("name", "string", "Full name."),
    Field("team", "string", "The name of the team the person belongs to."),
    Field("job_role", "string", "Job title, as HR records it."),
    Field("employment_type", "string", "Permanent or agency.", choices=EMPLOYMENT_TYPES),
    Field("start_date", "date", "First day in the post."),
    Field("role", "string", "What the account may do in TeamOps.", choices=ROLES),
    Field("last_personal_supervision_on", "date",
          "Date of the last personal supervision held on or before `as_of`; null when there has been none.",
          nullable=True),
    Field("next_personal_due_on", "date",
          "When personal supervision is next due at `as_of`: the last one (or else the start date) plus the "
          "personal interval; after a long absence, no earlier than a month after its last day (R-ORG-6)."),
    Field("due_state", "string", "At `as_of`: overdue, due within 7 days (due_soon), ok, or absent (during a "
          "long absence: neither due nor overdue, R-ORG-6).", choices=(*DUE_STATES, ABSENT)),
    Field("in_induction", "boolean", "Whether `as_of` falls within the person's formal induction (R-IND-1)."),
)

CASE_FIELDS = (
    Field("case_ref", "string", "The case-recording system's reference (never a child's name)."),
    Field("case_type", "string", "The case type code.", choices=CASE_TYPE_CODES),
    Field("high_risk", "boolean", "Whether the case is flagged high risk (supervised at least monthly)."),
    Field("worker_email", "email", "The worker the case is allocated to now."),
    Field("team", "string", "The name of that worker's team."),
    Field("allocated_on", "date", "When the case was first allocated."),
    Field("closed_on", "date", "When the case was closed; null while it is open.", nullable=True),
    Field("last_supervised_on", "date",
          "Date of the last case or group supervision of the case held on or before `as_of`, whoever the "
          "worker was; null when there has been none.", nullable=True),
    Field("next_due_on", "date",
          "When case supervision is next due at `as_of`: the earliest of the intervals from the last case "
          "supervision, and, after a reallocation with no supervision since, the reallocation day (a hand-over, "
          "R-ORG-5); null for a case closed on or before `as_of`.",
          nullable=True),
    Field("due_state", "string",
          "At `as_of`: overdue, due within 7 days (due_soon) or ok; null for a case closed on or before `as_of`.",
          nullable=True, choices=DUE_STATES),
)

INDUCTION_STATUSES = ("planned", "in_progress", "overdue_items", "complete")

INDUCTION_FIELDS = (
    Field("email", "email", "The starter's work e-mail address."),
    Field("employment_type", "string", "Permanent or agency, when the induction opened.", choices=EMPLOYMENT_TYPES),
    Field("start_date", "date", "The start date as given (working day 1 is the next working day when it is not "
          "one)."),
    Field("ends_on", "date", "The induction's last working day: working day 10 for permanent staff and 5 for "
          "agency staff with the seeded timetables (CONTRACT.md \"Induction dates\")."),
    Field("buddy_email", "email", "The buddy at `as_of`; null when there was none.", nullable=True),
    Field("checkins_expected", "integer", "Buddy check-ins the timetable expects on or before `as_of`."),
    Field("checkins_logged", "integer", "Buddy check-ins logged that were held on or before `as_of`."),
    Field("status", "string", "At `as_of`: planned (before day 1), in_progress, overdue_items (a required item "
          "past its due date and neither done nor marked not applicable by then) or complete (signed off). "
          "Cancelled inductions are not listed.", choices=INDUCTION_STATUSES),
)

CHAMPION_FIELDS = (
    Field("name", "string", "The champion's name."),
    Field("email", "email", "The champion's work e-mail address."),
    Field("area", "string", "What they champion (an area admins keep: domestic abuse, first aid ...)."),
    Field("team", "string", "The champion's team."),
    Field("office_base", "string", "Where the champion works from: their own base, else their team's main one."),
    Field("scope", "string", "Who they champion for: their team, their office base, their service or the county.",
          choices=tuple(SCOPES)),
)

NETWORK_FIELDS = (
    Field("name", "string", "The network's or group's name."),
    Field("purpose", "string", "What it is for."),
    Field("contact_email", "email", "Whom to write to: the first listed contact who still works here, else the "
          "network's shared mailbox; null when it has neither.", nullable=True),
    Field("meeting_rule", "string", "When it meets, in plain words (\"Monthly on the third Tuesday, 14:00 to "
          "17:00\"); \"No regular meetings\" when it has no pattern."),
    Field("next_meetings", "local_datetimes", "The next 3 meetings' start times on or after `from`, as ISO local "
          "date-times in Europe/London wall-clock time (`2026-03-17T14:00:00`), with cancelled meetings left out "
          "and moved ones at their new time. In CSV: joined with \"; \"."),
)

COMPLIANCE_WORKER_FIELDS = (
    Field("email", "email", "The worker's work e-mail address."),
    Field("cases_open", "integer", "Cases allocated to the worker and open at the month's last day."),
    Field("cases_in_timescale", "integer", "Of those, the cases not overdue for supervision at the month's last "
          "day."),
    Field("pct_in_timescale", "number", "cases_in_timescale / cases_open x 100, rounded to one decimal; null when "
          "the worker had no open cases.", nullable=True),
    Field("personal_due_state", "string", "The worker's personal supervision at the month's last day: overdue, due "
          "within 7 days (due_soon), ok, or absent (during a long absence: neither due nor overdue, R-ORG-6).",
          choices=(*DUE_STATES, ABSENT)),
)

COMPLIANCE_FIELDS = (
    Field("team", "string", "The team's name."),
    Field("month", "month", "The month (YYYY-MM)."),
    Field("cases_open", "integer", "The team's cases open at the month's last day E: each counted for the worker "
          "it was allocated to at E and for the team that worker belonged to at E (team membership is dated)."),
    Field("cases_in_timescale", "integer", "Of those, the cases not overdue for supervision at E, under the "
          "policy in force at E."),
    Field("pct_in_timescale", "number", "cases_in_timescale / cases_open x 100, rounded to one decimal; null when "
          "the team had no open cases.", nullable=True),
    Field("workers", "objects", "One line per worker of the team at E (by name): every worker who had started "
          "by E, and anyone else holding cases then. Worked out now from the records (the live figures, which a "
          "backdated record can change); `/returns` gives what the team submitted. In CSV: the list as JSON "
          "text in one cell.", parts=COMPLIANCE_WORKER_FIELDS),
)

RETURN_FIELDS = (
    Field("team", "string", "The team's name."),
    Field("month", "month", "The month reported (YYYY-MM)."),
    Field("due_on", "date", "When the return is due: the first Friday of the next month, moved by bank holidays "
          "under the organisation's rule (R-QA-1, R-QA-2)."),
    Field("status", "string", "not_started (nothing saved), draft, submitted (waiting for QAIT), returned (sent "
          "back by QAIT to change) or accepted.", choices=RETURN_STATUSES),
    Field("submitted_at", "datetime", "When the latest submission was made, in UTC (`2026-04-03T09:15:00Z`); null "
          "before the first.", nullable=True),
    Field("on_time", "boolean", "Whether the latest submission was made on or before `due_on`; null before the "
          "first.", nullable=True),
    Field("pct_in_timescale", "number", "The team's % of open cases in timescale as submitted (frozen at "
          "submission); null before the first submission, or when it had no open cases.", nullable=True),
)

RETURN_CALENDAR_FIELDS = (
    Field("month", "month", "The month reported (YYYY-MM)."),
    Field("due_on", "date", "When its return is due: the first Friday of the next month; when that is a bank "
          "holiday, the next working day, or under the organisation's \"working day before\" rule the working "
          "day before unless that falls inside the month reported (R-QA-2)."),
)

AUDIT_FIELDS = (
    Field("round", "string", "The audit round's name: its quarter, year and theme (`Q4 2026: Neglect`)."),
    Field("theme", "string", "The round's theme."),
    Field("case_ref", "string", "The case audited, by its case-recording system reference (never a child's name)."),
    Field("team", "string", "The name of the team of the case's worker now."),
    Field("auditor_email", "email", "The auditor's work e-mail address."),
    Field("due_on", "date", "When the audit is due."),
    Field("status", "string", "Today: submitted once submitted; otherwise overdue after `due_on`, else assigned. A "
          "re-audit (R-QA-5) is listed as an audit of its own.", choices=AUDIT_STATUSES),
    Field("grade", "string", "The overall grade's label, from the round's scale; null before submission.",
          nullable=True),
    Field("actions_open", "integer", "The audit's remedial actions not yet done."),
)
