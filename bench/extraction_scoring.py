"""Pure scoring of the literature ETL against the hand-labelled real-text gold (tests/data/real_gold/).

No model, no files: `bench/extraction_eval.py` reads the records, runs the extractor and hands the results here.
The rules follow tests/data/real_gold/README.md:

* **Criteria.** Both sides are put into one canonical form before comparing. The gold writes every criterion
  as the condition that must HOLD (`role: inclusion`); only time-window history variables
  (`EXCLUSION_ROLE_VARIABLES`) keep `role: exclusion`. An extracted `excludes` criterion is therefore negated
  into that inclusion form (`<`↔`>=`, `<=`↔`>`, `==`↔`!=` with booleans flipping their value instead,
  `in`↔`not_in`, `contains`↔`not_contains`); on an exclusion-role variable it is kept and becomes
  `role: exclusion`. Gold `any_of` / `all_of` groups are flattened into their leaves (a leaf inherits the
  group's role, scope and arm unless it has its own). A leaf matches when the variable, an equivalent operator
  and the value agree (numbers within 1e-6 after unit conversion where both units are known; categories and
  sets as sets) and the role agrees. Scope is compared separately.
* **Relations.** type + subject + object, each side compared by concept id or lower-cased name
  (`entity_matches`). A polarity error is an extracted relation marked positive (not negated, direction not
  none/negative) where the matching gold relation says direction none or negative, or a positive
  NEXT_AFTER_FAILURE / PREDICTS_RESPONSE_TO edge with no positive gold counterpart whose subject or object the
  abstract's traps name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TOLERANCE = 1e-6

# ---- the gold schema ------------------------------------------------------------------------

#: Variables the gold knows (README: the guidance-contract list plus the ones new in this gold).
GOLD_VARIABLES: frozenset[str] = frozenset({
    # docs/guidance-contract.md
    "age", "marrow_blasts_pct", "peripheral_blasts_pct", "hemoglobin_g_dl", "platelets_10e9_l", "anc_10e9_l",
    "serum_ferritin_ng_ml", "transfusion_units_per_8wk", "transfusion_dependent", "platelet_transfusions",
    "mutated_genes", "karyotype_findings", "ipss_category", "ipssr_category", "prior_therapies",
    "failed_therapies", "ecog", "transplant_candidate", "creatinine_mg_dl", "creatinine_clearance_ml_min",
    "bilirubin_x_uln",
    # new in the gold
    "creatinine_x_uln", "ast_x_uln", "alt_x_uln", "ast_alt_x_uln", "bilirubin_mg_dl", "direct_bilirubin_mg_dl",
    "bicarbonate_meq_l", "copper_ug_dl", "ipss_score", "life_expectancy_months", "lvef_pct",
    "dlco_pct_predicted", "pao2_mmhg", "qtc_ms", "karnofsky", "moca_score", "weight_kg",
    "pregnant_or_breastfeeding", "hiv_positive", "active_infection", "infection_iv_antibiotics",
    "active_autoimmune_disease", "significant_cardiac_disease", "other_active_cancer", "other_cancer_history",
    "other_cancer_years", "therapy_related", "secondary_mds", "cmml_proliferative", "prior_aml", "apl",
    "disease_status", "intensive_chemo_candidate", "prior_therapy_lines", "matched_donor_available",
    "haplo_donor_available", "donor_hla_mismatch", "years_since_allo_hsct", "active_gvhd", "acute_gvhd_grade",
    "prior_tbi_transplant", "hct_ci", "risk_group",
    # declared in the headers of validation_trials.yaml and heldout_trials.yaml
    "matched_sibling_donor_available", "donor_available", "wbc_10e9_l",
})

#: History variables where "never happened" leaves the value undefined: kept as role exclusion (README rule 2).
EXCLUSION_ROLE_VARIABLES: frozenset[str] = frozenset({"other_cancer_years"})

#: Integer-valued scales: `< n` is `<= n-1`, `between [0, n]` is `<= n`, `in [0..n]` is `<= n`.
INTEGER_VARIABLES: frozenset[str] = frozenset({"ecog", "prior_therapy_lines", "acute_gvhd_grade"})

#: Numeric variables whose smallest possible value is 0: `between [0, hi]` is `<= hi`.
NON_NEGATIVE_PREFIXES = ("ecog", "karnofsky", "moca_score", "prior_therapy_lines", "acute_gvhd_grade")

NEGATE = {"<": ">=", ">=": "<", "<=": ">", ">": "<=", "==": "!=", "!=": "==", "in": "not_in",
          "not_in": "in", "contains": "not_contains", "not_contains": "contains"}

SET_OPERATORS = frozenset({"contains", "not_contains", "in", "not_in"})
# Set-valued criterion variables (model.yaml type `set`): `not_in [a, b]` and `not_contains [a, b]` both hold
# when the patient's set has none of a, b.
SET_VARIABLES = frozenset({"prior_therapies", "failed_therapies", "ineligible_therapies", "karyotype_findings",
                           "mutated_genes"})


# ---- units ----------------------------------------------------------------------------------

def _unit_key(unit: str | None) -> str | None:
    if unit is None:
        return None
    key = str(unit).strip().lower().replace("µ", "u").replace("μ", "u").replace("³", "3").replace("×", "x")
    key = re.sub(r"\s+", "", key)
    return key or None


#: unit key -> (canonical unit key, factor to multiply by)
_CONVERSIONS: dict[str, tuple[str, float]] = {
    # counts
    "10^9/l": ("10^9/l", 1.0), "x10^9/l": ("10^9/l", 1.0), "x109/l": ("10^9/l", 1.0), "g/l#count": ("10^9/l", 1.0),
    "thou/mm3": ("10^9/l", 1.0), "10e9/l": ("10^9/l", 1.0), "x10e9/l": ("10^9/l", 1.0),
    "/mm3": ("10^9/l", 1e-3), "/ul": ("10^9/l", 1e-3), "/microliter": ("10^9/l", 1e-3), "/microlitre": ("10^9/l", 1e-3),
    "cells/mm3": ("10^9/l", 1e-3), "cells/ul": ("10^9/l", 1e-3), "/mcl": ("10^9/l", 1e-3), "/l": ("10^9/l", 1e-9),
    # haemoglobin
    "g/dl": ("g/dl", 1.0), "g/l": ("g/dl", 0.1), "mg/dl": ("mg/dl", 1.0),
    # EPO
    "mu/ml": ("mu/ml", 1.0), "iu/l": ("mu/ml", 1.0), "miu/ml": ("mu/ml", 1.0),
    # time
    "years": ("years", 1.0), "year": ("years", 1.0), "yrs": ("years", 1.0), "y": ("years", 1.0),
    "months": ("months", 1.0), "month": ("months", 1.0), "weeks": ("months", 0.25), "week": ("months", 0.25),
    "wk": ("months", 0.25), "wks": ("months", 0.25),
    # others, identity
    "%": ("%", 1.0), "xuln": ("xuln", 1.0), "uln": ("xuln", 1.0), "ms": ("ms", 1.0), "msec": ("ms", 1.0),
    "ng/ml": ("ng/ml", 1.0), "ug/l": ("ng/ml", 1.0), "ml/min": ("ml/min", 1.0), "meq/l": ("meq/l", 1.0),
    "mmol/l#bicarbonate": ("meq/l", 1.0), "ug/dl": ("ug/dl", 1.0), "kg": ("kg", 1.0), "mmhg": ("mmhg", 1.0),
}

_COUNT_VARIABLES = frozenset({"platelets_10e9_l", "anc_10e9_l"})


def convert(value: float, unit: str | None, variable: str) -> tuple[float, str | None]:
    """(value, canonical unit key) in the gold's canonical units; the unit key is None when unknown."""
    key = _unit_key(unit)
    if key is None:
        return value, None
    if key == "g/l" and variable in _COUNT_VARIABLES:
        key = "g/l#count"  # "G/L" is giga per litre for counts
    if key == "mmol/l" and variable == "bicarbonate_meq_l":
        key = "mmol/l#bicarbonate"
    if key in _CONVERSIONS:
        canonical, factor = _CONVERSIONS[key]
        return value * factor, canonical
    return value, None


