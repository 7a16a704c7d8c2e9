"""Whom a trial's extracted criteria are about, and which of them are alternatives.

A registry record's criteria are read sentence by sentence; this pass puts each criterion back into
the eligibility item it came from (etl/readers/eligibility.py `criteria_items`) to give it:
- a `scope`: None for the trial's own patients, "donor" for stem-cell donors, "cohort:AML" /
  "cohort:CMML" for another disease's cohort, "arm:phase 2" / "arm:cohorts c1 and c2" for one part of
  the trial (a patient needs to fit one part, not all of them). Criteria about other diseases the graph does not
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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise

from etl.nlp import partial_lines, subtype_blasts
from etl.nlp.conditions import CONDITION_VARIABLES, SAID_EXCLUDED, parse_conditions, status_scope
from etl.nlp.relations import WINDOW_VARIABLES
from etl.nlp.relations.criteria import EXCEPT_FOR_PATIENTS, WHOLE_NUMBER_SCALES
from etl.nlp.roles import invert_operator
from etl.readers.eligibility import criteria_items
from mdskg.records import Document, ExtractedCriterion, UncheckedLine
from mdskg.scopes import ALL_OF_GROUP, ANY_OF_GROUP, CONDITIONAL_GROUP, is_arm, nested_group

KEPT_COHORTS = frozenset({"cohort:AML", "cohort:CMML"})
_FLIPPED_ROLE = {"required": "excludes", "excludes": "required"}
CRITERIA_KINDS = ("inclusion", "exclusion", "eligibility")
_OR = re.compile(r"\b(?:or|and/or)\b", re.IGNORECASE)
_DENIED_ITEM = re.compile(r"\s*(?:no|without)\b(?!\s+(?:more|less|fewer|greater)\b)", re.IGNORECASE)
# "Patients with a TP53 mutation or a complex karyotype are not eligible": the whole item is denied at its end, so
# its "or" joins what is excluded, and each denied condition is required on its own
_EXCLUDED_AT_END = re.compile(SAID_EXCLUDED + r"\s*[.)]*\s*$", re.IGNORECASE)
_BRACKETS = re.compile(r"\([^()]*\)")
# "... in the marrow or ...", "a PNH clone detected by flow cytometry, or ...": a short qualifier of the first
# condition may come before the "or"
# (the words before "or" may name the scheme or measure of the condition before it: "int-2 or higher by IPSS, or …",
# "mutated TP53 at any VAF, or …")
_JUST_OR = re.compile(r"(?:\s+(?:(?-i:[a-z])[\w-]*|(?-i:IPSS(?:-R)?|VAF|WHO|ICC|IWG)\b)){0,4}?[\s,;]*\(?\s*(?:or|and/or)\s+"
                      r"(?:(?:an?|the|a\s+calculated|calculated|measured|blood|serum)\s+)?(?:[\w-]+\s+){0,2}?",
                      re.IGNORECASE)
_LIST_GAP = re.compile(r"[\s,/]*")
_AND = re.compile(r"\band\b(?!/or)|;", re.IGNORECASE)
# "neither A nor B"; "No A and no B": each condition is denied on its own
_NEITHER_NOR = re.compile(r"\bneither\b(?:[^.;]|\.(?=\d)){0,80}?\bnor\b", re.IGNORECASE)  # "0.5": no full stop
_BLAST_PLACES = frozenset({"marrow_blasts_pct", "peripheral_blasts_pct"})
_EITHER_PLACE = re.compile(r"[^.;\d]{0,40}?\b(?:marrow|blood)\s+(?:or|and/or)\s", re.IGNORECASE)
_DENIED_AGAIN = re.compile(r"\band\s+(?:no|not|without|never)\b", re.IGNORECASE)


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
    unread = _partly_read_items(document, criteria, spans)
    at_in_item: dict[int, int] = {}  # where each criterion's words are in its item
    out: list[ExtractedCriterion] = []
    cases: set[int] = set()  # negated header cases, kept only beside sub-items read into their group
    for criterion in criteria:
        position = _position(criterion)
        index = bisect_right(starts, position) - 1
        if index < 0 or spans[index][1] <= position:
            out.append(criterion)  # not inside an item (e.g. a sentence outside the criteria)
            continue
        item_start, item_end, scope, denied, alternatives = spans[index]
        if item_start in unread:
            continue  # a line the reader would read only in part: left unread whole (etl/nlp/partial_lines.py)
        if scope is not None and scope != "donor" and scope not in KEPT_COHORTS and not is_arm(scope):
            continue
        if alternatives is not None and alternatives[0] in ("several", "defined"):
            # "two or more of the following": a count of conditions the criterion model cannot hold (an any-of
            # group would pass a patient with one). Left out, its lines are listed for the patient as unchecked.
            # (A list that defines a term, "The following are considered adverse abnormalities:", asks nothing.)
            continue
        case = _header_case(document.text[item_start:item_end], position - item_start, criterion)
        if case is not None:
            # "Patients with < 5% marrow blasts must meet one of the following:": the others need not, so the
            # case's negation is one more way through the sub-items' any-of group ("blasts >= 5%, or A, or B")
            case = replace(case, scope=scope, group=f"{ANY_OF_GROUP}{item_start}")
            cases.add(id(case))
            out.append(case)
            continue
        listed = alternatives is not None and alternatives[0] == "any"
        if alternatives is not None and listed and scope is None and _alternative_itself(spans, starts, alternatives[1]) \
                and not _alternative_for_mds(document.text, alternatives[1]) \
                and not any(c.group == f"{ANY_OF_GROUP}{alternatives[1]}" for c in out if id(c) in cases):
            # (a header whose case was read, "low-risk IPSS allowed provided one of the following:", holds its
            # sub-items as (not the case) or one of them, which asks nothing of patients outside the case)
            # "One of: A; or B, as shown by any of the following: b1, b2": the parent is one alternative of its own
            # parent's list, and an any-of group inside an alternative cannot be held by one flat group (read as a
            # group of its own, b1-or-b2 would be required of everyone; sub-items scoped to another disease's cohort
            # ask it only of those patients and are kept). The parent's own words are still read.
            continue
        if not_a_condition(document.text[item_start:item_end], position - item_start, criterion, listed):
            continue
        if listed and criterion.variable == "anemia_symptoms" and _HB_NAMED.search(document.text, item_start, item_end):
            # "one of the following: - symptomatic anaemia with Hb < 10 g/dL; - …": the symptoms and the limit hold
            # together, and one any-of group cannot hold both; the limit alone stands for the alternative
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
            scoped = replace(scoped, group=f"{ANY_OF_GROUP}{alternatives[1]}")  # sub-items of "one of the following:"
        by_item.setdefault(index, []).append(scoped)
        at_in_item[id(scoped)] = position - item_start
        out.append(scoped)
    rewritten: dict[int, list[ExtractedCriterion]] = {}
    for index, members in by_item.items():
        start, end = spans[index][0], spans[index][1]
        item_text = document.text[start:end]
        defined = _defined_risk_groups(members, at_in_item)
        rewritten.update({key: [] for key in defined})
        # (a subtype read as its blast definition is read whole: its any-of group and limits are not regrouped)
        members = [c for c in members if id(c) not in defined and not subtype_blasts.from_definition(c)]
        # Each reading below rewrites the members it recognises; the next one sees only the rest.
        readings = (
            lambda ms, t=item_text, s0=start: conditional_criteria(t, ms, s0, at_in_item),
            lambda ms, t=item_text, s0=start: _inline_choice(t, ms, at_in_item, f"{ANY_OF_GROUP}{s0}:choice"),
            lambda ms, t=item_text, s0=start: _lettered_alternatives(t, ms, at_in_item, f"{ANY_OF_GROUP}{s0}:listed"),
            lambda ms, t=item_text, s0=start: _excluded_together(t, ms, at_in_item, f"{ANY_OF_GROUP}{s0}:and"),
            lambda ms, t=item_text, s0=start: _limits_by_sex(t, ms, at_in_item, f"{CONDITIONAL_GROUP}{s0}:sex"),
            lambda ms, t=item_text, s0=start: _limits_for_an_unread_case(t, ms, at_in_item,
                                                                       f"{CONDITIONAL_GROUP}{s0}:case"),
            lambda ms, t=item_text: _reasons_for_unfitness(t, ms, at_in_item),
            lambda ms, t=item_text: _limit_of_the_last_subtype(t, ms, at_in_item),
            lambda ms, t=item_text, s0=start: _limits_of_an_unread_disease(t, ms, at_in_item,
                                                                         f"{CONDITIONAL_GROUP}{s0}:with"),
            lambda ms, t=item_text: _named_then_defined(t, ms, at_in_item),
            lambda ms, s0=start: _disjoint_requirements(ms, f"{ANY_OF_GROUP}{s0}:bands"),
        )
        for reading in readings:
            found = reading(members)
            rewritten.update(found)
            members = [c for c in members if id(c) not in found]
        for criterion, group in _any_of_groups(item_text, members, f"{ANY_OF_GROUP}{start}"):
            if criterion.group is None:
                rewritten[id(criterion)] = [replace(criterion, group=group)]
    result = [kept for c in out for kept in rewritten.get(id(c), [c])]
    if cases:
        grouped = Counter(c.group for c in result if id(c) not in cases)
        result = [c for c in result if id(c) not in cases or grouped[c.group]]
        result = _relaxed_by_the_next_line(result, cases, spans, starts)
    result = _nested_alternatives(document.text, spans, criteria, result)
    result = _without_partly_read_alternatives(document.text, spans, result)
    empty = _always_met_groups(result)
    return [c for c in result if c.group not in empty]


_LOWER_BOUNDS, _UPPER_BOUNDS = {">", ">="}, {"<", "<="}
_HB_NAMED = re.compile(r"\bh(?:a)?emoglobin\b|(?-i:\bHg?b\b)|\bHGB\b", re.IGNORECASE)


def _always_met_groups(criteria: list[ExtractedCriterion]) -> set[str]:
    """Any-of groups that every patient meets, because two of their members bound one number from both sides
    ("age >= 70 or age < 70", read from "< 30% if under 70, < 20% if 70 or older"): a reading that rules no one
    out while looking checked. Such a line is left unread (listed as unchecked) rather than shown as a criterion."""
    bounds: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for c in criteria:
        if c.group and c.group.startswith(ANY_OF_GROUP) and isinstance(c.value, (int, float)) \
                and not isinstance(c.value, bool) and c.operator in _LOWER_BOUNDS | _UPPER_BOUNDS:
            bounds.setdefault((c.group, c.variable), []).append((c.operator, float(c.value)))
    empty: set[str] = set()
    for (group, _), limits in bounds.items():
        lows = [v for op, v in limits if op in _LOWER_BOUNDS]
        highs = [(v, op) for op, v in limits if op in _UPPER_BOUNDS]
        if any(hi > lo or (hi == lo and (op_hi == "<=" or op_lo == ">="))
               for lo, op_lo in [(v, op) for op, v in limits if op in _LOWER_BOUNDS] for hi, op_hi in highs) and lows:
            empty.add(group)
    return empty


_CAPITAL_AND = re.compile(r"\bAND\b|(?i:\bboth\b[^.;]{1,60}\band\b|\bin\s+combination\s+with\b)")


def _excluded_together(item_text: str, members: Sequence[ExtractedCriterion], at: dict[int, int], group: str
                       ) -> dict[int, list[ExtractedCriterion]]:
    """'Age ≥ 75 years AND HCT-CI ≥ 3' in the exclusion list excludes only whoever has both: the line holds as
    (not A) or (not B), one any-of group of the negations. Only with the conjunction written out (capital AND,
    "both … and"): a plain "and" in an exclusion line usually lists things each excluded ("HIV and hepatitis")."""
    excluded = sorted(((at[id(c)], c) for c in members if id(c) in at and c.role == "excludes" and not c.group
                       and c.variable not in WINDOW_VARIABLES), key=lambda x: x[0])
    alone = [(a, c) for a, c in excluded if c.variable == "karyotype_abnormality_count" and c.operator in ("<", "<=")]
    if len(alone) == 1:
        # "isolated del(5q)", excluded: the deletion with no more than that many changes, both at once
        finding = [(a, c) for a, c in excluded if c.variable == "karyotype_findings" and c.operator in ("contains", "in")
                   and c.text == alone[0][1].text]
        if len(finding) == 1:
            excluded = sorted([finding[0], alone[0]], key=lambda x: x[0])
            negations = [_required_negation(c) for _, c in excluded]
            return {id(c): [replace(n, group=group)] for (_, c), n in zip(excluded, negations, strict=True)
                    if n is not None} if all(negations) else {}
    relative = _WHO_CLAUSE.match(item_text)
    if relative is not None:
        # "Patients with del(5q) who have not yet received lenalidomide", excluded: the "who" clause narrows the
        # patients excluded, so only both together are out: (not A) or (not B). B read as a requirement ("not yet
        # received" under the exclusion heading) is already the negation of what is excluded.
        pair = sorted(((at[id(c)], c) for c in members if id(c) in at and not c.group
                       and c.variable not in WINDOW_VARIABLES), key=lambda x: x[0])
        if len(pair) == 2 and pair[0][0] < relative.start("who") <= pair[1][0] and pair[0][1].role == "excludes":
            sides = [_required_negation(c) if c.role == "excludes" else c for _, c in pair]
            if all(n is not None for n in sides):
                return {id(c): [replace(n, group=group)] for (_, c), n in zip(pair, sides, strict=True) if n is not None}
    if len(excluded) != 2 or not _CAPITAL_AND.search(item_text, 0, excluded[1][0] + 1):
        return {}
    negations = [_required_negation(c) for _, c in excluded]
    if any(n is None for n in negations):
        return {}
    return {id(c): [replace(n, group=group)] for (_, c), n in zip(excluded, negations, strict=True) if n is not None}


_WHO_CLAUSE = re.compile(r"\W*(?:patients|subjects|participants|those|people|persons)\s+(?:with|having)\b[^.;]{1,80}?"
                         r"\b(?P<who>who|whose)\s+(?:have|has|had|are|is|were|was)\b", re.IGNORECASE)
_FOR_A_SEX = re.compile(r"[^.;,]{0,12}?\b(?:for|in)\s+(?:men|males?|women|females?)\b", re.IGNORECASE)


def _limits_by_sex(item_text: str, members: Sequence[ExtractedCriterion], at: dict[int, int], group: str
                   ) -> dict[int, list[ExtractedCriterion]]:
    """'QTcF ≤ 450 ms for men and ≤ 470 ms for women': the patient's sex is not on record, so the loosest limit holds
    for everyone and the stricter one is kept as a condition that never rules anyone out on its own."""
    marked = [c for c in members if c.role == "required" and not c.group and id(c) in at
              and _interval(c) is not None and c.operator in _UPPER | _LOWER
              and _FOR_A_SEX.match(item_text, at[id(c)] + len(c.text or ""))]
    out: dict[int, list[ExtractedCriterion]] = {}
    for variable in {c.variable for c in marked}:
        limits = [c for c in marked if c.variable == variable]
        sides = {c.operator in _UPPER for c in limits}
        if len(limits) < 2 or len(sides) != 1:
            continue
        upper = sides.pop()
        loosest = max(limits, key=lambda c: c.value) if upper else min(limits, key=lambda c: c.value)
        out.update({id(c): [replace(c, group=group)] for c in limits if c is not loosest})
    return out


# the patients a second limit is for, named after it: "… or ≤ 3 × ULN in subjects with Gilbert's syndrome", "(or > 500 ms
# in patients with a bundle-branch block)", "(≤ 5 × ULN if the liver is involved)"
_FOR_A_CASE = re.compile(r"[^.;,()]{0,20}?\b(?:(?:in|for|among)\s+(?:the\s+)?(?:patients|subjects|participants|those|people"
                         r"|individuals|cases)\b|if|when|where)\b", re.IGNORECASE)


# a condition named, then defined by a number: "not transfusion-independent, i.e. at least one unit in 8 weeks"
_DEFINED_BY = {"transfusion_dependent": "transfusion_units_per_8wk", "marrow_cellularity": "marrow_cellularity_pct"}
_THAT_IS = re.compile(r"[\s,;(]*(?:i\.\s?e\.|that\s+is|namely|defined\s+as)[\s,:]", re.IGNORECASE)


def _named_then_defined(item_text: str, members: Sequence[ExtractedCriterion], at: dict[int, int]
                        ) -> dict[int, list[ExtractedCriterion]]:
    """A condition named and then defined by the line's own number ("not transfusion-independent, i.e. at least one
    red-cell unit in the past 8 weeks"): the definition is what the line asks; the name, read with the usual cut-off,
    would ask more."""
    out: dict[int, list[ExtractedCriterion]] = {}
    for c in members:
        defining = _DEFINED_BY.get(c.variable)
        if defining is None or id(c) not in at or c.group:
            continue
        end = at[id(c)] + len(c.text or "")
        that_is = _THAT_IS.match(item_text, end)
        if that_is is None:
            continue
        if any(d.variable == defining and d.role == c.role and id(d) in at and that_is.end() <= at[id(d)] < that_is.end()
               + 60 for d in members):
            out[id(c)] = []
    return out


_FITNESS_VARIABLES = frozenset({"transplant_candidate", "intensive_chemo_candidate"})
_REASONS_AFTER = re.compile(r"\s*\((?P<bracket>[^()]*)\)|[^.;()]{0,30}?\b(?:because\s+of|due\s+to|owing\s+to"
                            r"|on\s+account\s+of|as\s+a\s+result\s+of|for\s+reasons\s+such\s+as)\b(?P<clause>[^.;]*)",
                            re.IGNORECASE)


# "Active hepatitis or cirrhosis with bilirubin, AST and ALT above 3 × ULN": an organ disease the model has no variable
# for, with the lab limits that make it exclusionary
_UNREAD_DISEASE_WITH = re.compile(
    r"\b(?:hepatitis|cirrhosis|(?:liver|hepatic|renal|kidney)\s+(?:disease|impairment|dysfunction|failure|insufficiency))"
    r"\b[^.;:]{0,25}?\bwith\b[^.;:]*$", re.IGNORECASE)


def _limits_of_an_unread_disease(item_text: str, members: Sequence[ExtractedCriterion], at: dict[int, int], group: str
                                 ) -> dict[int, list[ExtractedCriterion]]:
    """An exclusion of an organ disease that holds only with lab limits ("cirrhosis with bilirubin above 3 × ULN"): the
    limits alone would exclude patients without the disease, and the disease is not read, so the limits go into a
    conditional group: the line never rules a patient out on its own (the study team judges it)."""
    out: dict[int, list[ExtractedCriterion]] = {}
    for c in members:
        if c.role != "excludes" or c.group or id(c) not in at or _interval(c) is None:
            continue
        if _UNREAD_DISEASE_WITH.search(item_text[: at[id(c)]]):
            out[id(c)] = [replace(c, group=group)]
    return out


# "RCUD, RCMD or RARS with ring sideroblasts ≥ 15%": the sideroblast limit defines the last, ring-sideroblast
# subtype of a list of subtypes, not the others ("RA, RARS or RCMD-RS with …" as well)
_LIST_THEN_RS_SUBTYPE = re.compile(
    r"\b(?-i:[A-Z][A-Za-z0-9/-]{1,9})\s*(?:,\s*(?-i:[A-Z][A-Za-z0-9/-]{1,9})\s*)*,?\s*(?:or|and/or)\s+"
    r"(?P<last>(?-i:RARS(?:-T)?|RCMD[-/]RS|MDS-RS(?:-[SM]LD)?)|refractory\s+an(?:a)?emia\s+with\s+ring(?:ed)?\s+sideroblasts)"
    r"\s*(?:\([^()]{0,20}\)\s*)?,?\s*\(?\s*(?:with|and|defined\s+by|i\.\s?e\.)\s+(?:[^.;,()]{0,20}?\s)?$", re.IGNORECASE)
_RS_SUBTYPE = re.compile(r"(?-i:RS\b)|sideroblast", re.IGNORECASE)


def _limit_of_the_last_subtype(item_text: str, members: Sequence[ExtractedCriterion], at: dict[int, int]
                               ) -> dict[int, list[ExtractedCriterion]]:
    """A ring-sideroblast limit written after the last of a list of subtypes, only one or some of which are defined by
    ring sideroblasts: asked of everyone, it would rule out patients of the other subtypes. Which subtype a patient has
    is not always known, so the limit is left out (the subtypes themselves are read elsewhere)."""
    out: dict[int, list[ExtractedCriterion]] = {}
    for c in members:
        if c.variable != "ring_sideroblasts_pct" or c.group or id(c) not in at:
            continue
        listed = _LIST_THEN_RS_SUBTYPE.search(item_text[: at[id(c)]])
        if listed is None:
            continue
        names = _CASE_PARTS.split(item_text[listed.start() : listed.start("last")])
        if any(name.strip() and not _RS_SUBTYPE.search(name) for name in names):
            out[id(c)] = []
    return out


def _reasons_for_unfitness(item_text: str, members: Sequence[ExtractedCriterion], at: dict[int, int]
                           ) -> dict[int, list[ExtractedCriterion]]:
    """'Not a candidate for transplant (unfit, no suitable donor, or declines)', 'ineligible for intensive chemotherapy
    because of age ≥ 75 or comorbidities': the reasons listed as alternatives are ways of being unfit, not requirements
    of their own (read as such, a patient unfit for another of the reasons would be ruled out). The unfitness itself
    stays the requirement."""
    out: dict[int, list[ExtractedCriterion]] = {}
    for c in members:
        unfit = (c.role == "required" and c.value is False) or (c.role == "excludes" and c.value is True)
        if c.variable not in _FITNESS_VARIABLES or not unfit or id(c) not in at:
            continue
        end = at[id(c)] + len(c.text or "")
        reasons = _REASONS_AFTER.match(item_text, end)
        if reasons is None:
            continue
        span = reasons.span("bracket") if reasons.group("bracket") is not None else reasons.span("clause")
        reasons_text = re.sub(r"\bor\s+(?:more|older|less|above|higher|greater|fewer|younger|over|under|below)\b", " ",
                              item_text[span[0] : span[1]], flags=re.IGNORECASE)
        if not re.search(r"\b(?:or|and/or)\b", reasons_text, re.IGNORECASE):
            continue
        out.update({id(r): [] for r in members if r is not c and id(r) in at and span[0] <= at[id(r)] < span[1]})
    return out


def _limits_for_an_unread_case(item_text: str, members: Sequence[ExtractedCriterion], at: dict[int, int], group: str
                               ) -> dict[int, list[ExtractedCriterion]]:
    """'Bilirubin ≤ 1.5 × ULN, or ≤ 3 × ULN in subjects with Gilbert's syndrome', 'QTcF > 480 ms (or > 500 ms with a
    bundle-branch block)': two limits on one number, the second for patients a case names that was not read (a case
    read is handled by conditional_criteria). Whether the patient is in the case is not known, so the looser limit holds
    for everyone and the stricter one is kept as a condition that never rules anyone out on its own."""
    out: dict[int, list[ExtractedCriterion]] = {}
    by_variable: dict[tuple[str, str], list[ExtractedCriterion]] = {}
    for c in members:
        if c.role in ("required", "excludes") and not c.group and id(c) in at and _interval(c) is not None \
                and c.operator in _UPPER | _LOWER:
            by_variable.setdefault((c.variable, c.role), []).append(c)
    for (_, role), limits in by_variable.items():
        if len(limits) != 2 or len({c.operator in _UPPER for c in limits}) != 1:
            continue
        first, second = sorted(limits, key=lambda c: at[id(c)])
        if first.value == second.value or not _FOR_A_CASE.match(item_text, at[id(second)] + len(second.text or "")):
            continue
        upper = first.operator in _UPPER
        # required: the higher ceiling (or lower floor) admits more; excluded: the higher floor (or lower ceiling)
        # excludes fewer
        keep_high = upper if role == "required" else not upper
        loosest = max(limits, key=lambda c: c.value) if keep_high else min(limits, key=lambda c: c.value)
        out.update({id(c): [replace(c, group=group)] for c in limits if c is not loosest})
    return out


def _interval(c: ExtractedCriterion) -> tuple[float, float, bool, bool] | None:
    """(low, high, low included, high included) of a numeric requirement; None for anything else."""
    v = c.value
    if c.operator == "between" and isinstance(v, (list, tuple)) and len(v) == 2 and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
        return float(v[0]), float(v[1]), True, True
    if c.operator == "in" and c.variable in WHOLE_NUMBER_SCALES and isinstance(v, (list, tuple)) and v and all(
            isinstance(x, int) and not isinstance(x, bool) for x in v) and sorted(v) == list(range(min(v), max(v) + 1)):
        return float(min(v)), float(max(v)), True, True  # "ECOG 0, 1 or 2": a run of whole numbers
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return None
    return {">=": (float(v), float("inf"), True, False), ">": (float(v), float("inf"), False, False),
            "<=": (float("-inf"), float(v), False, True), "<": (float("-inf"), float(v), False, False)}.get(c.operator)


def _disjoint_requirements(members: Sequence[ExtractedCriterion], group: str) -> dict[int, list[ExtractedCriterion]]:
    """'Patients ≥ 18 years; in the paediatric cohort 12-17 years': two requirements on one variable of one line that
    no value can meet together are two ways in, not both needed (read as both, everyone would be ruled out)."""
    plain = [(c, iv) for c in members if c.role == "required" and not c.group and not c.scope
             and (iv := _interval(c)) is not None]
    out: dict[int, list[ExtractedCriterion]] = {}
    for i, (a, ia) in enumerate(plain):
        for b, ib in plain[i + 1 :]:
            if a.variable != b.variable:
                continue
            first, second = sorted((ia, ib), key=lambda x: x[0])
            apart = first[1] < second[0] or (first[1] == second[0] and not (first[3] and second[2]))
            if apart:
                out[id(a)] = [replace(a, group=group)]
                out[id(b)] = [replace(b, group=group)]
    return out


# "One of the following: Hb < 10 g/dL, platelets < 100, or ANC < 1.8" written on one line: one any-of group.
# "At least two of the following: ..." cannot be held by the criterion model (an any-of group would pass a patient
# with one of them, all of them required would rule out a patient with two): left out, as a sub-list of the same
# kind is, so the line is listed for the patient as unchecked.
_INLINE_CHOICE = re.compile(r"\b(?:(?:any|at\s+least|a\s+minimum\s+of)\s+)?(?P<k>one|1|two|2|three|3)\s+(?:or\s+more\s+)?"
                            r"of\s+(?:the\s+)?(?:following|these)\b[^:.;]{0,40}:\s*(?=\S)", re.IGNORECASE)


def _inline_choice(item_text: str, members: Sequence[ExtractedCriterion], at: dict[int, int], group: str
                   ) -> dict[int, list[ExtractedCriterion]]:
    header = _INLINE_CHOICE.search(item_text)
    if header is None:
        return {}
    inside = _required_up_to_paragraph_end(item_text, members, at, header.end(), header.end())
    if len(inside) < 2:
        return {}
    if header.group("k").lower() not in ("one", "1"):
        return {id(c): [] for c in inside}
    return {id(c): [replace(c, group=group)] for c in inside}


_PARAGRAPH_END = re.compile(r"\.\s|\n\s*\n")


def _required_up_to_paragraph_end(item_text: str, members: Sequence[ExtractedCriterion], at: dict[int, int],
                                  start: int, last_mark: int) -> list[ExtractedCriterion]:
    """The required conditions from `start` to the end of the sentence that holds `last_mark` (a list's last
    alternative), leaving out those already in a conditional group."""
    end_break = _PARAGRAPH_END.search(item_text, last_mark)
    end = end_break.start() if end_break else len(item_text)
    return [c for c in members if c.role == "required" and start <= at.get(id(c), -1) < end
            and not (c.group and c.group.startswith(CONDITIONAL_GROUP))]


# "(a) blasts >= 5% or (b) therapy-related MDS or (c) a complex karyotype": lettered (or numbered) alternatives.
_LIST_MARK = re.compile(r"(?:(?<=^)|(?<=[\s,;:]))\(?(?P<mark>[a-e]|i{1,3}|iv|[1-5])\)\s", re.IGNORECASE)
_OR_BEFORE_MARK = re.compile(r"(?:\bor|\band/or)[\s,;]*$", re.IGNORECASE)


def _lettered_alternatives(item_text: str, members: Sequence[ExtractedCriterion], at: dict[int, int], group: str
                           ) -> dict[int, list[ExtractedCriterion]]:
    """Required conditions inside a list of lettered alternatives joined by "or", as one any-of group (an
    alternative that is itself a list of options, "-7 or a complex karyotype", joins the same group)."""
    marks = list(_LIST_MARK.finditer(item_text))
    run: list[re.Match] = []
    for mark in marks:
        if run and _OR_BEFORE_MARK.search(item_text[run[-1].end() : mark.start()]):
            run.append(mark)
        elif not run or len(run) < 2:
            run = [mark]
        else:
            break
    if len(run) < 2:
        return {}
    inside = _required_up_to_paragraph_end(item_text, members, at, run[0].start(), run[-1].end())
    if len(inside) < 2:
        return {}
    # "either (a) IPSS-R > 3.5, or (b) IPSS-R <= 3.5 with transfusion dependence": a part of one alternative that
    # only denies another alternative adds nothing to "(a) or (b)" (it is (a) or transfusion dependence); kept, it
    # would make the group met by everyone
    starts = [m.start() for m in run]
    part = {id(c): bisect_right(starts, at.get(id(c), -1)) for c in inside}
    sizes = Counter(part.values())
    redundant = {id(c) for c in inside if sizes[part[id(c)]] > 1 and any(
        part[id(d)] != part[id(c)] and [(n.variable, n.operator, n.value) for n in _negations(d)]
        == [(c.variable, c.operator, c.value)] for d in inside)}
    return {id(c): [] if id(c) in redundant else [replace(c, group=group)] for c in inside}


# Conditions on a line: "X are allowed only if Y", "patients 70-75 are eligible if Y", "If X, Y", "Y (… if X)",
# "X is allowed, as long as Y". The line holds for everyone as (not X) or Y. A permission with no condition
# ("patients with therapy-related MDS are eligible") is not a requirement at all.
_CONDITION = re.compile(r"\b(?:only\s+in\s+(?=(?:patients|subjects|participants|those|people)\s+(?:with|without|who)\b)"
                        r"|only\s+if|if|provided(?:\s+that)?|as\s+long\s+as)\b(?!\s+(?:applicable|any|available|"
                        r"necessary|needed|known|possible|indicated|clinically|he/she\s+were|they\s+were|sexually"
                        # "willing to undergo a transplant if a donor becomes available": a time to come, no case
                        r"|(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?donors?\s+(?:becomes?|is\s+found|later)\b))"
                        # "Where only a haploidentical donor is available, the patient must be 65 or younger"
                        r"|^[\s\-*•]*(?:where|when|in\s+case(?:\s+of)?)\b(?=[^.;]{3,120},)",
                        re.IGNORECASE)
_NOT_A_CONDITION_BEFORE = re.compile(r"\b(?:even|as)\s*$", re.IGNORECASE)
_BOTH_NEEDED = re.compile(r"provided|as\s+long\s+as", re.IGNORECASE)
_ONLY_IF = re.compile(r"only\s+(?:if|in)", re.IGNORECASE)
# the words of an exclusion just before "if": "you cannot take part if", "patients will be excluded if"
_EXCLUDED_IF = re.compile(SAID_EXCLUDED + r"[^.;]{0,30}$|\b(?:cannot|can\s*not|can't|may\s+not|must\s+not)\s+"
                          r"(?:take\s+part|join|participate|enrol+|be\s+(?:enrolled|included|in\s+(?:this|the)\s+"
                          r"(?:study|trial)))\b[^.;]{0,30}$", re.IGNORECASE)
# "X is allowed", "X may enrol": the words of a permission (shared with _ADMITTED below)
_ALLOWED_WORDS = (r"\b(?:is|are|will\s+be|would\s+be)\s+(?:also\s+)?(?:eligible|allowed|permitted|acceptable|included)\b"
                  r"|\b(?:may|can)\s+(?:also\s+)?(?:be\s+)?(?:enrolled|included|participate|enrol+|take\s+part|join)\b"
                  r"|\b(?:is|are)\s+(?:also\s+)?welcome\b")
_PERMISSION = re.compile(r"\b(?:does|do|will)\s+not\s+exclude\b|\bis\s+not\s+an?\s+(?:exclusion|reason\s+for\s+exclusion)\b"
                         r"|\b(?:is|are)\s+not\s+exclusionary\b"
                         r"|" + _ALLOWED_WORDS +
                         r"|\ballowed\b|\bpermitted\b|\bacceptable\b|\beligible\b", re.IGNORECASE)
# "Patients with X must Y", at the start of a sentence: Y is asked of the patients with X only.
_SUBGROUP_RULE = re.compile(r"\W*(?:note\s*:\s*)?(?:all\s+|any\s+)?(?:patients|subjects|participants|those|people)\s+(?:with|who\s+(?:have|are)|whose|having"
                            # "those older than 75 years must have …": the age words are the case
                            r"|(?P<age>(?=(?:aged|older|younger|over|under|above|below)\s+(?:than\s+)?\d)))"
                            r"\b(?P<case>(?:[^.;:]|\.(?=\d)){3,160}?)\b(?:must|should|need\s+to|are\s+required\s+to"
                            # "patients older than 75 need Hb ≥ 9": after an age case, "need(s)"/"require(s)" as well
                            r"|have\s+to|(?(age)(?:needs?|requires?)|(?!)))\b(?P<then>(?:[^.;]|\.(?=\d))*)", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.;]\s+|\(\s*)")
_CASE_PARTS = re.compile(r"\s*(?:,\s*)?\b(?:or|and/or)\b\s*|\s*,\s*")


def _partly_read(case_text: str, case: Sequence[ExtractedCriterion]) -> bool:
    """Whether a case written as alternatives ("creatinine > 1.2 or a history of renal disease") has parts no
    criterion was read from."""
    spans = []
    for c in case:
        at = case_text.find(c.text) if c.text else -1
        if at < 0:
            return False  # where the criterion was read is not known: not judged
        spans.append((at, at + len(c.text)))
    cuts = [0, *(x for m in _CASE_PARTS.finditer(case_text) for x in m.span()), len(case_text)]
    parts = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if case_text[a:b].strip()]
    return any(not any(a < s_end and s_start < b for s_start, s_end in spans) for a, b in parts)
# (the relation word may be missing: "Patients older than 75 must …" has the age words as its case)
_LINE_OPENING_SUBGROUP = re.compile(r"\W*(?:patients|subjects|participants|those|people)\s+(?:(?:with|who\s+(?:have|are)"
                                    r"|whose|having)\b\s*)?", re.IGNORECASE)


def _subgroup_rules(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    out = []
    for start in _SENTENCE_START.finditer(text):
        rule = _SUBGROUP_RULE.match(text, start.end())
        if rule:
            out.append((rule.span("case"), rule.span("then")))
    return out


# "X are (also) eligible", "X is acceptable", "X may participate": a case admitted.
_ADMITTED = re.compile(_ALLOWED_WORDS, re.IGNORECASE)
# The condition a line opens with ends at its first comma ("If AML not yet treated, the patient must be over 60 …").
_CONDITION_END = re.compile(r",|\bthen\b", re.IGNORECASE)
# ("KPS ≥ 80 if 65 or older, ECOG 0-1 if younger": a comma before a clause with its own "if" ends the first clause;
# "Prior HMA, if more than six cycles": a comma right before the "if" does not)
_CLAUSE_BREAK = re.compile(r";|\.\s|,\s*(?=(?:or|and)\b)|\bor\s+(?=if\b)|,(?=\s*(?!if\b)[^\s,;.()][^,;.()]{0,30}\bif\b)",
                           re.IGNORECASE)


def conditional_criteria(item_text: str, members: Sequence[ExtractedCriterion], item_start: int,
                         positions: dict[int, int] | None = None) -> dict[int, list[ExtractedCriterion]]:
    """Criteria of one item rewritten for the item's conditions: {id(criterion): what replaces it (nothing, to
    leave it out; two conditions for a negated range)}. Criteria the item does not condition are not in the map.

    (not X) or Y is written as one any-of group when the item's inclusion line allows it (every part of X
    can be negated, Y is one condition); otherwise Y's criteria go into a conditional group ("if:"), which
    never rules a patient out (service/patient/trials.py), and X, which describes a case, is left out."""
    # where each criterion is (two criteria may share words: "hypomethylating agent" twice in one item)
    at = {id(c): (positions or {}).get(id(c), item_text.find(c.text) if c.text else -1) for c in members}
    located = sorted(((at[id(c)], c) for c in members if at[id(c)] >= 0), key=lambda x: x[0])
    out: dict[int, list[ExtractedCriterion]] = {}
    if not located:
        return out
    conditioned: list[tuple[int, int]] = []  # clauses already read for a condition
    for marker in _CONDITION.finditer(item_text):
        if _NOT_A_CONDITION_BEFORE.search(item_text[: marker.start()]):
            continue
        if _OR_OTHERWISE.match(item_text, marker.start()):
            continue  # "SCr <= 1.5 x ULN or, if higher, CrCl >= 50": read below as A or B
        clause_start, clause_end = _clause_around(item_text, marker.start(), marker.end())
        free = [(at, c) for at, c in located if id(c) not in out]
        clause_start = _after_label(item_text, located, clause_start, marker.start())
        conditioned.append((clause_start, clause_end))
        admitted = _ADMITTED.search(item_text, clause_start, marker.start())
        if admitted is not None and _ALSO.search(item_text, clause_start, marker.start()):
            # "Patients over 65 who are untreated are also eligible if unfit": more patients admitted on a
            # condition. It asks nothing of anyone else: the case is left out, and the condition is kept for the
            # study team only (a conditional group never rules a patient out)
            out.update({id(c): [] for a, c in free if clause_start <= a < marker.start()})
            out.update({id(c): [replace(c, group=f"{CONDITIONAL_GROUP}{item_start + marker.start()}")]
                        for a, c in free if marker.start() <= a < clause_end})
            continue
        rewritten = _one_condition(item_text, free, marker, clause_start, clause_end, item_start)
        out.update(rewritten)
        out.update(_superseded(free, rewritten))
    out.update(_no_limit_for_a_case(item_text, located, out, item_start))
    rules = _subgroup_rules(item_text)
    for rule in rules:
        # "Patients with lower-risk MDS (IPSS low or int-1) must have failed an ESA": if X then Y. Only as one of
        # several such rules or after the line's own requirement: opening a line alone, "Patients with X must
        # have Y" may state who the trial is for (X and Y both required), and reading it as a condition would
        # admit everyone without X.
        case_span, then_span = rule
        if len(rules) < 2 and _LINE_OPENING_SUBGROUP.fullmatch(item_text[: case_span[0]]):
            continue
        case = [c for at, c in located if case_span[0] <= at < case_span[1] and id(c) not in out]
        then = [c for at, c in located if then_span[0] <= at < then_span[1] and id(c) not in out]
        if case and then:
            conditioned.append((case_span[0], then_span[1]))
            if _partly_read(item_text[case_span[0] : case_span[1]], case):
                # "patients with creatinine > 1.2 or a history of renal disease must …": (not A) or Y would let
                # the unread B through, so the rule only ever makes the patient's case unknown
                out.update({id(c): [] for c in case})
                out.update({id(c): [replace(c, group=f"{CONDITIONAL_GROUP}{item_start + case_span[0]}")] for c in then})
                continue
            out.update(_written_as_alternatives(case, then, item_start + case_span[0], item_text))
    out.update(_or_otherwise(item_text, [(at, c) for at, c in located if id(c) not in out], item_start))
    out.update(_unless(item_text, [(at, c) for at, c in located if id(c) not in out], item_start))
    out.update(_case_groups(item_text, [(at, c) for at, c in located if id(c) not in out], item_start, out))
    for permission in _ADMITTED.finditer(item_text):
        clause_start, clause_end = _clause_around(item_text, permission.start(), permission.end())
        if any(a <= permission.start() < b for a, b in conditioned) or _REQUIREMENT_WORDS.search(
                item_text[clause_start : permission.start()]):
            continue
        # "Patients with IPSS-R high-risk MDS are eligible" opening an inclusion line is how some records write
        # the requirement itself; only an aside admits a case ("MDS (therapy-related MDS are eligible)",
        # "... ; patients over 80 are also eligible").
        aside = _open_bracket(item_text, permission.start()) is not None or clause_start > 0 or bool(
            _ALSO.search(item_text[clause_start:clause_end]))
        if not aside:
            continue
        # "participants with therapy-related MDS are eligible": a case admitted, not a requirement.
        out.update({id(c): [] for at, c in located if clause_start <= at < permission.start() and id(c) not in out})
    out.update(_widened_ranges(located, out))
    out.update(_relaxed_limits(located, out))
    out.update(_looser_limit_on_an_unread_case(located, out))
    out.update(_limit_for_the_other_age_group(item_text, located, out, item_start))
    return out


# "…; no EPO limit for patients who failed an ESA", "there is no platelet limit for those with ITP": a limit lifted for
# a case; the words naming the variable sit between "no" and "limit"
_NO_LIMIT_FOR = re.compile(r"\bno\s+(?P<what>(?:[\w-]+\s+){1,3}?)(?:limit|restriction|requirement|cap|ceiling|floor"
                           r"|threshold|cut-?off|minimum|maximum)s?\s+(?:applies\s+|is\s+applied\s+)?(?:for|to|in)\s+"
                           r"(?:the\s+)?(?:patients|those|people|participants|subjects)\b", re.IGNORECASE)


def _no_limit_for_a_case(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]],
                         rewritten: dict[int, list[ExtractedCriterion]], item_start: int
                         ) -> dict[int, list[ExtractedCriterion]]:
    """'sEPO < 500 U/L; no EPO limit for patients who failed an ESA': the case after "no … limit for" is not asked of
    anyone; it is the other way to meet the limit the item sets on that variable: (the limit) or (the case)."""
    from etl.nlp.thresholds import _CUES

    out: dict[int, list[ExtractedCriterion]] = {}
    for match in _NO_LIMIT_FOR.finditer(item_text):
        _, clause_end = _clause_around(item_text, match.start(), match.end())
        case = [c for at, c in located if match.end() <= at < clause_end and c.role == "required"]
        # the analyte named ("EPO", "platelet", "creatinine"), whichever unit its limit is in
        named = {name.split("_")[0] for name, cue in _CUES.items() if cue.search(match.group("what"))}
        limits = [c for at, c in located if at < match.start() and c.variable.split("_")[0] in named
                  and c.role == "required" and c.operator in _UPPER | _LOWER]
        if len(case) != 1 or len(limits) != 1 or any(len(rewritten.get(id(c), [c])) != 1 for c in (*case, *limits)):
            continue
        group = f"{ANY_OF_GROUP}nolimit{item_start + match.start()}"
        out.update({id(c): [replace(rewritten.get(id(c), [c])[0], group=group)] for c in (*case, *limits)})
    return out


# "CrCl >= 45 mL/min for patients aged 65 or over; >= 60 mL/min for those under 65", "HCT-CI <= 2 if aged 65 or over;
# HCT-CI <= 4 if younger": after the semicolon, the other age group's own limit
_OTHER_AGE_GROUP = re.compile(
    r"(?:\b(?:for|in|among)\s+(?:the\s+)?(?:those|patients|people|participants|subjects)\s+(?:who\s+are\s+)?(?:aged\s+)?"
    r"|\b(?:if|when)\s+(?:aged\s+)?)"
    r"(?:(?:(?P<under>under|below|younger\s+than|less\s+than)\s+|<\s*)(?P<n>\d{2})\b(?!\s*(?:%|[a-zA-Z]+/))"
    r"|(?:≥|>=|>\s*or\s*=|=>)\s*(?P<over>\d{2})\b(?!\s*(?:%|[a-zA-Z]+/))|(?P<word>younger|older)\b)"
    r"|\bfor\s+(?P<word2>younger|older)\s+(?:patients|people|participants|subjects)\b", re.IGNORECASE)
_OR_THE_OTHER_GROUP = re.compile(r"(?<![<>≤≥])(?<![<>]\s)\b(?:or|and/or)\b(?!\s*=|\s+(?:more|less|older|younger|greater"
                                 r"|higher|lower|above|below|over|under|fewer|equal)\b)|,", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;,]|\.\s")
_NAME_IN_BRACKETS = re.compile(r"\s*\([^()]{1,40}\)")
_SENTENCE_START_BEFORE = re.compile(r"(?s).*(?:[.;:]\s)")
_LIMIT_WORDS = re.compile(r"[<>≤≥=]|\b(?:at\s+least|at\s+most|below|under|above|over|more|less|greater|up\s+to|of)\b|\d",
                          re.IGNORECASE)


def _limit_for_the_other_age_group(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]],
                                   rewritten: dict[int, list[ExtractedCriterion]], item_start: int
                                   ) -> dict[int, list[ExtractedCriterion]]:
    """A limit for one age group (read as (not the group) or the limit) and, after a semicolon, another limit on the
    same variable for the other age group ("… for those under 65", "… if younger"): the second is (not the other
    group) or its limit. Left alone, the second clause would be lost or held as a condition that never rules out,
    and the first group's alternative would admit the other group whatever its value."""
    from etl.nlp.thresholds import parse_thresholds

    where = {id(c): at for at, c in located}
    groups: dict[str, list[tuple[int, ExtractedCriterion]]] = {}
    for key, cs in rewritten.items():
        for c in cs:
            if c.group and c.group.startswith(ANY_OF_GROUP) and key in where:
                groups.setdefault(c.group, []).append((key, c))
    out: dict[int, list[ExtractedCriterion]] = {}
    for members in groups.values():
        if len(members) != 2:
            continue
        ages = [(k, c) for k, c in members if c.variable == "age" and c.operator in _UPPER | _LOWER]
        limits = [(k, c) for k, c in members if c.variable != "age" and c.operator in _UPPER | _LOWER
                  and isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
        if len(ages) != 1 or len(limits) != 1:
            continue
        (age_key, age), (limit_key, limit) = ages[0], limits[0]
        last = max(where[k] for k, _ in members)
        semicolon = item_text.find(";", last)
        following = item_text.find(";", semicolon + 1) if semicolon >= 0 else -1
        # "KPS ≥ 80% for patients ≥ 60 years or ≥ 70% for patients < 60", "KPS ≥ 80 if 60 or older, ≥ 70 if younger":
        # an "or" (not the one of "> or =") or a comma in one sentence joins the other group's limit as well as a
        # semicolon does; the other group's clause then ends at the next comma
        joined = _OR_THE_OTHER_GROUP.search(item_text, last)
        if joined is not None and (semicolon < 0 or joined.start() < semicolon) \
                and not _SENTENCE_BREAK.search(item_text, last, joined.start()):
            semicolon = joined.end() - 1
            following = m.start() if (m := _CLAUSE_END.search(item_text, semicolon + 1)) else -1
        if semicolon < 0:
            continue
        clause_end = following if following >= 0 else len(item_text)
        clause = item_text[semicolon + 1 : clause_end]
        other = _OTHER_AGE_GROUP.search(clause)
        if other is None:
            continue
        case_is_older = age.operator in _UPPER  # the group holds "not the case": age < 65 for "65 or over"
        word = (other.group("word") or other.group("word2") or "").lower()
        if word:
            if (word == "younger") != case_is_older:
                continue
            alternative = replace(age, operator=invert_operator(age.operator) or age.operator)
        elif other.group("over"):  # the other group is the older one: the first case must be the younger one
            if case_is_older:
                continue
            alternative = replace(age, operator="<", value=int(other.group("over")))
        else:
            if not case_is_older:
                continue
            alternative = replace(age, operator=">=", value=int(other.group("n")))
        owned = [(at, c) for at, c in located if semicolon < at < semicolon + 1 + other.start()
                 and c.variable == limit.variable and c.operator in _UPPER | _LOWER]
        group = f"{ANY_OF_GROUP}other-age{item_start + semicolon}"
        alternative = replace(alternative, text=other.group().strip(), group=group)
        # the other group's age, read on its own ("those younger than 70"), names the case, asks nothing by itself
        out.update({id(c): [] for at, c in located if c.variable == "age"
                    and semicolon + 1 + other.start() <= at < semicolon + 1 + other.end()})
        if len(owned) == 1:
            second = replace(owned[0][1], group=group)
            out[id(owned[0][1])] = [second, alternative]
            continue
        if owned:
            continue
        cue = limit.text[: m.start()] if limit.text and (m := _LIMIT_WORDS.search(limit.text)) else ""
        words = clause[: other.start()].strip(" ,")
        found = [t for t in parse_thresholds(f"{cue} {words}") if t.variable == limit.variable] if cue.strip() else []
        written_as = limit.text or ""
        if not found and limit.text and words:
            # the limit named around the first one ("Performance status ≥ 80% (Karnofsky) …"): the same words with
            # the second limit in its place
            at = where[limit_key]
            end = at + len(limit.text)
            if item_text[at:end] == limit.text:
                bracket = _NAME_IN_BRACKETS.match(item_text, end)
                sentence = _SENTENCE_START_BEFORE.search(item_text[:at])
                head = item_text[sentence.end() if sentence else 0 : at]
                tail = bracket.group() if bracket else ""
                found = [t for t in parse_thresholds(f"{head}{words}{tail}") if t.variable == limit.variable]
                written_as = f"{head}{limit.text}{tail}"
        if len(found) != 1 or found[0].operator not in _UPPER | _LOWER:
            continue
        operator = found[0].operator
        # the first limit as written ("Karnofsky below 80" under Exclusion) was turned round into what is required
        # (≥ 80); the second, written the same way, is turned round as well
        written = [t.operator for t in parse_thresholds(written_as) if t.variable == limit.variable]
        if len(written) != 1 or written[0] not in _UPPER | _LOWER:
            continue
        if (written[0] in _UPPER) != (limit.operator in _UPPER):
            operator = invert_operator(operator) or operator
        second = replace(limit, operator=operator, value=found[0].value, text=words, group=group)
        out[age_key] = [*rewritten[age_key], second, alternative]
    return out


def _looser_limit_on_an_unread_case(located: Sequence[tuple[int, ExtractedCriterion]],
                                    rewritten: dict[int, list[ExtractedCriterion]]) -> dict[int, list[ExtractedCriterion]]:
    """'AST ≤ 3 × ULN (≤ 5 × ULN if the liver is involved)' with the case not read: the looser limit went into a
    conditional group and the plain one stayed, ruling out patients the case may admit. Whether the patient is in the
    case is not known, so the looser limit holds and the plain, stricter one becomes the conditional one."""
    out: dict[int, list[ExtractedCriterion]] = {}
    for _, plain in located:
        if id(plain) in rewritten or plain.group or plain.role != "required" or plain.operator not in _UPPER | _LOWER \
                or _interval(plain) is None:
            continue
        for _, limit in located:
            new = rewritten.get(id(limit)) or []
            if limit is plain or len(new) != 1 or not (new[0].group or "").startswith(CONDITIONAL_GROUP) \
                    or new[0].variable != plain.variable or new[0].role != "required" or _interval(new[0]) is None \
                    or (new[0].operator in _UPPER) != (plain.operator in _UPPER):
                continue
            looser = new[0].value > plain.value if plain.operator in _UPPER else new[0].value < plain.value
            if looser:
                out[id(plain)] = [replace(plain, group=new[0].group)]
                out[id(limit)] = [replace(new[0], group=None)]
                break
    return out


def _relaxed_limits(located: Sequence[tuple[int, ExtractedCriterion]], rewritten: dict[int, list[ExtractedCriterion]]
                    ) -> dict[int, list[ExtractedCriterion]]:
    """'Ring sideroblasts ≥ 15% (≥ 5% if SF3B1 is mutated)': a looser limit for a case is read as (the limit or not
    the case), which with the plain limit beside it would never admit the case. The line holds as the looser limit,
    and (the plain limit or the case): ring sideroblasts ≥ 5%, and (≥ 15%, or SF3B1 mutated). A stricter limit for
    a case ("Karnofsky ≥ 60 (≥ 80 over 70)") stays (the stricter limit or not the case)."""
    out: dict[int, list[ExtractedCriterion]] = {}
    for _, plain in located:
        if id(plain) in rewritten or plain.group or plain.role != "required" or isinstance(plain.value, bool) \
                or not isinstance(plain.value, (int, float)) or plain.operator not in _UPPER | _LOWER:
            continue
        for _, limit in located:
            new = rewritten.get(id(limit)) or []
            if id(limit) in out or len(new) != 1 or new[0].operator != limit.operator or limit.variable != plain.variable \
                    or not (new[0].group or "").startswith(ANY_OF_GROUP) or isinstance(limit.value, bool) \
                    or not isinstance(limit.value, (int, float)):
                continue
            looser = (plain.operator in _LOWER and limit.operator in _LOWER and limit.value < plain.value) or (
                plain.operator in _UPPER and limit.operator in _UPPER and limit.value > plain.value)
            if not looser:
                continue
            group = new[0].group
            cases = [(key, cs) for key, cs in rewritten.items() if key != id(limit) and any(c.group == group for c in cs)]
            if not cases or any(len(cs) != 1 or cs[0].variable == plain.variable or invert_operator(cs[0].operator) is None
                                for _, cs in cases):
                continue
            out[id(plain)] = [replace(plain, group=group)]
            out[id(limit)] = [replace(new[0], group=None)]
            for key, cs in cases:
                out[key] = [replace(cs[0], operator=invert_operator(cs[0].operator) or cs[0].operator)]
            break
    return out


# "A or, if higher, B", "A or, for patients whose SCr is above this, B", "A or, otherwise, B": the words between
# only say when B is needed (when A fails), so the line holds as A or B.
_OR_OTHERWISE = re.compile(
    r"(?:if\s+(?:higher|not|above(?:\s+(?:this|that|it|the\s+limit))?|elevated|abnormal|greater|exceeded|so|over)"
    r"|for\s+(?:patients|those|people|subjects)\s+(?:whose|with)\b[^,;.]{0,60}?\b(?:above|higher|over|exceed\w*|abnormal"
    r"|elevated|greater)\b[^,;.]{0,20}|otherwise|alternatively)\s*,", re.IGNORECASE)


def _or_otherwise(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]], item_start: int
                  ) -> dict[int, list[ExtractedCriterion]]:
    out: dict[int, list[ExtractedCriterion]] = {}
    for comma in re.finditer(r"\bor\s*,?\s*", item_text):  # "A or, if higher, B", "A, or if above this, B"
        phrase = _OR_OTHERWISE.match(item_text, comma.end())
        if phrase is None:
            continue
        before = item_text[: comma.start()].rstrip(" ")
        if before.endswith(","):  # "A, or if above this, B": A's clause ends before the comma
            before = before[:-1].rstrip(" ")
            clause_start, _ = _clause_around(item_text, max(0, len(before) - 1), len(before))
        else:
            clause_start, _ = _clause_around(item_text, comma.start(), comma.end())
        following = re.compile(r";|\.\s").search(item_text, phrase.end())
        end = following.start() if following else len(item_text)
        first = [c for at, c in located if clause_start <= at < comma.start() and c.role == "required" and not c.group]
        second = [c for at, c in located if phrase.end() <= at < end and c.role == "required" and not c.group]
        if not first or not second:
            continue
        group = f"{ANY_OF_GROUP}or{item_start + comma.start()}"
        out.update({id(c): [replace(c, group=group)] for c in [*first[-1:], *second]})
    return out


