"""Extraction → GraphRows (and the ontology's own concepts → GraphRows).

Ids of derived nodes are deterministic (a Recommendation is named by its therapy and
population; a Criterion by its condition and role), so every source that states the same
thing strengthens one node instead of creating another.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from etl.nlp.citations import find_citation_markers
from mdskg.records import Document, Evidence, ExtractedCriterion, ExtractedRecommendation, Extraction, GraphRows
from ontology import curie_url, load_ontology, source_kind, source_url
from ontology.criteria_text import describe
from ontology.guidance import load_vocabulary

NEGATIVE_STRENGTHS = {"not_recommended", "not_established"}
# Identifiers a Source carries as properties, read from its id, its xrefs or its URL.
SOURCE_IDENTIFIERS = (
    ("pmid", "PMID", re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d+)")),
    ("doi", "DOI", re.compile(r"doi\.org/(10\.\S+)")),
    ("nct_id", "clinicaltrials", re.compile(r"(NCT\d{8})")),
)
# Identifiers of our own (MDSKG:) have no public page, though model.yaml gives the prefix a base.
UNRESOLVED_PREFIXES = {"MDSKG"}


def local_part(curie: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", curie.split(":", 1)[-1].lower()).strip("-")


def recommendation_id(rec: ExtractedRecommendation) -> str:
    populations = "+".join(sorted(local_part(p) for p in rec.population_ids)) or "unspecified"
    prefix = "not-" if rec.strength in NEGATIVE_STRENGTHS else ""
    line = f"--{rec.line}" if rec.line else ""
    return f"MDSKG:rec/{prefix}{local_part(rec.therapy_id)}--{populations}{line}"


def criterion_id(c: ExtractedCriterion) -> str:
    value = json.dumps(c.value, sort_keys=True, default=str)
    # A scoped criterion ("donor age ≥ 18") is another condition than the patients' one with the same numbers.
    scope = f"|{c.scope}" if c.scope else ""
    digest = hashlib.sha1(f"{c.variable}|{c.operator}|{value}|{c.unit}|{c.role}{scope}".encode()).hexdigest()[:10]
    return f"MDSKG:criterion/{c.variable}-{c.role}-{digest}"


def criterion_name(c: ExtractedCriterion) -> str:
    """"age between 18 and 70 years (required; donor)", "earlier treatment with azacitidine (excludes)"."""
    value = c.value
    if c.variable in {"prior_therapies", "failed_therapies"}:
        concepts = load_ontology().concepts
        items = value if isinstance(value, (list, tuple)) else [value]
        value = [concepts[v].name if v in concepts else v for v in map(str, items)]
    elif isinstance(value, tuple):
        value = list(value)
    scope = f"; {scope_words(c.scope)}" if c.scope else ""
    return f"{describe(c.variable, c.operator, value, c.unit)} ({c.role}{scope})"


def scope_words(scope: str) -> str:
    """"donor" → "donor"; "cohort:AML" → "AML cohort"."""
    kind, _, rest = scope.partition(":")
    return f"{rest} {kind}" if rest else kind


def recommendation_name(rec: ExtractedRecommendation) -> str:
    """"Luspatercept — an option after ESA failure — lower-risk MDS with ring sideroblasts or SF3B1 mutation":
    the concepts' names and the guidance vocabulary's wording of the strength and line."""
    concepts = load_ontology().concepts
    vocabulary = load_vocabulary()

    def name(curie: str | None) -> str:
        concept = concepts.get(curie or "")
        return concept.name if concept else local_part(curie or "").replace("-", " ")

    therapy = name(rec.therapy_id)
    how = vocabulary.words("strengths", rec.strength)
    after = concepts.get(rec.after_therapy_id or "")
    if rec.line == "after_failure" and after is not None:
        how += f" after {(after.abbreviations or (after.name,))[0]} failure"
    elif rec.line == "after_failure":
        how += f" {vocabulary.words('lines', rec.line)}"
    elif rec.line and rec.line != "any":
        how += f" as {vocabulary.words('lines', rec.line)}"
    populations = " or ".join(name(p) for p in rec.population_ids) or "MDS"
    return f"{therapy[:1].upper()}{therapy[1:]} — {how} — {populations}"


def clean_sentence(text: str) -> str:
    """An evidence sentence as stored: without inline citation markers ([PMID:…], [MDSKG:source/…], the
    PDQ's [18]; the edge lists the cited sources in `citations`) and with whitespace normalised."""
    text = text or ""
    parts, last = [], 0
    for marker in find_citation_markers(text):
        if not marker.curies and marker.start > 0 and text[marker.start - 1].isalnum():
            continue  # "5q[31]" is a chromosome band, not a numbered reference
        parts.append(text[last:marker.start])
        last = marker.end
    parts.append(text[last:])
    cleaned = " ".join("".join(parts).split())
    return re.sub(r"\s+([.,;:!?)])", r"\1", cleaned)


def concept_url(concept) -> str | None:
    """The public page of a concept: its own id's, else its first cross-reference's that resolves."""
    for curie in (concept.id, *concept.xrefs):
        if curie.split(":", 1)[0] not in UNRESOLVED_PREFIXES and (url := curie_url(curie)):
            return url
    return None


def source_fields(row: dict[str, Any]) -> dict[str, Any]:
    """A Source row with the one `kind` vocabulary (model.yaml source_kinds), a URL where one resolves and
    the PMID / DOI / NCT id it has (from its id, its xrefs or its URL)."""
    row = dict(row)
    curies = [str(row["id"]), *(str(x) for x in row.pop("xrefs", None) or ())]
    url = row.get("url") or next((u for u in map(source_url, curies) if u), None)
    out = dict(row, url=url)
    for key, prefix, in_url in SOURCE_IDENTIFIERS:
        local = next((c.split(":", 1)[1] for c in curies if c.split(":", 1)[0] == prefix), None)
        match = in_url.search(url or "")
        out.setdefault(key, local or (match.group(1) if match else None))
    # An identifier found in the URL decides as one in the id would (a doi.org page is a publication).
    found = next((f"{prefix}:{out[key]}" for key, prefix, _ in SOURCE_IDENTIFIERS if out.get(key)), None)
    out["kind"] = source_kind(str(row["id"]), row.get("kind"), url)
    if not row.get("kind") and found:
        out["kind"] = source_kind(found)
    return out


def evidence_fields(ev: Evidence) -> dict[str, Any]:
    key_material = f"{ev.source_id}|{ev.start}|{ev.end}|{ev.extractor}"
    return {
        "source_id": ev.source_id,
        "citations": list(ev.citations) or [ev.source_id],
        "sentence": ev.sentence,
        "offset": f"{ev.source_id}:{ev.start}-{ev.end}",
        "extractor": ev.extractor,
        "evidence_key": hashlib.sha1(key_material.encode()).hexdigest()[:16],
    }


class RowBuilder:
    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.relationships: dict[str, dict[tuple, dict[str, Any]]] = defaultdict(dict)
        self.sources: dict[str, dict[str, Any]] = {}

    def node(self, label: str, row: dict[str, Any]) -> None:
        existing = self.nodes[label].get(row["id"])
        self.nodes[label][row["id"]] = {**(existing or {}), **row}

    def edge(self, rel_type: str, from_id: str, to_id: str, evidence: dict[str, Any], confidence: float = 1.0,
             props: dict[str, Any] | None = None) -> None:
        key = (from_id, to_id, evidence["evidence_key"])
        self.relationships[rel_type][key] = {"from_id": from_id, "to_id": to_id, "confidence": confidence,
                                             "props": props or {}, **evidence,
                                             "sentence": clean_sentence(evidence.get("sentence") or "")}

    def source(self, row: dict[str, Any]) -> None:
        row = source_fields(row)
        self.sources[row["id"]] = {**self.sources.get(row["id"], {}), **{k: v for k, v in row.items() if v is not None}}

    def build(self) -> GraphRows:
        return GraphRows(
            nodes={label: list(rows.values()) for label, rows in self.nodes.items()},
            relationships={t: list(rows.values()) for t, rows in self.relationships.items()},
            sources=list(self.sources.values()),
        )


# ---- ontology ----------------------------------------------------------------------------------

def concept_row(concept) -> dict[str, Any]:
    names = [concept.name, *concept.synonyms, *concept.abbreviations, *concept.lay_terms,
             *getattr(concept, "brand_names", ())]
    row: dict[str, Any] = {
        "id": concept.id,
        "name": concept.name,
        "definition": concept.definition,
        "synonyms": list(concept.synonyms),
        "abbreviations": list(concept.abbreviations),
        "lay_terms": list(concept.lay_terms),
        "brand_names": list(getattr(concept, "brand_names", ())),
        "xrefs": list(concept.xrefs),
        "url": concept_url(concept),
        "search_text": " | ".join(dict.fromkeys(n for n in names if n)),
    }
    for key, value in (concept.properties or {}).items():
        if isinstance(value, (str, int, float, bool)) or (
                isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float, bool)) for v in value)):
            row.setdefault(key, list(value) if isinstance(value, tuple) else value)
    return row