def _ratio(part: int, whole: int) -> float:
    """part / whole, 0.0 when nothing was counted (a precision with nothing extracted, a recall with no gold)."""
    return part / whole if whole else 0.0


# ---- canonical leaves -----------------------------------------------------------------------

@dataclass(frozen=True)
class Leaf:
    """One canonical condition: what must hold for eligibility (role inclusion) or, for exclusion-role
    variables, what excludes when met (role exclusion)."""

    variable: str
    operator: str
    value: Any
    unit: str | None = None
    role: str = "inclusion"
    scope: str | None = None
    arm: str | None = None
    group: int = -1  # index of the top-level gold criterion (gold leaves only)
    text: str = ""   # the extracted criterion's text (extracted leaves only)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false"))


def _as_bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() == "true"


def negate(operator: str, value: Any) -> tuple[str, Any]:
    """The negation of one leaf (README rule 3). Booleans flip the value; `between` becomes `not_between`."""
    if operator in ("==", "!=") and _is_bool(value):
        return operator, not _as_bool(value)
    if operator == "between":
        return "not_between", value
    if operator == "not_between":
        return "between", value
    if operator not in NEGATE:
        raise ValueError(f"unknown operator {operator!r}")
    return NEGATE[operator], value


def normalise_operator(variable: str, operator: str, value: Any) -> tuple[str, Any]:
    """Equivalent forms onto one: `!= bool` → `== not bool`, integer scales `< n` → `<= n-1`,
    `> n` → `>= n+1`, `between [0, hi]` on a non-negative scale → `<= hi`, `in [0, 1, .., n]` → `<= n`,
    a category `== x` / `!= x` → `in [x]` / `not_in [x]`, a scalar `in` value → a one-element list."""
    if operator == "!=" and _is_bool(value):
        return "==", not _as_bool(value)
    if operator == "==" and _is_bool(value):
        return "==", _as_bool(value)
    integer = variable in INTEGER_VARIABLES
    if integer and operator in ("<", ">") and _is_number(value) and float(value).is_integer():
        return ("<=", value - 1) if operator == "<" else (">=", value + 1)
    if operator == "between" and isinstance(value, (list, tuple)) and len(value) == 2:
        lo, hi = value
        if _is_number(lo) and lo == 0 and variable.startswith(NON_NEGATIVE_PREFIXES):
            return "<=", hi
    if operator == "in" and integer and isinstance(value, (list, tuple)) and value \
            and all(_is_number(v) for v in value) and sorted(value) == list(range(0, int(max(value)) + 1)):
        return "<=", max(value)
    if operator in ("==", "!=") and isinstance(value, str):  # a category: `== x` is `in [x]`
        return ("in" if operator == "==" else "not_in"), [value]
    if operator in ("in", "not_in") and not isinstance(value, (list, tuple, set, frozenset)):
        value = [value]
    if variable in SET_VARIABLES and operator == "not_in":
        return "not_contains", value  # on a set, "none of these" either way (service/patient/eligibility.py)
    if variable in SET_VARIABLES and operator == "in":
        # on a set, "in [a, b]" holds when the set has one of them: the gold's `contains [a, b]`
        return ("contains", value[0]) if len(value) == 1 else ("contains", value)
    return operator, value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def canonical_extracted(variable: str, operator: str, value: Any, unit: str | None, role: str,
                        scope: str | None = None, text: str = "") -> Leaf:
    """An extracted criterion in the gold's form. `excludes` is negated into the inclusion form, except on
    exclusion-role variables where it is kept as role exclusion; `required` and `favours` are inclusion."""
    if role == "excludes":
        if variable in EXCLUSION_ROLE_VARIABLES:
            out_role = "exclusion"
        else:
            operator, value = negate(operator, value)
            out_role = "inclusion"
    else:
        out_role = "inclusion"
    operator, value = normalise_operator(variable, operator, value)
    return Leaf(variable, operator, _freeze(value), unit, out_role, scope, text=text)


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def flatten_gold(criteria: Sequence[Mapping[str, Any]]) -> list[Leaf]:
    """Every leaf of a trial's gold criteria, groups flattened; each leaf remembers its top-level index."""
    out: list[Leaf] = []

    def walk(node: Mapping[str, Any], index: int, role: str, scope: str | None, arm: str | None) -> None:
        role = node.get("role", role)
        scope = node.get("scope", scope)
        arm = node.get("arm", arm)
        for key in ("any_of", "all_of"):
            if key in node:
                for child in node[key]:
                    walk(child, index, role, scope, arm)
                return
        operator, value = normalise_operator(node["variable"], node["operator"], node["value"])
        out.append(Leaf(node["variable"], operator, _freeze(value), node.get("unit"), role or "inclusion",
                        scope, arm, group=index))

    for index, criterion in enumerate(criteria):
        walk(criterion, index, "inclusion", None, None)
    return out


