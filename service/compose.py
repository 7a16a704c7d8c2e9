"""Path walking and deterministic composition: Understanding → PathResults → Facts.

Every fact carries the citations of the graph elements it came from; writers may say only
what these facts say. Nothing here guesses: a question whose concepts the graph does not
hold gets `covered=False` and the closest topics the graph does cover.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Iterable

from graph.db import Graph
from mdskg.records import Citation, Fact, PathNode, PathResult, PathStep
from ontology import load_ontology
from ontology.criteria_text import describe, parse_value
from service.understand import Understanding

MDS_ID = "NCIT:C3247"
THERAPY_LABELS = ("Therapy", "Drug")
S_WHAT, S_APPLIES, S_WORKS, S_INVOLVES, S_ASK, S_OTHER, S_BOTTOM = (
    "What it is", "How it applies to MDS", "Does it work, and for whom", "What it involves",
    "Questions to ask your doctor", "Other approaches", "The bottom line")
STRENGTH_PHRASE = {
    "recommended": "is recommended for",
    "option": "is an option for",
    "may_be_considered": "may be considered for",
    "not_recommended": "is not recommended for",
    "not_established": "is not an established treatment for",
}
ROLE_LEAD = {
    "favours": "Response to {t} is more likely with",
    "required": "{t} is meant for people with",
    "excludes": "{t} is usually not used with",
}
# A sentence ends after a lower-case letter, digit, % or ")" — or after an acronym ("... for MDS. In ..."),
# but not after an initial ("U.S. Food").
_SENTENCE_END = re.compile(r"(?:(?<=[a-z0-9%)][.!?])|(?<=[A-Z]{2}[.!?]))\s+(?=[A-Z])")
_HEADING = re.compile(r"^\s*#{1,6}\s.*$", re.M)
_MARKER = re.compile(r"\s*\[(?:[A-Za-z][\w.-]*:[^\]\s]+(?:[;,]\s*)?)+\]")
_NUMBER = re.compile(r"(?<![\w.])[<>≤≥]?\s?\d+(?:[.,]\d+)?(?:\s?(?:%|mU/mL|g/dL|g/L|years?|×\s?10⁹/L|mg))?")
_QUESTION_FOR_VARIABLE = {
    "marrow_cellularity": "Is my bone marrow hypocellular (less full of cells than usual)?",
    "marrow_blasts_pct": "What is my bone marrow blast percentage?",
    "pnh_clone": "Have I been tested for a PNH clone?",
    "hla_dr15": "Has my HLA type (HLA-DR15) been checked?",
    "stat3_t_cell_clone": "Have I been tested for a STAT3-mutant T-cell clone?",
    "serum_epo_mu_ml": "What is my serum EPO level?",
    "ring_sideroblasts_pct": "Do I have ring sideroblasts, and what percentage?",
    "mutated_genes": "Which gene mutations were found in my bone marrow?",
    "karyotype_findings": "What did my chromosome (karyotype) test show?",
    "transfusion_units_per_8wk": "How many transfusions do I need, and could this treatment reduce them?",
    "age": "Does my age change which treatments fit me?",
    "risk_group": "What is my risk category (IPSS-R or IPSS-M), and is my MDS lower-risk or higher-risk?",
    "ipss_category": "What is my risk category (IPSS-R or IPSS-M), and is my MDS lower-risk or higher-risk?",
    "failed_therapies": "What are the options if this treatment does not work or stops working?",
}


@dataclass
class Composition:
    facts: list[Fact] = field(default_factory=list)
    paths: list[PathResult] = field(default_factory=list)
    therapies: "OrderedDict[str, PathNode]" = field(default_factory=OrderedDict)
    citation_ids: list[str] = field(default_factory=list)
    covered: bool = True
    closest: list[str] = field(default_factory=list)
    recommendation_ids: list[str] = field(default_factory=list)
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

def focus_therapies(graph: Graph, u: Understanding, timeout_s: float | None) -> tuple[list[dict], list[dict]]:
    """The therapies a question is about, and the ambiguous terms that led to them."""
    therapies: "OrderedDict[str, dict]" = OrderedDict()
    terms: list[dict] = []
    for entity in u.entities:
        if entity.label in THERAPY_LABELS:
            therapies.setdefault(entity.id, {"id": entity.id, "name": entity.name, "label": entity.label})
        elif entity.label == "Term":
            facts = graph.read("entity_facts", timeout_s=timeout_s, id=entity.id, limit=20)
            if facts:
                terms.append(facts[0])
                for rel in facts[0]["relations"]:
                    if rel["type"] == "MAY_REFER_TO" and rel["outgoing"]:
                        therapies.setdefault(rel["other_id"], {"id": rel["other_id"], "name": rel["other_name"],
                                                               "label": rel["other_label"]})
    return list(therapies.values()), terms


# ---- paths ---------------------------------------------------------------------------------------

def recommendation_paths(rows: list[dict]) -> list[PathResult]:
    paths = []
    for row in rows:
        nodes = [PathNode(n["id"], n["label"], n["name"]) for n in row["chain_nodes"]]
        steps = [PathStep(s["type"], s["from_id"], s["to_id"], tuple(s["citations"] or ())) for s in row["chain_steps"]]
        population = PathNode(row["population_id"], row["population_label"], row["population_name"])
        if not nodes:
            nodes = [population]
        therapy = PathNode(row["therapy_id"], row["therapy_label"], row["therapy_name"])
        kind = "RECOMMENDED" if row["strength"] not in {"not_recommended", "not_established"} else "NOT_RECOMMENDED"
        steps.append(PathStep(kind, population.id, therapy.id, tuple(row["rec_citations"] or ()),
                              {"recommendationId": row["rec_id"], "strength": row["strength"]}))
        nodes.append(therapy)
        variants = [(nodes, steps)]
        for drug in row["drugs"]:
            variants.append((nodes + [PathNode(drug["id"], "Drug", drug["name"])],
                             steps + [PathStep("INCLUDES_DRUG", therapy.id, drug["id"], tuple(drug["citations"] or ()))]))
        positive = row["strength"] not in {"not_recommended", "not_established"}
        for ns, ss in variants:
            score = (100 if positive else 0) + len(ns) + 0.01 * min(row["source_count"] or 0, 50)
            paths.append(PathResult(nodes=tuple(ns), steps=tuple(ss), score=score,
                                    text=" → ".join(n.name for n in ns)))
    # Longest, best-supported first; identical node sequences once.
    unique: "OrderedDict[tuple, PathResult]" = OrderedDict()
    for p in sorted(paths, key=lambda p: -p.score):
        unique.setdefault(tuple(n.id for n in p.nodes), p)
    return list(unique.values())


# ---- composition ------------------------------------------------------------------------------------

SPECIFICITY = {"PatientGroup": 0, "Subtype": 1, "RiskCategory": 2, "Disease": 3}
NEGATIVE = {"not_recommended", "not_established"}
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


def compose(graph: Graph, u: Understanding, timeout_s: float | None = None, max_other: int = 14) -> Composition:
    comp = Composition()
    therapies, terms = focus_therapies(graph, u, timeout_s)
    disease_ids = [e.id for e in u.by_label("Disease")] or [MDS_ID]
    disease_id = disease_ids[0]
    recommendations = {t["id"]: graph.read("therapy_recommendations", timeout_s=timeout_s, therapy_id=t["id"],
                                           disease_id=disease_id, limit=40) for t in therapies}
    # Therapies the sources recommend lead; the ones they advise against follow.
    therapies.sort(key=lambda t: -sum(1 for r in recommendations[t["id"]] if r["strength"] not in NEGATIVE))

    # What it is: an ambiguous word first, then each concept's definition.
    for term in terms:
        docs = graph.read("mentioning_documents", timeout_s=timeout_s, id=term["id"], limit=2)
        doc_ids = [d["id"] for d in docs]
        order = {t["id"]: i for i, t in enumerate(therapies)}
        for rel in sorted(term["relations"], key=lambda r: order.get(r["other_id"], 99)):
            if rel["type"] == "MAY_REFER_TO" and rel["outgoing"] and rel["note"]:
                comp.add(S_WHAT, f'People use the word "{term["name"]}" for {rel["other_name"]}. {rel["note"]}',
                         best_citations([*rel["citations"], *doc_ids]), [rel["other_name"], term["name"]])
    for therapy in therapies:
        _definition(graph, therapy["id"], comp, timeout_s)

    if not therapies:
        _compose_concepts(graph, u, comp, timeout_s)
        comp.covered = bool(comp.facts)
        return comp

    focus_related: set[str] = {t["id"] for t in therapies}
    for therapy in therapies:
        rows = recommendations[therapy["id"]]
        comp.therapies[therapy["id"]] = PathNode(therapy["id"], therapy["label"], therapy["name"])
        comp.paths += recommendation_paths(rows)
        positive = sorted((r for r in rows if r["strength"] not in NEGATIVE),
                          key=lambda r: (SPECIFICITY.get(r["population_label"], 9), -(r["source_count"] or 0)))
        negative = [r for r in rows if r["strength"] in NEGATIVE]
        name = therapy["name"]
        for row in positive[:4]:
            phrase = STRENGTH_PHRASE.get(row["strength"], "is used for").replace("is ", verb(name, "is ", "are "), 1)
            comp.add(S_APPLIES, f"{name} {phrase} {row['population_name']}.", best_citations(row["rec_citations"] or []),
                     [name, row["population_name"]])
        for row in negative[:3]:
            phrase = STRENGTH_PHRASE[row["strength"]].replace("is ", verb(name, "is ", "are "), 1)
            comp.add(S_WORKS, f"{name} {phrase} {row['population_name']}.", best_citations(row["rec_citations"] or []),
                     [name, row["population_name"]])
        drugs: "OrderedDict[str, list[str]]" = OrderedDict()
        drug_ids: "OrderedDict[str, str]" = OrderedDict()
        for row in positive:
            for drug in row["drugs"]:
                drugs.setdefault(drug["name"], []).extend(drug["citations"] or [])
                focus_related.add(drug["id"])
                drug_ids.setdefault(drug["id"], drug["name"])
        if drugs:
            names = list(drugs)
            listed = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
            comp.add(S_INVOLVES, f"{name} {verb(name, 'uses', 'use')} {listed}.",
                     best_citations([c for cs in drugs.values() for c in cs], 6), [name, *names])
        comp.recommendation_ids += [r["rec_id"] for r in positive]
        _criteria_facts(graph, therapy, [r["rec_id"] for r in positive], comp, timeout_s,
                        {r["rec_id"]: r["population_name"] for r in positive})
        _relation_facts(graph, therapy, comp, timeout_s)
        for drug_id, drug_name in list(drug_ids.items())[:3]:
            _relation_facts(graph, {"id": drug_id, "name": drug_name}, comp, timeout_s)

    _other_approaches(graph, focus_related, comp, timeout_s, max_other)
    _bottom_line(therapies, comp)
    comp.paths.sort(key=lambda p: -p.score)
    comp.covered = bool(comp.facts)
    return comp


def _definition(graph: Graph, concept_id: str, comp: Composition, timeout_s) -> None:
    """Our plain-language definition, cited to the concept's sources or, failing those, to the
    corpus documents that discuss it (which cite theirs)."""
    concept = load_ontology().concepts.get(concept_id)
    if not concept or not concept.definition:
        return
    citations = best_citations(concept.sources)
    if not citations:
        citations = [d["id"] for d in graph.read("mentioning_documents", timeout_s=timeout_s, id=concept_id, limit=1)]
    comp.add(S_WHAT, f"{concept.name}: {concept.definition}", citations, [concept.name])


def _criteria_facts(graph: Graph, therapy: dict, rec_ids: list[str], comp: Composition, timeout_s,
                    populations: dict[str, str] | None = None) -> None:
    """One sentence per role and population: criteria of different recommendations (say, a
    drug's use after ESA failure and its first-line use) are never merged into one list."""
    if not rec_ids:
        return
    rows = graph.read("recommendation_criteria", timeout_s=timeout_s, rec_ids=rec_ids)
    per_rec: "OrderedDict[str, OrderedDict[str, OrderedDict[str, list[str]]]]" = OrderedDict()
    about: dict[str, list[str]] = {}
    asked: list[str] = []
    for row in rows:
        text = describe(row["variable"], row["operator"], parse_value(row["value_json"]), row["unit"])
        roles = per_rec.setdefault(row["rec_id"], OrderedDict())
        roles.setdefault(row["role"], OrderedDict()).setdefault(text, []).extend(row["citations"] or [])
        about.setdefault(row["role"], []).append(row.get("about_name") or "")
        question = _QUESTION_FOR_VARIABLE.get(row["variable"])
        if question and question not in asked:
            asked.append(question)
            comp.add(S_ASK, question, best_citations(row["citations"] or [], 2), [row.get("about_name") or ""])
    name = therapy["name"]
    grouped: "OrderedDict[tuple, dict]" = OrderedDict()
    for rec_id in rec_ids:
        for role, items in per_rec.get(rec_id, {}).items():
            key = (role, tuple(items))
            entry = grouped.setdefault(key, {"populations": [], "citations": []})
            population = (populations or {}).get(rec_id)
            if population and population not in entry["populations"]:
                entry["populations"].append(population)
            entry["citations"] += [c for cs in items.values() for c in cs]
    several = len({k[1] for k in grouped}) > 1
    for (role, texts), entry in grouped.items():
        lead = ROLE_LEAD[role].format(t=name)
        prefix = f"For {' and '.join(entry['populations'])}: " if several and entry["populations"] else ""
        if prefix:
            lead = lead[0].lower() + lead[1:] if not lead.startswith(name) else lead
        comp.add(S_WORKS, f"{prefix}{lead}: {'; '.join(texts)}.", best_citations(entry["citations"], 6),
                 [name, *about.get(role, []), *entry["populations"]])


def _relation_facts(graph: Graph, therapy: dict, comp: Composition, timeout_s) -> None:
    rows = graph.read("entity_facts", timeout_s=timeout_s, id=therapy["id"], limit=60)
    if not rows:
        return
    name = therapy["name"]
    side_effects: "OrderedDict[str, list[str]]" = OrderedDict()
    for rel in rows[0]["relations"]:
        other = rel["other_name"]
        citations = rel["citations"] or []
        kind = rel["type"]
        if kind == "NOT_ESTABLISHED_FOR" and rel["outgoing"]:
            comp.add(S_WORKS, f"{name} {verb(name, 'is', 'are')} not an established treatment for {other}.",
                     best_citations(citations), [name, other])
        elif kind == "HAS_SIDE_EFFECT" and rel["outgoing"]:
            side_effects.setdefault(other, []).extend(citations)
        elif kind == "NEXT_AFTER_FAILURE" and rel["outgoing"]:
            comp.add(S_OTHER, f"If {name} does not work or stops working, {other} may be an option.",
                     best_citations(citations), [name, other])
    cited = OrderedDict((k, v) for k, v in side_effects.items() if best_citations(v))
    if cited:
        names = list(cited)
        listed = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
        comp.add(S_INVOLVES, f"Possible side effects of {name} include {listed}.",
                 best_citations([c for cs in cited.values() for c in cs], 6), [name, *names])


def _other_approaches(graph: Graph, focus_ids: set[str], comp: Composition, timeout_s, max_other: int) -> None:
    rows = graph.read("all_recommendations", timeout_s=timeout_s, therapy_ids=None)
    best: "OrderedDict[str, dict]" = OrderedDict()
    for row in rows:
        if row["therapy_id"] in focus_ids or row["strength"] in NEGATIVE:
            continue
        populations = [p for p in row["populations"] if p.get("name")]
        if len(populations) != 1 or not _is_mds_population(populations[0]):
            continue
        key = (SPECIFICITY.get(populations[0]["label"], 9) if populations[0]["label"] != "Disease" else 5,
               -(row["source_count"] or 0))
        current = best.get(row["therapy_id"])
        if current is None or key < current["_key"]:
            best[row["therapy_id"]] = {**row, "_key": key, "_population": populations[0]["name"]}
    chosen = sorted(best.values(), key=lambda r: -(r["source_count"] or 0))[:max_other]
    for row in sorted(chosen, key=lambda r: r["therapy_name"].lower()):
        name = row["therapy_name"]
        phrase = STRENGTH_PHRASE.get(row["strength"], "is used for").replace("is ", verb(name, "is ", "are "), 1)
        comp.add(S_OTHER, f"{name} {phrase} {row['_population']}.", best_citations(row["citations"] or []),
                 [name, row["_population"]])


def _is_mds_population(population: dict) -> bool:
    if population.get("label") == "Disease":
        return population.get("id") == MDS_ID
    return population.get("label") in {"PatientGroup", "RiskCategory", "Subtype"}


def _bottom_line(therapies: list[dict], comp: Composition) -> None:
    for therapy in therapies:
        name = therapy["name"]
        applies = [f for f in comp.facts if f.section == S_APPLIES and f.text.startswith(name)]
        negatives = [f for f in comp.facts if f.section == S_WORKS and f.text.startswith(name) and " not " in f.text]
        if applies:
            groups = [f.text.split(" for ", 1)[-1].rstrip(".") for f in applies[:3]]
            comp.add(S_BOTTOM, f"{name} {verb(name, 'is', 'are')} not for everyone with MDS: our sources place "
                               f"{verb(name, 'it', 'them')} for {'; '.join(groups)}.",
                     best_citations([c for f in applies[:3] for c in f.citations]), [name, *groups])
        for f in negatives[:1]:
            comp.add(S_BOTTOM, f.text, f.citations, f.terms)


def _compose_concepts(graph: Graph, u: Understanding, comp: Composition, timeout_s) -> None:
    """Questions about a disease, subtype, marker or risk scheme rather than a therapy."""
    onto = load_ontology()
    for entity in u.entities[:4]:
        concept = onto.concepts.get(entity.id)
        rows = graph.read("entity_facts", timeout_s=timeout_s, id=entity.id, limit=30)
        if not rows:
            continue
        relations = rows[0]["relations"]
        if concept and concept.definition:
            cites = list(concept.sources) or next((r["citations"][:2] for r in relations if r["citations"]), [])
            comp.add(S_WHAT, f"{concept.name}: {concept.definition}", cites, [concept.name])
        for rel in relations[:12]:
            if rel["type"] in {"MAY_REFER_TO", "SUBTYPE_OF", "HAS_CATEGORY", "IN_RISK_GROUP", "HAS_RISK_GROUP",
                               "HAS_PATIENT_GROUP", "ASSOCIATED_WITH", "PROGRESSES_TO", "CONFUSED_WITH", "DEFINED_BY",
                               "TREATS", "PREDICTS_RESPONSE_TO", "EQUIVALENT_TO", "USES_VARIABLE"}:
                sentence = _relation_sentence(entity.name, rel)
                comp.add(S_APPLIES, sentence, rel["citations"] or [], [entity.name, rel["other_name"]])


_REL_SENTENCES = {
    "SUBTYPE_OF": ("{a} is a subtype of {b}.", "{b} is a subtype of {a}."),
    "HAS_CATEGORY": ("{a} includes the category {b}.", "{b} is a category of {a}."),
    "IN_RISK_GROUP": ("{a} belongs to {b}.", "{b} includes {a}."),
    "HAS_RISK_GROUP": ("{a} is divided into risk groups, including {b}.", "{b} is a risk group of {a}."),
    "HAS_PATIENT_GROUP": ("{a} includes the group {b}.", "{b} is part of {a}."),
    "ASSOCIATED_WITH": ("{a} is associated with {b}.", "{b} is associated with {a}."),
    "PROGRESSES_TO": ("{a} can progress to {b}.", "{b} can develop from {a}."),
    "CONFUSED_WITH": ("{a} can be confused with {b}.", "{b} can be confused with {a}."),
    "DEFINED_BY": ("{a} is defined by {b}.", "{b} defines {a}."),
    "TREATS": ("{a} is used to treat {b}.", "{b} is used to treat {a}."),
    "PREDICTS_RESPONSE_TO": ("{a} makes a response to {b} more likely.", "{b} makes a response to {a} more likely."),
    "EQUIVALENT_TO": ("{a} corresponds to {b} in the other classification.", "{b} corresponds to {a} in the other classification."),
    "USES_VARIABLE": ("{a} uses {b} in its score.", "{b} is used in {a}."),
    "MAY_REFER_TO": ("{a} can mean {b}.", "{b} is one meaning of {a}."),
}


def _relation_sentence(name: str, rel: dict) -> str:
    outgoing, incoming = _REL_SENTENCES.get(rel["type"], ("{a} is related to {b}.", "{b} is related to {a}."))
    template = outgoing if rel["outgoing"] else incoming
    return template.format(a=name, b=rel["other_name"])


def citations_for(graph: Graph, ids: list[str], timeout_s: float | None = None) -> list[Citation]:
    rows = {r["id"]: r for r in graph.read("sources_by_id", timeout_s=timeout_s, ids=ids)}
    onto = load_ontology()
    out = []
    for cid in ids:
        row = rows.get(cid)
        info = getattr(onto, "sources", {}).get(cid)
        title = (row and row["title"]) or (info and info.title) or cid
        year = (row and row["year"]) or (info and info.year)
        url = (row and row["url"]) or (info and info.url)
        out.append(Citation(id=cid, title=title, year=int(year) if year else None, url=url))
    return out
