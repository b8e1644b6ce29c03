"""Who may open the induction templates' pages: admins only (R-IND-15). A worker and a team manager are
refused every page and every change, and the menu offers the pages to admins alone."""

from __future__ import annotations

import pytest

from teamops.induction.template_models import InductionTemplateDay
from tests.induction.conftest import count, item_of, template_of

LISTS = ("/admin/induction/templates", "/admin/induction/checklist")
FORMS = ("/admin/induction/templates/new", "/admin/induction/checklist/new")


def _object_forms() -> tuple[str, ...]:
    template, day, item = template_of("permanent"), template_of("permanent").days[0], item_of("C1")
    return (f"/admin/induction/templates/{template.id}/edit", f"/admin/induction/templates/{template.id}/days/new",
            f"/admin/induction/template-days/{day.id}/edit", f"/admin/induction/checklist/{item.id}/edit")


def _pages() -> tuple[str, ...]:
    return (*LISTS, f"/admin/induction/templates/{template_of('permanent').id}", *FORMS, *_object_forms())


@pytest.mark.parametrize("role", ["worker", "team_manager", "service_manager", "qait"])
def test_only_admins_open_or_change_the_templates(as_role, role):
    client = as_role(role)
    for url in _pages():
        assert client.get(url).status_code == 403, url
    for url in (*FORMS, *_object_forms()):
        assert client.post_form(url, {"name": "Mine", "day_number": "1"}).status_code == 403, url
    day, item = template_of("permanent").days[0], item_of("C1")
    before = count(InductionTemplateDay)
    assert client.post_form(f"/admin/induction/template-days/{day.id}/delete").status_code == 403
    assert client.post_form(f"/admin/induction/checklist/{item.id}/active?to=retired").status_code == 403
    assert count(InductionTemplateDay) == before and item_of("C1").active
    assert "Induction templates" not in client.get("/").get_data(as_text=True)


def test_admins_open_every_page_from_the_menu(as_role):
    admin = as_role("admin")
    assert 'href="/admin/induction/templates"' in admin.get("/").get_data(as_text=True)
    for url in _pages():
        assert admin.get(url).status_code == 200, url
