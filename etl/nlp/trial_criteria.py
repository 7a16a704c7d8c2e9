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

from etl.nlp.conditions import CONDITION_VARIABLES, SAID_EXCLUDED, status_scope
from etl.nlp.relations import WINDOW_VARIABLES
from etl.nlp.relations.criteria import EXCEPT_FOR_PATIENTS, WHOLE_NUMBER_SCALES
from etl.nlp.roles import invert_operator
from etl.readers.eligibility import criteria_items
from mdskg.records import Document, ExtractedCriterion, UncheckedLine
from mdskg.scopes import ANY_OF_GROUP, CONDITIONAL_GROUP, is_arm

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
_JUST_OR = re.compile(r"(?:\s+(?-i:[a-z])[\w-]*){0,4}?[\s,;]*\(?\s*(?:or|and/or)\s+"
                      r"(?:(?:an?|the|a\s+calculated|calculated|measured|blood|serum)\s+)?(?:[\w-]+\s+){0,2}?",
                      re.IGNORECASE)
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
        if scope is not None and scope != "donor" and scope not in KEPT_COHORTS and not is_arm(scope):
            continue
        if alternatives is not None and alternatives[0] == "several":
            # "two or more of the following": a count of conditions the criterion model cannot hold (an any-of
            # group would pass a patient with one). Left out, its lines are listed for the patient as unchecked.
            continue
        case = _header_case(document.text[item_start:item_end], position - item_start, criterion)
        if case is not None:
            # "Patients with < 5% marrow blasts must meet one of the following:": the others need not, so the
            # case's negation is one more way through the sub-items' any-of group ("blasts >= 5%, or A, or B")
            case = replace(case, scope=scope, group=f"{ANY_OF_GROUP}{item_start}")
            cases.add(id(case))
            out.append(case)
            continue
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
        members = [c for c in members if id(c) not in defined]
        # Each reading below rewrites the members it recognises; the next one sees only the rest.
        readings = (
            lambda ms, t=item_text, s0=start: conditional_criteria(t, ms, s0, at_in_item),
            lambda ms, t=item_text, s0=start: _inline_choice(t, ms, at_in_item, f"{ANY_OF_GROUP}{s0}:choice"),
            lambda ms, t=item_text, s0=start: _lettered_alternatives(t, ms, at_in_item, f"{ANY_OF_GROUP}{s0}:listed"),
            lambda ms, t=item_text, s0=start: _excluded_together(t, ms, at_in_item, f"{ANY_OF_GROUP}{s0}:and"),
            lambda ms, t=item_text, s0=start: _limits_by_sex(t, ms, at_in_item, f"{CONDITIONAL_GROUP}{s0}:sex"),
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
    empty = _always_met_groups(result)
    return [c for c in result if c.group not in empty]


_LOWER_BOUNDS, _UPPER_BOUNDS = {">", ">="}, {"<", "<="}


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
    if len(excluded) != 2 or not _CAPITAL_AND.search(item_text, 0, excluded[1][0] + 1):
        return {}
    negations = [_required_negation(c) for _, c in excluded]
    if any(n is None for n in negations):
        return {}
    return {id(c): [replace(n, group=group)] for (_, c), n in zip(excluded, negations, strict=True) if n is not None}


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
    return {id(c): [replace(c, group=group)] for c in inside}


# Conditions on a line: "X are allowed only if Y", "patients 70-75 are eligible if Y", "If X, Y", "Y (… if X)",
# "X is allowed, as long as Y". The line holds for everyone as (not X) or Y. A permission with no condition
# ("patients with therapy-related MDS are eligible") is not a requirement at all.
_CONDITION = re.compile(r"\b(?:only\s+if|if|provided(?:\s+that)?|as\s+long\s+as)\b(?!\s+(?:applicable|any|available|"
                        r"necessary|needed|known|possible|indicated|clinically|he/she\s+were|they\s+were|sexually))"
                        # "Where only a haploidentical donor is available, the patient must be 65 or younger"
                        r"|^[\s\-*•]*(?:where|when|in\s+case(?:\s+of)?)\b(?=[^.;]{3,120},)",
                        re.IGNORECASE)
_NOT_A_CONDITION_BEFORE = re.compile(r"\b(?:even|as)\s*$", re.IGNORECASE)
# "X is allowed", "X may enrol": the words of a permission (shared with _ADMITTED below)
_ALLOWED_WORDS = (r"\b(?:is|are|will\s+be|would\s+be)\s+(?:also\s+)?(?:eligible|allowed|permitted|acceptable|included)\b"
                  r"|\b(?:may|can)\s+(?:also\s+)?(?:be\s+)?(?:enrolled|included|participate|enrol+|take\s+part|join)\b")
_PERMISSION = re.compile(r"\b(?:does|do|will)\s+not\s+exclude\b|\bis\s+not\s+an?\s+(?:exclusion|reason\s+for\s+exclusion)\b"
                         r"|" + _ALLOWED_WORDS +
                         r"|\ballowed\b|\bpermitted\b|\bacceptable\b|\beligible\b", re.IGNORECASE)
# "Patients with X must Y", at the start of a sentence: Y is asked of the patients with X only.
_SUBGROUP_RULE = re.compile(r"\W*(?:note\s*:\s*)?(?:all\s+|any\s+)?(?:patients|subjects|participants|those|people)\s+(?:with|who\s+(?:have|are)|whose|having)"
                            r"\b(?P<case>(?:[^.;:]|\.(?=\d)){3,160}?)\b(?:must|should|need\s+to|are\s+required\s+to"
                            r"|have\s+to)\b(?P<then>(?:[^.;]|\.(?=\d))*)", re.IGNORECASE)
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
_LINE_OPENING_SUBGROUP = re.compile(r"\W*(?:patients|subjects|participants|those|people)\s+(?:with|who\s+(?:have|are)"
                                    r"|whose|having)\b\s*", re.IGNORECASE)


def _subgroup_rules(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    out = []
    for start in _SENTENCE_START.finditer(text):
        rule = _SUBGROUP_RULE.match(text, start.end())
        if rule:
            out.append((rule.span("case"), rule.span("then")))
    return out


# "X are (also) eligible", "X is acceptable", "X may participate": a case admitted.
_ADMITTED = re.compile(_ALLOWED_WORDS, re.IGNORECASE)
# The condition a line opens with ends at its first comma ("If untreated AML, patient is older than 60 …").
_CONDITION_END = re.compile(r",|\bthen\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r";|\.\s|,\s*(?=(?:or|and)\b)|\bor\s+(?=if\b)", re.IGNORECASE)


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
        conditioned.append((clause_start, clause_end))
        free = [(at, c) for at, c in located if id(c) not in out]
        rewritten = _one_condition(item_text, free, marker, clause_start, clause_end, item_start)
        out.update(rewritten)
        out.update(_superseded(free, rewritten))
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
    out.update(_case_groups(item_text, [(at, c) for at, c in located if id(c) not in out], item_start))
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
    for comma in re.finditer(r"\bor\s*,\s*", item_text):
        phrase = _OR_OTHERWISE.match(item_text, comma.end())
        if phrase is None:
            continue
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


_UNLESS = re.compile(r"\b(?:unless|except\s+(?:if|when|where)|other\s+than\s+when)\b|" + EXCEPT_FOR_PATIENTS,
                     re.IGNORECASE)


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
            continue
        at = item_start + marker.start()
        if not case:
            # "bilirubin <= 2 mg/dL unless due to Gilbert's": an exception we cannot check is usually a rare one;
            # the limit stays (that patient sees it named), rather than every patient's limit becoming unknown
            continue
        group = f"{ANY_OF_GROUP}unless{at}"
        firsts = [c if c.role == "required" else _required_negation(c) for c in then]
        if len(then) > 1 or any(f is None for f in firsts):
            out.update({id(c): [replace(c, group=f"{CONDITIONAL_GROUP}{at}")] for c in then})
            out.update({id(c): [] for c in case})
            continue
        out[id(then[0])] = [replace(f, group=group) for f in firsts if f is not None]
        out.update({id(c): [replace(c, role="required", group=group)] for c in case})
    return out


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
_AGE_LABEL = re.compile(r"\W*(?:patients|subjects|participants|adults|children)?\s*$", re.IGNORECASE)
_AGE_LABEL_AFTER = re.compile(r"^[^.;:]{0,40}:", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"\.\s|;")


def _case_groups(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]], item_start: int
                ) -> dict[int, list[ExtractedCriterion]]:
    """A condition naming the patients a line's limits are for ("… in adolescents (patients 12 to 17 years of
    age)", "… in patients with creatinine > 1.5", a label "Patients 18 years and older (adults):") is a case,
    not a requirement: the limits of its sentence (of the whole line, for a label) hold for that case only,
    written as (not the case) or the limits where that can be, else as a conditional group that never rules
    a patient out. Read as requirements, "patients 12 to 17" and "patients 18 and older" would together rule
    out everyone."""
    out: dict[int, list[ExtractedCriterion]] = {}
    for at, c in located:
        if c.role != "required":
            continue
        before, after = item_text[max(0, at - 70) : at], item_text[at + len(c.text or "") :]
        # "… for those with creatinine at least 1.5", "clearance ≥ 60 in patients with creatinine > 1.5"
        subgroup = bool(_SUBGROUP_BEFORE.search(before[-80:]))
        label = c.variable == "age" and bool(_AGE_LABEL.fullmatch(item_text[:at])) and bool(_AGE_LABEL_AFTER.match(after))
        if not subgroup and not (c.variable == "age" and (label or _AGE_GROUP_BEFORE.search(before))):
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
                and _interval(t) is not None]
        if not then and not subgroup:
            continue
        if not then:
            out[id(c)] = []  # a subgroup's own condition is never a requirement, limit or not
            continue
        out.update(_written_as_alternatives([c], then, item_start + at, item_text))  # (not the case) or the limit
    return out