# ---- matching -------------------------------------------------------------------------------

def _item_key(item: Any) -> str:
    return str(item).strip().lower()


def items_equal(a: Any, b: Any) -> bool:
    """Two set members: equal strings (case-insensitive), or equal tails after the last '/' or ':'
    (MDSKG:drug/hydroxyurea ~ hydroxyurea)."""
    ka, kb = _item_key(a), _item_key(b)
    if ka == kb:
        return True
    tail = lambda k: re.split(r"[/:]", k)[-1]  # noqa: E731
    return tail(ka) == tail(kb)


def _as_items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]


def _covers(subset: Iterable[Any], superset: Iterable[Any]) -> bool:
    sup = list(superset)
    return all(any(items_equal(x, y) for y in sup) for x in subset)


def same_items(a: Any, b: Any) -> bool:
    ia, ib = _as_items(a), _as_items(b)
    return _covers(ia, ib) and _covers(ib, ia)


def numbers_equal(a: Any, a_unit: str | None, b: Any, b_unit: str | None, variable: str) -> bool:
    """Numbers within TOLERANCE after unit conversion where both units are known; raw otherwise. Units that
    are both known but convert to different canonical units do not match."""
    if not (_is_number(a) and _is_number(b)):
        return False
    ca, ua = convert(float(a), a_unit, variable)
    cb, ub = convert(float(b), b_unit, variable)
    if ua is not None and ub is not None:
        return ua == ub and math.isclose(ca, cb, abs_tol=TOLERANCE, rel_tol=0)
    return math.isclose(float(a), float(b), abs_tol=TOLERANCE, rel_tol=0)


