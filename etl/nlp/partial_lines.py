"""Eligibility lines the criteria reader would read only in part, left unread as a whole (issue 15).

A line read in part can be worse than a line not read: its criteria look complete on the trial card, and the part
that was lost may be the one that rules a patient out ("MDS-SLD or MDS-MLD" read as its ring-sideroblast limit only
offers the trial to a patient with excess blasts). A line named here gives no criterion; the trial card lists it as
unchecked, for the study team. Each rule below names a kind of wording the reader has no whole reading for yet:

- under the inclusion heading (a line with no heading is not judged), an MDS subtype of low blasts (FAB, WHO
  2008/2016/2022, ICC), CMML-0 or an ICC TP53 entity named as what the line asks, when no marrow blast limit was
  read from the line: the name's blast part (under 5% marrow blasts, or under 20% for the TP53 entities) is lost,
  and what was read (a ring-sideroblast part, a risk score beside it) would admit patients with more blasts. The
  increased-blasts names are read elsewhere (etl/nlp/subtype_blasts.py); a line read as del(5q) or an SF3B1
  mutation (the 5q and SF3B1 entities) keeps that reading, its blast part not read;
- an increased-blasts name opening the line with "defined as" and blast numbers (not one alternative of a list):
  the definition's numbers are dropped as a definition (trial_criteria.not_a_condition), and the rest would be
  read alone;
- a ring-sideroblast minimum read from one name of a list of low-blast subtypes where others have none ("RCUD,
  RARS or RCMD"): it would rule out the others;
- a condition ("only if", "provided", "unless") naming an MDS subtype, when no blast limit was read from the line:
  the condition would be lost, and the case it binds read as a case with no condition;
- a finding the inclusion line says "must be absent" / "must not be present" after naming it, read as present
  (`said_absent` turns the one just before the words round; a finding further away is left to this rule);
- alternatives numbered "(i) … or (ii) …" or "(a) … or (b) …" where one alternative joins two conditions with "and": one
  flat any-of group cannot hold "A, or (B and C)", and would admit on B alone;
- a limit with a looser one for a group in brackets ("Karnofsky >= 70 (>= 60 for those under 60)"): the reading
  for a tighter bracketed limit would apply the main limit to the wrong group;
- a limit for an age group after ";" written as what they "need" or "must have" ("patients aged 70 or over need
  50 mL/min"), when no limit was read from that clause: the age would be read as a requirement of its own;
- under the exclusion heading, a clause after ";" or a dash that excludes patients who "never" had, or are
  "without", something, when nothing was read from that clause as a requirement: the denied clause was lost, or its
  therapy was read with the rest of the line's exclusions;
- a limit for everyone outside the line's case ("80 or more if aged 65 or over, otherwise 70 or more", "… for all
  other patients 60"), when nothing was read after those words: the case's limit would be read alone, as "the limit,
  or not the case", and the other patients would meet the line whatever their value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from etl.nlp import subtype_blasts

# Low-blast subtype names of FAB (RA, RARS), WHO 2008 (RCUD, RCMD, RN, RT, MDS-U, isolated del(5q)), WHO 2016
# (MDS-SLD, -MLD, -RS-*, -5q) and WHO 2022 (MDS-LB, MDS-5q, MDS-SF3B1), CMML-0, and the ICC TP53 entities.
_LOW_BLAST_NAME = re.compile(
    r"(?-i:\b(?:RA|RARS(?:-T)?|RCMD(?:-RS)?|RCUD|RN|RT|MDS-(?:LB|SLD|MLD|RS(?:-SLD|-MLD)?|5q|del5q|SF3B1|U))\b)"
    r"|\brefractory\s+(?:an(?:a)?emia|cytopenia|neutropenia|thrombocytopenia)\b(?!\s+with\s+excess|\s+of\s+childhood)"
    r"|\b(?:MDS|myelodysplastic\s+(?:syndromes?|neoplasms?))\s+with\s+(?:low\s+blasts|single[\s-]lineage"
    r"|multi[\s-]?lineage|ring(?:ed)?\s+sideroblasts|(?:an\s+)?isolated\s+(?:del(?:etion)?\s*\(?5q|5q)|mutated\s+TP53"
    r"|mutated\s+SF3B1)"
    r"|\bCMML[\s-]*0\b",
    re.IGNORECASE)
# the name given as an example, or as something the patient may or may not have
_NOT_ASKED_BEFORE = re.compile(r"(?:\be\.\s?g\.?|\bfor\s+(?:example|instance)\b|\bsuch\s+as\b|\bincluding\b"
                               r"|\bwith\s+or\s+without\b|\bother\s+than\b|\bexcept\b|\bincl\.)[^.;()]{0,40}$"
                               # "any WHO 2016 subtype (MDS-SLD, MDS-MLD, …)": every subtype, listed
                               r"|\bany\b[^.;()]{0,30}\bsubtypes?\s*[(:][^.;()]{0,80}$",
                               re.IGNORECASE)
_DEFINED_AS = re.compile(r"\bdefined\s+(?:as|by)\b[^.;]{0,15}\d", re.IGNORECASE)
_ABSENT_AFTER = re.compile(r"\b(?:must|should|has\s+to|have\s+to|needs?\s+to)\s+(?:be\s+absent|not\s+be\s+(?:present"
                           r"|detected|found))\b|\bis\s+(?:required\s+to\s+be\s+)?absent\b", re.IGNORECASE)
_CONDITION_WORDS = re.compile(r"\b(?:only\s+if|if|provided(?:\s+that)?|as\s+long\s+as|unless)\b", re.IGNORECASE)
_RING_NAME = re.compile(r"RS|ring|sideroblast", re.IGNORECASE)
_NUMBERED = re.compile(r"\((?:i|ii|iii|a|b|c|1|2|3)\)", re.IGNORECASE)
# "(>= 60% for patients under 60 years of age)": a bracket opening with a bare limit, for a group
_GROUP_BRACKET = re.compile(r"\(\s*(?P<limit>(?:[<>≤≥]=?|under|below|over|above|at\s+least|up\s+to|less\s+than"
                            r"|more\s+than|greater\s+than)?\s*\d[^()]*?)\s+(?:for|in)\s+(?:patients|those|subjects"
                            r"|participants|people|persons)\b[^()]*\)", re.IGNORECASE)
_AGE_GROUP_NEEDS = re.compile(r";\s*(?:patients|those|subjects|participants|people|persons)\s+(?:aged\s+|who\s+are\s+)?"
                              r"(?:\d+\s+(?:years?\s+)?(?:or|and)\s+(?:over|older|above|under|younger)|over|under|older"
                              r"|younger|above|below)\b[^;]{0,40}?\b(?:need|must\s+have|require|should\s+have)\b",
                              re.IGNORECASE)
_DENIED_CLAUSE = re.compile(r"(?:;|\s[-–—]\s)\s*(?:and\s+)?(?:patients|subjects|participants|those|people|persons)\s+"
                            r"(?:who\s+(?:have|had|were|are)\s+)?(?:(?:been\s+)?never|not\s+(?:been\s+|yet\s+)?"
                            r"|without)\b", re.IGNORECASE)
_OR_NUMBERED = re.compile(r"\bor\s*,?\s*\((?:ii|iii|b|c|2|3)\)", re.IGNORECASE)  # "… or (ii) …": alternatives
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# the limit for the rest: "otherwise 70", "or else 70", "for all other patients 60", "for everyone else at least 70"
_LIMIT_FOR_THE_REST = re.compile(r"\b(?:otherwise|or\s+else|for\s+(?:all\s+)?(?:the\s+)?other\s+(?:patients|subjects|"
                                 r"participants|people)|for\s+everyone\s+else|in\s+(?:all\s+)?other\s+(?:patients|cases))"
                                 r"\b[^.;]{0,40}?\d", re.IGNORECASE)
# the case the rest is set against, before those words: "if aged 65 or over", "for patients over 70", "when symptomatic"
_CASE_BEFORE = re.compile(r"\b(?:if|when|whose|for\s+(?:patients|subjects|participants|those|people)|in\s+(?:patients"
                          r"|subjects|participants|those|people))\b", re.IGNORECASE)


# MDS with isolated del(5q) and MDS with mutated SF3B1 are read as their defining lesion (tests/unit/test_trial_logic.py
# holds those readings); their blast part is not read yet
_DEFINING_LESIONS = frozenset({"del5q", "SF3B1"})


def _low_blast_subtype_named(item_text: str) -> bool:
    for m in _LOW_BLAST_NAME.finditer(item_text):
        if not _NOT_ASKED_BEFORE.search(item_text, max(0, m.start() - 60), m.start()):
            return True
    return False


def _ring_sideroblasts_asked_of_every_name(item_text: str, located: Sequence[tuple[int, Any]]) -> bool:
    """A ring-sideroblast minimum read from inside a list of low-blast names some of which have no ring sideroblasts
    ("RCUD, RARS or RCMD"): the minimum would rule out the others."""
    from etl.nlp.low_blasts import NAME  # (names with their slashed parts: "MDS-MLD/RS")

    names = list(NAME.finditer(item_text))
    parts = [part for m in names for part in m.group().split("/")]
    if len(parts) < 2:
        return False
    start, end = names[0].start(), names[-1].end()
    if not any(c.variable == "ring_sideroblasts_pct" and c.operator in (">", ">=") and start <= at < end
               for at, c in located):
        return False
    return any(not _RING_NAME.search(part) for part in parts)


def _looser_in_brackets(item_text: str, located: Sequence[tuple[int, Any]]) -> bool:
    """A bracketed limit for a group that is looser than the line's limit on the same variable before it."""
    for m in _GROUP_BRACKET.finditer(item_text):
        numbers = [float(n.replace(",", ".")) for n in _NUMBER.findall(m.group("limit"))]
        mains = [c for at, c in located if 0 <= at < m.start() and c.variable != "age"
                 and c.operator in ("<", "<=", ">", ">=", "between") and not isinstance(c.value, bool)]
        if not numbers or not mains:
            continue
        main = mains[-1]
        if main.operator == "between" and isinstance(main.value, (list, tuple)) and len(main.value) == 2:
            if max(numbers) > float(main.value[1]) or min(numbers) < float(main.value[0]):
                return True
        elif main.operator in ("<", "<=") and isinstance(main.value, (int, float)) and max(numbers) > main.value:
            return True
        elif main.operator in (">", ">=") and isinstance(main.value, (int, float)) and min(numbers) < main.value:
            return True
    return False


