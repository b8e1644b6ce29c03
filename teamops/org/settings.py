"""The organisation's own settings (one row, id 1) and the rule its case references follow.

CONTRACT.md allows any case reference of letters, numbers and hyphens, up to 32 characters. An organisation
may narrow that to what its case-recording system issues (digits only for a Mosaic ID, or a pattern of its
own), so that "JaneDoe" is refused where references are numbers. The rule applies to new cases (the case
form and the cases import); cases already in TeamOps keep their references. Services flush; the request
commits.
"""

from __future__ import annotations

import re
import re._parser as regex_parser
from dataclasses import dataclass
from typing import Any

from teamops.extensions import db
from teamops.org.models import CASE_REF_PATTERN, OrganisationSettings

CONTRACT_RULE = re.compile(CASE_REF_PATTERN)
DIGITS = re.compile(r"[0-9]+")
RULE_LABELS = {
    "default": "Letters, numbers and hyphens (the default)",
    "digits": "Digits only",
    "custom": "Your own pattern",
}
# How each rule is described to people adding a case, when the admin gives no description of their own.
RULE_WORDS = {"default": "letters, numbers and hyphens only", "digits": "digits only"}
# The most parts of varying length (+, *, ?, {m,n}) a pattern may have: the ways a 32-character reference
# can be split between them grow as its length to that power.
MOST_VARYING_PARTS = 6
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


@dataclass(frozen=True)
class CaseRefRule:
    """How a new case's reference must look: always the contract's rule, narrowed by the organisation's."""

    rule: str = "default"
    pattern: str = ""  # the organisation's own regular expression, for "custom"
    example: str = ""
    hint: str = ""  # how the organisation describes its references, e.g. "a Mosaic ID such as 1234567"

    @property
    def narrowed(self) -> bool:
        """Whether the organisation asks for more than the contract does."""
        return self.rule != "default"

    def accepts(self, ref: str) -> bool:
        if CONTRACT_RULE.fullmatch(ref) is None:
            return False
        if self.rule == "digits":
            return DIGITS.fullmatch(ref) is not None
        if self.rule == "custom":
            return re.fullmatch(self.pattern, ref) is not None
        return True

    @property
    def description(self) -> str:
        return self.hint or RULE_WORDS.get(self.rule, "the format your organisation uses")

    @property
    def for_example(self) -> str:
        """", for example 1234567", unless the description already gives the example."""
        return f", for example {self.example}" if self.example and self.example not in self.description else ""

    @property
    def message(self) -> str:
        """What a refused reference is told (the reference itself is never repeated: it may be a name)."""
        return f"Enter the case-system reference as {self.description}{self.for_example}"

    @property
    def form_hint(self) -> str:
        """The hint under the case reference on the add-case form."""
        return (f"The case-recording system's reference: {self.description}{self.for_example}. "
                "Up to 32 characters; never a child's name.")


def settings() -> OrganisationSettings:
    """The settings as an admin last saved them, or the defaults before anyone has."""
    return db.session.get(OrganisationSettings, 1) or OrganisationSettings(
        id=1, case_ref_rule="default", case_ref_pattern="", case_ref_example="", case_ref_hint="",
        buddy_min_service_months=6, return_due_rule="next", dip_samples_per_team=2,
        auditors_own_team=False)


def case_ref_rule() -> CaseRefRule:
    row = settings()
    return CaseRefRule(row.case_ref_rule, row.case_ref_pattern, row.case_ref_example, row.case_ref_hint)


def save_case_ref_rule(rule: CaseRefRule, buddy_min_service_months: int | None = None,
                       return_due_rule: str | None = None, dip_samples_per_team: int | None = None,
                       auditors_own_team: bool | None = None) -> None:
    """Stores the rule; a pattern is kept only for "Your own pattern". Existing cases are not touched. With the
    rule, the service a suggested buddy has at least (R-IND-4)."""
    row = settings()
    if buddy_min_service_months is not None:
        row.buddy_min_service_months = buddy_min_service_months
    if return_due_rule is not None:
        row.return_due_rule = return_due_rule
    if dip_samples_per_team is not None:
        row.dip_samples_per_team = dip_samples_per_team
    if auditors_own_team is not None:
        row.auditors_own_team = auditors_own_team
    row.case_ref_rule = rule.rule
    row.case_ref_pattern = rule.pattern.strip() if rule.rule == "custom" else ""
    row.case_ref_example = rule.example.strip()
    row.case_ref_hint = rule.hint.strip()
    db.session.add(row)
    db.session.flush()


def pattern_problem(pattern: str) -> str | None:
    """Why an admin's pattern cannot be used, or None. It must be a regular expression Python reads, and one
    that cannot take minutes to check a reference: no repetition of varying length (or choice between
    alternatives) inside a repeated part, and a few parts of varying length at most ("(a+)+" or a long run of
    "a*" would try every way of splitting the reference first)."""
    try:
        parsed = regex_parser.parse(pattern)
    except re.error as error:
        where = f" (at character {error.pos + 1})" if error.pos is not None else ""
        return f"This is not a regular expression TeamOps can read: {error.msg}{where}"
    except RecursionError:
        return "Keep the pattern simple: it nests too deeply"
    varying = [0]
    if _nested_repetition(parsed, False, varying):
        return ("Keep the pattern simple: a repeated part cannot hold another repetition of varying length or "
                "a choice with |, because checking such a pattern can take minutes")
    if varying[0] > MOST_VARYING_PARTS:
        return (f"Keep the pattern simple: use at most {MOST_VARYING_PARTS} parts of varying length "
                "(+, *, ? or {m,n}), because checking more can take minutes")
    return None


def _parts(op: str, value: Any) -> list[Any]:
    """The sub-patterns inside one parsed item."""
    if op in _REPEATS:
        return [value[2]]
    if op == "BRANCH":
        return list(value[1])
    if op == "SUBPATTERN":
        return [value[3]]
    if op in ("ASSERT", "ASSERT_NOT"):
        return [value[1]]
    if op == "ATOMIC_GROUP":
        return [value]
    if op == "GROUPREF_EXISTS":
        return [part for part in value[1:] if part is not None]
    return []


def _nested_repetition(items: Any, repeated: bool, varying: list[int]) -> bool:
    """Whether a repetition of varying length, or a choice, sits inside a part repeated more than once;
    counts the parts of varying length in ``varying``."""
    for op_code, value in items:
        op = str(op_code)
        if op in _REPEATS:
            low, high = value[0], value[1]
            if low != high:
                varying[0] += 1
                if repeated:
                    return True
            if _nested_repetition(value[2], repeated or high > 1, varying):
                return True
            continue
        if op == "BRANCH" and repeated:
            return True
        if any(_nested_repetition(part, repeated, varying) for part in _parts(op, value)):
            return True
    return False
