"""The pieces answer plans compose with: facts with their citations, the therapies a question is about,
the recommendation paths walked (the plans themselves are in service/plans.py; citation details in
service/sources.py).

Every fact carries the citations of the graph elements it came from; writers may say only
what these facts say. Nothing here guesses: a question whose concepts the graph does not
hold gets `covered=False` and the closest topics the graph does cover.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph import reads as typed_reads
from graph.reads import EntityFacts, ReadSource, TherapyRecommendation
from mdskg.records import Fact, PathNode, PathResult, PathStep
from ontology import load_ontology
from service.understand import Understanding

THERAPY_LABELS = ("Therapy", "Drug")
_SENTENCE_END = re.compile(r"(?:(?<=[a-z0-9%)][.!?])|(?<=[A-Z]{2}[.!?]))\s+(?=[A-Z])")
_HEADING = re.compile(r"^\s*#{1,6}\s.*$", re.M)
_MARKER = re.compile(r"\s*\[(?:[A-Za-z][\w.-]*:[^\]\s]+(?:[;,]\s*)?)+\]")
_NUMBER = re.compile(r"(?<![\w.])[<>≤≥]?\s?\d+(?:[.,]\d+)?(?:\s?(?:%|mU/mL|g/dL|g/L|years?|×\s?10⁹/L|mg))?")


@dataclass
class Composition:
    facts: list[Fact] = field(default_factory=list)
    paths: list[PathResult] = field(default_factory=list)
    therapies: OrderedDict[str, PathNode] = field(default_factory=OrderedDict)
    citation_ids: list[str] = field(default_factory=list)
    covered: bool = True
    closest: list[str] = field(default_factory=list)
    section_titles: tuple[str, ...] = ()  # the answer plan's section order (empty: the writer's default)

    def add(self, section: str, text: str, citations: Iterable[str], terms: Iterable[str] = ()) -> None:
        """One fact per sentence, so every sentence a writer produces can carry its citation."""
        citations = list(citations)
        terms = list(terms)
        for sentence in _SENTENCE_END.split(clean_sentence(text)):
            self._add_one(section, sentence, citations, terms)

    def _add_one(self, section: str, text: str, citations: list[str], terms: list[str]) -> None:
        text = clean_sentence(text)
        # "MDSKG:ontology" marks a curated edge with no published source behind it: such an
        # edge may guide the walk, but it is never stated to a patient as a fact.
        citations = tuple(dict.fromkeys(c for c in citations if c and c != "MDSKG:ontology"))
        if not text or not citations:
            return  # a claim without a source is not made
        if any(f.text == text and f.section == section for f in self.facts):
            return
        self.facts.append(Fact(id=f"F{len(self.facts) + 1}", section=section, text=text, citations=citations,
                               terms=tuple(dict.fromkeys(expand_terms(terms))), numbers=tuple(numbers_in(text))))
        for c in citations:
            if c not in self.citation_ids:
                self.citation_ids.append(c)


def clean_sentence(text: str) -> str:
    text = _MARKER.sub("", _HEADING.sub("", text or "")).strip()
    text = re.sub(r"\s+", " ", text)
    if text and text[-1] not in ".?!":
        text += "."
    return text[:1].upper() + text[1:] if text else text


def numbers_in(text: str) -> list[str]:
    return [m.group(0).strip() for m in _NUMBER.finditer(text)]


def expand_terms(names: Iterable[str]) -> list[str]:
    """A concept's name plus its synonyms/abbreviations, so a writer may use any of them."""
    onto = load_ontology()
    by_name = _name_index()
    out: list[str] = []
    for name in names:
        if not name:
            continue
        out.append(name)
        concept = onto.concepts.get(name) or by_name.get(name.lower())
        if concept:
            out += [concept.name, *concept.synonyms, *concept.abbreviations, *concept.brand_names]
    return out


_NAME_INDEX: dict[str, Any] | None = None


def _name_index() -> dict[str, Any]:
    global _NAME_INDEX
    if _NAME_INDEX is None:
        _NAME_INDEX = {c.name.lower(): c for c in load_ontology().concepts.values()}
    return _NAME_INDEX


