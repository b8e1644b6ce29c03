"""Doing a case audit in a real browser, with axe-core on every page (issue 14 item 2, R-QA-4/5): the auditor
answers the round's questions, agrees a remedial action, is stopped once for a missing piece and submits; the
case's team manager finds the findings on their home page, opens them and marks the action done. The demo has no
audit for its accounts yet, so the test assigns one through the live server's database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect

from teamops.cases.models import Case
from teamops.dates import today
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.quality.audit_models import OFSTED_GRADES, AuditQuestion, AuditRound, CaseAudit, Grade, GradeScale
from tests import factories
from tests.browser.conftest import ACCOUNTS, LiveServer, Tab, fill_date

pytestmark = pytest.mark.browser
QUESTIONS = ("Is the child's lived experience recorded?", "Are the plan's actions specific, with timescales?")


def _assign(live_server: LiveServer, javascript: bool) -> tuple[int, str, str]:
    """A round of two questions and one of the demo worker's cases, to be audited by the demo service manager."""
    with live_server.app.app_context():
        worker = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["worker"]))
        auditor = db.session.scalar(db.select(Staff).where(Staff.email == ACCOUNTS["service_manager"]))
        assert worker is not None and auditor is not None
        n = factories.number()
        scale = GradeScale(name=f"Browser scale {n}", grades=[Grade(position=p, label=label)
                                                              for p, label in enumerate(OFSTED_GRADES, 1)])
        round_ = AuditRound(year=2026, quarter=4, theme=f"Neglect {n}", scale=scale,
                            due_on=today() + timedelta(days=20),
                            questions=[AuditQuestion(position=p, text=text) for p, text in enumerate(QUESTIONS, 1)])
        case = factories.case(f"BA-{n}{'J' if javascript else 'N'}", "CIN", False, worker,
                              today() - timedelta(days=90))
        audit = CaseAudit(round=round_, case=db.session.get(Case, case.id), auditor=auditor, due_on=round_.due_on)
        db.session.add(audit)
        db.session.commit()
        return audit.id, case.case_ref, worker.name


@pytest.mark.parametrize("javascript", [True, False], ids=["with_js", "without_js"])
def test_auditor_submits_and_the_team_manager_reads_and_acts(tab: Tab, tab_without_js: Tab, browser: Browser,
                                                              live_server: LiveServer, javascript: bool) -> None:
    auditor = tab if javascript else tab_without_js
    audit_id, case_ref, worker_name = _assign(live_server, javascript)
    auditor.sign_in(ACCOUNTS["service_manager"])
    auditor.goto(f"/quality/audits/{audit_id}")
    page = auditor.page
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Audit of case {case_ref}")
    for number, text in enumerate(QUESTIONS, 1):
        page.get_by_role("group", name=f"{number}. {text}").get_by_label("Good", exact=True).check()
    page.get_by_label("Comment on question 1 (optional)").fill("The child's views are recorded at each visit.")
    page.get_by_role("group", name="Overall grade").get_by_label("Requires improvement").check()
    page.get_by_label("Findings").fill("The plan has drifted since the last review.")
    # Submitting without an action or the tick: said next to the tick, what was typed kept.
    auditor.follow(page.get_by_role("button", name="Submit the audit").click, status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Agree at least one remedial action")
    expect(page.get_by_label("Findings")).to_have_value("The plan has drifted since the last review.")
    page.get_by_label("Action", exact=True).fill("Review the plan with the family")
    page.get_by_label("Owner").select_option(label=worker_name)
    fill_date(page, "Due date", today() + timedelta(days=14))
    auditor.follow(page.get_by_role("button", name="Add this action").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action added")
    expect(page.get_by_role("table", name="Remedial actions agreed so far")).to_contain_text(worker_name)
    auditor.follow(page.get_by_role("button", name="Submit the audit").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted (on time)")
    expect(page.locator("main")).to_contain_text("The plan has drifted since the last review.")
    expect(page.get_by_role("button", name="Submit the audit")).to_have_count(0)
    auditor.finish()

    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    manager = Tab(context.new_page(), live_server.url, auditor.axe_source, javascript=javascript,
                  auditor=auditor.auditor)
    try:
        manager.sign_in(ACCOUNTS["team_manager"])
        findings = manager.page.locator("main li").filter(has_text=f"Audit of case {case_ref}")
        expect(findings).to_contain_text("Requires improvement")
        manager.follow(findings.get_by_role("button", name="Read the findings").click)
        expect(manager.page.locator("main")).to_contain_text("The plan has drifted since the last review.")
        expect(manager.page.locator("main")).to_contain_text("Read by the team's manager")
        manager.goto("/")
        expect(manager.page.locator("main")).not_to_contain_text(f"Audit of case {case_ref}")
        row = manager.page.get_by_role("row").filter(has_text="Review the plan with the family")
        expect(row).to_contain_text(case_ref)
        expect(row).to_contain_text("0 days")
        manager.follow(row.get_by_role("button", name="Mark done").click)
        expect(manager.page.locator(".govuk-notification-banner")).to_contain_text(f"Action on case {case_ref}")
        expect(manager.page.get_by_role("row").filter(has_text="Review the plan with the family")).to_have_count(0)
        manager.finish()
    finally:
        context.close()
