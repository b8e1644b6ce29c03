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
from teamops.org.models import RoleGrant, Staff
from tests.conftest import sign_in
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


def _set_role(client, person, role):
    return client.post_form(f"/admin/staff/{person.id}/edit", _staff_values(person, role=role))


def _pending():
    return db.session.scalar(select(RoleGrant).where(RoleGrant.outcome.is_(None)))


def test_granting_admin_waits_for_a_second_admin(app, as_role, org, make, caplog):
    caplog.set_level(logging.INFO, logger=app.logger.name)
    second = make.staff("admin", org["teams"]["north"], email="admin2@example.org", name="Abe Admin")
    worker = org["worker"]
    admin = as_role("admin")
    response = _set_role(admin, worker, "admin")
    assert response.status_code == 303
    assert db.session.get(Staff, worker.id).role == "worker"  # unchanged while pending
    grant = _pending()
    assert (grant.staff_id, grant.role, grant.requested_by_id) == (worker.id, "admin", org["admin"].id)
    page = admin.get(f"/admin/staff/{worker.id}").get_data(as_text=True)
    assert "Admin role waiting for approval" in page
    assert any("worker@example.org" in m and "Admin role was asked" in m for m in _mails(caplog, "worker@"))
    # The requester cannot approve their own request.
    listing = admin.get("/admin/access-changes").get_data(as_text=True)
    assert "Wren Worker" in listing and f"/admin/access-changes/{grant.id}/approve" not in listing
    assert admin.post_form(f"/admin/access-changes/{grant.id}/approve").status_code == 403
    assert db.session.get(Staff, worker.id).role == "worker"
    # QAIT does not approve the admin role.
    assert as_role("qait").post_form(f"/admin/access-changes/{grant.id}/approve").status_code == 403
    # A second admin does.
    other = app.test_client()
    sign_in(other, second)
    assert f"/admin/access-changes/{grant.id}/approve" in other.get("/admin/access-changes").get_data(as_text=True)
    assert other.post_form(f"/admin/access-changes/{grant.id}/approve").status_code == 303
    assert db.session.get(Staff, worker.id).role == "admin"
    decided = db.session.get(RoleGrant, grant.id)
    assert (decided.outcome, decided.decided_by_id) == ("approved", second.id)
    assert any("now have the Admin role" in m for m in _mails(caplog, "worker@"))
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "role_grant")).all()
    assert [e.action for e in events] == ["create", "update"]


def test_granting_qait_is_approved_by_a_qait_member(as_role, org):
    worker = org["worker"]
    admin = as_role("admin")
    _set_role(admin, worker, "qait")
    grant = _pending()
    assert grant.role == "qait" and db.session.get(Staff, worker.id).role == "worker"
    assert "QAIT role waiting for approval" in admin.get(f"/admin/staff/{worker.id}").get_data(as_text=True)
    qait = as_role("qait")
    assert "Access changes" in qait.get("/").get_data(as_text=True)
    assert qait.post_form(f"/admin/access-changes/{grant.id}/approve").status_code == 303
    assert db.session.get(Staff, worker.id).role == "qait"


def test_granting_qait_with_no_qait_member_is_approved_by_another_admin(app, as_role, org, make):
    second = make.staff("admin", org["teams"]["north"], email="admin2@example.org")
    admin = as_role("admin")
    _set_role(admin, org["qait"], "worker")  # taking a role away applies at once
    assert db.session.get(Staff, org["qait"].id).role == "worker"
    _set_role(admin, org["worker"], "qait")
    grant = _pending()
    other = app.test_client()
    sign_in(other, second)
    assert other.post_form(f"/admin/access-changes/{grant.id}/approve").status_code == 303
    assert db.session.get(Staff, org["worker"].id).role == "qait"


def test_a_manager_role_applies_at_once(as_role, org):
    response = _set_role(as_role("admin"), org["worker"], "team_manager")
    assert response.status_code == 303
    assert db.session.get(Staff, org["worker"].id).role == "team_manager"
    assert _pending() is None


def test_refusing_leaves_the_role(as_role, org, caplog):
    _set_role(as_role("admin"), org["worker"], "qait")
    grant = _pending()
    assert as_role("qait").post_form(f"/admin/access-changes/{grant.id}/refuse").status_code == 303
    assert db.session.get(Staff, org["worker"].id).role == "worker"
    assert db.session.get(RoleGrant, grant.id).outcome == "refused"


def test_others_cannot_see_access_changes(as_role, org):
    for role in ("worker", "team_manager", "service_manager"):
        assert as_role(role).get("/admin/access-changes").status_code == 403


def test_a_staff_import_asks_for_the_admin_role(as_role, org):
    admin = as_role("admin")
    text = staff_csv(staff_row("worker@example.org", name="Wren Worker", role="admin"),
                     staff_row("new.qait@example.org", name="Nia New", role="qait"))
    preview = admin.post_form("/admin/import", {"kind": "staff", "file": (io.BytesIO(text.encode()), "s.csv")},
                              content_type="multipart/form-data").get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]+)"', preview).group(1)
    confirm = re.search(r'action="(/admin/import/\d+/confirm)"', preview).group(1)
    assert admin.post_form(confirm, {"digest": digest}).status_code in (200, 303)
    assert db.session.get(Staff, org["worker"].id).role == "worker"
    newcomer = db.session.scalar(select(Staff).where(Staff.email == "new.qait@example.org"))
    assert newcomer.role == "worker"
    waiting = {(g.staff_id, g.role, g.requested_by_id)
               for g in db.session.scalars(select(RoleGrant).where(RoleGrant.outcome.is_(None)))}
    assert waiting == {(org["worker"].id, "admin", org["admin"].id), (newcomer.id, "qait", org["admin"].id)}
