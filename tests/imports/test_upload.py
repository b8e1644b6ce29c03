"""The admin upload page: a preview with counts and problems, then confirm; nothing is written before that."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from teamops.audit.models import AuditEvent
from teamops.extensions import db
from teamops.org.settings import CaseRefRule, save_case_ref_rule
from tests.conftest import sign_in
from tests.imports.conftest import database_state, person, staff_csv, staff_row

URL = "/admin/import"
CONFIRM = re.compile(r'action="(/admin/import/\d+/confirm)"')


def upload(client: Any, content: str | bytes, kind: str = "staff", filename: str = "staff.csv") -> Any:
    data = content.encode() if isinstance(content, str) else content
    return client.post_form(URL, {"kind": kind, "file": (io.BytesIO(data), filename)},
                            content_type="multipart/form-data")


def confirm_url(page: str) -> str:
    match = CONFIRM.search(page)
    assert match is not None, "no confirm button on the preview"
    return match.group(1)


def confirm(client: Any, page: str) -> Any:
    """Presses the preview's import button: posts its form, hidden fields included."""
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]+)"', page)
    assert digest is not None, "no digest on the preview's import button"
    return client.post_form(confirm_url(page), {"digest": digest.group(1)})


@pytest.fixture
def admin(as_role: Any) -> Any:
    return as_role("admin")


def test_the_page_offers_the_kinds_and_a_file_field(admin):
    page = admin.get(URL)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'type="file"' in text and 'name="file"' in text
    for kind in ("teams", "staff", "cases", "supervisions"):
        assert f'value="{kind}"' in text


def test_upload_shows_a_preview_and_writes_nothing(admin, org):
    before = database_state()
    text = staff_csv(staff_row("new.one@example.org", name="New One"),
                     staff_row("new.two@example.org", name="New Two"),
                     staff_row(org["worker"].email, name="Wren Renamed", start_date="2020-01-06"),
                     staff_row(org["south_worker"].email, name="Sid South", team="Family Safeguarding South",
                               start_date="2020-01-06"))
    response = upload(admin, text, filename="april-starters.csv")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "april-starters.csv" in page
    assert "2 to create" in page and "1 to update" in page and "1 unchanged" in page
    assert "new.one@example.org" in page and "Wren Worker → Wren Renamed" in page
    assert "Family Safeguarding North" in page  # the team by name, not an id
    confirm_url(page)
    assert {k: v for k, v in database_state().items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"}
    assert person("new.one@example.org") is None


def test_confirm_imports_and_records_the_admin_in_the_audit_trail(admin, org):
    text = staff_csv(staff_row("new.one@example.org", name="New One", line_manager_email="tm@example.org"))
    preview = upload(admin, text).get_data(as_text=True)

    response = confirm(admin, preview)

    assert response.status_code == 303
    assert response.headers["Location"].endswith(URL)
    new = person("new.one@example.org")
    assert new is not None and new.line_manager is not None and new.line_manager.email == "tm@example.org"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "staff",
                                                       AuditEvent.entity_id == new.id))
    assert event is not None and event.action == "create"
    assert (event.actor_id, event.actor_label) == (org["admin"].id, org["admin"].email)
    page = admin.get(URL).get_data(as_text=True)
    assert "1 created, 0 updated, 0 unchanged" in page


def test_confirming_twice_imports_once(admin):
    preview = upload(admin, staff_csv(staff_row("new.one@example.org"))).get_data(as_text=True)
    assert confirm(admin, preview).status_code == 303
    state = database_state()
    assert confirm(admin, preview).status_code == 404
    assert database_state() == state


def test_teams_upload(admin):
    preview = upload(admin, "service,team,office_base\nEarly Help,Early Help Hub,Castle Yard\n", kind="teams")
    assert preview.status_code == 200
    assert "1 to create" in preview.get_data(as_text=True)
    assert confirm(admin, preview.get_data(as_text=True)).status_code == 303
    assert "Early Help Hub" in admin.get("/admin/teams").get_data(as_text=True)