_UNLESS = re.compile(r"\b(?:unless|except\s+(?:if|when|where|in)|other\s+than\s+when)\b|" + EXCEPT_FOR_PATIENTS,
                     re.IGNORECASE)
# the words of a permission before "unless" ("is not exclusionary", "does not exclude", "is allowed"; not "eligible
# for", a fitness condition)
_PERMITTED_UNLESS = re.compile(r"(?:\b(?:does|do|will)\s+not\s+exclude\b|\b(?:is|are)\s+not\s+(?:an?\s+)?(?:exclusion\w*"
                               r"|reason\s+for\s+exclusion)\b|" + _ALLOWED_WORDS + r")(?!\s+(?:for|to)\b)", re.IGNORECASE)


def _unless(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]], item_start: int
            ) -> dict[int, list[ExtractedCriterion]]:
    """'Y unless X' in one clause: an inclusion line holds as Y or X; an exclusion line excludes only Y without X,
    that is, it requires (not Y) or X. When X was not read ("unless due to Gilbert's syndrome") Y stays as
    written; with several Ys (one X for each would be needed) they go into a conditional group."""
    out: dict[int, list[ExtractedCriterion]] = {}
    for marker in _UNLESS.finditer(item_text):
        clause_start, clause_end = _clause_around(item_text, marker.start(), marker.end())
        then = [c for at, c in located if clause_start <= at < marker.start() and id(c) not in out
                and not c.group and c.role in ("required", "excludes")]
        case = [c for at, c in located if marker.end() <= at < clause_end and id(c) not in out and not c.group]
        if not then:
            if case and _PERMITTED_UNLESS.search(item_text, clause_start, marker.start()):
                # "Therapy-related MDS is allowed unless TP53 is mutated" with the case allowed not read: the
                # exception rules out only patients in that case, so on its own it rules out no one
                out.update({id(c): [replace(c, group=f"{CONDITIONAL_GROUP}{item_start + marker.start()}")] for c in case})
            continue
        own = _own_polarity(item_text[marker.end() : clause_end], case)
        at = item_start + marker.start()
        if not case:
            # "bilirubin <= 2 mg/dL unless due to Gilbert's": an exception we cannot check is usually a rare one;
            # the limit stays (that patient sees it named), rather than every patient's limit becoming unknown
            continue
        group = f"{ANY_OF_GROUP}unless{at}"
        if _PERMITTED_UNLESS.search(item_text, clause_start, marker.start()):
            # "X is not exclusionary unless Y", "X is allowed unless Y": only X together with Y is out, under either
            # heading: (not X) or (not Y). With more than one X or Y, or one that cannot be negated, the line is left
            # to the study team (a conditional group never rules a patient out).
            permitted = {id(c): _named_positively(item_text[clause_start : marker.start()], c) for c in then}
            nots = [_negations(own.get(id(c), permitted.get(id(c), c))) for c in (*then, *case)]
            nots = [[replace(n, operator="==", value=not n.value) if n.operator == "!=" and isinstance(n.value, bool)
                     else n for n in ns] for ns in nots]
            if len(then) == 1 and len(case) == 1 and all(len(n) == 1 for n in nots):
                out.update({id(c): [replace(n[0], role="required", group=group)]
                            for c, n in zip((*then, *case), nots, strict=True)})
            else:
                out.update({id(c): [replace(c, group=f"{CONDITIONAL_GROUP}{at}")] for c in then})
                out.update({id(c): [] for c in case})
            continue
        firsts = [c if c.role == "required" else _required_negation(c) for c in then]
        if len(then) == 2 and len(case) == 1 and all(c.role == "excludes" for c in then) \
                and all(f is not None for f in firsts) and _defined_in_brackets(item_text, located, then):
            # "Hypocellular marrow (cellularity < 20%) unless a PNH clone is found", excluded: the bracket defines
            # the one condition excluded, so the line excludes it only without the exception: one any-of group
            out.update({id(c): [replace(f, group=group)] for c, f in zip(then, firsts, strict=True) if f is not None})
            out.update({id(c): [replace(own.get(id(c), c), role="required", group=group)] for c in case})
            continue
        if len(then) > 1 or any(f is None for f in firsts):
            out.update({id(c): [replace(c, group=f"{CONDITIONAL_GROUP}{at}")] for c in then})
            out.update({id(c): [] for c in case})
            continue
        out[id(then[0])] = [replace(f, group=group) for f in firsts if f is not None]
        out.update({id(c): [replace(own.get(id(c), c), role="required", group=group)] for c in case})
        stopped = _STOPPED_FOR_TOXICITY.search(item_text, marker.end(), clause_end)
        if stopped is not None and then[0].variable == "prior_therapies" and then[0].operator == "contains" \
                and then[0].role == "excludes" and firsts[0] is not None:
            # "Prior lenalidomide, except in patients with del(5q) who stopped it because of toxicity": the exception
            # also asks that the drug was stopped for toxicity (held as failed: failure covers intolerance), and
            # both parts of the exception must hold: (no prior X or del(5q)) and (no prior X or X failed)
            also = f"{group}:stopped"
            out[id(then[0])].append(replace(firsts[0], group=also))
            out[id(then[0])].append(replace(then[0], variable="failed_therapies", role="required", group=also,
                                            text=stopped.group()))
    return out


