"""Issue 7 item 2: an admin cannot take over an account. Set-password links only for accounts without one,
resets go to the person, nobody raises their own role, and the QAIT and admin roles need a second person."""

from __future__ import annotations

import io
import logging
import re

from sqlalchemy import select

from teamops.audit.models import AuditEvent
from teamops.auth.models import PasswordToken
from teamops.extensions import db
from teamops.org.models import Staff
from tests.imports.conftest import staff_csv, staff_row


def test_no_set_password_link_for_an_account_that_has_a_password(as_role, org):
    admin = as_role("admin")
    worker = org["worker"]
    page = admin.get(f"/admin/staff/{worker.id}").get_data(as_text=True)
    assert "Create set-password link" not in page
    response = admin.post_form(f"/admin/staff/{worker.id}/password-link")
    assert response.status_code == 303
    assert db.session.scalar(select(PasswordToken)) is None
    text = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "already has a password" in text and "/set-password/" not in text
    assert db.session.get(Staff, worker.id).password_hash is not None


def _mails(caplog, email):
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Mail to") and email in r.getMessage()]


def test_reset_signs_the_person_out_and_sends_the_link_to_them_not_the_admin(app, as_role, org, caplog):
    caplog.set_level(logging.INFO, logger=app.logger.name)
    worker = org["worker"]
    theirs = as_role("worker")
    assert theirs.get("/").status_code == 200
    admin = as_role("admin")
    page = admin.get(f"/admin/staff/{worker.id}").get_data(as_text=True)
    assert "Reset password" in page
    response = admin.post_form(f"/admin/staff/{worker.id}/reset-password")
    assert response.status_code == 303
    shown = response.get_data(as_text=True) + admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "/set-password/" not in shown and "sent to them" in shown
    person = db.session.get(Staff, worker.id)
    assert person.password_hash is None
    # Their own browser is signed out.
    assert theirs.get("/").status_code in (302, 303)
    mails = _mails(caplog, "worker@example.org")
    assert len(mails) == 1 and "Subject: Set your TeamOps password" in mails[0]
    match = re.search(r"http://127\.0\.0\.1:5000(/set-password/(\S+))", mails[0])
    assert match and match.group(2) not in shown
    assert app.test_client().get(match.group(1)).status_code == 200
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "password_reset")) is not None


def test_a_new_accounts_link_goes_to_them(app, as_role, org, make, caplog):
    caplog.set_level(logging.INFO, logger=app.logger.name)
    newcomer = make.staff(password=False, email="newcomer@example.org", team=org["teams"]["north"])
    admin = as_role("admin")
    response = admin.post_form(f"/admin/staff/{newcomer.id}/password-link")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "/set-password/" not in page and "was sent to" in page
    assert len(_mails(caplog, "newcomer@example.org")) == 1


def test_only_admins_reset_and_never_their_own(as_role, org):
    assert as_role("qait").post_form(f"/admin/staff/{org['worker'].id}/reset-password").status_code == 403
    admin = as_role("admin")
    admin.post_form(f"/admin/staff/{org['admin'].id}/reset-password")
    assert db.session.get(Staff, org["admin"].id).password_hash is not None


def _staff_values(person, **overrides):
    values = {"name": person.name, "email": person.email, "job_role": person.job_role,
              "team_id": str(person.team_id), "line_manager_email": "", "employment_type": person.employment_type,
              "start_date": person.start_date.isoformat(), "role": person.role}
    values.update(overrides)
    return values


def test_an_admin_cannot_change_their_own_role_on_the_form(as_role, org):
    admin = as_role("admin")
    me = org["admin"]
    response = admin.post_form(f"/admin/staff/{me.id}/edit", _staff_values(me, role="qait"))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="role-error"' in text and "You cannot change your own role" in text
    assert db.session.get(Staff, me.id).role == "admin"
    # Other changes to their own record are fine.
    assert admin.post_form(f"/admin/staff/{me.id}/edit", _staff_values(me, name="Ada Renamed")).status_code == 303


def test_an_admin_cannot_change_their_own_role_by_import(as_role, org):
    admin = as_role("admin")
    text = staff_csv(staff_row("admin@example.org", name="Ada Admin", role="qait"))
    response = admin.post_form("/admin/import", {"kind": "staff", "file": (io.BytesIO(text.encode()), "s.csv")},
                               content_type="multipart/form-data")
    assert response.status_code == 400
    assert "You cannot change your own role" in response.get_data(as_text=True)
    assert db.session.get(Staff, org["admin"].id).role == "admin"