def ontology_rows(onto) -> GraphRows:
    builder = RowBuilder()
    extractor = f"ontology@{onto.version}"
    for concept in onto.concepts.values():
        builder.node(concept.label, concept_row(concept))
    for source in getattr(onto, "sources", {}).values():
        builder.source({"id": source.id, "name": source.title, "title": source.title, "year": source.year,
                        "url": source.url, "kind": source.kind,
                        "xrefs": list(source.xrefs)})
    for edge in onto.edges:
        sources = list(edge.sources) or ["MDSKG:ontology"]
        evidence = {
            "source_id": "MDSKG:ontology",
            "citations": sources,
            "sentence": edge.note or "",
            "offset": "",
            "extractor": extractor,
            "evidence_key": hashlib.sha1(f"ontology|{edge.type}|{edge.subject}|{edge.object}".encode()).hexdigest()[:16],
        }
        props = {k: v for k, v in (edge.properties or {}).items() if isinstance(v, (str, int, float, bool))}
        if edge.note:
            props["note"] = edge.note
        builder.edge(edge.type, edge.subject, edge.object, evidence, 1.0, props)
    builder.source({"id": "MDSKG:ontology", "name": f"MDSKG ontology {onto.version}",
                    "title": f"MDSKG ontology {onto.version}", "kind": "ontology"})
    from ontology.guidance import load_guidance

    curated_guidance_rows(builder, load_guidance(), onto)
    from ontology.evidence import load_evidence

    curated_evidence_rows(builder, load_evidence(), onto)
    return builder.build()


