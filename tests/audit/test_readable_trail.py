"""The audit trail reads like a log for people (issue 10 item 12): field labels, people's, teams' and services'
names instead of ids, Yes/No, UK local dates and times, and a filter for every kind of record. Record content
still reads only "changed"."""

from __future__ import annotations

import re

from sqlalchemy import insert

from teamops.audit.models import AuditEvent
from teamops.audit.reading import ENTITY_LABELS, NOTHING  # an en dash
from teamops.extensions import Base, db
from teamops.web import format_datetime
from tests.bookings.conftest import in_days, new_booking, utc
from tests.org.test_staff import staff_form

CHANGE = re.compile(r"<li><strong>(.*?)</strong>: (.*?)</li>")


def changes_shown(page: str) -> list[tuple[str, str]]:
    return CHANGE.findall(page)


def summaries(page: str) -> list[str]:
    """The "What" cell of each row."""
    return re.findall(r'</time></td>\s*<td class="govuk-table__cell">.*?</td>\s*<td class="govuk-table__cell">'
                      r"(.*?)</td>", page, re.DOTALL)


def audited_entities() -> set[str]:
    return {entity for mapper in Base.registry.mappers
            if (entity := getattr(mapper.class_, "__audited__", None)) is not None}


def test_a_move_to_another_team_reads_with_labels_and_names(as_role, org):
    admin = as_role("admin")
    worker, north, south = org["worker"], org["teams"]["north"], org["teams"]["south"]
    started = worker.start_date.strftime("%-d %b %Y")
    response = admin.post_form(f"/admin/staff/{worker.id}/edit", staff_form(
        org, name=worker.name, email=worker.email, team_id=str(south.id), start_date="2024-12-01",
        line_manager_email="sm@example.org", role="team_manager", employment_type="agency"))
    assert response.status_code == 303

    page = admin.get("/admin/audit?entity=staff&action=update").get_data(as_text=True)
    shown = changes_shown(page)
    assert ("Team", "Family Safeguarding North → Family Safeguarding South") in shown
    assert ("Line manager", f"{NOTHING} → Sam Service") in shown
    assert ("TeamOps role", "Worker → Team manager") in shown  # codes read as the app names them
    assert ("Employment type", "Permanent → Agency") in shown
    assert ("Start date", f"{started} → 1 Dec 2024") in shown
    assert "team_id" not in page and "line_manager_id" not in page
    assert "team_manager" not in page.split("<table")[1]
    assert f"{north.id} → {south.id}" not in page and "True" not in page and "False" not in page
    # Who: the person's name, with the address they signed in with.
    assert "Ada Admin<br>" in page and "admin@example.org" in page
    assert summaries(page)[0] == f"update staff member {worker.email}"  # newest first


def test_a_moved_session_reads_in_uk_time_and_its_reason_stays_withheld(as_role, org):
    booking = new_booking(org["worker"], org["team_manager"], utc(in_days(7), 10))
    admin = as_role("admin")
    admin.post_form("/admin/services/new", {"name": "Not A Booking"})
    response = as_role("team_manager").post_form(f"/bookings/{booking.id}/reschedule", {
        "session_date": in_days(8).isoformat(), "start_time": "14:15", "duration_minutes": "90",
        "reason": "Zq7 the family asked"})
    assert response.status_code == 303

    page = admin.get("/admin/audit?entity=booking", headers={"HX-Request": "true"}).get_data(as_text=True)
    rows = summaries(page)
    assert rows and all(row.startswith(("create booking ", "update booking ")) for row in rows)
    assert "Not A Booking" not in page
    shown = changes_shown(page)
    before, after = format_datetime(utc(in_days(7), 10)), format_datetime(utc(in_days(8), 14, 15))
    assert ("Session start", f"{before} → {after}") in shown
    assert ("Length (minutes)", "60 → 90") in shown
    assert ("Reason for the change", "changed") in shown and "Zq7" not in page
    assert ("Worker", f"{NOTHING} → Wren Worker") in shown and ("Supervisor", f"{NOTHING} → Tia Manager") in shown
    assert ("Online", f"{NOTHING} → No") in shown
    assert "starts_at" not in page and "T10:00:00" not in page


def test_the_filter_offers_every_kind_of_record_by_its_label_in_order(as_role):
    assert set(ENTITY_LABELS) == audited_entities()
    page = as_role("admin").get("/admin/audit").get_data(as_text=True)
    select = page[page.index('name="entity"'):]
    select = select[:select.index("</select>")]
    options = re.findall(r'<option value="([a-z_]*)"[^>]*>([^<]*)</option>', select)
    assert options[0] == ("", "Any")
    assert {value for value, _ in options[1:]} == audited_entities()
    labels = [label for _, label in options[1:]]
    assert labels == sorted(labels, key=str.lower)
    assert ("supervision_record", "Supervision record") in options and ("policy_change", "Policy change") in options


def test_an_id_that_names_nobody_reads_as_its_number(as_role, org):
    """A team deleted since, or an id from before an import: the trail shows what it kept."""
    db.session.execute(insert(AuditEvent), [{
        "actor_label": "system", "action": "update", "entity_type": "staff", "entity_id": org["worker"].id,
        "summary": f"update staff {org['worker'].email}",
        "changes": {"team_id": [org["teams"]["north"].id, 987654], "active": [True, False],
                    "left_on": [None, "2026-03-31"], "password_hash": ["(changed)", "(changed)"]}}])
    db.session.commit()
    page = as_role("admin").get("/admin/audit?entity=staff&action=update").get_data(as_text=True)
    shown = changes_shown(page)
    assert ("Team", "Family Safeguarding North → #987654") in shown
    assert ("Active", "Yes → No") in shown
    assert ("Left on", f"{NOTHING} → 31 Mar 2026") in shown
    assert ("Password", "changed") in shown
