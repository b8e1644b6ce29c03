"""A record cannot be signed off without its core (R-SUP-4): for each case discussed, the child's voice, the
reflective analysis and the key decisions written, or marked "Not applicable" with the reason. Drafts may be
incomplete."""

from __future__ import annotations

from sqlalchemy import select

from teamops.extensions import db
from teamops.records.models import CaseDiscussion, SupervisionRecord
from tests.records.conftest import case_data, write_url


def test_a_draft_without_its_core_is_saved_but_not_signed_off(as_role, org, case_of, make):
    colleague = make.staff("worker", org["teams"]["north"], name="Cal Colleague")
    first, second = case_of(ref="CP-1"), case_of(colleague, ref="CIN-2", case_type="CIN")
    manager = as_role("team_manager")
    data = {**case_data(first, childs_voice="", reflective_analysis="n/a"),
            **case_data(second, decisions_and_plan="Not applicable: no decisions, the case closes next week.")}
    saved = manager.post_form(write_url(org["worker"], "group", None, [first, second], [colleague]), data)
    assert saved.status_code == 303  # a draft may be incomplete
    record = db.session.scalar(select(SupervisionRecord))
    refused = manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "There is a problem" in page
    assert "Case CP-1: write the child&#39;s voice, or “Not applicable” and why" in page
    assert "Case CP-1: say why reflective analysis is not applicable" in page
    assert "CIN-2" not in page.split("There is a problem")[1].split("</ul>")[0]  # its reason is given
    db.session.refresh(record)
    assert record.status == "draft" and record.signed_off_at is None

    discussion = db.session.scalar(select(CaseDiscussion).where(CaseDiscussion.case_id == first.id))
    discussion.childs_voice = "Told their teacher they like the new routine."
    discussion.reflective_analysis = "Not applicable - first visit not yet made, so nothing to reflect on."
    db.session.commit()
    assert manager.post_form(f"/records/{record.id}/sign-off", {"confirm": "y"}).status_code == 303
    db.session.refresh(record)
    assert record.status == "signed_off"