def test_a_file_with_problems_shows_them_by_line_and_writes_nothing(admin):
    before = database_state()
    text = ("email,name,team,job_role,employment_type,start_date\n"
            "good@example.org,Good,Family Safeguarding North,Social worker,permanent,2024-01-08\n"
            "\n"
            "bad@example.org,Bad,Nowhere,Social worker,permanent,2026-02-30\n")
    response = upload(admin, text)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was imported: 2 problems found" in page
    rows = re.findall(r'<td class="govuk-table__cell">(\d+)</td>\s*<td class="govuk-table__cell"><code>(\w+)</code>',
                      page)
    assert sorted(rows) == [("4", "start_date"), ("4", "team")]
    assert "2026-02-30" in page and "Nowhere" in page
    assert CONFIRM.search(page) is None
    state = database_state()
    assert {k: v for k, v in state.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}


def test_a_file_in_the_wrong_encoding_is_explained(admin):
    response = upload(admin, "email,name\nzoë@example.org,Zoë\n".encode("cp1252"))
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)


def test_no_file_selected_puts_the_message_next_to_the_field(admin):
    response = admin.post_form(URL, {"kind": "staff"}, content_type="multipart/form-data")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'id="file-error"[^>]*>.*Select a CSV file', page, re.S)
    assert 'href="#file"' in page  # the error summary links to the field


def test_an_empty_file_name_counts_as_no_file(admin):
    response = upload(admin, b"", filename="")
    assert response.status_code == 400
    assert "Select a CSV file" in response.get_data(as_text=True)


def test_a_50_mb_upload_is_refused_next_to_the_file_field(admin):
    before = database_state()
    big = FileStorage(io.BytesIO(b"email,name\n" + b"x" * (50 * 1024 * 1024)), filename="everyone.csv")
    # Encoded in memory: the test client would spool a body this size to a temporary file it never closes.
    boundary, body = encode_multipart({"csrf_token": admin.csrf_token(), "kind": "staff", "file": big})
    response = admin.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")

    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert re.search(r'id="file-error"[^>]*>.*5 MB or smaller', page, re.S)
    assert 'name="file"' in page  # the form is there to try again
    state = database_state()
    assert {k: v for k, v in state.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}


def test_confirm_checks_the_file_again(admin, org):
    preview = upload(admin, staff_csv(staff_row("new.one@example.org"))).get_data(as_text=True)
    org["teams"]["north"].active = False  # closed between preview and confirm
    db.session.commit()

    response = confirm(admin, preview)

    assert response.status_code == 400
    assert "closed" in response.get_data(as_text=True)
    assert person("new.one@example.org") is None


def test_confirm_needs_the_csrf_token(admin):
    preview = upload(admin, staff_csv(staff_row("new.one@example.org"))).get_data(as_text=True)
    assert admin.post(confirm_url(preview)).status_code == 400
    assert person("new.one@example.org") is None


def test_another_admin_cannot_confirm_my_upload(app, admin, make, org):
    preview = upload(admin, staff_csv(staff_row("new.one@example.org"))).get_data(as_text=True)
    other_admin = make.staff("admin", org["teams"]["north"], email="other.admin@example.org")
    other = app.test_client()
    sign_in(other, other_admin)
    assert confirm(other, preview).status_code == 404
    assert person("new.one@example.org") is None


@pytest.mark.parametrize("role", ["worker", "qait"])
def test_workers_and_qait_may_not_import(as_role, role):
    client = as_role(role)
    before = database_state()
    assert client.get(URL).status_code == 403
    assert upload(client, staff_csv(staff_row("new.one@example.org"))).status_code == 403
    assert person("new.one@example.org") is None
    assert database_state()["staff"] == before["staff"]