def said_absent(text: str, c: Any) -> bool:
    """Whether an inclusion line says the finding read as `c` (required, present) must be absent: "Any 3q26
    rearrangement must be absent", "Monosomy 7 should not be detected". Only the finding just before the words (no
    comma, ";", "and", "with" between, brackets aside) is turned round; the criteria reader makes it an exclusion."""
    if not c.text or c.role != "required" or c.operator not in ("contains", "in", "==") \
            or (c.operator == "==" and c.value is not True):
        return False
    at = text.find(c.text)
    m = _ABSENT_AFTER.search(text, at + len(c.text)) if at >= 0 else None
    if m is None:
        return False
    gap = re.sub(r"\([^()]*\)", "", text[at + len(c.text) : m.start()])
    return len(gap) <= 60 and not re.search(r"[;,.]|\b(?:and|with|but|if|unless|or\s+if)\b", gap, re.IGNORECASE)


def reason(item_text: str, kind: str, located: Sequence[tuple[int, Any]], listed: bool = False) -> str | None:
    """Why the item (one eligibility line, `kind` its heading: "inclusion" or "exclusion") is left unread whole, given
    the criteria first read from it with where their words are in it; None to read it as usual. `listed`: the item
    is one of the ways in under "one of the following:" (a subtype's definition there is how a patient qualifies)."""
    if not located:
        return None
    variables = {c.variable for _, c in located}
    if kind == "inclusion" and _low_blast_subtype_named(item_text) and "marrow_blasts_pct" not in variables \
            and not any(c.value in _DEFINING_LESIONS or (isinstance(c.value, list) and set(c.value) & _DEFINING_LESIONS)
                        for _, c in located if c.variable in ("karyotype_findings", "mutated_genes")):
        return "subtype named, its blast part not read"
    if kind == "inclusion" and _ring_sideroblasts_asked_of_every_name(item_text, located):
        return "a ring-sideroblast limit read from one name of a list of subtypes"
    defined = _DEFINED_AS.search(item_text)
    if defined and not listed and defined.start() <= 70 and any(n.start <= 30 for n in subtype_blasts.named_subtypes(
            item_text[: defined.start()])):
        return "subtype named with its definition"
    if kind != "exclusion" and (m := _ABSENT_AFTER.search(item_text)) and any(
            c.role == "required" and c.operator in ("contains", "in", "==") and 0 <= at < m.start()
            for at, c in located):
        return "finding named, then said to be absent"
    for m in _CONDITION_WORDS.finditer(item_text):
        end = item_text.find(";", m.end())
        end = len(item_text) if end < 0 else end
        named = bool(subtype_blasts.named_subtypes(item_text[m.end() : end])) \
            or bool(_LOW_BLAST_NAME.search(item_text, m.end(), end))
        if named and not any(c.variable in ("marrow_blasts_pct", "peripheral_blasts_pct") for _, c in located):
            return "a condition naming a subtype, the subtype not read"
    numbered = _NUMBERED.findall(item_text)
    if len(numbered) >= 2 and _OR_NUMBERED.search(item_text):
        parts = _NUMBERED.split(item_text)[1:]
        if any(re.search(r"\band\b", p, re.IGNORECASE) for p in parts):
            return "numbered alternatives, one of them two conditions"
    if _looser_in_brackets(item_text, located):
        return "a looser limit for a group in brackets"
    for m in _AGE_GROUP_NEEDS.finditer(item_text):
        end = item_text.find(";", m.end())
        end = len(item_text) if end < 0 else end
        if not any(c.variable != "age" and m.start() <= at < end for at, c in located):
            return "a limit for an age group after ';', not read"
    for m in _LIMIT_FOR_THE_REST.finditer(item_text):
        if _CASE_BEFORE.search(item_text, 0, m.start()) and not any(c.variable != "age" and at >= m.start()
                                                                     for at, c in located):
            return "a limit for the other patients, not read"
    if kind == "exclusion":
        for m in _DENIED_CLAUSE.finditer(item_text):
            end = item_text.find(";", m.end())
            end = len(item_text) if end < 0 else end
            if not any(c.role == "required" and m.start() <= at < end for at, c in located):
                return "a denied clause under the exclusion heading not read"
    return None
