"""A record as data that does not change (the snapshot kept for every version) and as plain text to paste
into the case-recording system. Both come from the same snapshot, so an old version reads exactly as the
current one does."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from teamops.bookings.models import KIND_LABELS
from teamops.extensions import db
from teamops.records.labels import (
    DISCUSSION_SECTIONS,
    MAPPING_SECTIONS,
    NO_FURTHER_ACTION,
    OUTCOME_LABELS,
    PERSONAL_SECTIONS,
    QUESTION_NOT_RECORDED,
    REVIEW_NOTES,
    SCALING_QUESTION,
)
from teamops.records.models import ActionReview, SupervisionAction, SupervisionRecord
from teamops.web import format_date, format_datetime


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def _action(action: SupervisionAction) -> dict[str, Any]:
    return {"description": action.description, "owner": action.owner.name, "due_on": _iso(action.due_on),
            "status": action.status}


def _worker_response(record: SupervisionRecord) -> dict[str, Any] | None:
    """What the worker said when acknowledging (R-SUP-7), and how a disagreement was resolved; None before
    they acknowledged (or when they acknowledged before TeamOps asked)."""
    if record.worker_disagrees is None:
        return None
    resolver = record.disagreement_resolved_by
    return {"disagrees": record.worker_disagrees, "comment": record.worker_comment,
            "escalates_on": _iso(record.disagreement_escalates_on),
            "resolved_at": _iso(record.disagreement_resolved_at), "resolved_by": resolver.name if resolver else None,
            "resolution": record.disagreement_resolution}


def snapshot(record: SupervisionRecord) -> dict[str, Any]:
    """Everything the record says, as JSON-ready data: kept in RecordVersion before a signed-off change."""
    reviews = db.session.scalars(
        select(ActionReview).where(ActionReview.record_id == record.id).order_by(ActionReview.id)
        .options(joinedload(ActionReview.action).joinedload(SupervisionAction.owner))).all()

    def reviewed(case_id: int | None) -> list[dict[str, Any]]:
        return [{**_action(r.action), "outcome": r.outcome, "reason": r.reason}
                for r in reviews if r.action.case_id == case_id]

    def actions(case_id: int | None) -> list[dict[str, Any]]:
        return [_action(a) for a in record.actions if a.case_id == case_id]

    discussions = [{
        "discussion_id": d.id, "case_id": d.case_id, "case_ref": d.case.case_ref,
        **{name: getattr(d, name) for name in ("actions_review", *DISCUSSION_SECTIONS, *MAPPING_SECTIONS,
                                               "scaling", "scaling_question", "no_further_action", "disagreement",
                                               "disagreement_note", "resolution")},
        "resolved_at": _iso(d.resolved_at), "resolved_by": d.resolved_by.name if d.resolved_by else None,
        "reviews": reviewed(d.case_id), "actions": actions(d.case_id),
    } for d in record.discussions]
    return {
        "id": record.id, "version": record.version, "kind": record.kind, "imported": record.imported,
        "held_on": _iso(record.held_on),
        "recorded_at": _iso(record.recorded_at),
        "worker": record.worker.name, "supervisor": record.supervisor.name,
        "attendees": [p.name for p in record.attendees], "status": record.status,
        "signed_off_at": _iso(record.signed_off_at), "acknowledged_at": _iso(record.acknowledged_at),
        "filed_at": _iso(record.filed_at), "worker_response": _worker_response(record),
        **{name: getattr(record, name) for name in PERSONAL_SECTIONS},
        "reviews": reviewed(None) if record.kind == "personal" else [],
        "actions": actions(None) if record.kind == "personal" else [],
        "discussions": discussions,
    }


def hydrate(data: Any) -> Any:
    """A stored snapshot with its dates back as dates, for the templates' date filters."""
    if isinstance(data, list):
        return [hydrate(item) for item in data]
    if not isinstance(data, dict):
        return data
    result: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str) and key.endswith("_on"):
            result[key] = date.fromisoformat(value)
        elif isinstance(value, str) and key.endswith("_at"):
            result[key] = datetime.fromisoformat(value)
        else:
            result[key] = hydrate(value)
    return result


def _header(snap: dict[str, Any], case_ref: str | None) -> list[str]:
    title = KIND_LABELS[snap["kind"]] + (f": case {case_ref}" if case_ref else "")
    lines = [title, f"Date held: {format_date(snap['held_on'])}", f"Worker: {snap['worker']}",
             f"Supervisor: {snap['supervisor']}"]
    if snap["attendees"]:
        lines.append("Also attended: " + ", ".join(snap["attendees"]))
    lines.append(f"Recorded: {format_datetime(snap['recorded_at'])}")
    if snap["status"] == "signed_off":
        lines.append(f"Signed off by the manager: {format_datetime(snap['signed_off_at'])} "
                     f"(version {snap['version']})")
    else:
        lines.append(f"Not signed off yet (draft, version {snap['version']})")
    acknowledged = snap["acknowledged_at"]
    lines.append(f"Acknowledged by the worker: {format_datetime(acknowledged) if acknowledged else 'not yet'}")
    return lines


def _block(heading: str, body: str) -> list[str]:
    return ["", heading, body.strip() or "Not recorded."]


def _action_line(action: dict[str, Any]) -> str:
    return f"- {action['description']} (owner: {action['owner']}; due {format_date(action['due_on'])})"