# "who stopped it because of toxicity", "discontinued for intolerance": the therapy just named was not tolerated
_STOPPED_FOR_TOXICITY = re.compile(
    r"\b(?:stopped|discontinued|came\s+off|had\s+to\s+stop|ceased)\s+(?:(?:it|them|this|that|the\s+drug|treatment"
    r"|therapy)\s+)?(?:because\s+of|due\s+to|for|owing\s+to|on\s+account\s+of)\s+(?:\w+\s+)?(?:toxicit\w*"
    r"|intoleran\w*|side[\s-]+effects?|adverse\s+(?:events?|effects?|reactions?))", re.IGNORECASE)


def _named_positively(words: str, c: ExtractedCriterion) -> ExtractedCriterion:
    """What a permission is about, as a condition that holds: in "A 17p deletion is not exclusionary" the "not" is the
    permission's, not a denial of the deletion."""
    if c.operator in ("not_contains", "not_in"):
        return replace(c, operator="contains" if c.operator == "not_contains" else "in")
    if isinstance(c.value, bool) and c.operator == "==":
        own = {t.variable: t.value for t in parse_conditions(_PERMITTED_UNLESS.split(words)[0])
               if isinstance(t.value, bool)}
        return replace(c, value=own[c.variable]) if c.variable in own else c
    return c


