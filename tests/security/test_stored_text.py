"""Text no database column can hold (found by the fuzzing, issue 16 item 3): PostgreSQL refuses a NUL character in
any text, so a form carrying one answered 500 there (SQLite stored it). Every form now refuses it, writing nothing."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from teamops.extensions import db
from teamops.org.models import Service


def test_a_form_with_a_nul_character_is_refused_and_nothing_is_written(as_role, org):
    admin = as_role("admin")
    before = db.session.scalar(select(func.count(Service.id)))
    response = admin.post_form("/admin/services/new", {"name": "Early\x00Help"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Service.id))) == before
    page = response.get_data(as_text=True)
    assert "The form contains a character that cannot be saved (a NUL character, code 0)" in page


def test_an_address_with_a_nul_character_is_refused(as_role, org):
    response = as_role("team_manager").get("/cases?q=Early%00Help")
    assert response.status_code == 400
    assert "The address contains a character that cannot be saved" in response.get_data(as_text=True)


def test_sign_in_refuses_a_nul_character_too(client, org):
    response = client.post_form("/sign-in", {"email": "worker@example.org\x00", "password": "x"})
    assert response.status_code == 400


def test_a_path_with_a_nul_character_names_nothing(as_role, org):
    """A path segment reaches a lookup by it (a case type by its code), which PostgreSQL answered with an error:
    nothing is named so, so it is not found, before any view, on either database."""
    response = as_role("admin").get("/case-types/C%00P")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_form_part_whose_name_cannot_be_read_is_refused(as_role, org):
    """A multipart part named with a bare carriage return: its header does not parse, so werkzeug gives it no name,
    which every reader of the form (the NUL check, the kept fields) took for text and answered 500 (found by the
    long fuzz run, on the staff import's upload form)."""
    admin = as_role("admin")
    before = db.session.scalar(select(func.count(Service.id)))
    response = admin.post("/admin/services/new", content_type="multipart/form-data", data={
        "csrf_token": admin.csrf_token(), "name": "Early Help", "\r": "", "file": (io.BytesIO(b""), "data.csv")})
    assert response.status_code == 400
    assert "The form could not be read" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Service.id))) == before
    signed_out = as_role("worker")
    signed_out.post_form("/sign-out", {})
    response = signed_out.post("/admin/import", content_type="multipart/form-data", data={"\r": "", "kind": ""})
    assert response.status_code == 400  # before the sign-in page that would keep the fields