_UPPER, _LOWER = {"<", "<="}, {">", ">="}


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


def _one_condition(item_text: str, located: Sequence[tuple[int, ExtractedCriterion]], marker: re.Match,
                   clause_start: int, clause_end: int, item_start: int) -> dict[int, list[ExtractedCriterion]]:
    pre = [c for at, c in located if clause_start <= at < marker.start()]
    post = [c for at, c in located if marker.end() <= at < clause_end]
    permission = next((p for p in _PERMISSION.finditer(item_text, clause_start, marker.start())), None)
    if not item_text[clause_start : marker.start()].strip(" -,("):
        # "If X, Y": X up to the first comma, Y after it.
        end = _CONDITION_END.search(item_text, marker.end(), clause_end)
        if end is None:  # "if patient has untreated AML is below 60": where the case ends is not written
            case, then = [], post
        else:
            where = {id(c): at for at, c in located}
            case = [c for c in post if where[id(c)] < end.start()]
            then = [c for c in post if where[id(c)] >= end.start()]
    elif permission is not None:
        case, then = pre, post  # "X are allowed only if Y" (X may be a case the extractor cannot read)
    else:
        case, then = post, pre  # "Y if X"
    if not then:
        return {id(c): [] for c in case}  # a case admitted on a condition the extractor could not read
    return _written_as_alternatives(case, then, item_start + marker.start(), item_text)


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
    negated = [_negations(c) for c in case]
    one_condition = len(then) == 1 or (all(c.group for c in then) and len({c.group for c in then}) == 1) or (
        bool(item_text) and _joined_by_or(item_text, then))
    same_people = len({c.scope for c in [*case, *then]}) == 1
    if case and one_condition and same_people and all(negated) and all(
            c.role == "required" for c in [*case, *then]):
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