def _own_polarity(words: str, case: list[ExtractedCriterion]) -> dict[int, ExtractedCriterion]:
    """The exception's yes/no conditions as its own words say them. Under the exclusion heading a denial in the line
    may have been read as repeating the heading ("Age under 60, unless ineligible for intensive chemotherapy" made
    "ineligible" a fit patient), and "except in X" as a denial of X ("ANC >= 1.0, except in proliferative CMML"); the
    words after the marker are the exception itself, never a repeated "no" or a denial."""
    own = {t.variable: t.value for t in parse_conditions(words) if isinstance(t.value, bool)}
    return {id(c): replace(c, value=own[c.variable]) for c in case if isinstance(c.value, bool)
            and c.operator == "==" and c.variable in own}


def _defined_in_brackets(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]],
                         pair: Sequence[ExtractedCriterion]) -> bool:
    """Whether the second of two conditions is the first one's definition in a bracket just after it ("hypocellular
    marrow (cellularity under 20%)"): one condition written twice."""
    where = {id(c): a for a, c in located}
    first, second = sorted(pair, key=lambda c: where.get(id(c), -1))
    a, b = where.get(id(first), -1), where.get(id(second), -1)
    if a < 0 or b < 0:
        return False
    bracket = _open_bracket(item_text, b)
    return bracket is not None and a + len(first.text or "") <= bracket and not item_text[
        a + len(first.text or "") : bracket].strip() and ")" not in item_text[bracket:b]


