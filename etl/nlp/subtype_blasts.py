"""WHO subtypes named in a trial's eligibility line, read as the blast ranges that define them (issue 15).

"High-risk MDS (i.e. RAEB-1 or RAEB-2)", "MDS-EB2", "refractory anaemia with excess blasts type 2": the subtype is a
set of blast counts (and Auer rods), and the line asks them. The ranges are the ontology's own data: the
`blast_definition` property of the WHO 2022 increased-blasts concepts (ontology/data/concepts/subtypes.yaml, from
Table 3 of PMID:35732831), whose older names (RAEB, RAEB-1/-2, MDS-EB-1/-2) had the same cut-offs. Nothing here
holds a number of its own.

What is read:
- required (inclusion heading, not denied): the definition as flat conditions the evaluator already handles: its
  `any_of` is one any-of group, the rest are separate requirements. Two subtypes named as alternatives ("RAEB-1 or
  RAEB-2", "EB-1/2") are their parent (MDS-IB): one definition that covers both.
- excluded (exclusion heading, or "… are not eligible"): a definition whose only limits are the 20% ceiling of MDS
  is excluded as its any-of members, each an exclusion ("RAEB-2 is excluded": 10% or more marrow blasts, 5% or more
  in the blood, or Auer rods). That also rules out 20% or more, which is AML, not MDS; the ceiling a flat criterion
  cannot carry with the exclusion. A definition with a lower ceiling (RAEB-1: under 10%) cannot be excluded without
  nested groups: left unread.

What is left as it was (unread or read by other rules):
- a line that gives its own blast numbers ("RAEB-2, defined as 10-19% marrow blasts"): its numbers are the reading;
- a line naming the ICC 2022 classification (its MDS-EB is 5-9% marrow or 2-9% blood, and 10-19% is MDS/AML), or
  FAB (RAEB-T named as a way in, or "FAB"): other ranges;
- names this module does not know (CMML-1/-2 count promonocytes with the blasts, which no patient variable holds).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

IB, IB1, IB2 = ("MDSKG:subtype/who2022-mds-ib", "MDSKG:subtype/who2022-mds-ib1", "MDSKG:subtype/who2022-mds-ib2")
DEFINED = frozenset({IB, IB1, IB2})

# a level after a name: "-1", " 2", "-II", " type 2", "-1/2", "-1 or -2", "1 and 2"
_LEVEL = (r"(?:[\s-]*(?:type\s*)?(?P<level>[12]|I{1,2}\b)"
          r"(?:\s*(?:/|,|or|and/or|and)\s*(?:-\s*)?(?P<level2>[12]|I{1,2}\b))?)")
_FORMS = (
    # RAEB, RAEB-1, RAEB-2, RAEB-1/2, RAEB I/II (not RAEB-T: FAB's RAEB in transformation, read elsewhere)
    r"\bRAEB(?![\s-]*t\b)(?:" + _LEVEL + r")?(?![\w-])",
    # MDS-EB, MDS-EB-1, MDS-EB2, MDS-IB1, MDS EB-2
    r"\bMDS[\s-]*(?-i:[EI]B)(?:" + _LEVEL + r")?(?![\w-])",
    # EB-1, EB2, IB-2 on their own (capitals only: "eb" is no name)
    r"(?<![\w-])(?-i:[EI]B)[\s-]?(?P<level>[12])(?:\s*(?:/|or|and)\s*(?-i:(?:[EI]B)[\s-]?)?(?P<level2>[12]))?(?![\w-])",
    # refractory an(a)emia / MDS / myelodysplastic syndrome with excess (increased) blasts(-1/-2, type 2)
    r"\b(?:refractory\s+an(?:a)?emia|MDS|myelodysplastic\s+(?:syndromes?|neoplasms?))\s+with\s+(?:excess(?:ive)?|increased)"
    r"\s+(?:of\s+)?blasts(?:" + _LEVEL + r")?(?![\w-])",
    # excess blasts type 2, excess blasts-1 (with a level: a subtype name)
    r"\b(?:excess(?:ive)?|increased)\s+blasts" + _LEVEL + r"(?![\w-])",
)
_NAMES = [re.compile(f, re.IGNORECASE) for f in _FORMS]
# "... excess blasts in transformation": FAB's RAEB-T
_IN_TRANSFORMATION = re.compile(r"\s*(?:-\s*)?(?:in\s+transformation|-?t\b)", re.IGNORECASE)
# other classifications: ICC 2022 ("MDS-EB" is 5-9%, 10-19% is MDS/AML) and FAB (RAEB is 5-20% marrow blasts)
_OTHER_CLASSIFICATION = re.compile(r"\bICC\b|\binternational\s+consensus\b|\bMDS/AML\b|\bFAB\b"
                                   r"|\bFrench[\s-]American|\bRAEB[\s-]*t\b|\bexcess\s+(?:of\s+)?blasts\s+in\s+transformation\b",
                                   re.IGNORECASE)
# names of the other MDS subtypes (WHO 2008 to 2022) and of cases named by a finding
_OTHER_SUBTYPE = re.compile(r"(?-i:\b(?:RA|RARS(?:-T)?|RCMD(?:-RS)?|RCUD|RN|RT"
                            r"|MDS-(?:U|LB|SLD|MLD|RS(?:-SLD|-MLD)?|5q|del5q|SF3B1|biTP53|h|f|NOS\w*))\b)|\brefractory\s+(?:an(?:a)?emia|cytopenia|neutropenia"
                            r"|thrombocytopenia)\b(?!\s+with\s+excess)|\bring\s+sideroblast|\bdel\s*\(?5q|\b5q[\s-]"
                            r"|\bisolated\b|\bhypo(?:plastic|cellular)\b|\blow\s+blasts\b|\bunclassifi|\btherapy[\s-]related"
                            r"|\bfibrosis\b|\bfibrotic\b|\bTP53\b|\bSF3B1\b", re.IGNORECASE)
_EXAMPLES_BEFORE = re.compile(r"(?:\be\.\s?g\.?|\bfor\s+(?:example|instance)\b|\bsuch\s+as\b|\bincluding\b|\bincludes\b"
                              r"|\blike\b)[^.;]*$", re.IGNORECASE)
_OTHER_DISEASE = re.compile(r"\bCMML|\bchronic\s+myelomonocytic\b|\bMDS/MPN\b|\bmyeloproliferative\b", re.IGNORECASE)
_AML_NAMED = re.compile(r"\bAML\b|\bacute\s+myel(?:oid|ogenous)\b|\bacute\s+non-?lymphocytic\b", re.IGNORECASE)
# between two names of one list: a patient has one subtype, so "RAEB-1 and RAEB-2 patients" are either
_BETWEEN_ALTERNATIVES = re.compile(r"^[\s,/()\[\]]*(?:(?:or|and/or|and)\b[\s,/()\[\]]*)?$", re.IGNORECASE)

_NAMES_REMOVED = re.compile("|".join(f"(?:{f})" for f in _FORMS).replace("?P<level2>", "?:").replace("?P<level>", "?:"),
                            re.IGNORECASE)

BLAST_VARIABLES = frozenset({"marrow_blasts_pct", "peripheral_blasts_pct"})
MDS_CEILING = 20  # from 20% blasts it is AML (the definitions' own upper limit; checked against the data below)


@dataclass(frozen=True)
class NamedSubtype:
    start: int
    end: int
    concept_id: str
    text: str


@dataclass(frozen=True)
class Condition:
    variable: str
    operator: str
    value: Any
    unit: str | None
    any_of: bool  # one of the definition's alternatives (else a limit that must hold)


def _levels(match: re.Match) -> set[str]:
    names = match.re.groupindex
    found = {match.group(g) for g in ("level", "level2") if g in names and match.group(g)}
    return {"1" if level.upper() == "I" else "2" if level.upper() == "II" else level for level in found}


def from_definition(criterion: Any) -> bool:
    """Whether an extracted criterion is one of a subtype definition's conditions (set by the criteria reader): the
    trial-line readings that regroup a line's conditions leave them as read."""
    return criterion.concept_id in DEFINED and criterion.variable in BLAST_VARIABLES | {"auer_rods"}