def values_equal(operator: str, variable: str, a: Any, a_unit: str | None, b: Any, b_unit: str | None) -> bool:
    if operator in SET_OPERATORS:
        return same_items(a, b)
    if operator in ("between", "not_between"):
        la, lb = _as_items(a), _as_items(b)
        return len(la) == len(lb) == 2 and all(numbers_equal(x, a_unit, y, b_unit, variable)
                                               for x, y in zip(la, lb, strict=True))
    if _is_number(a) or _is_number(b):
        return numbers_equal(a, a_unit, b, b_unit, variable)
    if _is_bool(a) or _is_bool(b):
        return _is_bool(a) and _is_bool(b) and _as_bool(a) == _as_bool(b)
    return items_equal(a, b)


def leaf_matches(extracted: Leaf, gold: Leaf) -> bool:
    """Same variable, operator (after normalisation), value and role. A `not_contains` gold list is matched by
    an extracted `not_contains` whose values are a subset of it (the list is shorthand for one leaf each)."""
    if extracted.variable != gold.variable or extracted.operator != gold.operator or extracted.role != gold.role:
        return False
    if gold.operator == "not_contains" and isinstance(gold.value, (list, tuple)):
        return _covers(_as_items(extracted.value), _as_items(gold.value))
    return values_equal(gold.operator, gold.variable, extracted.value, extracted.unit, gold.value, gold.unit)


