"""Issue 7 item 2: an admin cannot take over an account. Set-password links only for accounts without one,
resets go to the person, nobody raises their own role, and the QAIT and admin roles need a second person."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from teamops.audit.models import AuditEvent
from teamops.auth.models import PasswordToken
from teamops.extensions import db
from teamops.org.models import Staff


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