@pytest.mark.parametrize("role", ["team_manager", "service_manager"])
def test_only_admins_may_import_teams_and_staff(as_role, role):
    """Managers import cases and supervisions (tests/imports/test_upload_managers.py), never people or teams."""
    client = as_role(role)
    before = database_state()
    response = upload(client, staff_csv(staff_row("new.one@example.org")))
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert upload(client, "service,team,office_base\nEarly Help,Early Help Hub,Castle Yard\n",
                  kind="teams").status_code == 400
    assert database_state() == before


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/sign-in")


def test_a_file_that_changes_nothing_offers_no_import_button(admin, org):
    worker = org["worker"]
    text = staff_csv(staff_row(worker.email, name=worker.name, start_date="2020-01-06"))
    response = upload(admin, text)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "1 unchanged" in page and "Nothing to import" in page
    assert CONFIRM.search(page) is None


def test_the_page_states_the_size_limit(admin):
    assert "5 MB at most" in admin.get(URL).get_data(as_text=True)


def test_a_new_upload_replaces_my_waiting_one_and_clears_stale_ones(admin, make, org):
    from datetime import timedelta

    from teamops.dates import utcnow
    from teamops.imports.models import PendingImport

    other = make.staff("admin", org["teams"]["north"], email="other.admin@example.org")
    db.session.add(PendingImport(kind="staff", filename="old.csv", content=b"x", uploaded_by_id=other.id,
                                 uploaded_at=utcnow() - timedelta(days=2)))
    db.session.add(PendingImport(kind="staff", filename="recent.csv", content=b"x", uploaded_by_id=other.id,
                                 uploaded_at=utcnow()))
    db.session.commit()
    first = upload(admin, staff_csv(staff_row("one@example.org"))).get_data(as_text=True)
    second = upload(admin, staff_csv(staff_row("two@example.org"))).get_data(as_text=True)

    db.session.rollback()
    assert sorted(db.session.scalars(select(PendingImport.filename))) == ["recent.csv", "staff.csv"]
    assert confirm(admin, second).status_code == 303
    assert person("two@example.org") is not None and person("one@example.org") is None
    assert confirm(admin, first).status_code == 404


def test_an_old_preview_cannot_confirm_a_newer_upload(admin):
    """The confirm button of the first preview must not import the second file, whatever id it got."""
    first_page = upload(admin, staff_csv(staff_row("one@example.org"))).get_data(as_text=True)
    token = re.search(r'name="digest" type="hidden" value="([0-9a-f]+)"', first_page)
    assert token is not None
    second_page = upload(admin, staff_csv(staff_row("two@example.org"))).get_data(as_text=True)

    response = admin.post_form(confirm_url(second_page), {"digest": token.group(1)})

    assert response.status_code == 303
    assert "out of date" in admin.get(URL).get_data(as_text=True)
    assert person("one@example.org") is None and person("two@example.org") is None


def test_the_page_says_how_the_organisations_case_references_look(as_role):
    assert "Your organisation's case references" not in as_role("admin").get(URL).get_data(as_text=True)
    save_case_ref_rule(CaseRefRule("digits", example="1234567"))
    db.session.commit()
    text = as_role("team_manager").get(URL).get_data(as_text=True)
    assert "Your organisation's case references: digits only, for example 1234567." in text


def test_the_kind_is_recognised_from_the_header_row(admin):
    """Issue 10 item 14: no silent default; a header that fits one kind picks it, anything else asks."""
    page = admin.get(URL).get_data(as_text=True)
    assert "Recognise it from the header row" in page
    response = upload(admin, staff_csv(staff_row("new.person@example.org")), kind="")
    assert response.status_code == 200 and "new.person@example.org" in response.get_data(as_text=True)
    assert confirm_url(response.get_data(as_text=True))
    unknown = upload(admin, "name,colour\nAda,blue\n", kind="")
    text = unknown.get_data(as_text=True)
    assert unknown.status_code == 400 and "cannot tell from the header row what the file holds" in text