def _required_negation(c: ExtractedCriterion) -> ExtractedCriterion | None:
    """An excluded condition as the requirement that it does not hold ('excludes creatinine > 2' → 'creatinine
    <= 2'); None when its negation is not one condition."""
    operator = invert_operator(c.operator)
    if operator is None:
        return None
    return replace(c, operator=operator, role="required")


def _upper_bound(c: ExtractedCriterion) -> float | None:
    if c.operator == "between" and isinstance(c.value, (list, tuple)) and len(c.value) == 2:
        return c.value[1]
    return c.value if c.operator == "<=" and isinstance(c.value, (int, float)) else None


def _widened_ranges(located: Sequence[tuple[int, ExtractedCriterion]], rewritten: dict[int, list[ExtractedCriterion]]
                    ) -> dict[int, list[ExtractedCriterion]]:
    """'Age 18 to 70; patients 70 to 75 are eligible if the HCT-CI is 2 or less': (18-70) or (70-75 and HCT-CI
    <= 2) is age 18-75 and (age <= 70 or HCT-CI <= 2). Left as age 18-70 plus the condition, the extension
    would never admit anyone."""
    out: dict[int, list[ExtractedCriterion]] = {}
    for _, plain in located:
        hi = _upper_bound(plain)
        if id(plain) in rewritten or plain.group or plain.role != "required" or hi is None:
            continue
        for _, case in located:
            negations = rewritten.get(id(case)) or []
            if case.variable != plain.variable or case.operator != "between" or not negations or not all(
                    n.group and n.group.startswith(ANY_OF_GROUP) and n.variable == case.variable for n in negations):
                continue
            low, top = case.value
            if not (low - 1 <= hi <= low + 1 and hi < top):
                continue  # the case must carry on where the plain range stops ("to 70; 70 to 75", "to 65; 66 to 70")
            widened = [top] if plain.operator == "<=" else [plain.value[0], top]
            out[id(plain)] = [replace(plain, value=widened[0] if plain.operator == "<=" else widened)]
            out[id(case)] = [replace(plain, operator="<=", value=hi, group=negations[0].group)]
    return out


# An age that says which patients a limit is for: "creatinine < 1.0 mg/dL in adolescents (patients 12 to 17 years
# of age)", "for children younger than 10", or a label opening the line ("Patients 18 years and older (adults):").
_AGE_GROUP_BEFORE = re.compile(
    r"\b(?:in|for|among)\s+(?:the\s+)?(?:[\w/()-]+\s+){0,3}?\(?(?:patients|subjects|participants|adults|adolescents"
    r"|teenagers|teens|children|kids|infants|population|those|people|persons|individuals)\b[^.;:]{0,22}$", re.IGNORECASE)
_AGE_LABEL = re.compile(r"\W*(?:(?:for|in)\s+)?(?:(?:all\s+)?(?:patients|subjects|participants|adults|children)\s*)?"
                        r"(?:(?:who\s+are\s+)?(?:aged|age[sd]?)\s*)?$", re.IGNORECASE)
_AGE_LABEL_AFTER = re.compile(r"^[^.;:]{0,40}:", re.IGNORECASE)
_CASE_THEN_CLAUSE = re.compile(r",\s*(?:there|they|he|she|it|the\s+patients?|patients?|subjects?|participants?)\b",
                               re.IGNORECASE)
# a limit written out before an age group ("Lansky ≥ 50 for children …", "score of 70% or more for …")
_UNREAD_LIMIT = re.compile(r"(?:[<>≤≥]|=<|>=|\bor\s*=)\s*\d|\d\s*%?\s*(?:or\s+(?:more|higher|greater|above|less|lower"
                           r"|below)|and\s+(?:above|over|below|under))\b|\b(?:under|below|above|over|at\s+least|at\s+most"
                           r"|(?:less|more|greater|lower|higher)\s+than)\s+\d+(?:\.\d+)?\s*%", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"\.\s|;")


def _case_groups(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]], item_start: int,
                 rewritten: dict[int, list[ExtractedCriterion]] | None = None) -> dict[int, list[ExtractedCriterion]]:
    """A condition naming the patients a line's limits are for ("… in adolescents (patients 12 to 17 years of
    age)", "… in patients with creatinine > 1.5", a label "Patients 18 years and older (adults):") is a case,
    not a requirement: the limits of its sentence (of the whole line, for a label) hold for that case only,
    written as (not the case) or the limits where that can be, else as a conditional group that never rules
    a patient out. Read as requirements, "patients 12 to 17" and "patients 18 and older" would together rule
    out everyone."""
    out: dict[int, list[ExtractedCriterion]] = {}
    claimed: set[int] = set()  # limits already taken by an age group's case
    for at, c in located:
        # "Karnofsky < 70% for patients aged 60 or older" in the exclusion list: excluded when both hold, so the
        # age is the case there too, and the line asks (not the case) or (not the limit)
        excluded_age = c.role == "excludes" and c.variable == "age"
        if c.role != "required" and not excluded_age:
            continue
        before, after = item_text[max(0, at - 70) : at], item_text[at + len(c.text or "") :]
        # "… for those with creatinine at least 1.5", "clearance ≥ 60 in patients with creatinine > 1.5"
        opening = _SUBGROUP_BEFORE.search(before[-80:])
        # ("For patients who had an HSCT, there can be no GVHD": the case ends at the comma; GVHD is what is asked)
        subgroup = opening is not None and not _CASE_THEN_CLAUSE.search(opening.group(0))
        label = c.variable == "age" and bool(_AGE_LABEL.fullmatch(item_text[:at])) and bool(_AGE_LABEL_AFTER.match(after))
        if not subgroup and not (c.variable == "age" and (label or _AGE_GROUP_BEFORE.search(before))):
            continue
        if label and excluded_age:
            continue
        if label:
            start, end = 0, len(item_text)
        else:
            # "… in adults over 60 with poor-risk features" in a disease's definition says who qualifies: only a
            # limit written before the age ("creatinine < 1.0 mg/dL in adolescents 12-17") is the age's case.
            start = max((b.end() for b in _SENTENCE_BREAK.finditer(item_text, 0, at)), default=0)
            end = at
            bracket = _open_bracket(item_text, at)
            if bracket is not None and bracket >= start and any(
                    bracket < t_at < at and t is not c and t.variable != "age" for t_at, t in located):
                start = bracket + 1  # "Karnofsky ≥ 60 (≥ 80 for patients older than 70)": the bracket's limit only
            opening = _SUBGROUP_BEFORE.search(item_text, start, at)
            age_opening = _AGE_GROUP_BEFORE.search(item_text, start, at) if c.variable == "age" else None
            if c.variable == "age" and not subgroup and age_opening is not None \
                    and not item_text[start : age_opening.start()].strip(" -,(") \
                    and re.match(r"[^.;:]{0,25}?,", after):
                # "In adults over 60, HCT-CI ≤ 3": an age group opening the sentence, its limits after the comma
                following = _SENTENCE_BREAK.search(item_text, at)
                start, end = at + 1, following.start() if following else len(item_text)
            if subgroup and opening is not None and not item_text[start : opening.start()].strip(" -,("):
                # "For patients with creatinine ≥ 1.5, clearance > 50": the limits after the case are its own
                following = _SENTENCE_BREAK.search(item_text, at)
                start, end = at + 1, following.start() if following else len(item_text)
        then = [t for t_at, t in located if start <= t_at < end and t is not c and t.variable != "age"
                and _interval(t) is not None and t.role == c.role]
        if label and not then:
            # "Patients 18 and older (adults): creatinine < 1.0; if above, GFR > 60": the line's limits were read as
            # one any-of group already; the label's case is one more way through it (a child is not asked it)
            groups = {n.group for new in (rewritten or {}).values() for n in new
                      if n.group and n.group.startswith(ANY_OF_GROUP) and n.role == "required"}
            negations = _negations(c)
            out[id(c)] = [replace(n, group=next(iter(groups))) for n in negations] \
                if len(groups) == 1 and len(negations) == 1 else []
            continue
        # "ECOG <= 2, or <= 1 for patients over 75": of two limits on one variable, the one nearest the case is
        # the case's own; the earlier one is everyone's limit
        nearest = {t.variable: t for t in then}
        then = [t for t in then if nearest[t.variable] is t]
        if then and c.variable == "age" and all(id(t) in claimed for t in then):
            # "HCT-CI ≤ 3 for patients 65 or older, or 4 or less for those younger": the earlier limit is the
            # earlier age group's; this group's own limit was not read, and its age alone asks nothing
            out[id(c)] = []
            continue
        claimed.update(id(t) for t in then)
        age_group = _AGE_GROUP_BEFORE.search(before)
        if not then and not subgroup and c.variable == "age" and age_group is not None and c.role == "required" \
                and (own := _limit_named_before(item_text, located, start,
                                                max(0, at - 70) + age_group.start(), c)) is not None:
            # "ECOG 0-2; 0-1 for patients over 75": the age group's limit names no variable; it is the one before
            written = _written_as_alternatives([c], [own], item_start + at, item_text)
            out[id(c)] = [*written.get(id(c), []), *written.get(id(own), [])]
            continue
        if not then and not subgroup and _UNREAD_LIMIT.search(item_text, start, end) \
                and age_group is not None and age_group.group(0).lower().startswith("for"):
            # "Lansky ≥ 50 for patients who are 16 or younger": the age picks who the limit is for, and the limit
            # was not read; the age alone is no requirement (read as one, it would rule out everyone older)
            out[id(c)] = []
            continue
        if not then and not subgroup:
            continue
        if excluded_age:
            maybe = [_required_negation(t) for t in then]
            negations = [n for n in maybe if n is not None]
            if len(negations) != len(then):
                continue
            case = replace(c, role="required")
            written = _written_as_alternatives([case], negations, item_start + at, item_text)
            originals = {id(case): id(c), **{id(n): id(t) for n, t in zip(negations, then, strict=True)}}
            out.update({originals.get(key, key): value for key, value in written.items()})
            continue
        if not then:
            out[id(c)] = []  # a subgroup's own condition is never a requirement, limit or not
            continue
        out.update(_written_as_alternatives([c], then, item_start + at, item_text))  # (not the case) or the limit
    return out