EVIDENCE_SOURCE = "MDSKG:evidence"


def _curated_evidence(key: str, citations, sentence: str, version: str) -> dict[str, Any]:
    return {"source_id": EVIDENCE_SOURCE, "citations": list(citations), "sentence": sentence, "offset": key,
            "extractor": f"curated@{version}", "evidence_key": hashlib.sha1(f"evidence|{key}".encode()).hexdigest()[:16]}


def _slug_id(prefix: str, curie: str) -> str:
    return f"{prefix}{local_part(curie)}"


def curated_evidence_rows(builder: RowBuilder, evidence, onto) -> None:
    """Curated studies (with outcomes and adverse-event frequencies), approvals and statements
    (ontology/data/evidence, ontology/data/facts) as Study, Outcome, Approval and Statement nodes."""
    version = evidence.version
    for src in evidence.sources:
        builder.source({"id": src.id, "name": src.title, "title": src.title, "year": src.year,
                        "url": src.url, "kind": src.kind})
    builder.source({"id": EVIDENCE_SOURCE, "name": f"MDSKG curated evidence {version}",
                    "title": "MDSKG curated evidence", "kind": "curated", "version": version})

    def cite_all(ids) -> None:
        for c in ids:
            if c not in builder.sources:
                builder.source({"id": c, "name": c, "kind": None})

    for study in evidence.studies:
        cites = study.all_citations()
        cite_all(cites)
        ev = _curated_evidence(study.id, study.citations or cites, study.summary, version)
        builder.node("Study", {
            "id": study.id, "name": study.name, "aliases": list(study.aliases), "nct_id": study.nct,
            "pmid": study.pmid, "year": study.year, "design": study.design, "phase": study.phase, "n": study.n,
            "population": study.population, "comparator": study.comparator, "conclusion": study.conclusion,
            "summary": study.summary, "therapy_ids": list(study.therapies), "curated": True,
            "citations": list(cites), "search_text": " | ".join([study.name, *study.aliases] + ([study.nct] if study.nct else [])),
            "url": source_url(f"clinicaltrials:{study.nct}") if study.nct else source_url(f"PMID:{study.pmid}") if study.pmid else None,
        })
        for therapy in study.therapies:
            builder.edge("STUDIED", study.id, therapy, ev)
        for population in study.population_ids:
            builder.edge("ENROLLED", study.id, population, ev)
        for c in study.citations or cites:
            builder.edge("SUPPORTED_BY", study.id, c, ev)
        rows = [("outcome", i, o) for i, o in enumerate(study.outcomes)] + \
               [("adverse-event", i, a) for i, a in enumerate(study.adverse_events)]
        for kind, i, item in rows:
            oid = f"MDSKG:outcome/{local_part(study.id)}/{kind}-{i + 1}"
            ocites = item.citations or study.citations
            oev = _curated_evidence(oid, ocites, study.summary, version)
            if kind == "outcome":
                row = {"id": oid, "name": f"{study.name}: {item.endpoint}" + (f" ({item.arm})" if item.arm else ""),
                       "kind": item.kind, "endpoint": item.endpoint, "arm": item.arm, "value": item.value,
                       "unit": item.unit, "comparator": study.comparator, "comparator_value": item.comparator_value,
                       "p": item.p, "hr": item.hr, "ci": item.ci, "follow_up": item.follow_up, "n": item.n,
                       "primary": item.primary, "study_id": study.id, "citations": list(ocites), "curated": True}
            else:
                row = {"id": oid, "name": f"{study.name}: {item.event}" + (f" ({item.arm})" if item.arm else ""),
                       "kind": "adverse_event", "endpoint": item.event, "arm": item.arm,
                       "any_grade_pct": item.any_grade_pct, "grade3_pct": item.grade3_pct,
                       "comparator": study.comparator, "comparator_any_grade_pct": item.comparator_any_grade_pct,
                       "comparator_grade3_pct": item.comparator_grade3_pct, "study_id": study.id,
                       "citations": list(ocites), "curated": True}
            builder.node("Outcome", row)
            builder.edge("REPORTED", study.id, oid, oev)
            for c in ocites:
                builder.edge("SUPPORTED_BY", oid, c, oev)
    for approval in evidence.approvals:
        cite_all(approval.citations)
        ev = _curated_evidence(approval.id, approval.citations, approval.indication, version)
        builder.node("Approval", {"id": approval.id, "name": f"{approval.agency} {approval.date}: {approval.indication}"[:200],
                                  "agency": approval.agency, "date": approval.date, "indication": approval.indication,
                                  "drug_id": approval.drug, "study_id": approval.study,
                                  "citations": list(approval.citations), "curated": True})
        builder.edge("APPROVES", approval.id, approval.drug, ev)
        if approval.study:
            builder.edge("BASED_ON", approval.id, approval.study, ev)
        for c in approval.citations:
            builder.edge("SUPPORTED_BY", approval.id, c, ev)
    for st in evidence.statements:
        cite_all(st.citations)
        ev = _curated_evidence(st.id, st.citations, st.text, version)
        builder.node("Statement", {"id": st.id, "name": st.text[:120], "kind": st.kind, "text": st.text,
                                   "about_ids": list(st.about), "citations": list(st.citations), "curated": True})
        for about in st.about:
            builder.edge("DESCRIBES", st.id, about, ev)
        for c in st.citations:
            builder.edge("SUPPORTED_BY", st.id, c, ev)