# ---- focus ---------------------------------------------------------------------------------------

def focus_therapies(graph: ReadSource, u: Understanding,
                    timeout_s: float | None) -> tuple[list[dict], list[EntityFacts]]:
    """The therapies a question is about, and the ambiguous terms that led to them."""
    therapies: OrderedDict[str, dict] = OrderedDict()
    terms: list[EntityFacts] = []
    for entity in u.entities:
        if entity.label in THERAPY_LABELS:
            therapies.setdefault(entity.id, {"id": entity.id, "name": entity.name, "label": entity.label})
        elif entity.label == "Term":
            facts = typed_reads.entity_facts(graph, id=entity.id, limit=20, timeout_s=timeout_s)
            if facts:
                terms.append(facts)
                for rel in facts.relations:
                    # "EPO" may mean the serum level too; only its treatment meanings are therapies to compare
                    if rel["type"] == "MAY_REFER_TO" and rel["outgoing"] and rel["other_label"] in THERAPY_LABELS:
                        therapies.setdefault(rel["other_id"], {"id": rel["other_id"], "name": rel["other_name"],
                                                               "label": rel["other_label"]})
    return list(therapies.values()), terms


# ---- paths ---------------------------------------------------------------------------------------

def recommendation_paths(rows: list[TherapyRecommendation]) -> list[PathResult]:
    paths = []
    for row in rows:
        nodes = [PathNode(n["id"], n["label"], n["name"]) for n in row.chain_nodes]
        steps = [PathStep(s["type"], s["from_id"], s["to_id"], tuple(s["citations"] or ())) for s in row.chain_steps]
        population = PathNode(row.population_id, row.population_label, row.population_name)
        if not nodes:
            nodes = [population]
        therapy = PathNode(row.therapy_id, row.therapy_label, row.therapy_name)
        kind = "RECOMMENDED" if row.strength not in {"not_recommended", "not_established"} else "NOT_RECOMMENDED"
        steps.append(PathStep(kind, population.id, therapy.id, tuple(row.rec_citations or ()),
                              {"recommendationId": row.rec_id, "strength": row.strength}))
        nodes.append(therapy)
        variants = [(nodes, steps)]
        for drug in row.drugs:
            variants.append((nodes + [PathNode(drug["id"], "Drug", drug["name"])],
                             steps + [PathStep("INCLUDES_DRUG", therapy.id, drug["id"], tuple(drug["citations"] or ()))]))
        positive = row.strength not in {"not_recommended", "not_established"}
        for ns, ss in variants:
            score = (100 if positive else 0) + len(ns) + 0.01 * min(row.source_count or 0, 50)
            paths.append(PathResult(nodes=tuple(ns), steps=tuple(ss), score=score,
                                    text=" → ".join(n.name for n in ns)))
    # Longest, best-supported first; identical node sequences once.
    unique: OrderedDict[tuple, PathResult] = OrderedDict()
    for p in sorted(paths, key=lambda p: -p.score):
        unique.setdefault(tuple(n.id for n in p.nodes), p)
    return list(unique.values())


# ---- composition ------------------------------------------------------------------------------------

MAX_CITES = 4


def verb(name: str, singular: str, plural: str) -> str:
    """"Hypomethylating agents are", "Luspatercept is"."""
    last = name.split()[-1].lower() if name else ""
    return plural if last.endswith("s") and not last.endswith(("ss", "is", "us", "ab")) else singular


def best_citations(citations: Iterable[str], limit: int = MAX_CITES) -> list[str]:
    """Published sources first, then named guidelines/labels, our own digests last."""
    unique = list(dict.fromkeys(c for c in citations if c and c != "MDSKG:ontology"))

    def rank(c: str) -> int:
        if c.startswith(("PMID:", "clinicaltrials:", "DOI:")):
            return 0
        if c.startswith("MDSKG:source/"):
            return 1
        return 2

    return sorted(unique, key=rank)[:limit]
