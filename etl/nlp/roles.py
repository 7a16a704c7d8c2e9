"""The role a condition plays for a therapy: required, favours or excludes.

Pure functions over a sentence (or criterion line). Eligibility sections decide by themselves
(inclusion → required, exclusion → excludes); elsewhere cue words decide, strongest first:
an exclusion cue beats a response cue, which beats a plain "for patients with".
Negative predictors ("unlikely to respond", "less likely") are returned as `favours` with
`inverted=True`: the condition favours response when it is *absent*, so the caller flips the
operator (contains → not_contains, < → >=).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.nlp.literals import Prefiltered

ROLES = ("required", "favours", "excludes")


@dataclass(frozen=True)
class RoleMatch:
    role: str
    cue: str
    start: int
    end: int
    inverted: bool = False


def _phrases(*phrases: str) -> re.Pattern:
    ordered = sorted(phrases, key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.IGNORECASE)


# The three rarer cue sets are Prefiltered (etl/nlp/literals.py): find_role runs on every clause
# holding a condition, and a text without any of their words is not scanned. Same results.
EXCLUDES = Prefiltered(_phrases(
    "not for", "not suitable for", "contraindicated", "contraindication", "exclusion criteria", "exclusion",
    "excluded", "exclude", "excludes", "should not", "must not", "not eligible", "ineligible", "is not indicated",
    "avoid", "avoided", "not be used", "not recommended for patients with", "unsuitable",
))
FAVOURS_NEGATIVE = Prefiltered(_phrases(
    "less likely to respond", "less likely", "unlikely to respond", "unlikely to benefit", "unlikely",
    "lower response", "lower response rates", "poor response", "poorer response", "predicts resistance",
    "predicts poor response", "predicts non-response", "rarely effective", "inferior response",
))
FAVOURS = Prefiltered(_phrases(
    "more likely to respond", "more likely", "most likely", "likelihood of response", "likelihood of responding",
    "predicts response", "predict response", "predictive of response", "predictor of response",
    "predictors of response", "best results", "best response", "favourable", "favorable", "favours", "favors",
    "work best", "works best", "higher response", "higher response rates", "higher likelihood", "respond better",
    "better response", "better responses", "respond more frequently", "more frequently respond",
    "associated with response", "response is more likely", "responses were most likely", "benefit most",
    "greatest benefit", "most effective", "more effective", "response rate", "response rates",
    "probability of response", "probability of responding", "chance of response", "chance of responding",
    "likelihood of benefit", "good probability of response",
))
REQUIRED = _phrases(
    "eligible only if", "only if", "only for", "only in", "must", "must have", "required", "requires", "requiring",
    "for patients with", "for patients who", "in patients with", "in patients who", "in patients whose",
    "patients whose", "restricted to", "limited to", "inclusion criteria",
    "inclusion", "eligible", "eligibility", "indicated for", "approved for", "is an option for", "are an option for",
    "recommended for", "considered for", "candidates", "candidate for", "who have", "with",
)

_SECTION_ROLES = {"inclusion": "required", "exclusion": "excludes"}


def find_role(text: str, section_kind: str | None = None) -> RoleMatch | None:
    """The criterion role the text's wording gives, or None when no cue is present."""
    if section_kind in _SECTION_ROLES:
        return RoleMatch(_SECTION_ROLES[section_kind], section_kind, 0, 0)
    for regex, role, inverted in (
        (EXCLUDES, "excludes", False),
        (FAVOURS_NEGATIVE, "favours", True),
        (FAVOURS, "favours", False),
        (REQUIRED, "required", False),
    ):
        match = regex.search(text)
        if match:
            return RoleMatch(role, match.group(), match.start(), match.end(), inverted)
    return None


def criterion_role(text: str, section_kind: str | None = None, default: str | None = None) -> str | None:
    """Just the role name (`default` when no cue)."""
    match = find_role(text, section_kind)
    return match.role if match else default


_INVERSE = {
    "<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==",
    "in": "not_in", "not_in": "in", "contains": "not_contains", "not_contains": "contains",
}


def invert_operator(operator: str) -> str | None:
    """The operator of the negated condition; None for 'between' (its negation is two ranges)."""
    return _INVERSE.get(operator)