GUIDANCE_SOURCE = "MDSKG:guidance"


def curated_guidance_rows(builder: RowBuilder, guidance, onto) -> None:
    """Curated recommendations (ontology/data/recommendations) as Recommendation and Criterion nodes.

    The rule itself travels as `logic_json` (what the patient planner evaluates); each leaf is also a
    Criterion node with its role and place in the rule, for analysts. Only these nodes carry
    `curated: true`, and only they drive patient verdicts.
    """
    from ontology.criteria_text import describe

    for src in guidance.sources:
        builder.source({"id": src.id, "name": src.title, "title": src.title, "year": src.year, "url": src.url,
                        "kind": src.kind})
    builder.source({"id": GUIDANCE_SOURCE, "name": f"MDSKG curated guidance {guidance.version}",
                    "title": "MDSKG curated guideline logic", "kind": "guidance", "version": guidance.version})
    for rec in guidance.recommendations:
        evidence = {
            "source_id": GUIDANCE_SOURCE, "citations": list(rec.citations), "sentence": rec.summary,
            "offset": f"{rec.file}#{rec.id}", "extractor": f"curated@{rec.version}",
            "evidence_key": hashlib.sha1(f"guidance|{rec.id}".encode()).hexdigest()[:16],
        }
        builder.node("Recommendation", {
            "id": rec.id, "name": rec.name, "summary": rec.summary, "therapy_id": rec.therapy,
            "strength": rec.strength, "line": rec.line, "after_failure_of": list(rec.after_failure_of),
            "after_therapy_id": rec.after_failure_of[0] if rec.after_failure_of else None,
            "evidence_level": rec.evidence.level, "evidence_basis": rec.evidence.basis,
            "logic_json": rec.logic_json(), "citations": list(rec.citations), "curated": True,
            "allowed_after_class_failure": rec.allowed_after_class_failure, "population_ids": list(rec.populations),
            "guidance_file": rec.file, "guidance_version": rec.version,
        })
        builder.edge("RECOMMENDS", rec.id, rec.therapy, evidence)
        for population in rec.populations:
            builder.edge("FOR_POPULATION", rec.id, population, evidence)
        for citation in rec.citations:
            if citation not in builder.sources:
                builder.source({"id": citation, "name": citation, "kind": None})
            builder.edge("SUPPORTED_BY", rec.id, citation, evidence)
        parts = [("required", "requires", rec.requires)]
        parts += [("excludes", f"excludes[{i}]", n) for i, n in enumerate(rec.excludes)]
        parts += [("favours", f"favours[{i}]", n) for i, n in enumerate(rec.favours)]
        for role, path, node in parts:
            for leaf_path, leaf in _leaf_paths(node, path):
                cid = f"{rec.id.replace('MDSKG:rec/', 'MDSKG:criterion/curated/')}/{local_part(leaf_path)}"
                text = leaf.label or describe(leaf.variable, leaf.operator, leaf.value, leaf.unit)
                builder.node("Criterion", {
                    "id": cid, "name": f"{text} ({role})", "variable": leaf.variable, "operator": leaf.operator,
                    "value_json": json.dumps(leaf.value, default=str), "value_text": _value_text(leaf.value),
                    "unit": leaf.unit, "role": role, "text": text, "group_path": leaf_path, "curated": True,
                })
                builder.edge("HAS_CRITERION", rec.id, cid, evidence, 1.0, {"role": role, "group_path": leaf_path})