@dataclass
class CriteriaScore:
    """Leaf-level criteria scores of one trial (or a sum of trials)."""

    extracted: int = 0            # scored extracted leaves (gold-known variables, de-duplicated)
    extracted_matched: int = 0
    gold: int = 0                 # gold leaves
    gold_matched: int = 0
    groups: int = 0               # top-level gold criteria
    groups_matched: int = 0       # ... all of whose leaves are matched
    scope_errors: int = 0         # matched pairs whose extracted scope differs from the gold's
    unknown_variable: int = 0     # extracted leaves on variables the gold does not know
    raw_extracted: int = 0        # before de-duplication / filtering
    unmatched_extracted: list[Leaf] = field(default_factory=list)
    unmatched_gold: list[Leaf] = field(default_factory=list)
    unknown: list[Leaf] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(self.extracted_matched, self.extracted)

    @property
    def recall(self) -> float:
        return _ratio(self.gold_matched, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: CriteriaScore) -> None:
        for name in ("extracted", "extracted_matched", "gold", "gold_matched", "groups", "groups_matched",
                     "scope_errors", "unknown_variable", "raw_extracted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, Any]:
        return {"extracted": self.extracted, "extracted_matched": self.extracted_matched, "gold": self.gold,
                "gold_matched": self.gold_matched, "groups": self.groups, "groups_matched": self.groups_matched,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "scope_errors": self.scope_errors,
                "unknown_variable": self.unknown_variable, "raw_extracted": self.raw_extracted}


PATIENT_SCOPES = frozenset({"mds", "all", "cmml"})


def same_scope(extracted: str | None, gold: str | None, population: str | None = None) -> bool:
    """Whether an extracted scope agrees with the gold's. The extractor's None means the trial's own
    patients, which the gold writes as mds, all, cmml or the trial's population."""
    patients = PATIENT_SCOPES | ({population} if population else set())
    norm = lambda scope: "patients" if scope is None or scope in patients else scope  # noqa: E731
    return gold is None or norm(extracted) == norm(gold)


def score_criteria(extracted: Sequence[Leaf], gold_criteria: Sequence[Mapping[str, Any]],
                   population: str | None = None) -> CriteriaScore:
    """Precision = matched extracted / extracted on gold-known variables; recall = matched gold leaves / gold
    leaves. Identical extracted leaves count once. A gold `not_contains` list is matched when the extracted
    `not_contains` leaves together cover all its values. Scope (whom a criterion is about) is reported as
    errors among matched pairs, not folded into precision and recall."""
    gold = flatten_gold(gold_criteria)
    score = CriteriaScore(gold=len(gold), groups=len(gold_criteria), raw_extracted=len(extracted))
    seen: set[tuple] = set()
    scored: list[Leaf] = []
    for leaf in extracted:
        key = (leaf.variable, leaf.operator, repr(leaf.value), leaf.unit, leaf.role)
        if key in seen:
            continue
        seen.add(key)
        if leaf.variable not in GOLD_VARIABLES:
            score.unknown_variable += 1
            score.unknown.append(leaf)
        else:
            scored.append(leaf)
    score.extracted = len(scored)
    matched_gold: set[int] = set()
    for leaf in scored:
        hits = [i for i, g in enumerate(gold) if leaf_matches(leaf, g)]
        if hits:
            score.extracted_matched += 1
            if not any(same_scope(leaf.scope, gold[i].scope, population) for i in hits):
                score.scope_errors += 1
            matched_gold.update(i for i in hits if not _is_list_not_contains(gold[i]))
        else:
            score.unmatched_extracted.append(leaf)
    for i, g in enumerate(gold):  # not_contains lists: all values covered by the matching extracted leaves
        if _is_list_not_contains(g):
            covered: list[Any] = []
            for leaf in scored:
                if leaf_matches(leaf, g):
                    covered += _as_items(leaf.value)
            if _covers(_as_items(g.value), covered):
                matched_gold.add(i)
    score.gold_matched = len(matched_gold)
    score.unmatched_gold = [g for i, g in enumerate(gold) if i not in matched_gold]
    by_group: dict[int, list[int]] = {}
    for i, g in enumerate(gold):
        by_group.setdefault(g.group, []).append(i)
    score.groups_matched = sum(1 for members in by_group.values() if all(i in matched_gold for i in members))
    return score


def _is_list_not_contains(leaf: Leaf) -> bool:
    return leaf.operator == "not_contains" and isinstance(leaf.value, (list, tuple)) and len(leaf.value) > 1


# ---- relations ------------------------------------------------------------------------------

_NAME_NOISE = re.compile(r"\b(?:mutations?|mutated|mutant|expression|gene)\b")


def normalise_name(text: str) -> str:
    """Lower case, '-'/'_' as spaces, without mutation/expression words and brackets' content kept."""
    text = str(text).lower().replace("_", " ").replace("-", " ")
    text = _NAME_NOISE.sub(" ", text)
    text = re.sub(r"[()\[\],]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def entity_matches(gold: str, extracted_id: str, names: Iterable[str] = ()) -> bool:
    """A gold subject/object (a concept id, a slug or a short plain name) against an extracted concept id and
    that concept's names: equal ids, equal id tails (MDSKG:drug/hydroxyurea ~ hydroxyurea), or the gold's
    lower-cased name equal to one of the names."""
    if items_equal(gold, extracted_id):
        return True
    g = normalise_name(gold)
    if not g:
        return False
    return any(normalise_name(n) == g for n in names if n)


@dataclass(frozen=True)
class ExtractedRelation:
    pmid: str
    type: str
    subject_id: str
    object_id: str
    negated: bool = False
    hedged: bool = False
    direction: str | None = None
    sentence: str = ""

    @property
    def positive(self) -> bool:
        return not self.negated and (self.direction or "positive") not in ("none", "negative")


@dataclass
class RelationScore:
    extracted: int = 0          # unique (pmid, type, subject, object) of the gold's types
    matched: int = 0
    other_types: int = 0        # extracted relations of types the gold does not label
    gold: int = 0
    gold_matched: int = 0
    polarity_errors: list[dict[str, str]] = field(default_factory=list)
    negative_for_none: list[dict[str, str]] = field(default_factory=list)  # direction negative, gold none

    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.extracted)

    @property
    def recall(self) -> float:
        return _ratio(self.gold_matched, self.gold)

    @property
    def polarity_error_edges(self) -> int:
        """Distinct (pmid, relation) among the polarity errors (one edge may be claimed in several sentences)."""
        return len({(e["pmid"], e["relation"]) for e in self.polarity_errors})

    def figures(self) -> dict[str, Any]:
        return {"extracted": self.extracted, "matched": self.matched, "precision": round(self.precision, 4),
                "gold": self.gold, "gold_matched": self.gold_matched, "recall": round(self.recall, 4),
                "other_types": self.other_types, "polarity_errors": len(self.polarity_errors),
                "polarity_error_edges": self.polarity_error_edges,
                "negative_for_gold_none": len(self.negative_for_none)}


NamesOf = Callable[[str], Iterable[str]]
TRAP_TYPES = frozenset({"NEXT_AFTER_FAILURE", "PREDICTS_RESPONSE_TO"})
#: Types whose graph edge runs the other way from the gold's: the ontology's NEXT_AFTER_FAILURE goes from the
#: failed therapy to the next one, the gold writes `subject: next therapy, object: failed therapy`.
REVERSED_TYPES = frozenset({"NEXT_AFTER_FAILURE"})
#: Words a trap must contain (besides naming the edge's subject or object) to be about that kind of edge.
TRAP_CUES = {
    "NEXT_AFTER_FAILURE": re.compile(r"\b(?:after|fail\w*|second[- ]line|salvage|refractory|relapsed)\b", re.I),
    "PREDICTS_RESPONSE_TO": re.compile(r"\b(?:predict\w*|respon\w*)\b", re.I),
}


def _components(name: str) -> list[str]:
    """'azacitidine + venetoclax' -> ['azacitidine', 'venetoclax'] (a combination's parts)."""
    parts = [p.strip() for p in re.split(r"\s\+\s", str(name)) if p.strip()]
    return parts if len(parts) > 1 else []


def _gold_matches(rel: ExtractedRelation, g: Mapping[str, Any], names_of: NamesOf, loose: bool = False) -> bool:
    """Type, subject and object agree (ALTERNATIVE_TO either way round; REVERSED_TYPES compared reversed).
    `loose`: a component of a gold combination ('azacitidine + venetoclax') also counts (polarity only)."""
    if g["type"] != rel.type:
        return False
    subject, obj = (rel.object_id, rel.subject_id) if rel.type in REVERSED_TYPES else (rel.subject_id, rel.object_id)
    s_names, o_names = list(names_of(subject)), list(names_of(obj))

    def same(gold_name: Any, concept_id: str, names: list[str]) -> bool:
        if entity_matches(str(gold_name), concept_id, names):
            return True
        return loose and any(entity_matches(part, concept_id, names) for part in _components(str(gold_name)))

    if same(g["subject"], subject, s_names) and same(g["object"], obj, o_names):
        return True
    if rel.type == "ALTERNATIVE_TO":  # symmetric
        return same(g["object"], subject, s_names) and same(g["subject"], obj, o_names)
    return False


def named_in(text: str, names: Iterable[str]) -> bool:
    """Whether one of the names (3+ characters) occurs in the text as a whole word, case-insensitive."""
    for name in names:
        name = str(name).strip()
        if len(name) >= 3 and re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text, re.I):
            return True
    return False


