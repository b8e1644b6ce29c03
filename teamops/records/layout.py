"""What the record form asks, section by section: one section per case discussed (or one for a personal
supervision), each with the open actions to review and a fixed number of action rows, so the form works
without JavaScript. More action rows appear once the record is saved and opened again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from teamops.cases.models import Case
from teamops.extensions import db
from teamops.org.models import Staff
from teamops.records import queries
from teamops.records.models import ActionReview, SupervisionAction, SupervisionRecord

NEW_ACTION_ROWS = 3


@dataclass
class ActionRow:
    """A row of the actions table: an action the record already holds, or a blank one."""

    prefix: str
    number: int
    action: SupervisionAction | None = None
    locked: bool = False  # reviewed by a later supervision: it can change but not be removed


@dataclass
class Section:
    """A fieldset of the form: ``p`` for the personal part, ``c<case id>`` for a case discussed."""

    prefix: str
    title: str
    worker: Staff
    supervisor: Staff
    case: Case | None = None
    reviews: list[SupervisionAction] = field(default_factory=list)
    rows: list[ActionRow] = field(default_factory=list)
    scaling_question: str = ""  # a new record offers the question the case was last scaled on (R-SUP-9)
    unasked_score: int | None = None  # a saved score given before its question was asked for; it may stay so

    def name(self, part: str) -> str:
        return f"{self.prefix}_{part}"

    def owners(self, current: Staff | None = None) -> list[tuple[int, str]]:
        """Who can own an action here: the worker (the default) or the manager, or whoever owns it now."""
        choices = [(self.worker.id, f"{self.worker.name} (worker)")]
        if self.supervisor.id != self.worker.id:
            choices.append((self.supervisor.id, f"{self.supervisor.name} (manager)"))
        if current is not None and current.id not in {c[0] for c in choices}:
            choices.append((current.id, current.name))
        return choices


def review_name(action: SupervisionAction) -> str:
    return f"review_{action.id}"


def _blank_rows(prefix: str, start: int) -> list[ActionRow]:
    return [ActionRow(f"{prefix}_new{n}", start + n) for n in range(1, NEW_ACTION_ROWS + 1)]


def new_sections(kind: str, worker: Staff, supervisor: Staff, cases: list[Case], held_on: date) -> list[Section]:
    """Sections of a new record, pre-filled with the open actions each case (or the person) has, and the
    question each case was last scaled on, so nobody retypes it."""
    if kind == "personal":
        return [Section("p", "Personal supervision", worker, supervisor,
                        reviews=queries.open_personal_actions(worker), rows=_blank_rows("p", 0))]
    open_actions = queries.open_case_actions(c.id for c in cases)
    questions = queries.last_scaling_questions((c.id for c in cases), held_on)
    return [Section(f"c{case.id}", f"Case {case.case_ref}", case.worker, supervisor, case,
                    reviews=open_actions.get(case.id, []), rows=_blank_rows(f"c{case.id}", 0),
                    scaling_question=questions.get(case.id, ""))
            for case in cases]


def reviews_of(record: SupervisionRecord) -> list[ActionReview]:
    """The record's reviews of earlier actions, each with its action (one query)."""
    return list(db.session.scalars(
        select(ActionReview).where(ActionReview.record_id == record.id)
        .options(joinedload(ActionReview.action)).order_by(ActionReview.id)))


def _locked_action_ids(record: SupervisionRecord) -> set[int]:
    """Actions of this record that a later record has reviewed: removing them would break that review."""
    ids = [a.id for a in record.actions]
    if not ids:
        return set()
    return set(db.session.scalars(select(ActionReview.action_id).where(
        ActionReview.action_id.in_(ids), ActionReview.record_id != record.id)))


def record_sections(record: SupervisionRecord) -> tuple[list[Section], list[ActionReview]]:
    """Sections for changing a saved record: the reviews and actions it holds, then blank action rows."""
    reviews = reviews_of(record)
    reviewed = {r.action_id: r.action for r in reviews}
    locked = _locked_action_ids(record)

    def build(prefix: str, title: str, worker: Staff, case: Case | None) -> Section:
        case_id = case.id if case else None
        held = [a for a in record.actions if a.case_id == case_id]
        rows = [ActionRow(f"action_{a.id}", n, a, a.id in locked) for n, a in enumerate(held, 1)]
        return Section(prefix, title, worker, record.supervisor, case,
                       reviews=[a for a in reviewed.values() if a.case_id == case_id],
                       rows=rows + _blank_rows(prefix, len(rows)))

    if record.kind == "personal":
        return [build("p", "Personal supervision", record.worker, None)], reviews
    sections = []
    for discussion in record.discussions:
        section = build(f"c{discussion.case_id}", f"Case {discussion.case.case_ref}", discussion.case.worker,
                        discussion.case)
        if discussion.scaling_question is None:
            section.unasked_score = discussion.scaling
        sections.append(section)
    return sections, reviews


def record_data(record: SupervisionRecord, sections: list[Section], reviews: list[ActionReview]) -> dict[str, Any]:
    """The saved record as form data, so the change form opens with what is there now."""
    data: dict[str, Any] = {"held_on": record.held_on}
    for review in reviews:
        data[f"review_{review.action_id}"] = review.outcome
        data[f"review_{review.action_id}_reason"] = review.reason
    for name in ("wellbeing", "workload", "learning"):
        data[f"p_{name}"] = getattr(record, name)
    discussions = {d.case_id: d for d in record.discussions}
    for section in sections:
        for row in section.rows:
            if row.action is not None:
                data.update({f"{row.prefix}_description": row.action.description,
                             f"{row.prefix}_owner": row.action.owner_id, f"{row.prefix}_due_on": row.action.due_on})
        discussion = discussions.get(section.case.id) if section.case else None
        if discussion is None:
            continue
        for name in ("actions_review", "significant_events", "decisions_and_plan", "reflective_analysis",
                     "childs_voice", "worries", "working_well", "needs_to_happen", "no_further_action",
                     "disagreement", "disagreement_note"):
            data[section.name(name)] = getattr(discussion, name)
        data[section.name("scaling")] = "" if discussion.scaling is None else str(discussion.scaling)
        data[section.name("scaling_question")] = discussion.scaling_question or ""
    return data