def _leaf_paths(node, path: str):
    from ontology.guidance import Leaf

    if isinstance(node, Leaf):
        yield path, node
        return
    for i, item in enumerate(node.items):
        yield from _leaf_paths(item, f"{path}.{node.kind}[{i}]")


# ---- literature --------------------------------------------------------------------------------

def document_source_row(doc: Document) -> dict[str, Any]:
    meta = doc.metadata or {}
    year = meta.get("year")
    try:
        year = int(str(year)[:4]) if year else None
    except ValueError:
        year = None
    return {"id": doc.id, "name": doc.title, "title": doc.title, "kind": doc.source_type.value, "year": year,
            "url": meta.get("url"), "version": _scalar(meta.get("version")),
            "path": doc.path}


def cited_source_rows(doc: Document) -> Iterable[dict[str, Any]]:
    """Sources a corpus document lists in its front matter (the ones its markers cite). A source the ontology
    records (ontology/data/sources.yaml) may be cited by id alone: its record fills what the front matter omits."""
    registry = getattr(load_ontology(), "sources", {})
    for src in (doc.metadata or {}).get("sources") or []:
        if not isinstance(src, dict) or not src.get("id"):
            continue
        known = registry.get(str(src["id"]))
        year = src.get("year") or (known.year if known else None)
        title = src.get("title") or (known.title if known else None)
        yield {"id": str(src["id"]), "name": title or str(src["id"]), "title": title,
               "year": int(year) if isinstance(year, int) or (isinstance(year, str) and year.isdigit()) else None,
               "url": src.get("url") or (known.url if known else None), "kind": src.get("kind") or (
                   known.kind if known else None),
               "publisher": _scalar(src.get("publisher") or src.get("journal") or (known.journal if known else None))}