def score_relations(extracted: Sequence[ExtractedRelation], gold: Mapping[str, Mapping[str, Any]],
                    names_of: NamesOf = lambda _id: ()) -> RelationScore:
    """`gold`: pmid -> the abstract's gold entry (relations, traps). Extracted relations are scored once per
    (pmid, type, subject, object); polarity errors are listed per extracted relation."""
    gold_types = {r["type"] for entry in gold.values() for r in entry.get("relations") or ()}
    score = RelationScore(gold=sum(len(entry.get("relations") or ()) for entry in gold.values()))
    matched_gold: set[tuple[str, int]] = set()
    seen: set[tuple[str, str, str, str]] = set()
    for rel in extracted:
        if rel.type not in gold_types:
            score.other_types += 1
            continue
        entry = gold.get(rel.pmid) or {}
        relations = list(entry.get("relations") or ())
        hits = [i for i, g in enumerate(relations) if _gold_matches(rel, g, names_of)]
        key = (rel.pmid, rel.type, rel.subject_id, rel.object_id)
        if key not in seen:
            seen.add(key)
            score.extracted += 1
            score.matched += bool(hits)
        matched_gold.update((rel.pmid, i) for i in hits)
        loose = hits or [i for i, g in enumerate(relations) if _gold_matches(rel, g, names_of, loose=True)]
        error = _polarity_error(rel, [relations[i] for i in loose], entry.get("traps") or (), names_of)
        if error:
            score.polarity_errors.append(error)
        elif not rel.negated and rel.direction == "negative" and any(
                (relations[i].get("direction") or "positive") == "none" for i in loose):
            score.negative_for_none.append(_error_row(rel, "negative claimed, gold direction none"))
    score.gold_matched = len(matched_gold)
    return score