_UPPER, _LOWER = {"<", "<="}, {">", ">="}


def _limit_named_before(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]], start: int, end: int,
                        case: ExtractedCriterion) -> ExtractedCriterion | None:
    """The limit item_text[start:end] states without naming its variable ("0-1", "1 or less"), read on the variable of
    the nearest limit before `start` ("ECOG 0-2; 0-1 for patients over 75"): that limit, re-read with these numbers."""
    from etl.nlp.thresholds import parse_thresholds

    words = item_text[start:end].strip(" ,;:(")
    earlier = [(t_at, t) for t_at, t in located if t_at < start and t is not case and t.variable != "age"
               and t.role == case.role and not t.group and _interval(t) is not None]
    if not words or not earlier or len(words) > 30 or not re.search(r"\d", words) \
            or re.search(r"[A-Za-z]{3,}", re.sub(r"\b(?:or|and|less|fewer|lower|below|under|more|greater|higher|above"
                                                r"|over|at|least|most|to|up)\b", "", words, flags=re.IGNORECASE)):
        return None  # no bare limit, or one that names something of its own
    _, limit = max(earlier, key=lambda x: x[0])
    cue = limit.text[: m.start()] if limit.text and (m := _LIMIT_WORDS.search(limit.text)) else ""
    found = [t for t in parse_thresholds(f"{cue} {words}") if t.variable == limit.variable] if cue.strip() else []
    if len(found) != 1 or found[0].operator not in _UPPER | _LOWER | {"between"}:
        return None
    return replace(limit, operator=found[0].operator, value=found[0].value, text=words)


def _superseded(located: Sequence[tuple[int, ExtractedCriterion]], rewritten: dict[int, list[ExtractedCriterion]]
                ) -> dict[int, list[ExtractedCriterion]]:
    """'Creatinine < 1.0 mg/dL; if creatinine > 1.0, then GFR > 60': the plain limit is the first of two
    alternatives the condition spells out (creatinine <= 1.0, or GFR > 60); kept on its own it would
    contradict the line's exception."""
    negated = [c for cs in rewritten.values() for c in cs if c.group and c.group.startswith(ANY_OF_GROUP)]
    out: dict[int, list[ExtractedCriterion]] = {}
    for _, plain in located:
        if id(plain) in rewritten or plain.group or plain.role != "required":
            continue
        for c in negated:
            same_side = (plain.operator in _UPPER and c.operator in _UPPER) or (
                plain.operator in _LOWER and c.operator in _LOWER)
            if c.variable == plain.variable and same_side and c.value == plain.value:
                out[id(plain)] = []
    return out


def _clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding text[start:end]: between clause breaks, or inside the bracket that holds it."""
    opening = _open_bracket(text, start)
    # a break inside another bracket ("t(15;17)") is not one of this clause's
    breaks = [b for b in _CLAUSE_BREAK.finditer(text) if _open_bracket(text, b.start()) == opening]
    clause_start = max((b.end() for b in breaks if b.end() <= start), default=0)
    clause_end = next((b.start() for b in breaks if b.start() >= end), len(text))
    if opening is not None:  # "ALT ≤ 2.5 × ULN (≤ 5 × ULN if the liver is involved)": the bracket is the clause
        clause_start = max(clause_start, opening + 1)
        closing = text.find(")", end)
        clause_end = min(clause_end, closing if closing >= 0 else clause_end)
    return clause_start, clause_end


def _after_label(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]], clause_start: int,
                 marker: int) -> int:
    """Where a condition's clause starts when a label ends in a colon before it ("Hypocellular MDS: cellularity
    < 30% if under 70"): the label is a requirement of its own, not a part of the conditioned clause. Only when
    criteria were read on both sides of the colon and no permission sits between it and the condition ("Patients
    with del(5q): eligible only if …" keeps its case)."""
    colon = item_text.rfind(":", clause_start, marker)
    if colon < 0 or _open_bracket(item_text, colon) != _open_bracket(item_text, marker):
        return clause_start
    before = any(clause_start <= at < colon for at, _ in located)
    between = any(colon < at < marker for at, _ in located)
    if not (before and between) or _PERMISSION.search(item_text, colon, marker):
        return clause_start
    return colon + 1


_TREATMENT_PLAN_AFTER = re.compile(r"\b(?:requires?|required|needs?|must\s+(?:first\s+)?(?:receive|have|undergo|be\s+given))\b"
                                   r"[^.;]{0,30}?\b(?:therapy|treatment|chemotherapy|induction|cytoreduction|debulking)\b"
                                   r"[^.;]{0,40}?\b(?:before|pre-?transplant\w*|prior\s+to|to\s+(?:reduce|lower|bring|achieve))\b",
                                   re.IGNORECASE)


def _one_condition(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]], marker: re.Match,
                   clause_start: int, clause_end: int, item_start: int) -> dict[int, list[ExtractedCriterion]]:
    pre = [c for at, c in located if clause_start <= at < marker.start()]
    post = [c for at, c in located if marker.end() <= at < clause_end]
    permission = next((p for p in _PERMISSION.finditer(item_text, clause_start, marker.start())), None)
    if not item_text[clause_start : marker.start()].strip(" -,("):
        # "If X, Y": X up to the first comma, Y after it.
        end = _CONDITION_END.search(item_text, marker.end(), clause_end)
        if end is None and post and _TREATMENT_PLAN_AFTER.search(item_text, marker.end(), clause_end):
            # "If 5% or more, requires therapy before transplant to bring the blasts down": what the case is given
            # first, which asks nothing of the patient
            return {id(c): [] for c in post}
        if end is None:  # "if the patient with untreated AML is under 60": where the case ends is not written
            case, then = [], post
        else:
            where = {id(c): at for at, c in located}
            case = [c for c in post if where[id(c)] < end.start()]
            then = [c for c in post if where[id(c)] >= end.start()]
    elif permission is not None:
        case, then = pre, post  # "X are allowed only if Y" (X may be a case the extractor cannot read)
    elif _ONLY_IF.match(marker.group()) and pre and post:
        case, then = pre, post  # "patients over 75 only if Karnofsky >= 70": X only if Y is "if X, then Y"
    elif _BOTH_NEEDED.match(marker.group()) and pre and post and all(c.role == "required" for c in pre + post):
        # "Ferritin above 1000 provided that 20 units or more were given": a requirement on a condition that is
        # itself required (no permission is qualified): both must hold
        return {}
    else:
        case, then = post, pre  # "Y if X"
    if not pre and _EXCLUDED_IF.search(item_text, clause_start, marker.start()):
        # "You cannot take part if you are pregnant", "Patients are excluded if …": the case is who is excluded
        return {id(c): [replace(c, role="excludes")] for c in post if c.role == "required" and not c.group}
    if not then:
        return {id(c): [] for c in case}  # a case admitted on a condition the extractor could not read
    if permission is not None and case is pre:
        excluded = _excluded_unless(item_text, located, case, then, marker, clause_end, item_start)
        if excluded is not None:
            return excluded
    return _written_as_alternatives(case, then, item_start + marker.start(), item_text)


_CONDITION_DENIAL = re.compile(r"\b(?:no|not|without|free\s+(?:of|from)|absence\s+of|negative\s+for|never)\b|n't\b",
                               re.IGNORECASE)
_CONDITION_PARTS = re.compile(r"\s*(?:,\s*)?\b(?:and|or|and/or)\b\s*|\s*,\s*", re.IGNORECASE)


def _excluded_unless(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]],
                     case: Sequence[ExtractedCriterion], then: Sequence[ExtractedCriterion], marker: re.Match,
                     clause_end: int, item_start: int) -> dict[int, list[ExtractedCriterion]] | None:
    """'Prior allo-SCT is allowed (is not exclusionary) provided there is no active GVHD', in the exclusion list:
    X excludes unless Y, that is (not X) or Y. The condition's polarity is its own words' (under the exclusion
    heading 'no active GVHD' was read as 'active GVHD excluded', whose negation is the condition). Conditions joined
    by 'and' would each need a group of their own with X in each; one trial's criteria hold X once, so the first is
    read and the rest are left to the study team: X is kept in a conditional group too (as when a part of the
    condition was not read), so a patient with X who meets the part read stays unknown. None when the line is not
    of that kind."""
    if len(case) != 1 or case[0].role != "excludes" or any(c.role != "excludes" or c.group for c in then):
        return None
    x = _required_negation(case[0])
    if x is None:
        return None
    where = {id(c): a for a, c in located}
    conditions = []
    for y in then:
        at = where.get(id(y), -1)
        if at < 0:
            return None
        words = item_text[marker.end() : at + len(y.text or "")]
        last_part = _CONDITION_PARTS.split(words)[-1]
        if _CONDITION_DENIAL.search(last_part) and (y.operator in ("not_contains", "not_in") or (
                y.operator == "==" and y.value is False)):
            conditions.append(replace(y, role="required"))  # "without del(5q)" read as written: already the denial
        elif _CONDITION_DENIAL.search(last_part):
            negation = _required_negation(y)
            if negation is None:
                return None
            conditions.append(negation)
        else:
            conditions.append(replace(y, role="required"))
    clause = item_text[marker.end() : clause_end]
    any_or = bool(re.search(r"\b(?:or|and/or)\b", clause, re.IGNORECASE))
    all_and = not any_or
    texts = [(where[id(y)] - marker.end(), where[id(y)] - marker.end() + len(y.text or "")) for y in then]
    cuts = [0, *(x for m in _CONDITION_PARTS.finditer(clause) for x in m.span()), len(clause)]
    parts = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if clause[a:b].strip(" .()")]
    partly_read = any(not any(a < t_end and t_start < b for t_start, t_end in texts) for a, b in parts)
    at = item_start + marker.start()
    if any_or and partly_read:
        return None  # one of the alternatives admitting X was not read: the conditional reading below
    out: dict[int, list[ExtractedCriterion]] = {}
    group = f"{ANY_OF_GROUP}if{at}"
    out[id(case[0])] = [replace(x, group=group)]
    if all_and and len(conditions) > 1:
        # (not X or Y1) and (not X or Y2) would need X twice, which one trial's criteria cannot hold: the first
        # condition is checked, and X is left to the study team for the others (below)
        out.update({id(y): [] for y in then[1:]})
        then, conditions, partly_read = then[:1], conditions[:1], True
    out.update({id(y): [replace(condition, group=group)] for y, condition in zip(then, conditions, strict=True)})
    if partly_read:
        out[id(case[0])].append(replace(case[0], group=f"{CONDITIONAL_GROUP}{at}"))
    return out


_RISK_DEFINITIONS = frozenset({"ipss_category", "ipssr_category", "ipssm_category", "marrow_blasts_pct"})


def _defined_risk_groups(members: Sequence[ExtractedCriterion], at: dict[int, int]) -> set[int]:
    """'high-risk MDS (>= 10% marrow blasts)', 'IPSS-R high or very high risk MDS': a risk group named with its
    definition beside it is read by the definition; the bare group would add a second, looser condition."""
    definitions = [at[id(c)] for c in members if c.variable in _RISK_DEFINITIONS and id(c) in at]
    return {id(c) for c in members if c.variable == "risk_group" and id(c) in at
            and any(abs(at[id(c)] - d) <= 60 for d in definitions)}


def _joined_by_or(text: str, members: Sequence[ExtractedCriterion]) -> bool:
    """Whether the members are alternatives in the text: 'or' between each pair, never 'and'."""
    spans = sorted((text.find(c.text), text.find(c.text) + len(c.text)) for c in members)
    if any(a < 0 for a, _ in spans):
        return False
    gaps = [_BRACKETS.sub(" ", text[a_end:b_start]) for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False)]
    return all(_OR.search(g) and not _AND.search(g) for g in gaps)


def _open_bracket(text: str, position: int) -> int | None:
    """Where the innermost bracket still open at `position` opens, if any."""
    depth_opens: list[int] = []
    for i, ch in enumerate(text[:position]):
        if ch == "(":
            depth_opens.append(i)
        elif ch == ")" and depth_opens:
            depth_opens.pop()
    return depth_opens[-1] if depth_opens else None


# "Patients must be … and are eligible", "Only X are eligible": a requirement, not only a permission.
_REQUIREMENT_WORDS = re.compile(r"\b(?:must|should|shall|required|need\s+to|have\s+to|only)\b", re.IGNORECASE)
_ALSO = re.compile(r"\b(?:also|too|as\s+well|even|likewise)\b", re.IGNORECASE)


