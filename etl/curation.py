"""Where recommendations EXTRACTED from literature disagree with the CURATED guideline logic.

Patient verdicts come only from the curated recommendations (`ontology/data/recommendations`,
docs/guidance-contract.md). The ETL's extracted recommendations stay in the graph as evidence and as
candidates for curation; `mdskg curation diff` lists where a candidate disagrees with the curated rules,
for a curator to act on. Everything here is pure: graph rows, curated recommendations and ontology
facts in, a sorted list of `Disagreement`s out.

How a candidate is compared:

* same therapy: the curated recommendations of the candidate's therapy, where a class and the drugs it
  includes (INCLUDES_DRUG in the ontology) count as the same therapy. None at all -> `uncurated_therapy`.
* overlapping population: of those, only the ones whose population can overlap the candidate's. A
  population is what the ontology says defines it (a patient group's `criteria`, a risk category's
  variable and value); a curated recommendation's population is what its `requires` demands of every
  patient (top-level leaves, and `none_of` leaves negated). Two populations overlap unless one
  condition of each, on the same variable, cannot hold together (risk_group == lower vs == higher,
  serum EPO <= 500 vs > 500, …). A candidate for plain MDS therefore overlaps everything. Scheme
  categories (IPSS, IPSS-R, IPSS-M) also give the risk group the ontology assigns them.
* `opposite_polarity`: a negative candidate (not_recommended, not_established) while an overlapping
  curated recommendation that its own required criteria do not rule out is positive; or a positive
  candidate where every such curated recommendation is negative. (A positive statement is always
  read as conditional, so a narrow curated "not recommended when …" does not contradict it.)
* `different_threshold`: a candidate criterion and a curated leaf of a recommendation of the same
  polarity on the same variable that compare in the same direction (< / <= ; > / >= ; == / in) but
  with another value or unit, or in the opposite direction (the candidate's range lies on the other
  side: `serum_epo_mu_ml > 500` where the curated rule requires `<= 500`). A leaf that `excludes`, or
  sits inside `none_of`, is compared by its negation. A candidate condition (required / excludes) is
  compared with curated conditions and a `favours` with curated favours; only when the curated rules
  have no comparable leaf of the same kind is the other kind used. Agreement with one leaf is enough.
* `missing_criterion`: a candidate criterion on a variable that no overlapping curated recommendation
  of the therapy uses anywhere (requires, excludes, favours; the scheme categories and risk_group
  count as one variable).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ontology.guidance import GROUP_KEYS, CuratedRecommendation, Group, Leaf, node_from

KINDS = ("opposite_polarity", "different_threshold", "missing_criterion", "uncurated_therapy")
NEGATIVE_STRENGTHS = frozenset({"not_recommended", "not_established"})  # as etl/rows.py
# ontology/data/model.yaml `criterion_variables` of `type: set` (tests/unit/test_curation_diff.py checks).
SET_VARIABLES = frozenset({"mutated_genes", "karyotype_findings", "prior_therapies", "failed_therapies",
                           "ineligible_therapies"})
RISK_GROUP = "risk_group"

_NEGATION = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==", "in": "not_in", "not_in": "in",
             "contains": "not_contains", "not_contains": "contains"}
# Spellings of one unit (1 IU/L = 1 mU/mL for erythropoietin); numbers are never converted between units.
_UNIT_ALIASES = {"iu/l": "mu/ml", "u/l": "mu/ml", "x10^9/l": "10^9/l", "×10^9/l": "10^9/l", "year": "years",
                 "percent": "%"}


# ---- inputs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CandidateCriterion:
    variable: str
    operator: str
    value: Any
    unit: str | None = None
    role: str = "required"  # required | favours | excludes
    sentence: str = ""
    source_ids: tuple[str, ...] = ()  # the sources its first sentence cites

    def leaf(self) -> Leaf:
        return Leaf(self.variable, self.operator, self.value, self.unit)

    def text(self) -> str:
        return f"{self.variable} {_condition_text(self.operator, self.value, self.unit)} ({self.role})"


@dataclass(frozen=True)
class Candidate:
    """An extracted (not curated) Recommendation node of the graph, with its criteria."""

    id: str
    therapy_id: str
    strength: str
    therapy_name: str = ""
    line: str | None = None
    population_ids: tuple[str, ...] = ()
    criteria: tuple[CandidateCriterion, ...] = ()
    sentence: str = ""  # the first sentence it was extracted from
    source_ids: tuple[str, ...] = ()  # the sources that sentence cites
    documents: tuple[str, ...] = ()  # the documents it was read in

    @property
    def positive(self) -> bool:
        return self.strength not in NEGATIVE_STRENGTHS

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Candidate:
        """A row of graph/cypher/recommendation_candidates.cypher."""
        criteria = tuple(
            CandidateCriterion(variable=c["variable"], operator=c["operator"], value=_json_value(c.get("value_json")),
                               unit=c.get("unit"), role=c.get("role") or "required", sentence=c.get("sentence") or "",
                               source_ids=_cited(c.get("sentence_citations"), c.get("citations")))
            for c in row.get("criteria") or [] if c and c.get("variable"))
        return cls(id=row["id"], therapy_id=row["therapy_id"], strength=row.get("strength") or "",
                   therapy_name=row.get("therapy_name") or "", line=row.get("line"),
                   population_ids=tuple(row.get("population_ids") or ()), criteria=criteria,
                   sentence=row.get("sentence") or "",
                   source_ids=_cited(row.get("sentence_citations"), row.get("citations")),
                   documents=tuple(dict.fromkeys(row.get("source_ids") or ())))


def candidates_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Candidate]:
    return sorted((Candidate.from_row(r) for r in rows), key=lambda c: c.id)


@dataclass(frozen=True)
class Populations:
    """What the ontology says about populations: who belongs to each one, and which scheme category
    belongs to which risk group ((ipss_category, low) -> lower)."""

    criteria: Mapping[str, tuple[Leaf, ...]] = field(default_factory=dict)
    risk_of_category: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_ontology(cls, onto) -> Populations:
        criteria: dict[str, tuple[Leaf, ...]] = {}
        risk: dict[tuple[str, str], str] = {}
        for concept in onto.concepts.values():
            props = concept.properties or {}
            if props.get("criteria"):
                node = node_from(list(props["criteria"]), concept.id, [])
                criteria[concept.id] = tuple(_hard_conditions(node))
            elif props.get("variable") and "value" in props:
                criteria[concept.id] = (Leaf(str(props["variable"]), "==", props["value"]),)
            if props.get("variable") and "value" in props and props.get("group"):
                risk[(str(props["variable"]), _key(props["value"]))] = str(props["group"])
        return cls(criteria, risk)

    @property
    def risk_variables(self) -> frozenset[str]:
        return frozenset({RISK_GROUP, *(variable for variable, _ in self.risk_of_category)})

    def with_risk_group(self, conditions: Sequence[Leaf]) -> list[Leaf]:
        """The conditions plus the risk group their scheme categories imply (all values in one group)."""
        out = list(conditions)
        for c in conditions:
            if c.variable == RISK_GROUP or c.operator not in {"==", "in"}:
                continue
            groups = {self.risk_of_category.get((c.variable, _key(v))) for v in _values(c.value)}
            if groups and None not in groups:
                out.append(Leaf(RISK_GROUP, "in", sorted(groups)))
        return out

    def scopes(self, population_ids: Sequence[str], extra: Sequence[Leaf] = ()) -> list[list[Leaf]]:
        """One list of conditions per population (a recommendation for several populations is for any of
        them); a population the ontology does not define adds no condition."""
        ids = list(population_ids) or [""]
        return [self.with_risk_group([*self.criteria.get(pid, ()), *extra]) for pid in ids]


def class_members_from_ontology(onto) -> dict[str, frozenset[str]]:
    """Therapy class -> the drugs it includes (INCLUDES_DRUG edges of the ontology)."""
    members: dict[str, set[str]] = defaultdict(set)
    for edge in onto.edges:
        if edge.type == "INCLUDES_DRUG":
            members[edge.subject].add(edge.object)
    return {k: frozenset(v) for k, v in sorted(members.items())}


# ---- output ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Disagreement:
    kind: str  # one of KINDS
    therapy_id: str
    candidate_id: str
    candidate_strength: str
    curated_ids: tuple[str, ...] = ()
    curated_strengths: tuple[str, ...] = ()  # aligned with curated_ids
    variable: str | None = None
    candidate_operator: str | None = None
    candidate_value: Any = None
    candidate_unit: str | None = None
    candidate_role: str | None = None
    curated_operator: str | None = None
    curated_value: Any = None
    curated_unit: str | None = None
    curated_role: str | None = None
    detail: str = ""
    therapy_name: str = ""
    sentence: str = ""
    source_ids: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        return (KINDS.index(self.kind), self.therapy_id, self.candidate_id, self.variable or "",
                self.candidate_operator or "", _sortable(self.candidate_value), self.curated_ids,
                self.curated_operator or "", _sortable(self.curated_value))

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("curated_ids", "curated_strengths", "source_ids", "documents"):
            data[key] = list(data[key])
        return data

    def text(self, width: int = 160) -> str:
        """One line: what disagrees, with what, and the sentence it was read in."""
        therapy = f"{self.therapy_name} [{self.therapy_id}]" if self.therapy_name else self.therapy_id
        curated = ", ".join(self.curated_ids)
        if self.kind == "opposite_polarity":
            what = (f"candidate says {self.candidate_strength}, curated says "
                    f"{'/'.join(sorted(set(self.curated_strengths)))} ({curated})")
        elif self.kind == "different_threshold":
            what = (f"{self.variable}: candidate "
                    f"{_condition_text(self.candidate_operator, self.candidate_value, self.candidate_unit)} "
                    f"({self.candidate_role}) vs curated "
                    f"{_condition_text(self.curated_operator, self.curated_value, self.curated_unit)} "
                    f"({self.curated_role}) in {curated}: {self.detail}")
        elif self.kind == "missing_criterion":
            what = (f"{self.variable}: candidate "
                    f"{_condition_text(self.candidate_operator, self.candidate_value, self.candidate_unit)} "
                    f"({self.candidate_role}), used by none of {curated}")
        else:
            what = f"no curated recommendation (candidate says {self.candidate_strength})"
        sentence = self.sentence if len(self.sentence) <= width else self.sentence[:width - 1].rstrip() + "…"
        cited = f" [{', '.join(self.source_ids)}]" if self.source_ids else ""
        return f"{therapy} — {what} — {self.candidate_id}: \"{sentence}\"{cited}"


@dataclass(frozen=True)
class DiffReport:
    """What `mdskg curation diff` prints."""

    candidates: int
    curated: int
    guidance_version: str
    disagreements: tuple[Disagreement, ...]
    not_compared: tuple[str, ...] = ()  # candidates whose therapy is curated, but not for their population

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for d in self.disagreements if d.kind == kind) for kind in KINDS}

    def to_json(self) -> list[dict[str, Any]]:
        return [d.as_dict() for d in self.disagreements]

    def to_text(self) -> str:
        counts = self.counts()
        lines = [f"compared {self.candidates} extracted recommendation candidates with {self.curated} curated "
                 f"recommendations (guidance {self.guidance_version or 'unversioned'})",
                 f"disagreements: {len(self.disagreements)} ("
                 + ", ".join(f"{kind} {n}" for kind, n in counts.items()) + ")"]
        if self.not_compared:
            lines.append(f"not compared: {len(self.not_compared)} candidates whose therapy is curated, but for no "
                         f"overlapping population: {', '.join(self.not_compared)}")
        for kind in KINDS:
            found = [d for d in self.disagreements if d.kind == kind]
            if found:
                lines.append("")
                lines.append(f"{kind} ({len(found)})")
                lines.extend(f"  {d.text()}" for d in found)
        return "\n".join(lines)


# ---- the comparison ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Placed:
    """A curated leaf where it sits: its role, and whether a none_of turns it around."""

    rec: CuratedRecommendation
    leaf: Leaf
    role: str  # required | excludes | favours
    negated: bool

    @property
    def tier(self) -> str:
        return "favours" if self.role == "favours" else "condition"

    @property
    def against(self) -> bool:
        """True when the leaf describes patients the therapy is NOT for (excludes, or under none_of)."""
        return (self.role == "excludes") != self.negated

    @property
    def role_text(self) -> str:
        return f"{self.role}, under none_of" if self.negated else self.role


def diff(candidates: Iterable[Candidate], curated_recs: Iterable[CuratedRecommendation],
         class_members: Mapping[str, Iterable[str]], populations: Populations | None = None) -> list[Disagreement]:
    """Every disagreement between the candidates and the curated recommendations, sorted by kind,
    therapy, candidate and variable."""
    return _Comparer(curated_recs, class_members, populations or Populations()).diff(candidates)


def diff_report(candidates: Sequence[Candidate], guidance, class_members: Mapping[str, Iterable[str]],
                populations: Populations | None = None) -> DiffReport:
    """`diff` with what a curator needs around it (counts, candidates left uncompared)."""
    comparer = _Comparer(guidance.recommendations, class_members, populations or Populations())
    return DiffReport(candidates=len(candidates), curated=len(guidance.recommendations),
                      guidance_version=guidance.version, disagreements=tuple(comparer.diff(candidates)),
                      not_compared=tuple(sorted(c.id for c in candidates
                                                if comparer.same_therapy(c) and not comparer.overlapping(c))))


def curation_diff(graph) -> DiffReport:
    """Where the graph's extracted recommendation candidates disagree with the curated ones
    (ontology/data/recommendations), read from a loaded graph (`mdskg curation diff`)."""
    from graph.reads import recommendation_candidates
    from ontology import load_ontology
    from ontology.guidance import load_guidance

    onto = load_ontology()
    rows = recommendation_candidates(graph, therapy_ids=None)
    candidates = candidates_from_rows(r.as_dict() for r in rows)  # the comparison takes mappings
    return diff_report(candidates, load_guidance(), class_members_from_ontology(onto), Populations.from_ontology(onto))


class _Comparer:
    def __init__(self, curated_recs: Iterable[CuratedRecommendation], class_members: Mapping[str, Iterable[str]],
                 populations: Populations):
        self.recs = sorted(curated_recs, key=lambda r: r.id)
        self.members = {k: frozenset(v) for k, v in class_members.items()}
        self.populations = populations
        self.scopes = {r.id: populations.scopes(r.populations, _hard_conditions(r.requires)) for r in self.recs}
        self.placed = {r.id: list(_placed_leaves(r)) for r in self.recs}

    def diff(self, candidates: Iterable[Candidate]) -> list[Disagreement]:
        out: list[Disagreement] = []
        for cand in sorted(candidates, key=lambda c: c.id):
            if not self.same_therapy(cand):
                out.append(_disagreement("uncurated_therapy", cand))
                continue
            recs = self.overlapping(cand)
            if not recs:
                continue
            out.extend(self._polarity(cand, recs))
            for criterion in sorted(cand.criteria, key=lambda c: (c.variable, c.role, c.operator, _sortable(c.value))):
                out.extend(self._criterion(cand, criterion, recs))
        return sorted(out, key=Disagreement.sort_key)

    def _is_same_therapy(self, a: str, b: str) -> bool:
        return a == b or b in self.members.get(a, ()) or a in self.members.get(b, ())

    def same_therapy(self, cand: Candidate) -> list[CuratedRecommendation]:
        return [r for r in self.recs if self._is_same_therapy(cand.therapy_id, r.therapy)]

    def overlapping(self, cand: Candidate, extra: Sequence[Leaf] = ()) -> list[CuratedRecommendation]:
        mine = self.populations.scopes(cand.population_ids, extra)
        return [r for r in self.same_therapy(cand)
                if any(_compatible(a, b) for a in mine for b in self.scopes[r.id])]

    def _polarity(self, cand: Candidate, recs: list[CuratedRecommendation]) -> list[Disagreement]:
        conditions = [c.leaf() if c.role == "required" else _negate(c.leaf())
                      for c in cand.criteria if c.role in {"required", "excludes"}]
        ids = {r.id for r in recs}
        compatible = [r for r in self.overlapping(cand, [c for c in conditions if c]) if r.id in ids]
        if not cand.positive:
            against = [r for r in compatible if r.positive]
        else:
            against = compatible if compatible and not any(r.positive for r in compatible) else []
        if not against:
            return []
        return [_disagreement("opposite_polarity", cand, against,
                              detail="extracted and curated polarity differ for an overlapping population")]

    def _criterion(self, cand: Candidate, crit: CandidateCriterion, recs: list[CuratedRecommendation]
                   ) -> list[Disagreement]:
        family = self.populations.risk_variables if crit.variable in self.populations.risk_variables else {crit.variable}
        if not any(p.leaf.variable in family for r in recs for p in self.placed[r.id]):
            return [_disagreement("missing_criterion", cand, recs, crit,
                                  detail="no overlapping curated recommendation of the therapy uses this variable")]
        tier = "favours" if crit.role == "favours" else "condition"
        against = crit.role == "excludes"
        judged: list[tuple[_Placed, str]] = []
        for rec in recs:
            if rec.positive != cand.positive:
                continue  # thresholds are compared within one polarity; across, see opposite_polarity
            for placed in self.placed[rec.id]:
                if placed.leaf.variable != crit.variable:
                    continue
                leaf = placed.leaf if placed.against == against else _negate(placed.leaf)
                verdict = _relation(crit.leaf(), leaf) if leaf else None
                if verdict:
                    judged.append((placed, verdict))
        pick = [(p, v) for p, v in judged if p.tier == tier] or judged
        if any(v == "agree" for _, v in pick):
            return []
        grouped: dict[tuple, list[_Placed]] = defaultdict(list)
        for placed, verdict in pick:
            grouped[(placed.leaf.operator, _sortable(placed.leaf.value), placed.leaf.unit or "", placed.role_text,
                     verdict)].append(placed)
        out = []
        for (_, _, _, role_text, verdict), group in sorted(grouped.items(), key=lambda kv: kv[0]):
            leaf = group[0].leaf
            out.append(_disagreement("different_threshold", cand, [p.rec for p in group], crit, detail=verdict,
                                     curated_operator=leaf.operator, curated_value=leaf.value,
                                     curated_unit=leaf.unit, curated_role=role_text))
        return out


def _disagreement(kind: str, cand: Candidate, recs: Sequence[CuratedRecommendation] = (),
                  crit: CandidateCriterion | None = None, detail: str = "", **curated: Any) -> Disagreement:
    recs = sorted({r.id: r for r in recs}.values(), key=lambda r: r.id)
    return Disagreement(
        kind=kind, therapy_id=cand.therapy_id, therapy_name=cand.therapy_name, candidate_id=cand.id,
        candidate_strength=cand.strength, curated_ids=tuple(r.id for r in recs),
        curated_strengths=tuple(r.strength for r in recs), variable=crit.variable if crit else None,
        candidate_operator=crit.operator if crit else None, candidate_value=crit.value if crit else None,
        candidate_unit=crit.unit if crit else None, candidate_role=crit.role if crit else None,
        detail=detail, sentence=(crit.sentence if crit and crit.sentence else cand.sentence),
        source_ids=(crit.source_ids if crit and crit.source_ids else cand.source_ids), documents=cand.documents,
        **curated)


# ---- conditions --------------------------------------------------------------------------------

def _placed_leaves(rec: CuratedRecommendation) -> Iterable[_Placed]:
    def walk(node, role: str, negated: bool):
        if isinstance(node, Leaf):
            yield _Placed(rec, node, role, negated)
            return
        for item in node.items:
            yield from walk(item, role, negated != (node.kind == "none_of"))

    yield from walk(rec.requires, "required", False)
    for node in rec.excludes:
        yield from walk(node, "excludes", False)
    for node in rec.favours:
        yield from walk(node, "favours", False)


def _hard_conditions(node) -> list[Leaf]:
    """What every patient of a rule must satisfy: leaves reached through all_of, and the leaves directly
    under a none_of, negated. An any_of demands nothing certain of any one variable."""
    if node is None:
        return []
    if isinstance(node, Leaf):
        return [node]
    if not isinstance(node, Group) or node.kind not in GROUP_KEYS:
        return []
    if node.kind == "all_of":
        return [leaf for item in node.items for leaf in _hard_conditions(item)]
    if node.kind == "none_of":
        return [n for n in (_negate(item) for item in node.items if isinstance(item, Leaf)) if n]
    return []


def _negate(leaf: Leaf) -> Leaf | None:
    op = _NEGATION.get(leaf.operator)
    return Leaf(leaf.variable, op, leaf.value, leaf.unit) if op else None


def _compatible(a: Sequence[Leaf], b: Sequence[Leaf]) -> bool:
    return not any(_conflict(x, y) for x in a for y in b if x.variable == y.variable)


def _conflict(a: Leaf, b: Leaf) -> bool:
    """True when no patient can satisfy both conditions (on the same variable)."""
    ia, ib = _interval(a), _interval(b)
    if ia and ib:
        return _same_unit(a.unit, b.unit) and not _intervals_meet(ia, ib)
    if a.variable in SET_VARIABLES:
        return _set_conflict(a, b) or _set_conflict(b, a)
    sa, sb = _allowed(a), _allowed(b)
    if sa is not None and sb is not None:
        return not (sa & sb)
    na, nb = _excluded(a), _excluded(b)
    return bool((sa is not None and nb is not None and sa <= nb) or (sb is not None and na is not None and sb <= na))


def _set_conflict(a: Leaf, b: Leaf) -> bool:
    has = {_key(v) for v in _values(a.value)}
    hasnot = {_key(v) for v in _values(b.value)}
    if b.operator not in {"not_contains", "not_in"}:
        return False
    if a.operator == "contains":
        return bool(has & hasnot)
    if a.operator == "in":
        return bool(has) and has <= hasnot
    return False


def _relation(cand: Leaf, cur: Leaf) -> str | None:
    """How a candidate condition compares with a curated one on the same variable: 'agree', a reason to
    report, or None when the two do not speak about the same bound."""
    dc, du = _direction(cand), _direction(cur)
    if dc is None or du is None:
        return None
    if dc in {"lt", "gt", "between"} and du in {"lt", "gt", "between"}:
        if not _same_unit(cand.unit, cur.unit):
            return f"units differ ({cand.unit} vs {cur.unit}); compare by hand"
        if dc == du:
            return "agree" if _numbers(cand.value) == _numbers(cur.value) else "another value"
        if {dc, du} == {"lt", "gt"}:
            return "opposite direction" if not _intervals_meet(_interval(cand), _interval(cur)) else None
        return None
    a, b = {_key(v) for v in _values(cand.value)}, {_key(v) for v in _values(cur.value)}
    if cand.variable in SET_VARIABLES:
        if dc == du:
            return "agree" if a & b else None
        return "opposite direction" if {dc, du} == {"has", "hasnot"} and a & b else None
    if dc == du and dc in {"is", "isnot"}:
        if a == b:
            return "agree"
        return "opposite direction" if a | b <= {"true", "false"} else "another value"
    if {dc, du} == {"is", "isnot"}:
        positive, negative = (a, b) if dc == "is" else (b, a)
        if not positive & negative:
            return "agree"
        return "opposite direction" if positive <= negative else "another value"
    return None


def _direction(leaf: Leaf) -> str | None:
    op = leaf.operator
    if leaf.variable in SET_VARIABLES:
        return {"contains": "has", "in": "has", "not_contains": "hasnot", "not_in": "hasnot"}.get(op)
    if op in {"<", "<="} and _number(leaf.value) is not None:
        return "lt"
    if op in {">", ">="} and _number(leaf.value) is not None:
        return "gt"
    if op == "between" and _numbers(leaf.value) is not None:
        return "between"
    return {"==": "is", "in": "is", "!=": "isnot", "not_in": "isnot"}.get(op)


def _interval(leaf: Leaf) -> tuple[float, bool, float, bool] | None:
    """(low, low included, high, high included) for a numeric condition."""
    op, n = leaf.operator, _number(leaf.value)
    if op == "between":
        bounds = _numbers(leaf.value)
        return (bounds[0], True, bounds[1], True) if bounds else None
    if n is None:
        return None
    return {"<": (-math.inf, False, n, False), "<=": (-math.inf, False, n, True), ">": (n, False, math.inf, False),
            ">=": (n, True, math.inf, False), "==": (n, True, n, True)}.get(op)


def _intervals_meet(a, b) -> bool:
    lo, lo_in = max((a[0], a[1]), (b[0], b[1]), key=lambda x: (x[0], not x[1]))
    hi, hi_in = min((a[2], a[3]), (b[2], b[3]), key=lambda x: (x[0], x[1]))
    return lo < hi or (lo == hi and lo_in and hi_in)


def _allowed(leaf: Leaf) -> set[str] | None:
    return {_key(v) for v in _values(leaf.value)} if leaf.operator in {"==", "in"} else None


def _excluded(leaf: Leaf) -> set[str] | None:
    return {_key(v) for v in _values(leaf.value)} if leaf.operator in {"!=", "not_in"} else None


def _same_unit(a: str | None, b: str | None) -> bool:
    """Units are the same when equal after normalising, or when either side leaves it to the variable's
    canonical unit (extracted and curated values are both stated in it)."""
    if not a or not b:
        return True
    na, nb = (_UNIT_ALIASES.get(u, u) for u in (a.replace(" ", "").lower(), b.replace(" ", "").lower()))
    return na == nb


# ---- values ------------------------------------------------------------------------------------

def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    n = _number(value)
    if n is not None:
        return repr(n)
    return str(value).strip().lower()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def _numbers(value: Any) -> tuple[float, float] | float | None:
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(_number(v) is not None for v in value):
        return (float(value[0]), float(value[1]))
    return _number(value)


def _json_value(raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _cited(sentence_citations: Any, citations: Any) -> tuple[str, ...]:
    """The sources the first sentence cites ('a|b' as stored per evidence), else every cited source."""
    if isinstance(sentence_citations, str) and sentence_citations:
        return tuple(dict.fromkeys(s for s in sentence_citations.split("|") if s))
    return tuple(dict.fromkeys(citations or ()))


def _sortable(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _condition_text(operator: str | None, value: Any, unit: str | None) -> str:
    if isinstance(value, (list, tuple)):
        shown = "[" + ", ".join(str(v) for v in value) + "]"
    elif isinstance(value, bool):
        shown = "true" if value else "false"
    else:
        shown = str(value)
    return f"{operator} {shown}{f' {unit}' if unit else ''}"