def extraction_rows(extraction: Extraction) -> GraphRows:
    doc = extraction.document
    builder = RowBuilder()
    builder.source(document_source_row(doc))
    for row in cited_source_rows(doc):
        builder.source(row)

    for mention in extraction.mentions:
        if mention.negated:
            continue
        ev = {"source_id": doc.id, "citations": [doc.id], "sentence": "", "offset": f"{doc.id}:{mention.start}-{mention.end}",
              "extractor": "mentions", "evidence_key": hashlib.sha1(f"{doc.id}|mention|{mention.concept_id}".encode()).hexdigest()[:16]}
        builder.edge("MENTIONS", doc.id, mention.concept_id, ev, 1.0)

    for rel in extraction.relations:
        if rel.negated:
            continue  # a denied statement ("X did not predict response") is never written as an edge
        _cite(builder, rel.evidence)
        props = {k: v for k, v in rel.properties.items() if isinstance(v, (str, int, float, bool))}
        if rel.hedged:
            props["hedged"] = True
        builder.edge(rel.type, rel.subject_id, rel.object_id, evidence_fields(rel.evidence), rel.confidence, props)

    for rec in extraction.recommendations:
        _recommendation(builder, rec)
    for term in extraction.unmapped_terms:
        _unmapped_term(builder, doc.id, term)
    if doc.source_type.value == "trial":
        _trial_study(builder, extraction)
    if doc.source_type.value == "pubmed" and (extraction.outcomes or extraction.conclusion == "negative"):
        _publication_study(builder, extraction)  # a negative study is evidence even without a number read
    return builder.build()


def unmapped_term_id(term: str) -> str:
    """"Hydroxyurea" and "hydroxyurea" are one UnmappedTerm: MDSKG:unmapped/hydroxyurea."""
    return f"MDSKG:unmapped/{local_part(term)}"


def _unmapped_term(builder: RowBuilder, doc_id: str, term: str) -> None:
    """A word the extractor could not map (etl/extract.py unmapped_terms) as an UnmappedTerm node that the
    document MENTIONS_UNMAPPED; graph/load.py counts its documents (`document_count`)."""
    tid = unmapped_term_id(term)
    builder.node("UnmappedTerm", {"id": tid, "name": term})
    ev = {"source_id": doc_id, "citations": [doc_id], "sentence": "", "offset": "", "extractor": "unmapped-terms",
          "evidence_key": hashlib.sha1(f"{doc_id}|unmapped|{tid}".encode()).hexdigest()[:16]}
    builder.edge("MENTIONS_UNMAPPED", doc_id, tid, ev)


def outcome_kind(endpoint: str) -> str:
    """The curated OutcomeRecord kind (ontology/evidence.py OUTCOME_KINDS) of an extracted endpoint."""
    if "survival" in endpoint:
        return "survival"
    if "progression" in endpoint or "time_to_aml" in endpoint:
        return "progression"
    if "transfusion" in endpoint:
        return "transfusion"
    if re.search(r"response|remission|improvement|stable_disease|marrow_cr|cr_plus_pr", endpoint):
        return "response"
    return "other"


