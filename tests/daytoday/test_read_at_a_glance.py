"""Issue 10 item 5: dense tables use short dates, the overdue count carries a red tag, a case due today reads
"Due today", and every column that looks sortable sorts ("Last month" included)."""

from __future__ import annotations

from datetime import timedelta

from teamops.dates import today
from tests import factories
from tests.dashboards.conftest import tables


def test_a_case_due_today_reads_due_today(as_role, org):
    case = factories.case("DUE-0", "CP", False, org["worker"], today() - timedelta(days=28))  # 4 weeks: today
    drill = as_role("team_manager").get(f"/dashboard/team/worker/{org['worker'].id}").get_data(as_text=True)
    assert "Due today" in drill and today().strftime("%-d %b %Y") in drill
    assert "Due today" in as_role("team_manager").get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Due today" in as_role("team_manager").get("/cases").get_data(as_text=True)


def test_the_overdue_count_is_tagged_and_last_month_sorts(as_role, org):
    factories.case("LATE-1", "CP", False, org["worker"], today() - timedelta(days=90))
    manager = as_role("team_manager")
    page = manager.get("/dashboard/team").get_data(as_text=True)
    assert 'govuk-tag--red">1<span class="govuk-visually-hidden"> overdue' in page
    assert "sort=last_month" in page
    for order in ("asc", "desc"):
        html = manager.get(f"/dashboard/team?sort=last_month&order={order}").get_data(as_text=True)
        table = next(t for t in tables(html) if t[0][0].startswith("Name"))
        assert 'aria-sort="' + ("ascending" if order == "asc" else "descending") + '"' in html
        assert table[1:]


def test_no_rule_ids_or_source_codes_in_the_interface(as_role, org):
    """Issue 10 item 11: plain words, with the source named in full."""
    import re

    page = as_role("worker").get("/policy").get_data(as_text=True)
    assert "Practice standards, case supervision" in page
    assert not re.search(r"R-[A-Z]+-\d|\(00\d\)", page)