def named_subtypes(text: str) -> list[NamedSubtype]:
    """The WHO increased-blasts subtypes a text names, in order, without overlaps."""
    found: list[NamedSubtype] = []
    for pattern in _NAMES:
        for m in pattern.finditer(text):
            if _IN_TRANSFORMATION.match(text, m.end()) or any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            levels = _levels(m)
            concept = IB if not levels or levels == {"1", "2"} else IB1 if levels == {"1"} else IB2
            found.append(NamedSubtype(m.start(), m.end(), concept, m.group()))
    return sorted(found, key=lambda n: n.start)


def covering_subtype(names: Sequence[NamedSubtype], text: str) -> tuple[str, NamedSubtype, NamedSubtype] | None:
    """The one subtype a run of names joined by "or" ("RAEB-1 or RAEB-2", "EB-1/EB-2"; "and" too, as a patient has one
    subtype) stands for, with the first
    and last name; None when the names are not one run of alternatives."""
    if not names:
        return None
    for a, b in zip(names, names[1:], strict=False):
        if not _BETWEEN_ALTERNATIVES.match(text[a.end : b.start]):
            return None
    concepts = {n.concept_id for n in names}
    concept = concepts.pop() if len(concepts) == 1 else IB  # IB1 or IB2 (or IB itself): all of IB
    return concept, names[0], names[-1]