def _publication_study(builder: RowBuilder, extraction: Extraction) -> None:
    """A PubMed abstract with extracted results as a Study (kind publication_study) that REPORTED one Outcome
    node per result; both are SUPPORTED_BY the abstract. Therapies named in the title are STUDIED."""
    doc = extraction.document
    pmid = doc.id.split(":", 1)[-1]
    study_id = f"MDSKG:study/pmid-{local_part(pmid)}"
    title = doc.title or doc.id
    title_end = next((s.end for s in doc.sections if s.kind == "title"), -1)
    studied = sorted({m.concept_id for m in extraction.mentions if not m.negated and m.label in {"Therapy", "Drug"}
                      and m.end <= title_end})
    conclusion = extraction.conclusion_evidence
    builder.node("Study", {
        "id": study_id, "name": title[:200], "title": doc.title, "pmid": pmid, "kind": "publication_study",
        "source_id": doc.id, "therapy_ids": studied, "url": (doc.metadata or {}).get("url") or source_url(doc.id),
        "extracted": True, "conclusion": extraction.conclusion,
        "conclusion_text": conclusion.sentence if conclusion else None,
    })
    key = hashlib.sha1(f"{doc.id}|publication-study".encode()).hexdigest()[:16]
    extractor = extraction.outcomes[0].evidence.extractor if extraction.outcomes else \
        (conclusion.extractor if conclusion else "rules")
    ev = {"source_id": doc.id, "citations": [doc.id], "sentence": title, "offset": f"{doc.id}:0-{max(title_end, 0)}",
          "extractor": extractor, "evidence_key": key}
    builder.edge("SUPPORTED_BY", study_id, doc.id, ev)
    for therapy_id in studied:
        # A negative study of a therapy is negative evidence about it: the edge says so.
        builder.edge("STUDIED", study_id, therapy_id, ev, 1.0,
                     {"conclusion": extraction.conclusion} if extraction.conclusion else None)
    for i, outcome in enumerate(extraction.outcomes):
        oid = f"MDSKG:outcome/pmid-{local_part(pmid)}/{i + 1}"
        oev = evidence_fields(outcome.evidence)
        _cite(builder, outcome.evidence)
        label = outcome.endpoint + (f" {outcome.event}" if outcome.event else "")
        builder.node("Outcome", {
            "id": oid, "name": f"{title[:120]}: {label}" + (f" ({outcome.arm})" if outcome.arm else ""),
            "kind": outcome_kind(outcome.endpoint), "endpoint": outcome.endpoint,
            "event": outcome.event, "timepoint": outcome.timepoint, "arm": outcome.arm, "value": outcome.value, "unit": outcome.unit,
            "comparator_value": outcome.comparator_value, "p": outcome.p, "hr": outcome.hr, "ci": outcome.ci,
            "n": outcome.n, "text": outcome.text, "study_id": study_id, "citations": oev["citations"],
            "extracted": True,
        })
        builder.edge("REPORTED", study_id, oid, oev)
        builder.edge("SUPPORTED_BY", oid, doc.id, oev)


def _trial_study(builder: RowBuilder, extraction: Extraction) -> None:
    """A trial record as a Study with its own eligibility criteria (HAS_CRITERION, role required or
    excludes). A study's population and criteria are evidence about the trial, never a recommendation."""
    doc = extraction.document
    meta = doc.metadata or {}
    nct = str(meta.get("nct_id") or doc.id.split(":", 1)[-1])
    study_id = f"MDSKG:study/{nct.lower()}"
    phases = meta.get("phases")
    phase = "/".join(str(p) for p in phases) if isinstance(phases, (list, tuple)) else _scalar(phases)
    interventions = [i.get("name") for i in meta.get("interventions") or [] if isinstance(i, dict) and i.get("name")]
    builder.node("Study", {
        "id": study_id, "name": f"{nct}: {doc.title}"[:200] if doc.title and doc.title != nct else nct, "nct_id": nct,
        "title": doc.title, "phase": phase, "status": _scalar(meta.get("overall_status")),
        "conditions": [str(c) for c in meta.get("conditions") or []], "interventions": interventions,
        "min_age_years": meta.get("min_age_years"), "max_age_years": meta.get("max_age_years"),
        "url": meta.get("url") or source_url(doc.id), "source_id": doc.id, "kind": "registered_trial",
        # lines no criterion was read from: shown with every match, for the study team to check
        "unchecked_inclusion": [u.text for u in extraction.unchecked_lines if u.kind != "exclusion"],
        "unchecked_exclusion": [u.text for u in extraction.unchecked_lines if u.kind == "exclusion"],
    })
    key = hashlib.sha1(f"{doc.id}|study".encode()).hexdigest()[:16]
    ev = {"source_id": doc.id, "citations": [doc.id], "sentence": doc.title or nct, "offset": f"{doc.id}:0-0",
          "extractor": "trial-record", "evidence_key": key}
    builder.edge("SUPPORTED_BY", study_id, doc.id, ev)
    start, end = _section_span(doc, "Interventions")
    studied = {m.concept_id for m in extraction.mentions if not m.negated and m.label in {"Therapy", "Drug"}
               and start >= 0 and m.start >= start and m.end <= end}
    for therapy_id in sorted(studied):
        builder.edge("STUDIED", study_id, therapy_id, ev)
    # One condition may stand in several places of one record: on its own and as an alternative ("blasts >= 5%"
    # and "blasts >= 5% or a complex karyotype"), or in two any-of groups. It is one shared Criterion node with one
    # edge from the study, so the edge carries every place: each row of it is written with all of them.
    places: dict[str, list[str | None]] = {}
    for criterion in extraction.criteria:
        places.setdefault(criterion_id(criterion), [])
        if criterion.group not in places[criterion_id(criterion)]:
            places[criterion_id(criterion)].append(criterion.group)
    for criterion in extraction.criteria:
        _criterion(builder, study_id, criterion, places[criterion_id(criterion)])