def unchecked_lines(document: Document, criteria: Sequence[ExtractedCriterion]) -> list[UncheckedLine]:
    """The record's eligibility lines for its own patients that no criterion was read from, in reading order:
    headers of a sub-list, lines about donors or another disease's cohort and paperwork left out."""
    positions = sorted(_position(c) for c in criteria)
    out: list[UncheckedLine] = []
    for start, end, scope, _denied, alternatives in item_spans(document):
        text = " ".join(document.text[start:end].split())
        if scope is not None and not is_arm(scope):
            continue
        if text.endswith(":") or len(text.split()) < 3 or _ADMINISTRATIVE.search(text):
            continue
        # "two or more of the following" (a sub-list, or on the line): never checked, whatever was read from it
        counted = (alternatives is not None and alternatives[0] == "several") or bool(
            (choice := _INLINE_CHOICE.search(text)) and choice.group("k").lower() not in ("one", "1"))
        index = bisect_right(positions, start - 1)
        if not counted and index < len(positions) and positions[index] < end:
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
    r"\b(?:[^.]{0,25}?\bdefined\s+(?:as|by)\b[^.;]{0,15}|[^.:]{0,60}:[^.;:]{0,50})$",
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


# "Patients with < 5% marrow blasts must meet at least one of the following:"
_HEADER_CASE = re.compile(r"^\W*(?:patients|subjects|participants|those|people)\s+(?:with|whose|who\s+have|having)\s+"
                          r"(?P<case>[^:;]{3,80}?)\s+(?:must|should|need\s+to|are\s+required\s+to)\s+(?:meet|have|fulfil+)\s+"
                          r"(?:(?:any|either|at\s+least|a\s+minimum\s+of|≥|>=)\s*)?(?:one|1)\s+(?:or\s+more\s+)?of\s+the\s+"
                          r"following\b[^:]{0,30}:\s*$", re.IGNORECASE)