def definition(ontology: Any, concept_id: str) -> list[Condition] | None:
    """The concept's blast definition as conditions, from its `blast_definition` property; None without one (or
    with a form this reader does not know)."""
    concept = ontology.concepts.get(concept_id)
    data = (concept.properties or {}).get("blast_definition") if concept is not None else None
    if not isinstance(data, Mapping) or not data.get("source") or not isinstance(data.get("criteria"), list):
        return None
    out: list[Condition] = []
    for entry in data["criteria"]:
        members = entry.get("any_of") if isinstance(entry, Mapping) else None
        for leaf in (members if isinstance(members, list) else [entry]):
            if not isinstance(leaf, Mapping) or not {"variable", "operator", "value"} <= set(leaf):
                return None
            out.append(Condition(leaf["variable"], leaf["operator"], leaf["value"], leaf.get("unit"),
                                 isinstance(members, list)))
    if sum(1 for c in out if c.any_of) < 1:
        return None
    return out


def excludable(conditions: Sequence[Condition]) -> bool:
    """Whether excluding the subtype can be said as flat exclusions of its alternatives: its only limits are the MDS
    ceiling on the blasts."""
    return all(c.any_of or (c.variable in BLAST_VARIABLES and c.operator == "<" and c.value == MDS_CEILING)
               for c in conditions)


def other_classification(text: str) -> bool:
    """The line uses another classification's names (ICC 2022, FAB): the WHO ranges are not its meaning."""
    return bool(_OTHER_CLASSIFICATION.search(text))


def other_subtypes_or_examples(text: str, first: NamedSubtype) -> bool:
    """Other MDS subtypes listed beside ("RAEB-1, RAEB-2, RARS or RCMD": the blast ranges would rule out the rest), or
    the names given as examples ("any subtype, including RAEB-2", "e.g. RAEB-1"): the line asks no blast range."""
    return bool(_OTHER_SUBTYPE.search(_NAMES_REMOVED.sub(" ", text))) \
        or bool(_EXAMPLES_BEFORE.search(text, max(0, first.start - 40), first.start))


def names_other_disease(text: str) -> bool:
    """CMML (its CMML-1/-2 count promonocytes with the blasts) or an MDS/MPN named beside the subtype: the WHO MDS
    ranges would be asked of those patients too."""
    return bool(_OTHER_DISEASE.search(text))


def names_aml(text: str) -> bool:
    return bool(_AML_NAMED.search(text))
