"""The demo's specialist contacts and support services: every kind DOMAIN.md names, all fictional (names,
``@example.org`` addresses, Ofcom's drama numbers 01632 960xxx and 0808 157 0xxx, 5-digit extensions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from teamops.directory.hours import parse_hours
from teamops.directory.models import Contact, ContactHours
from teamops.extensions import db
from teamops.org.models import Service, Staff

OFFICE_HOURS = "Monday to Thursday 08:30-17:00\nFriday 08:30-16:30"
OUT_OF_HOURS = "Monday to Thursday 17:00-08:30\nFriday 17:00 to Monday 08:30"

SPECIALISTS: tuple[dict[str, Any], ...] = (
    {"name": "Allegations officer (LADO)", "phone": "01632 960101", "email": "lado@example.org",
     "summary": "Advice and referrals when an adult who works with children may have harmed a child, or behaved "
                "in a way that suggests they may be unsuitable to work with children.",
     "hours": OFFICE_HOURS},
    {"name": "Virtual school", "phone": "50220", "email": "virtual.school@example.org",
     "link": "https://virtualschool.example.org", "summary": "Education of children in care and care leavers: "
     "personal education plans, school places and the pupil premium.", "hours": OFFICE_HOURS},
    {"name": "Practice excellence team", "phone": "50310", "email": "practice.excellence@example.org",
     "summary": "Practice guidance, learning sessions and the procedures manual.",
     "hours": "Monday to Friday 09:00-17:00"},
    {"name": "Quality Assurance and Improvement Team (QAIT)", "phone": "50400", "email": "qait.team@example.org",
     "summary": "Audits, performance reports and the supervision figures.", "hours": "Monday to Friday 09:00-17:00"},
    {"name": "HR advice", "phone": "01632 960220", "email": "hr.advice@example.org",
     "link": "https://hr.example.org", "summary": "Contracts, pay, leave, absence and policies.",
     "hours": "Monday to Friday 09:00-17:00", "hours_note": "Closed on bank holidays", "stale": True},
    {"name": "County Staff Union, local branch", "phone": "50610", "email": "county.union@example.org",
     "summary": "Advice and representation for members; branch surgeries on Wednesdays.",
     "hours": "Wednesday 10:00-15:00"},
    {"name": "Care Professionals' Union, local branch", "email": "care.union@example.org",
     "link": "https://careunion.example.org", "summary": "Advice and representation for members."},
    {"name": "Out-of-hours team", "phone": "01632 960999", "email": "out.of.hours@example.org",
     "summary": "Emergency social work when the offices are closed: weekday evenings and nights, and all weekend.",
     "hours": OUT_OF_HOURS, "hours_note": "Also all day on bank holidays"},
)
SUPPORT: tuple[dict[str, Any], ...] = (
    {"name": "Staff counselling line", "phone": "0808 157 0100", "link": "https://counselling.example.org",
     "org_code": "DEMO2026", "confidential": True, "always_open": True,
     "referral": "No referral needed: call, or sign in to the website with the organisation code.",
     "summary": "Counselling sessions by phone, video or in person, and legal and financial advice, for you and "
                "your household."},
    {"name": "Employee service desk", "phone": "01632 960300", "email": "service.desk@example.org",
     "summary": "Pay, pensions, expenses and your personal details.", "hours": OFFICE_HOURS},
    {"name": "Health, safety and wellbeing service", "phone": "50500", "email": "wellbeing@example.org",
     "summary": "Occupational health referrals, workplace assessments, lone working and stress risk assessments.",
     "hours": "Monday to Friday 09:00-17:00"},
    {"name": "Critical-incident support", "email": "critical.incident@example.org", "confidential": True,
     "referral": "Your line manager refers you after a critical incident at work.",
     "summary": "Debriefs and short-term support after a distressing incident at work."},
)


def _contact(kind: str, entry: dict[str, Any], on: date, checker: Staff | None, **extra: Any) -> Contact:
    values = {key: value for key, value in entry.items() if key not in ("hours", "stale")}
    contact = Contact(kind=kind, checked_on=on - timedelta(days=200 if entry.get("stale") else 20),
                      checked_by=checker, **values, **extra)
    contact.hours = [ContactHours(opens_day=p.opens_day, opens_at=p.opens_at, closes_day=p.closes_day,
                                  closes_at=p.closes_at) for p in parse_hours(entry.get("hours", ""))]
    db.session.add(contact)
    return contact


def seed_contacts(on: date, services: Sequence[Service], staff: Sequence[Staff]) -> list[Contact]:
    """Adds the demo's contacts and services (once: nothing if any exist) and flushes. ``services``: the service
    areas, each given an advanced practitioner from ``staff`` (its first active worker), where it has one."""
    if db.session.scalar(select(Contact.id).limit(1)) is not None:
        return []
    checker = next((person for person in staff if person.role == "admin" and person.active), None)
    added = [_contact("specialist", entry, on, checker) for entry in SPECIALISTS]
    for service in services:
        practitioner = next((person for person in staff if person.active and person.role == "worker"
                             and person.team.service_id == service.id), None)
        if practitioner is None:
            continue
        added.append(_contact("specialist", {
            "name": f"Advanced practitioner: {service.name}", "hours": "Monday to Friday 09:00-17:00",
            "summary": "Practice advice and reflective case discussion for the service area's practitioners.",
            "phone": practitioner.work_phone}, on, checker, service=service, staff=practitioner))
    added.extend(_contact("support", entry, on, checker) for entry in SUPPORT)
    db.session.flush()
    return added