def _negations(c: ExtractedCriterion) -> list[ExtractedCriterion]:
    """The conditions whose any-of is the negation of c: one, or two for a range."""
    if c.operator == "between" and isinstance(c.value, (list, tuple)) and len(c.value) == 2:
        return [replace(c, operator="<", value=c.value[0]), replace(c, operator=">", value=c.value[1])]
    operator = invert_operator(c.operator)
    return [replace(c, operator=operator)] if operator else []


# A case that names the patients of another disease's cohort: "patients with a previous AML are eligible only if in
# complete remission" asks the remission of them, the trial's own patients with an earlier AML
_CASE_COHORT = {"prior_aml": "cohort:AML"}


def _written_as_alternatives(case: Sequence[ExtractedCriterion], then: Sequence[ExtractedCriterion], at: int,
                             item_text: str = "") -> dict[int, list[ExtractedCriterion]]:
    cohorts = {_CASE_COHORT.get(c.variable) for c in case}
    if len(cohorts) == 1 and None not in cohorts and all(c.scope is None for c in case):
        own = {id(c): replace(c, scope=None) for c in then if c.scope in cohorts}
        if own:
            out = _written_as_alternatives(case, [own.get(id(c), c) for c in then], at, item_text)
            originals = {id(new): old_id for old_id, new in own.items()}
            return {originals.get(key, key): value for key, value in out.items()}
    # a case read as a denial in a requirement's line ("… if ESA-naive": prior ESA excluded) is "not X": its negation
    # is X itself
    denied_case = all(c.role == "required" for c in then) and any(c.role == "excludes" for c in case)
    negated = [[replace(c, role="required")] if denied_case and c.role == "excludes" else _negations(c) for c in case]
    one_condition = len(then) == 1 or (all(c.group for c in then) and len({c.group for c in then}) == 1) or (
        bool(item_text) and _joined_by_or(item_text, then))
    same_people = len({c.scope for c in [*case, *then]}) == 1
    if case and one_condition and same_people and all(negated) and all(
            c.role == "required" or (denied_case and c in case) for c in [*case, *then]):
        group = then[0].group or f"{ANY_OF_GROUP}if{at}"
        out = {id(c): [replace(n, group=group) for n in ns] for c, ns in zip(case, negated, strict=True)}
        out.update({id(c): [replace(c, group=group)] for c in then})
        return out
    if case and not same_people and len({c.scope for c in case}) == 1 and case[0].scope is not None:
        # "If untreated AML, age 60 or over": the case names another disease's patients, so the line is theirs.
        return {**{id(c): [] for c in case}, **{id(c): [replace(c, scope=case[0].scope)] for c in then}}
    return {**{id(c): [] for c in case}, **{id(c): [replace(c, group=f"{CONDITIONAL_GROUP}{at}")] for c in then}}


# Lines about the study's paperwork, not about the patient's health: consent, contraception, visits.
_ADMINISTRATIVE = re.compile(
    r"\bconsent\b|\bwilling(?:ness)?\b|\bable\s+to\s+(?:comply|understand|follow|provide|give|attend|read)"
    r"|\bcomply\b|\bcompliance\b|\bcontracepti\w*|\bbirth\s+control\b|\babstinen\w*|\bbarrier\s+method"
    r"|\bsign(?:ed|ing)?\b|\bREMS\b|\bgeographic|\bfollow-?up\s+visits?\b|\bstudy\s+(?:visits|procedures)\b",
    re.IGNORECASE)
MAX_UNCHECKED_LINES = 60
MAX_UNCHECKED_CHARS = 400


def _partly_read_items(document: Document, criteria: Sequence[ExtractedCriterion], spans) -> set[int]:
    """Where the items start that the reader would read only in part (etl/nlp/partial_lines.py): left unread whole."""
    starts = [span[0] for span in spans]
    located: dict[int, list[tuple[int, ExtractedCriterion]]] = {}
    for criterion in criteria:
        position = _position(criterion)
        index = bisect_right(starts, position) - 1
        if index >= 0 and position < spans[index][1]:
            located.setdefault(index, []).append((position - spans[index][0], criterion))
    out: set[int] = set()
    for index, members in located.items():
        start, end = spans[index][0], spans[index][1]
        section = document.section_at(start)
        kind = section.kind if section is not None else "eligibility"
        alternatives = spans[index][4]
        if partial_lines.reason(document.text[start:end], kind, members,
                                listed=alternatives is not None and alternatives[0] == "any"):
            out.add(start)
    return out


def unchecked_lines(document: Document, criteria: Sequence[ExtractedCriterion]) -> list[UncheckedLine]:
    """The record's eligibility lines for its own patients that no criterion was read from, in reading order:
    headers of a sub-list, lines about donors or another disease's cohort and paperwork left out."""
    positions = sorted(_position(c) for c in criteria)
    unread = _partly_read_items(document, criteria, item_spans(document))
    out: list[UncheckedLine] = []
    for start, end, scope, _denied, alternatives in item_spans(document):
        text = " ".join(document.text[start:end].split())
        if scope is not None and not is_arm(scope):
            continue
        if text.endswith(":") or len(text.split()) < 3 or _ADMINISTRATIVE.search(text):
            continue
        # "two or more of the following" (a sub-list, or on the line): never checked, whatever was read from it
        counted = (alternatives is not None and alternatives[0] in ("several", "defined")) or bool(
            (choice := _INLINE_CHOICE.search(text)) and choice.group("k").lower() not in ("one", "1"))
        index = bisect_right(positions, start - 1)
        if not counted and start not in unread and index < len(positions) and positions[index] < end:
            continue  # a criterion was read from this line
        section = document.section_at(start)
        kind = section.kind if section is not None and section.kind in CRITERIA_KINDS else "eligibility"
        out.append(UncheckedLine(kind, text[:MAX_UNCHECKED_CHARS]))
    return out[:MAX_UNCHECKED_LINES]


# Numbers an item gives that are not conditions on the patient: a category's definition ("RAEB, defined as
# 5-9% blasts", "first CR (< 5% blasts)"), a permitted exception ("isolated bilirubin > 1.5 × ULN is
# acceptable", "transfusions permitted to bring platelets above 10"), a condition for a sub-group ("… for those
# with creatinine at least 1.5"), and the header of a sub-list ("Patients with < 5% blasts must meet one of:").
_DEFINED = re.compile(
    r"\b(?:RAEB(?:-?T|-?[12])?|RARS|RA|RCMD|CMML(?:-?[12])?|remission|CR\d?|phase|crisis|transformation|relapse)"
    # (the definition's blood part too: "defined as 10-19% marrow blasts and/or 5-19% in the blood")
    r"\b(?:[^.]{0,25}?\bdefined\s+(?:as|by)\b[^.;]{0,15}(?:\d[^.;]{0,60}?\b(?:and/or|or|and)\b[^.;\d]{0,15})?"
    r"|[^.:]{0,60}:[^.;:]{0,50})$",
    re.IGNORECASE,
)
_SUB_LIST_HEADER = re.compile(r"\b(?:(?:one|any|all|each|both|two|\d+)\s+(?:or\s+more\s+)?of\s+the\s+following|following"
                              r"\s+(?:criteria|conditions|features)|must\s+meet)\b[^:]{0,40}:\s*$", re.IGNORECASE)
_PERMITTED_AFTER = re.compile(r"^[^.;()]{0,60}?\b(?:is|are|will\s+be)\s+(?:acceptable|allowed|permitted)\b"
                              r"(?![^.;]{0,12}\b(?:if|provided|as\s+long\s+as)\b)", re.I)  # conditions: see above
_PERMITTED_BEFORE = re.compile(r"\b(?:to\s+(?:bring|raise|increase|achieve|maintain|reach|reduce|lower|decrease)|isolated)"
                               r"\b[^.;()]{0,30}$",
                               re.IGNORECASE)
_SUBGROUP_BEFORE = re.compile(r"\b(?:for|in)\s+(?:those|patients|subjects|participants)\s+(?:who\s+are\s+)?"
                              r"(?:with|above|below|whose|having|who\s+have)\b[^.;]{0,40}$", re.IGNORECASE)
# "Hb ≤ 10 g/dL with or without RBC transfusion dependence": the second condition may or may not hold.
_EITHER_WAY = re.compile(r"\bwith\s+or\s+without\s+(?:(?!(?:other|than|except|excluding|but)\b)[\w()-]+\s+){0,5}$"
                         r"|\b(?:de\s+novo|primary)\s+(?:or|and/or)\s+$", re.IGNORECASE)
_EITHER_WAY_AFTER = re.compile(r"^\s*(?:MDS\s+)?(?:or|and/or)\s+(?:de\s+novo|primary|secondary)\b", re.IGNORECASE)
_THRESHOLD_VARIABLES_ONLY = frozenset({"karyotype_findings", "prior_therapies", "failed_therapies",
                                       "karyotype_abnormality_count"})
# "at least 4 RBC units in 8 weeks for a pre-transfusion Hb ≤ 9 g/dL": the haemoglobin says which transfusions
# count (the trigger), not a level the patient must have now
_TRANSFUSION_TRIGGER_BEFORE = re.compile(r"\b(?:pre-?\s?transfusion(?:al)?|transfusion\s+(?:trigger|threshold)(?:\s+of)?)"
                                         r"\s*(?:of\s+)?$", re.IGNORECASE)
_TRANSFUSION_UNITS = re.compile(r"\bunits?\b", re.IGNORECASE)


# "Patients with < 5% marrow blasts must meet at least one of the following:"
_HEADER_CASE = re.compile(r"^\W*(?:(?:patients|subjects|participants|those|people)\s+(?:with|whose|who\s+have|having)\s+"
                          r"(?P<case>[^:;]{3,80}?)\s+(?:must|should|need\s+to|are\s+required\s+to)\s+(?:meet|have|fulfil+)\s+"
                          # "Low-risk disease is allowed provided one of the following is met:" (a permission the
                          # sub-items buy: the case's negation is one more way through their any-of group)
                          r"|(?P<allowed>[^:;]{3,80}?)\s+(?:(?:is|are|will\s+be)\s+)?(?:also\s+)?(?:allowed|eligible|permitted"
                          r"|acceptable)\s+(?:provided|if|when|as\s+long\s+as|only\s+if)\s+(?:that\s+)?(?:they\s+(?:meet|have)\s+)?)"
                          r"(?:(?:any|either|at\s+least|a\s+minimum\s+of|≥|>=)\s*)?(?:one|1)\s+(?:or\s+more\s+)?of\s+the\s+"
                          r"following\b[^:]{0,40}:\s*$", re.IGNORECASE)


def _header_case(item_text: str, at: int, criterion: ExtractedCriterion) -> ExtractedCriterion | None:
    """The negation of the case a "one of the following" header is written for, when the criterion is that case's
    one numeric limit; None otherwise (a header with no case, a case that is not a number)."""
    match = _HEADER_CASE.match(item_text)
    case_group = ("case" if match is not None and match.group("case") is not None else "allowed")
    if match is None or not match.start(case_group) <= at < match.end(case_group) or criterion.role != "required" \
            or isinstance(criterion.value, bool) or criterion.variable in _THRESHOLD_VARIABLES_ONLY \
            or criterion.variable in CONDITION_VARIABLES:
        return None
    negated = invert_operator(criterion.operator)
    if negated is None:
        return None
    scale = _CATEGORY_SCALES.get(criterion.variable)
    if scale is not None and criterion.operator in ("==", "in"):
        # a category's negation as the scheme's other categories ("low" allowed on a condition: int-1, int-2 or high
        # pass anyway), the form in which the same condition is written elsewhere in the record
        named = criterion.value if isinstance(criterion.value, (list, tuple)) else [criterion.value]
        rest = [v for v in scale if v not in named]
        return replace(criterion, operator="in", value=rest) if rest else None
    return replace(criterion, operator=negated)


_MDS_NAMED = re.compile(r"\bMDS\b|myelodysplas", re.IGNORECASE)
_CATEGORY_SCALES = {"ipss_category": ["low", "intermediate_1", "intermediate_2", "high"],
                    "ipssr_category": ["very_low", "low", "intermediate", "high", "very_high"]}


def _relaxed_by_the_next_line(result: list[ExtractedCriterion], cases: set[int], spans, starts: list[int]
                              ) -> list[ExtractedCriterion]:
    """'- Intermediate or high-risk IPSS' then '- Low-risk IPSS allowed provided one of the following: …': the
    requirement on the line before a permission's header is one more way through the permission's any-of group (it
    is what the header's negated case says), not a requirement of its own that would rule out the permitted case."""
    moved: dict[int, ExtractedCriterion] = {}
    for case in (c for c in result if id(c) in cases):
        index = bisect_right(starts, _position(case)) - 1
        if index < 1:
            continue
        before_start, before_end = spans[index - 1][0], spans[index - 1][1]
        for c in result:
            if id(c) in cases or id(c) in moved or c.variable != case.variable or c.role != "required" \
                    or c.scope != case.scope or not before_start <= _position(c) < before_end:
                continue
            named = c.value if isinstance(c.value, (list, tuple)) else [c.value]
            if c.operator == "in" and set(named) <= set(case.value if isinstance(case.value, list) else [case.value]):
                moved[id(c)] = replace(c, group=case.group)
    return [moved.get(id(c), c) for c in result]


# A sub-item that names another disease ("- Chronic myelomonocytic leukemia", "- CML in blast phase") is that
# disease's way in, judged by the trial's population, not an alternative the patient's other values could meet
_ANOTHER_DISEASE_NAMED = re.compile(
    r"\bleuk(?:a)?emia\b|\blymphoma\b|\bmyeloma\b|myeloproliferative|myelofibrosis|\b(?-i:CMML|AML|ALL|CML|CLL|MPN|MPD)\b",
    re.IGNORECASE)


