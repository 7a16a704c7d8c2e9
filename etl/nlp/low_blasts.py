"""WHO low-blast MDS subtypes named in a trial's inclusion line, read with the blast limits they imply (issue 15).

"MDS-SLD or MDS-MLD", "RARS (WHO 2008)", "MDS-5q", "MDS with low blasts": besides what the reader already takes from
such a name (ring sideroblasts, del(5q), an SF3B1 mutation), the name asks low blasts. The limits are the ontology's
own data: the `blast_definition` of MDSKG:subtype/who2022-mds-lb (ontology/data/concepts/subtypes.yaml, from Table 3
of PMID:35732831): under 5% marrow blasts, under 2% blood blasts, no Auer rods. Those limits hold for every low-blast
name of WHO 2008, 2016 and 2022 (outside them a patient has increased/excess blasts in each), so they are read as
requirements beside the line's other conditions.

Read only under the inclusion heading, when the line gives no blast limit of its own, when a name's own defining
part (ring sideroblasts, del(5q), an SF3B1 mutation) was read if every name has one, and the line names no other
classification (FAB, ICC), no increased-blasts subtype, no leukaemia, CMML or MDS/MPN, does not open with a denial
("No …"), names the subtypes as what it asks
(not as examples, "with or without", or a case: "if", "unless"), and nothing is joined to them by "or". Otherwise the
line is left to etl/nlp/partial_lines.py, which leaves a low-blast name with its blast part unread as unread whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from etl.nlp import subtype_blasts

LOW_BLASTS = "MDSKG:subtype/who2022-mds-lb"

# WHO 2008 (RA, RARS, RCUD, RCMD, RN, RT, MDS-U, MDS with isolated del(5q)), WHO 2016 (MDS-SLD, -MLD, -RS-*, -5q, -U)
# and WHO 2022 (MDS-LB, MDS-5q, MDS-SF3B1) low-blast names
NAME = re.compile(
    r"(?-i:\b(?:RA|RARS|RCMD(?:-RS)?|RCUD|RN|RT|MDS-(?:LB|SLD|MLD|RS(?:-SLD|-MLD)?|5q|del5q|SF3B1|U))\b)"
    r"(?:\s*/\s*(?-i:(?:MLD|SLD|RS)\b))*"
    r"|\brefractory\s+(?:an(?:a)?emia|cytopenia|neutropenia|thrombocytopenia)\b(?!\s+with\s+excess|\s+of\s+childhood)"
    r"(?:\s+with\s+(?:ring(?:ed)?\s+sideroblasts|(?:uni|multi)[\s-]?lineage\s+dysplasia))?"
    r"|\b(?:MDS|myelodysplastic\s+(?:syndromes?|neoplasms?))\s+with\s+(?:low\s+blasts(?:\s+and\s+(?:isolated\s+(?:5q\s+"
    r"deletion|del(?:etion)?\s*\(?5q\)?)|SF3B1\s+mutation|ring\s+sideroblasts))?|single[\s-]lineage\s+dysplasia"
    r"|multi[\s-]?lineage\s+dysplasia|ring(?:ed)?\s+sideroblasts|(?:an\s+)?isolated\s+(?:del(?:etion)?\s*\(?5q\)?|5q"
    r"(?:\s+deletion)?)|mutated\s+SF3B1)",
    re.IGNORECASE)
_NOT_ASKED_BEFORE = re.compile(r"(?:\be\.\s?g\.?|\bfor\s+(?:example|instance)\b|\bsuch\s+as\b|\bincluding\b|\bincl\."
                               r"|\bwith\s+or\s+without\b|\bother\s+than\b|\bexcept\b|\bany\b[^.;()]{0,30}\bsubtypes?\b)"
                               r"[^.;]{0,60}$", re.IGNORECASE)
_NOT_HERE = re.compile(r"^\W*(?:no|not|never|without)\b|\bleuk(?:a)?emia\b|\blymphoma\b|\bmyeloma\b"
                       r"|\bCMML|\bchronic\s+myelomonocytic|\bMDS/MPN\b|\bTP53\b|\bAML\b|\bacute\s+myel"
                       r"|\bhypo(?:plastic|cellular)\b|\bfibrosis\b|\bMDS-[hf]\b|\btherapy[\s-]related\b",
                       re.IGNORECASE)
_CASE = re.compile(r"\b(?:if|unless|provided|as\s+long\s+as|when|whenever|in\s+case|only\s+in)\b", re.IGNORECASE)
_OR = re.compile(r"\bor\b", re.IGNORECASE)

@dataclass(frozen=True)
class Limit:
    variable: str
    operator: str
    value: Any
    unit: str | None


def named_run(text: str) -> tuple[int, int] | None:
    """Where the line's low-blast names are, first to last, when they are what the line asks (see above); else None."""
    names = [m for m in NAME.finditer(text)
             if not _NOT_ASKED_BEFORE.search(text, max(0, m.start() - 80), m.start())]
    if not names or len(names) != len(list(NAME.finditer(text))):
        return None
    if subtype_blasts.other_classification(text) or subtype_blasts.named_subtypes(text) or _NOT_HERE.search(text) \
            or _CASE.search(text):
        return None
    if any(";" in text[a.end() : b.start()] for a, b in zip(names, names[1:], strict=False)):
        return None  # names in two clauses of the line
    start, end = names[0].start(), names[-1].end()
    return start, end