def _error_row(rel: ExtractedRelation, why: str) -> dict[str, str]:
    return {"pmid": rel.pmid, "relation": f"{rel.type}({rel.subject_id} -> {rel.object_id})",
            "why": why, "sentence": rel.sentence}


def _polarity_error(rel: ExtractedRelation, hits: Sequence[Mapping[str, Any]], traps: Iterable[str],
                    names_of: NamesOf) -> dict[str, str] | None:
    if not rel.positive:
        return None
    directions = {(g.get("direction") or "positive") for g in hits}
    if "positive" in directions:
        return None
    if directions & {"none", "negative"}:
        return _error_row(rel, "positive claim, gold direction " + "/".join(sorted(directions)))
    if rel.type in TRAP_TYPES:
        names = [*names_of(rel.subject_id), *names_of(rel.object_id)]
        for trap in traps:
            if named_in(trap, names) and TRAP_CUES[rel.type].search(trap):
                return _error_row(rel, f"positive {rel.type} on a trap: {trap[:60]}")
    return None


# ---- outcomes -------------------------------------------------------------------------------

@dataclass
class OutcomeScore:
    extracted: int = 0
    matched: int = 0
    gold: int = 0
    gold_matched: int = 0
    note: str = ""

    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.extracted)

    @property
    def recall(self) -> float:
        return _ratio(self.gold_matched, self.gold)

    def figures(self) -> dict[str, Any]:
        return {"extracted": self.extracted, "matched": self.matched, "precision": round(self.precision, 4),
                "gold": self.gold, "gold_matched": self.gold_matched, "recall": round(self.recall, 4),
                "note": self.note}