def _without_partly_read_alternatives(text: str, spans, result: list[ExtractedCriterion]) -> list[ExtractedCriterion]:
    """"Meets any of the following: - A - B - C - D" with nothing read from most of them: the any-of group of what was
    read would rule out a patient who meets an unread item only, so the list stays unread (its lines are listed for
    the patient as unchecked)."""
    children: dict[int, list[tuple[int, int]]] = {}
    for start, end, _, _, alternatives in spans:
        if alternatives is not None and alternatives[0] == "any":
            children.setdefault(alternatives[1], []).append((start, end))
    positions = [_position(c) for c in result]
    dropped: set[str] = set()
    for parent, items in children.items():
        group = f"{ANY_OF_GROUP}{parent}"
        if not any(c.group and c.group.split("/")[0] == group for c in result):
            continue
        # the list's own items are the least indented ones (a nested list's items are listed with the same parent);
        # an item followed by more indented ones heads a list of its own
        depth = [start - text.rfind("\n", 0, start) for start, _ in items]
        judged = unread = 0
        for i, (start, end) in enumerate(items):
            words = text[start:end].strip()
            if depth[i] != min(depth) or i + 1 < len(items) and depth[i + 1] > depth[i] or words.endswith(":") \
                    or _ANOTHER_DISEASE_NAMED.search(words):
                continue  # a nested list's item, a list of its own (judged by its own group), another disease's way in
            judged += 1
            unread += not any(start <= at < end for at in positions)
        # (a list read for the most part keeps its group: a known gap, the patients of its unread items are hidden)
        if unread * 2 > judged:
            dropped.add(group)
    return [c for c in result if not (c.group and c.group.split("/")[0] in dropped)]


def _alternative_itself(spans, starts: list[int], parent_start: int) -> bool:
    """Whether the item starting at `parent_start` (a "one of the following" parent) is itself one of the
    alternatives of a list above it."""
    index = bisect_right(starts, parent_start) - 1
    if index < 0 or spans[index][0] != parent_start:
        return False
    parent_alternatives = spans[index][4]
    return parent_alternatives is not None and parent_alternatives[0] == "any"


# "Under 55 and unfit for intensive chemotherapy, as shown by any of the following:": an alternative that joins its
# own conditions and then lists how one of them is shown
_JOINED_PARTS = re.compile(r"\b(?:and|together\s+with|along\s+with|as\s+well\s+as)\b", re.IGNORECASE)
_SHOWN_BY_ANY = re.compile(r",?\s*(?:as\s+)?(?:shown|indicated|evidenced|demonstrated|documented)\s+by\s+"
                           r"(?:any|one|at\s+least\s+one)\s+(?:\(?1\)?\s+)?of\s+the\s+following(?:\s+\w+)?\s*:?\s*$",
                           re.IGNORECASE)
_PART_DENIED = re.compile(r"\b(?:no|not|without|never|free\s+of|absence\s+of)\b|n't\b", re.IGNORECASE)


def _nested_alternatives(text: str, spans, raw: Sequence[ExtractedCriterion],
                         result: list[ExtractedCriterion]) -> list[ExtractedCriterion]:
    """'One of the following: - A; - B together with C, as shown by any of the following: - c1 - c2': the second
    alternative is an all-of nested in the any-of (B and C, and C shown by c1 or c2). Its conditions get the group
    path "any:<P>/all:<A>" and its sub-items "any:<P>/all:<A>/any:<A>" (mdskg/scopes.py), where a flat group would
    make B and C alternatives of their own (a patient meeting C alone would pass) and the sub-items would be asked
    of everyone. Read only where it reads safely: the alternative is one of at least two in its parent's list, for
    the trial's own patients; its own words join its parts with "and" / "together with", then the sub-list is
    introduced as "shown by any of the following"; every word-condition of its own is read once, as a condition
    that must hold (none denied); the sub-items are kept only when each of them gave a required condition, else
    they stay unread (listed as unchecked) and the all-of holds the parent's own conditions. Anything else is left
    as the other readings made it."""
    by_start = {span[0]: span for span in spans}
    out = result
    for start, end, scope, _denied, alternatives in spans:
        if alternatives is None or alternatives[0] != "any" or scope is not None:
            continue
        parent = alternatives[1]
        subs = [s for s in spans if s[4] is not None and s[4] == ("any", start)]
        siblings = [s for s in spans if s[4] is not None and s[4] == ("any", parent) and s[0] != start]
        if not subs or not siblings or parent not in by_start or _alternative_for_mds(text, parent):
            continue
        own_text = text[start:end]
        shown = _SHOWN_BY_ANY.search(own_text)
        if shown is None or not _JOINED_PARTS.search(own_text, 0, shown.start()):
            continue
        own_raw = [c for c in raw if start <= _position(c) < start + shown.start()]
        if len(own_raw) < 2 or len({(c.variable, c.text) for c in own_raw}) != len(own_raw):
            continue
        parts, safe = [], True
        for c in own_raw:
            at = _position(c) - start
            clause_start = max((m.end() for m in _JOINED_PARTS.finditer(own_text, 0, at)), default=0)
            words = own_text[clause_start : at + len(c.text or "")]
            if c.role == "required":
                parts.append(c)
            elif c.role == "excludes" and c.value is not True and c.value is not False \
                    and not _PART_DENIED.search(words):
                parts.append(replace(c, role="required"))  # the alternative's own words: a condition to meet
            else:
                safe = False
        if not safe:
            continue
        group = f"{ANY_OF_GROUP}{parent}"
        if not any(c.group == group for c in out if not (start <= _position(c) < end)):
            continue  # the parent's other alternatives were not read: not a group to nest into
        part_group = nested_group(group, ALL_OF_GROUP, start)
        sub_criteria: list[ExtractedCriterion] = []
        for sub_start, sub_end, *_ in subs:
            read = [c for c in raw if sub_start <= _position(c) < sub_end]
            if not read or any(c.role != "required" for c in read):
                sub_criteria = []
                break
            sub_criteria += [replace(c, scope=None, group=nested_group(part_group, ANY_OF_GROUP, start)) for c in read]
        inside = (start, max([end, *(s[1] for s in subs)]))
        out = [c for c in out if not inside[0] <= _position(c) < inside[1]]
        out += [replace(c, scope=None, group=part_group) for c in parts] + sub_criteria
    return out


def _alternative_for_mds(text: str, parent_start: int) -> bool:
    """Whether a parent alternative names MDS ("MDS meeting one of the following:"): its sub-items are what the
    trial asks of the MDS patients it admits, a group of their own."""
    line = text[parent_start : parent_start + 300].split("\n", 1)[0].split(":", 1)[0]
    return bool(_MDS_NAMED.search(line))


def not_a_condition(item_text: str, at: int, criterion: ExtractedCriterion, listed_alternative: bool = False) -> bool:
    """Whether the criterion's words, at `at` in its item, give a number that is not a condition (see above).
    `listed_alternative`: the item is one of the ways in under "one of the following:", where a category's
    definition ("RAEB, defined as 5-19% marrow blasts") is how a patient qualifies, one alternative among the rest."""
    before, after = item_text[max(0, at - 80) : at], item_text[at + len(criterion.text or "") :]
    if _EITHER_WAY.search(before) or _EITHER_WAY_AFTER.match(after):
        return True  # "MDS with or without del(5q)": may or may not hold
    if criterion.variable in _THRESHOLD_VARIABLES_ONLY:
        return False
    if _EXAMPLE_OF_AN_EXCEPTION.search(item_text[:at]):
        return True  # "infection, unless controlled (e.g. chronic hepatitis, HIV)": an example of who is let in
    if criterion.variable == "life_expectancy_months" and _OTHER_CAUSES_AFTER.match(after):
        return True  # "life expectancy < 6 months from causes other than the leukaemia": a comorbidity, not a limit
    if _interval(criterion) is not None and _TREATED_AFTER.match(after):
        return True  # "patients with WBC > 100,000/uL may be treated with leukapheresis first": a treatment plan
    if criterion.variable == "hemoglobin_g_dl" and _TRANSFUSION_TRIGGER_BEFORE.search(before) \
            and _TRANSFUSION_UNITS.search(item_text):
        return True
    if _SUB_LIST_HEADER.search(item_text) and criterion.variable not in CONDITION_VARIABLES:
        return True
    if criterion.variable in ("marrow_blasts_pct", "peripheral_blasts_pct") and _DEFINED.search(before) \
            and not (listed_alternative and criterion.role == "required"):
        return True
    if criterion.role == "required" and _interval(criterion) is None \
            and (bracket := _open_bracket(item_text, at)) is not None and _EXAMPLES_OPEN.match(item_text, bracket + 1):
        # "De novo or secondary MDS (including therapy-related disease)": an example of who may join (a number in such a
        # bracket, "(e.g. QTc > 500 ms)", is how the line is checked, and stays)
        return True
    if _PERMITTED_AFTER.match(after) and criterion.role == "required" and criterion.operator in ("<", "<=") \
            and _CEILING_WORDS.match(criterion.text or ""):
        return False  # "up to 2 prior regimens are allowed": what is allowed ends at the ceiling
    return bool(_PERMITTED_AFTER.match(after) or _PERMITTED_BEFORE.search(before)
                or _EITHER_WAY.search(before) or _EITHER_WAY_AFTER.match(after))


_EXAMPLE_OF_AN_EXCEPTION = re.compile(r"\b(?:unless|except)\b[^.;]*[(\[]\s*(?:e\.\s?g\.?|for\s+example|such\s+as"
                                      r"|including)[^)\]]*$", re.IGNORECASE)
# "life expectancy of < 6 months for reasons other than their leukaemia", "… due to conditions unrelated to MDS"
_OTHER_CAUSES_AFTER = re.compile(r"[^.;]{0,20}?\b(?:for|due\s+to|from|because\s+of|owing\s+to)\s+(?:any\s+)?(?:reasons?"
                                 r"|causes?|conditions?|diseases?|illness\w*|comorbidit\w*)\s+(?:other\s+than|unrelated\s+to"
                                 r"|not\s+related\s+to)\b", re.IGNORECASE)
# "a very high white count may first be lowered with hydroxyurea or leukapheresis before the study drug": what the patient
# may be given first, not a limit on who may join
_TREATED_AFTER = re.compile(r"[^.;]{0,30}?\b(?:can|may|should|must|will)\s+(?:first\s+)?(?:be\s+(?:treated|managed"
                            r"|given|cytoreduced)|receive|undergo)\b[^.;]{0,60}?\b(?:leukapheresis|hydroxyurea"
                            r"|hydroxycarbamide|cytoreduc\w*|before|prior\s+to)\b", re.IGNORECASE)
_EXAMPLES_OPEN = re.compile(r"\s*(?:including|incl\.?|e\.\s?g\.?,?|such\s+as|for\s+(?:example|instance),?)\s", re.IGNORECASE)
_CEILING_WORDS = re.compile(r"\W*(?:up\s+to|no\s+more\s+than|not\s+more\s+than|at\s+most|a\s+maximum\s+of|maximum\s+of"
                            r"|≤|<=)\s*(?:\d|one|two|three|four|five|six)\b", re.IGNORECASE)


_FAILURE_BEFORE = re.compile(r"\b(?:failed|failure|refractory|resistant|intoleran\w*|progress\w*|relapsed|lost)\b",
                             re.IGNORECASE)


def _position(criterion: ExtractedCriterion) -> int:
    """Where the criterion's words are in the document (a sentence may start at the item's bullet)."""
    ev = criterion.evidence
    at = ev.sentence.find(criterion.text) if criterion.text else -1
    if at >= 0 and criterion.variable in ("failed_therapies", "prior_therapies") \
            and ev.sentence.count(criterion.text) > 1:
        # "… if ESA-naive; no EPO limit for patients who failed a prior ESA": one therapy named twice; the failure is
        # the mention after a word of failure, the history the other one
        failure = criterion.variable == "failed_therapies"
        at = next((m.start() for m in re.finditer(re.escape(criterion.text), ev.sentence)
                   if bool(_FAILURE_BEFORE.search(ev.sentence, max(0, m.start() - 40), m.start())) == failure), at)
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
    if _NEITHER_NOR.search(item_text):
        return []  # "neither A nor B" denies each: (not A) and (not B), never one of them
    # "No severe organ dysfunction: creatinine <= 2.5 x ULN; bilirubin <= ...": after the colon come the limits
    # that define "no dysfunction", each one required, so the denial does not join them.
    if (_DENIED_ITEM.match(item_text) and ":" not in item_text[: located[0][0]]) or _EXCLUDED_AT_END.search(item_text):
        # "No hypoxaemia with pO2 < 70 AND DLCO < 70%": not (A and B) is (not A) or (not B): the negated
        # conditions are alternatives; "No A or B" is (not A) and (not B): each one required.
        for (_, a_end, a), (b_start, _, b) in pairwise(located):
            between = item_text[a_end:b_start]
            if a.variable != b.variable and re.search(r"\band\b", between, re.I) and not _OR.search(between) \
                    and ";" not in between and not _DENIED_AGAIN.search(between):
                joined += [a, b]
        return [(c, group_id) for c in {id(c): c for c in joined}.values()]
    for (a_start, a_end, a), (b_start, _, b) in pairwise(located):
        if a_start == b_start and {a.variable, b.variable} == _BLAST_PLACES and {a.operator, b.operator} <= {">", ">="} \
                and _EITHER_PLACE.match(item_text, a_end):
            joined += [a, b]  # "blasts >= 20% in the marrow or the blood": one limit met in either place
            continue
        between = _BRACKETS.sub(" ", item_text[a_end:b_start])
        defined = None
        closing = re.match(r"[^()]{0,20}?\)", between)
        if closing is not None and (bracket := _open_bracket(item_text, a_start)) is not None:
            # "IPSS ≥ 1.5 (int-2/high) or IPSS-R > 4.5": the bracket restates the condition before it, and the "or"
            # after the bracket joins that condition, restated, to the next one
            defined = next((z for z_start, z_end, z in located if z_end <= bracket
                            and not item_text[z_end:bracket].strip()), None)
            between = between[closing.end():] if defined is not None else between
        if _AND.search(between):
            continue
        if defined is not None:
            if a.variable != b.variable and _JUST_OR.fullmatch(" " + between.lstrip(" ,")):
                joined += [defined, a, b]
            continue
        # Grouping relaxes a trial's criteria, so only a bare "or" between two conditions does it
        # ("creatinine ≤ 1.5 × ULN or clearance ≥ 50"), not an "or" inside a bracket or a list of analytes.
        if a.variable != b.variable and _JUST_OR.fullmatch(between):
            joined += [a, b]
        elif a.variable == b.variable and {a.operator, b.operator} <= {"contains", "in"} and listed_with_or \
                and (_OR.search(between) or _LIST_GAP.fullmatch(between)):
            joined += [a, b]  # "failed azacitidine or decitabine", "del(5q), -7 or a complex karyotype"
    unique = list({id(c): c for c in joined}.values())
    return [(c, group_id) for c in unique]
