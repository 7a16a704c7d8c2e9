"""Whom a trial's extracted criteria are about, and which of them are alternatives.

A registry record's criteria are read sentence by sentence; this pass puts each criterion back into
the eligibility item it came from (etl/readers/eligibility.py `criteria_items`) to give it:
- a `scope`: None for the trial's own patients, "donor" for stem-cell donors, "cohort:AML" /
  "cohort:CMML" for another disease's cohort. Criteria about other diseases the graph does not
  cover (CML, ALL, lymphoma …) are dropped: their numbers are not MDS criteria.
- a role flipped for sub-items of a denying parent line ("No uncontrolled illness, such as: - active
  infection"): the sub-item is what the patient must not have.
- a `group`: inclusion conditions joined by "or" in one item ("creatinine ≤ 1.5 × ULN or clearance
  ≥ 50 mL/min", "failed azacitidine or decitabine", "del(5q), -7 or a complex karyotype") share an
  any-of group, so meeting one of them is enough. Conditions in an exclusion item need no group:
  each one excludes on its own.
Pure functions over a Document and its criteria.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise

from etl.nlp.conditions import CONDITION_VARIABLES, status_scope
from etl.nlp.relations import WINDOW_VARIABLES
from etl.readers.eligibility import criteria_items
from mdskg.records import Document, ExtractedCriterion

KEPT_COHORTS = frozenset({"cohort:AML", "cohort:CMML"})
_FLIPPED_ROLE = {"required": "excludes", "excludes": "required"}
CRITERIA_KINDS = ("inclusion", "exclusion", "eligibility")
_OR = re.compile(r"\b(?:or|and/or)\b", re.IGNORECASE)
_DENIED_ITEM = re.compile(r"\s*(?:no|without)\b(?!\s+(?:more|less|fewer|greater)\b)", re.IGNORECASE)
_BRACKETS = re.compile(r"\([^()]*\)")
_JUST_OR = re.compile(r"[\s,;]*(?:or|and/or)\s+(?:(?:an?|the|a\s+calculated|calculated|measured|blood|serum)\s+)?"
                      r"(?:[\w-]+\s+){0,2}?", re.IGNORECASE)
_LIST_GAP = re.compile(r"[\s,/]*")
_AND = re.compile(r"\band\b(?!/or)|;", re.IGNORECASE)


def item_spans(document: Document) -> list[tuple[int, int, str | None, bool, tuple[str, int] | None]]:
    """(start, end, scope) of every eligibility item, in document offsets and reading order.

    The items are read over the whole criteria text at once, headings included, so that a sub-item
    keeps the scope of its parent line ("- AML with any of these:") even where the reader cut the
    text into sections at that line; a section's own scope (a donor list) applies when the item has none."""
    sections = [s for s in document.sections if s.kind in CRITERIA_KINDS]
    if not sections:
        return []
    # From the start of the first line: its indentation tells a sub-item from its parent.
    start = document.text.rfind("\n", 0, min(s.start for s in sections)) + 1
    end = max(s.end for s in sections)
    spans: list[tuple[int, int, str | None, bool, tuple[str, int] | None]] = []
    for item in criteria_items(document.text[start:end]):
        item_start = start + item.start
        section = document.section_at(item_start)
        section_scope = section.scope if section is not None and section.kind in CRITERIA_KINDS else None
        # A denying parent flips the role of its sub-items, except under an exclusion heading, where the
        # "no" is registry style for the same exclusion (as for single items: see etl/nlp/relations/).
        denied = item.denied and not (section is not None and section.kind == "exclusion")
        alternatives = (item.alternatives[0], start + item.alternatives[1]) if item.alternatives else None
        spans.append((item_start, start + item.end, item.scope or section_scope, denied, alternatives))
    return spans


def scoped_criteria(document: Document, criteria: Sequence[ExtractedCriterion]) -> list[ExtractedCriterion]:
    """The criteria with scope and any-of groups set; those about uncovered diseases left out."""
    spans = item_spans(document)
    starts = [span[0] for span in spans]
    by_item: dict[int, list[ExtractedCriterion]] = {}
    out: list[ExtractedCriterion] = []
    for criterion in criteria:
        position = _position(criterion)
        index = bisect_right(starts, position) - 1
        if index < 0 or spans[index][1] <= position:
            out.append(criterion)  # not inside an item (e.g. a sentence outside the criteria)
            continue
        item_start, item_end, scope, denied, alternatives = spans[index]
        if scope is not None and scope != "donor" and scope not in KEPT_COHORTS:
            continue
        if alternatives is not None and alternatives[0] == "several":
            continue  # "two or more of the following": a count of conditions the criterion model cannot hold
        if not_a_condition(document.text[item_start:item_end], position - item_start, criterion):
            continue
        if criterion.variable == "disease_status" and scope is None:
            at = position - item_start
            scope = status_scope(document.text[item_start:item_end], at, at + len(criterion.text or ""))
            if scope == "other":
                continue  # "relapsed or refractory ALL": another disease's status
        scoped = replace(criterion, scope=scope)
        if denied and criterion.variable not in WINDOW_VARIABLES:
            scoped = replace(scoped, role=_FLIPPED_ROLE.get(scoped.role, scoped.role))
        if alternatives is not None and scoped.role == "required":
            scoped = replace(scoped, group=f"any:{alternatives[1]}")  # sub-items of "one of the following:"
        by_item.setdefault(index, []).append(scoped)
        out.append(scoped)
    grouped: dict[int, ExtractedCriterion] = {}
    for index, members in by_item.items():
        start, end = spans[index][0], spans[index][1]
        for criterion, group in _any_of_groups(document.text[start:end], members, f"any:{start}"):
            if criterion.group is None:
                grouped[id(criterion)] = replace(criterion, group=group)
    return [grouped.get(id(c), c) for c in out]