def score_outcomes(extracted: Sequence[Mapping[str, Any]] | None, gold: Sequence[Mapping[str, Any]]) -> OutcomeScore:
    """Outcomes match on endpoint and value (within TOLERANCE) or, for HR-only rows, endpoint and hr, within the
    same abstract when both sides name it (`pmid`). `None` means the extractor has no outcome type: 0 of n with
    a note, not an error."""
    score = OutcomeScore(gold=len(gold))
    if extracted is None:
        score.note = "the extractor has no outcome type yet: 0 outcomes extracted"
        return score
    score.extracted = len(extracted)
    used: set[int] = set()
    for out in extracted:
        for i, g in enumerate(gold):
            if i in used or out.get("endpoint") != g.get("endpoint"):
                continue
            if out.get("pmid") and g.get("pmid") and str(out["pmid"]) != str(g["pmid"]):
                continue  # a number from another abstract is not this abstract's result
            field_name = "value" if g.get("value") is not None else "hr"
            a, b = out.get(field_name), g.get(field_name)
            if _is_number(a) and _is_number(b) and math.isclose(a, b, abs_tol=TOLERANCE, rel_tol=0):
                used.add(i)
                score.matched += 1
                break
    score.gold_matched = len(used)
    return score


# ---- targets --------------------------------------------------------------------------------

TARGETS = (
    ("criteria precision", ">=", 0.9),
    ("criteria recall", ">=", 0.8),
    ("outcome precision", ">=", 0.9),
    ("outcome recall", ">=", 0.7),
    ("polarity errors", "==", 0),
)


def check_targets(figures: Mapping[str, float]) -> list[tuple[str, float, str, float, bool]]:
    """(name, value, operator, target, passed) for each target of issue 15."""
    out = []
    for name, op, target in TARGETS:
        value = figures[name]
        passed = value >= target if op == ">=" else value == target
        out.append((name, value, op, target, passed))
    return out