def _section_span(doc: Document, title: str) -> tuple[int, int]:
    """(start, end) of the document's section with this title; (-1, -1) when it has none."""
    for section in doc.sections:
        if section.title == title:
            return section.start, section.end
    return -1, -1


def _recommendation(builder: RowBuilder, rec: ExtractedRecommendation) -> None:
    rid = recommendation_id(rec)
    ev = evidence_fields(rec.evidence)
    if rec.citations:
        ev["citations"] = list(dict.fromkeys([*ev["citations"], *rec.citations]))
    _cite(builder, rec.evidence)
    builder.node("Recommendation", {
        "id": rid,
        "name": recommendation_name(rec),
        "therapy_id": rec.therapy_id, "population_ids": list(rec.population_ids), "strength": rec.strength,
        "line": rec.line, "after_therapy_id": rec.after_therapy_id,
    })
    builder.edge("RECOMMENDS", rid, rec.therapy_id, ev)
    for population in rec.population_ids:
        builder.edge("FOR_POPULATION", rid, population, ev)
    for citation in ev["citations"]:
        if citation != rec.evidence.source_id or not rec.citations:
            builder.edge("SUPPORTED_BY", rid, citation, ev)
    for criterion in rec.criteria:
        _cite(builder, criterion.evidence)
        cid, cev = _criterion(builder, rid, criterion)
        if criterion.concept_id:
            builder.edge("ABOUT", cid, criterion.concept_id, cev)
        for citation in cev["citations"]:
            builder.edge("SUPPORTED_BY", cid, citation, cev)


def _criterion(builder: RowBuilder, owner_id: str, criterion: ExtractedCriterion,
               places: list[str | None] | None = None) -> tuple[str, dict[str, Any]]:
    """An extracted criterion as a Criterion node with a HAS_CRITERION edge from its recommendation or
    study; returns the criterion's id and evidence. `places`: every group the criterion stands in within the
    owner (None: on its own), when it stands in more than its own `group`."""
    cid = criterion_id(criterion)
    cev = evidence_fields(criterion.evidence)
    builder.node("Criterion", {
        "id": cid, "name": criterion_name(criterion), "variable": criterion.variable,
        "operator": criterion.operator, "value_json": json.dumps(criterion.value, default=str),
        "value_text": _value_text(criterion.value), "unit": criterion.unit, "role": criterion.role,
        "text": criterion.text, "about_id": criterion.concept_id, "scope": criterion.scope,
    })
    # scope: whom the criterion is about (None: the owner's patients; "donor"; "cohort:AML"). group: null when the
    # criterion stands on its own, else its (first) group path in the owner ("any:120", "any:120/all:150"; see
    # mdskg/scopes.py); groups: every group path it stands in (null when none). None removes a value an earlier
    # load wrote, and every row of one edge carries the same values, so a reload changes nothing.
    places = places if places is not None else [criterion.group]
    groups = [g for g in places if g]
    builder.edge("HAS_CRITERION", owner_id, cid, cev, 1.0,
                 {"role": criterion.role, "scope": criterion.scope,
                  "group": None if None in places else groups[0], "groups": groups or None})
    return cid, cev


def _cite(builder: RowBuilder, ev: Evidence) -> None:
    """Make sure every cited CURIE has a Source node (titles come from front matter when known)."""
    for citation in ev.citations:
        if citation not in builder.sources:
            builder.source({"id": citation, "name": citation, "kind": None})


def _value_text(value: Any) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _scalar(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)

