"""The wording of a record's sections, shared by the form, the record page, the versions and the plain text,
so a section reads the same wherever it appears."""

from __future__ import annotations

# R-SUP-4 fields of a case discussion, in the order a record reads.
DISCUSSION_SECTIONS = {
    "significant_events": "Significant events since the last supervision",
    "decisions_and_plan": "Key decisions and effectiveness of the plan",
    "reflective_analysis": "Reflective analysis",
    "childs_voice": "The child's voice",
}
# What a record cannot be signed off without, for each case discussed (R-SUP-4): written, or "Not applicable"
# with the reason.
CORE_SECTIONS = ("childs_voice", "reflective_analysis", "decisions_and_plan")
# Signs of Safety mapping (R-SUP-9): optional.
MAPPING_SECTIONS = {
    "worries": "What are we worried about?",
    "working_well": "What's working well?",
    "needs_to_happen": "What needs to happen?",
}
# A scaling score (R-SUP-9) is stored with the question it answers: a bare number cannot be compared.
SCALING_SCORE = "Scaling score (0 to 10)"
SCALING_QUESTION = "What 0 and 10 mean for this case"
SCALING_QUESTION_MISSING = "Say what 0 and 10 mean for this score"
QUESTION_NOT_RECORDED = "question not recorded"  # a score given before the question was asked for
REVIEW_NOTES = "Notes on the review of actions from last time"
PERSONAL_SECTIONS = {
    "wellbeing": "Wellbeing",
    "workload": "Workload",
    "learning": "Learning and development",
}
OUTCOME_LABELS = {"done": "Done", "carried_forward": "Carried forward", "dropped": "Dropped"}
ACTION_STATUS_LABELS = {"open": "Open", "done": "Done", "dropped": "Dropped"}
NO_FURTHER_ACTION = "No further action: no new actions were agreed for this case"
LONG_TEXT_MESSAGE = "Keep this to 5,000 characters or fewer"
ACTION_MAX = 500
ACTION_MESSAGE = "Keep this to 500 characters or fewer"
COMMENT_MAX = 2000  # the worker's comment when acknowledging
AGREEMENT_LABELS = {"agree": "I agree with the record", "disagree": "I disagree with what was written"}