# names with a defining part beside their blasts: ring sideroblasts, del(5q), an SF3B1 mutation
_PARTS = (
    (re.compile(r"RS|ring|sideroblast", re.IGNORECASE), frozenset({"ring_sideroblasts_pct", "mutated_genes"})),
    (re.compile(r"5q", re.IGNORECASE), frozenset({"karyotype_findings"})),
    (re.compile(r"SF3B1", re.IGNORECASE), frozenset({"mutated_genes", "ring_sideroblasts_pct"})),
)


def own_part_unread(text: str, run: tuple[int, int], read: set[str]) -> bool:
    """Whether every name of the run has a defining part beside its blasts (MDS-RS, MDS-5q, MDS-SF3B1) and no
    criterion on that part was read: the blast limits alone would be a part of the line read as the whole."""
    needs = []
    for m in NAME.finditer(text, run[0], run[1]):
        parts = [variables for pattern, variables in _PARTS if pattern.search(m.group())]
        if not parts:
            return False  # a name asking low blasts only (MDS-SLD, RCMD): one way in the limits cover
        needs.append(frozenset().union(*parts))
    return any(not (variables & read) for variables in needs)


def or_joined(text: str, run: tuple[int, int], at: int, length: int) -> bool:
    """Whether words read at `at` are joined to the names by "or" ("MDS-RS, or transfusion dependence")."""
    if at >= run[1]:
        gap = text[run[1] : at]
    elif at + length <= run[0]:
        gap = text[at + length : run[0]]
    else:
        return False
    return bool(_OR.search(gap)) and not re.search(r"\bwith\b|[;:]", gap, re.IGNORECASE)


def limits(ontology: Any) -> list[Limit] | None:
    """The low-blast limits from the ontology (`blast_definition` of MDS-LB, with its source); None without them."""
    concept = ontology.concepts.get(LOW_BLASTS)
    data = (concept.properties or {}).get("blast_definition") if concept is not None else None
    if not isinstance(data, Mapping) or not data.get("source") or not isinstance(data.get("criteria"), list):
        return None
    out = []
    for entry in data["criteria"]:
        if not isinstance(entry, Mapping) or not {"variable", "operator", "value"} <= set(entry) or "any_of" in entry:
            return None
        out.append(Limit(entry["variable"], entry["operator"], entry["value"], entry.get("unit")))
    return out or None