def _header_case(item_text: str, at: int, criterion: ExtractedCriterion) -> ExtractedCriterion | None:
    """The negation of the case a "one of the following" header is written for, when the criterion is that case's
    one numeric limit; None otherwise (a header with no case, a case that is not a number)."""
    match = _HEADER_CASE.match(item_text)
    if match is None or not match.start("case") <= at < match.end("case") or criterion.role != "required" \
            or isinstance(criterion.value, bool) or criterion.variable in _THRESHOLD_VARIABLES_ONLY \
            or criterion.variable in CONDITION_VARIABLES:
        return None
    negated = invert_operator(criterion.operator)
    return replace(criterion, operator=negated) if negated else None


def not_a_condition(item_text: str, at: int, criterion: ExtractedCriterion) -> bool:
    """Whether the criterion's words, at `at` in its item, give a number that is not a condition (see above)."""
    before, after = item_text[max(0, at - 80) : at], item_text[at + len(criterion.text or "") :]
    if _EITHER_WAY.search(before) or _EITHER_WAY_AFTER.match(after):
        return True  # "MDS with or without del(5q)": may or may not hold
    if criterion.variable in _THRESHOLD_VARIABLES_ONLY:
        return False
    if _SUB_LIST_HEADER.search(item_text) and criterion.variable not in CONDITION_VARIABLES:
        return True
    if criterion.variable in ("marrow_blasts_pct", "peripheral_blasts_pct") and _DEFINED.search(before):
        return True
    return bool(_PERMITTED_AFTER.match(after) or _PERMITTED_BEFORE.search(before)
                or _EITHER_WAY.search(before) or _EITHER_WAY_AFTER.match(after))


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
    # "No severe organ dysfunction: creatinine <= 2.5 x ULN; bilirubin <= ...": after the colon come the limits
    # that define "no dysfunction", each one required, so the denial does not join them.
    if (_DENIED_ITEM.match(item_text) and ":" not in item_text[: located[0][0]]) or _EXCLUDED_AT_END.search(item_text):
        # "No hypoxaemia with pO2 < 70 AND DLCO < 70%": not (A and B) is (not A) or (not B): the negated
        # conditions are alternatives; "No A or B" is (not A) and (not B): each one required.
        for (_, a_end, a), (b_start, _, b) in pairwise(located):
            between = item_text[a_end:b_start]
            if a.variable != b.variable and re.search(r"\band\b", between, re.I) and not _OR.search(between) \
                    and ";" not in between:
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
        elif a.variable == b.variable and {a.operator, b.operator} <= {"contains", "in"} and listed_with_or \
                and (_OR.search(between) or _LIST_GAP.fullmatch(between)):
            joined += [a, b]  # "failed azacitidine or decitabine", "del(5q), -7 or a complex karyotype"
    unique = list({id(c): c for c in joined}.values())
    return [(c, group_id) for c in unique]