def _reviews(reviews: list[dict[str, Any]], notes: str | None) -> list[str]:
    lines = ["", "Review of actions from last time"]
    for review in reviews:
        outcome = OUTCOME_LABELS[review["outcome"]].lower()
        reason = f": {review['reason']}" if review["reason"] else ""
        lines.append(_action_line(review) + f": {outcome}{reason}")
    if not reviews:
        lines.append("No open actions from last time.")
    if notes:
        lines += [f"{REVIEW_NOTES}:", notes.strip()]
    return lines


def _actions(actions: list[dict[str, Any]], no_further_action: bool) -> list[str]:
    lines = ["", "Actions agreed"]
    lines += [_action_line(a) for a in actions]
    if no_further_action:
        lines.append(NO_FURTHER_ACTION + ".")
    elif not actions:
        lines.append("None.")
    return lines


def scaling_lines(discussion: dict[str, Any]) -> list[str]:
    """A score always reads with its question (R-SUP-9); a score given before questions were asked for (or a
    version kept before then, whose snapshot has no such key) says so."""
    question = discussion.get("scaling_question")
    if not question:
        return [f"Scaling score: {discussion['scaling']} out of 10 ({QUESTION_NOT_RECORDED})"]
    return [f"Scaling score: {discussion['scaling']} out of 10", f"{SCALING_QUESTION}: {question}"]


def _response(snap: dict[str, Any]) -> list[str]:
    """The worker's response. A group record's copy goes on each case discussed: it says whether the worker
    agreed and whether a disagreement was resolved, but leaves the words in TeamOps, as they may be about
    another child's case."""
    response = snap.get("worker_response")  # versions kept before workers were asked have none
    if not response:
        return []
    lines = ["", "The worker's response",
             "Disagrees with what was written." if response["disagrees"] else "Agrees with the record."]
    words = snap["kind"] != "group"
    if words and response["comment"].strip():
        lines.append(response["comment"].strip())
    if response["disagrees"]:
        if response["resolved_at"]:
            when = format_datetime(response["resolved_at"])
            resolved = f"Disagreement resolved by {response['resolved_by']} on {when}"
            lines.append(resolved + (f": {response['resolution'].strip()}" if words else "."))
        else:
            lines.append("Disagreement not resolved yet.")
    if not words and (response["comment"].strip() or response["resolution"].strip()):
        lines.append("The worker's words are kept with the group record in TeamOps.")
    return lines


def discussion_text(snap: dict[str, Any], discussion: dict[str, Any]) -> str:
    """One case's part of a record, as plain text for that case's file."""
    lines = _header(snap, discussion["case_ref"])
    lines += _reviews(discussion["reviews"], discussion["actions_review"])
    for name, label in DISCUSSION_SECTIONS.items():
        lines += _block(label, discussion[name])
    if any(discussion[name] for name in MAPPING_SECTIONS) or discussion["scaling"] is not None:
        lines += ["", "Signs of Safety mapping"]
        for name, label in MAPPING_SECTIONS.items():
            lines += [label, discussion[name].strip() or "Not recorded."]
        if discussion["scaling"] is not None:
            lines += scaling_lines(discussion)
    lines += _actions(discussion["actions"], discussion["no_further_action"])
    if discussion["disagreement"]:
        lines += ["", "Disagreement about the next action (escalated to the team's service manager)",
                  discussion["disagreement_note"].strip()]
        if discussion["resolved_at"]:
            lines.append(f"Resolved by {discussion['resolved_by']} on {format_datetime(discussion['resolved_at'])}: "
                         f"{discussion['resolution'].strip()}")
        else:
            lines.append("Not resolved yet.")
    lines += _response(snap)
    return "\n".join(lines) + "\n"


def personal_text(snap: dict[str, Any]) -> str:
    lines = _header(snap, None)
    lines += _reviews(snap["reviews"], None)
    for name, label in PERSONAL_SECTIONS.items():
        lines += _block(label, snap[name])
    lines += _actions(snap["actions"], False)
    lines += _response(snap)
    return "\n".join(lines) + "\n"


def record_text(snap: dict[str, Any]) -> str:
    """The whole record: the personal part, or every case discussed one after the other."""
    if snap["kind"] == "personal":
        return personal_text(snap)
    return "\n\n".join(discussion_text(snap, d) for d in snap["discussions"])


def text_for(snap: dict[str, Any], discussion_id: int | None) -> str | None:
    """The text for one case discussed (or the personal record); None when the record has no such case."""
    if discussion_id is None:
        return personal_text(snap) if snap["kind"] == "personal" else None
    found = next((d for d in snap["discussions"] if d["discussion_id"] == discussion_id), None)
    return discussion_text(snap, found) if found else None


def only_cases(snap: dict[str, Any], case_ids: set[int], *, with_response: bool = False) -> dict[str, Any]:
    """A snapshot with the discussions of other cases left out: a group record discusses several workers'
    cases, and each reader sees only the parts about cases they may see. The worker's response is about the
    whole record, so only a reader of every part sees it, or one who must (``with_response``)."""
    shown = [d for d in snap["discussions"] if d["case_id"] in case_ids]
    whole = with_response or len(shown) == len(snap["discussions"])
    return {**snap, "discussions": shown, "worker_response": snap.get("worker_response") if whole else None}
