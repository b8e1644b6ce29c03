"""Issue 7 item 2: an admin cannot take over an account. Set-password links only for accounts without one,
resets go to the person, nobody raises their own role, and the QAIT and admin roles need a second person."""

from __future__ import annotations

from sqlalchemy import select

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