# Numbers an item gives that are not conditions on the patient: a category's definition ("RAEB, defined as
# 5-9% blasts", "first CR (< 5% blasts)"), a permitted exception ("isolated bilirubin > 1.5 × ULN is
# acceptable", "transfusions permitted to bring platelets above 10"), a condition for a sub-group ("… for those
# with creatinine at least 1.5"), and the header of a sub-list ("Patients with < 5% blasts must meet one of:").
_DEFINED = re.compile(
    r"\b(?:RAEB(?:-?T|-?[12])?|RARS|RA|RCMD|CMML(?:-?[12])?|remission|CR\d?|phase|crisis|transformation|relapse)"
    r"\b(?:[^.]{0,25}?\bdefined\s+(?:as|by)\b[^.;]{0,15}|[^.:]{0,60}:[^.;:]{0,25})$",
    re.IGNORECASE,
)
_SUB_LIST_HEADER = re.compile(r"\b(?:(?:one|any|all|each|both|two|\d+)\s+(?:or\s+more\s+)?of\s+the\s+following|following"
                              r"\s+(?:criteria|conditions|features)|must\s+meet)\b[^:]{0,40}:\s*$", re.IGNORECASE)
_PERMITTED_AFTER = re.compile(r"^[^.;()]{0,60}?\b(?:is|are|will\s+be)\s+(?:acceptable|allowed|permitted)\b", re.I)
_PERMITTED_BEFORE = re.compile(r"\b(?:to\s+(?:bring|raise|increase|achieve|maintain|reach|reduce|lower|decrease)|isolated)"
                               r"\b[^.;()]{0,30}$",
                               re.IGNORECASE)
_SUBGROUP_BEFORE = re.compile(r"\bfor\s+(?:those|patients|subjects|participants)\s+(?:who\s+are\s+)?"
                              r"(?:with|above|below|whose|having|who\s+have)\b[^.;]{0,40}$", re.IGNORECASE)
_THRESHOLD_VARIABLES_ONLY = frozenset({"karyotype_findings", "prior_therapies", "failed_therapies"})


def not_a_condition(item_text: str, at: int, criterion: ExtractedCriterion) -> bool:
    """Whether the criterion's words, at `at` in its item, give a number that is not a condition (see above)."""
    if criterion.variable in _THRESHOLD_VARIABLES_ONLY:
        return False
    before, after = item_text[max(0, at - 80) : at], item_text[at + len(criterion.text or "") :]
    if _SUB_LIST_HEADER.search(item_text) and criterion.variable not in CONDITION_VARIABLES:
        return True
    if criterion.variable in ("marrow_blasts_pct", "peripheral_blasts_pct") and _DEFINED.search(before):
        return True
    return bool(_PERMITTED_AFTER.match(after) or _PERMITTED_BEFORE.search(before) or _SUBGROUP_BEFORE.search(before))


def _position(criterion: ExtractedCriterion) -> int:
    """Where the criterion's words are in the document (a sentence may start at the item's bullet)."""
    ev = criterion.evidence
    at = ev.sentence.find(criterion.text) if criterion.text else -1
    if at < 0:
        at = len(ev.sentence) - len(ev.sentence.lstrip(" \t\n-*•·0123456789.)"))
    return ev.start + at


def _any_of_groups(item_text: str, members: Iterable[ExtractedCriterion], group_id: str
                   ) -> list[tuple[ExtractedCriterion, str]]:
    """Required conditions of one item whose texts are joined by 'or' (and not by 'and')."""
    located = []
    for c in members:
        if c.role != "required" or not c.text:
            continue
        at = item_text.find(c.text)
        if at >= 0:
            located.append((at, at + len(c.text), c))
    located.sort(key=lambda x: x[0])
    if len(located) < 2:
        return []
    joined = []
    listed_with_or = bool(_OR.search(item_text))
    if _DENIED_ITEM.match(item_text):
        # "No hypoxaemia with pO2 < 70 AND DLCO < 70%": not (A and B) is (not A) or (not B): the negated
        # conditions are alternatives; "No A or B" is (not A) and (not B): each one required.
        for (_, a_end, a), (b_start, _, b) in pairwise(located):
            between = item_text[a_end:b_start]
            if a.variable != b.variable and re.search(r"\band\b", between, re.I) and not _OR.search(between):
                joined += [a, b]
        return [(c, group_id) for c in {id(c): c for c in joined}.values()]
    for (_, a_end, a), (b_start, _, b) in pairwise(located):
        between = _BRACKETS.sub(" ", item_text[a_end:b_start])
        if _AND.search(between):
            continue
        # Grouping relaxes a trial's criteria, so only a bare "or" between two conditions does it
        # ("creatinine ≤ 1.5 × ULN or clearance ≥ 50"), not an "or" inside a bracket or a list of analytes.
        if a.variable != b.variable and _JUST_OR.fullmatch(between):
            joined += [a, b]
        elif a.variable == b.variable and a.operator == b.operator == "contains" and listed_with_or \
                and (_OR.search(between) or _LIST_GAP.fullmatch(between)):
            joined += [a, b]  # "failed azacitidine or decitabine", "del(5q), -7 or a complex karyotype"
    unique = list({id(c): c for c in joined}.values())
    return [(c, group_id) for c in unique]
