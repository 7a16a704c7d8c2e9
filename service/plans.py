"""Answer plans: for each intent, which facts to gather from the graph and in which sections, with a
direct answer first ("In short": yes / no / it depends, and why).

Every fact carries its citations; numbers come only from curated evidence (Study / Outcome / Approval
nodes) and curated statements, never from templates. Sections are only those the intent needs: no
generic list of treatments unless alternatives were asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph import reads as typed_reads
from graph.reads import ApprovalRow, EntityFacts, ReadSource, StatementRow, StudyRow
from ontology import load_ontology
from ontology.criteria_text import describe, join_words as _join
from ontology.guidance import CuratedRecommendation, Group, Leaf, Node, load_vocabulary
from service.compose import Composition, best_citations, focus_therapies, recommendation_paths, verb
from service.patient.guidance import CuratedSet, read_curated

S_SHORT = "In short"
S_WHAT = "What it is"
S_HOW = "How it works"
S_FOR = "Who it is for"
S_RESULTS = "What the studies found"
S_SIDE = "Side effects"
S_GIVEN = "How it is given"
S_OPTIONS = "Options"
S_NEXT = "If it stops working"
S_SCORE = "Your risk score"
S_MEANS = "What it means"
S_OUTLOOK = "Outlook"
S_SYMPTOMS = "Symptoms"
S_CAUSES = "Causes"
S_WATCH = "Watch and wait or treat"
S_COMPARE = "Side by side"
S_SCOPE = "What our sources cover"
S_ASK = "Questions to ask your doctor"
S_NOT_ADVISED = "Not advised"

MDS_ID = load_ontology().model.get("root_concept") or "NCIT:C3247"
SECTION_ORDER: dict[str, tuple[str, ...]] = {
    "definition": (S_SHORT, S_WHAT, S_FOR, S_ASK),
    "mechanism": (S_SHORT, S_HOW, S_WHAT, S_FOR),
    "efficacy": (S_SHORT, S_WHAT, S_RESULTS, S_FOR, S_NOT_ADVISED, S_ASK),
    "candidate": (S_SHORT, S_WHAT, S_FOR, S_NOT_ADVISED, S_ASK),
    "side_effects": (S_SHORT, S_WHAT, S_SIDE, S_ASK),
    "alternatives": (S_SHORT, S_OPTIONS, S_NOT_ADVISED),
    "next_after_failure": (S_SHORT, S_NEXT, S_NOT_ADVISED, S_ASK),
    "risk_interpret": (S_SHORT, S_MEANS, S_OUTLOOK),
    "risk_compute": (S_SHORT, S_SCORE, S_MEANS, S_OUTLOOK),
    "prognosis": (S_SHORT, S_OUTLOOK, S_MEANS),
    "trial_result": (S_SHORT, S_RESULTS, S_SIDE),
    "comparison": (S_SHORT, S_COMPARE, S_RESULTS),
    "treat_or_watch": (S_SHORT, S_WATCH, S_OPTIONS),
    "administration": (S_SHORT, S_GIVEN, S_ASK),
    "symptoms": (S_SHORT, S_SYMPTOMS),
    "causes": (S_SHORT, S_CAUSES),
    "off_topic": (S_SHORT, S_SCOPE),
}


@dataclass
class PlanInput:
    question: str
    intent: str
    entities: Sequence[Any]  # LinkedEntity
    values: Any = None  # service.patient.question_values.QuestionValues
    timeout_s: float | None = None


@dataclass
class Gathered:
    therapies: list[dict] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)


# ---- reading helpers ---------------------------------------------------------------------------

def _family(curated: CuratedSet, therapy_id: str) -> set[str]:
    """A class and its drugs, or a drug and its classes (never the sibling drugs)."""
    fam = {therapy_id, *curated.families.members_of.get(therapy_id, ())}
    fam |= set(curated.families.classes_of.get(therapy_id, ()))
    return fam


def _statements(reads: ReadSource, ids: Iterable[str], kinds: Sequence[str] | None, timeout_s) -> list[StatementRow]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    return typed_reads.statements_about(reads, ids=ids, kinds=list(kinds) if kinds else None, timeout_s=timeout_s)


def _studies(reads: ReadSource, therapy_ids: Iterable[str] = (), study_ids: Iterable[str] = (),
             timeout_s=None) -> list[StudyRow]:
    therapy_ids, study_ids = list(therapy_ids), list(study_ids)
    if not therapy_ids and not study_ids:
        return []
    return typed_reads.studies_for_therapies(reads, therapy_ids=therapy_ids or None, study_ids=study_ids or None,
                                             timeout_s=timeout_s)


def _approvals(reads: ReadSource, drug_ids: Iterable[str], timeout_s) -> list[ApprovalRow]:
    drug_ids = list(drug_ids)
    return typed_reads.approvals_for(reads, drug_ids=drug_ids, timeout_s=timeout_s) if drug_ids else []


# ---- wording -----------------------------------------------------------------------------------

def _fmt(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return str(x)


def leaf_text(leaf: Leaf, names: Mapping[str, str]) -> str:
    if leaf.label:
        return leaf.label
    value = leaf.value
    if leaf.variable in {"failed_therapies", "prior_therapies"}:
        items = value if isinstance(value, list) else [value]
        joined = _join([names.get(str(v), str(v).rsplit("/", 1)[-1].replace("-", " ")) for v in items], "or")
        if leaf.variable == "failed_therapies":
            has = verb(joined, "has", "have")
            return (f"{joined} {has} not worked, stopped working or not been tolerated"
                    if leaf.operator in {"contains", "in"} else f"{joined} {has} not failed")
        return f"earlier {joined}" if leaf.operator in {"contains", "in"} else f"no earlier {joined}"
    return describe(leaf.variable, leaf.operator, value, leaf.unit)


def rule_text(node: Node, names: Mapping[str, str], depth: int = 0) -> str:
    """A rule tree in plain words, flat enough to read: "lower-risk MDS; a hypocellular marrow; and one of:
    a PNH clone, a STAT3-mutant T-cell clone or age 60 years or younger with few blasts"."""
    if isinstance(node, Leaf):
        return leaf_text(node, names)
    if depth >= 1:
        # Inside a list: an all_of reads "A with B"; a nested choice is flattened into the outer one.
        parts = [rule_text(item, names, depth + 1) for item in node.items]
        if node.kind == "all_of":
            return " with ".join(parts)
        if node.kind == "none_of":
            return "none of " + _join(parts, "or")
        return _join(parts, "or")
    parts = []
    for item in node.items:
        if isinstance(item, Group) and item.kind == "any_of" and len(item.items) > 1:
            parts.append("one of: " + _join([rule_text(i, names, depth + 2) for i in item.items], "or"))
        else:
            parts.append(rule_text(item, names, depth + 1))
    if node.kind == "all_of":
        return "; ".join(parts[:-1]) + ("; and " if len(parts) > 1 else "") + parts[-1] if parts else ""
    if node.kind == "any_of":
        return "one of: " + _join(parts, "or")
    return "none of " + _join(parts, "or")


def strength_phrase(name: str, strength: str) -> str:
    """"Luspatercept is recommended for", "Lenalidomide may be considered for"."""
    words = load_vocabulary().words("strengths", strength)
    capital = f"{name[:1].upper()}{name[1:]}"
    if words.startswith("may "):
        return f"{capital} {words} for"
    return f"{capital} {verb(name, 'is', 'are')} {words} for"


def _group_of(rec: CuratedRecommendation) -> str:
    group = rec.name.split(" - ")[-1].split(" \u2014 ")[-1].strip()
    return f"{group[:1].lower()}{group[1:]}"


def _clean_summary(text: str) -> str:
    return " ".join((text or "").split())


def _outcome_sentence(study: StudyRow, o: Mapping[str, Any]) -> str | None:
    if o.get("kind") == "adverse_event" or o.get("value") is None:
        return None
    unit = o.get("unit") or ""
    value = f"{_fmt(o['value'])}{unit if unit == '%' else (' ' + unit if unit else '')}"
    arm = f" with {o['arm']}" if o.get("arm") else ""
    out = f"{study.name}: {o['endpoint']}, {value}{arm}"
    if o.get("comparator_value") is not None:
        cunit = unit if unit == "%" else (" " + unit if unit else "")
        out += f" against {_fmt(o['comparator_value'])}{cunit}" + (f" with {study.comparator}" if study.comparator else "")
    stats = []
    if o.get("hr") is not None:
        stats.append(f"hazard ratio {_fmt(o['hr'])}")
    if o.get("ci"):
        stats.append(f"95% CI {o['ci']}")
    if o.get("p"):
        p = str(o["p"])
        stats.append(f"p {p}" if p[:1] in "<>=≤≥" else f"p = {p}")
    if stats:
        out += f" ({', '.join(stats)})"
    if o.get("follow_up"):
        out += f", after {o['follow_up']}"
    return out + "."


def _ae_sentence(study: StudyRow, o: Mapping[str, Any]) -> str | None:
    if o.get("kind") != "adverse_event":
        return None
    parts = []
    if o.get("any_grade_pct") is not None:
        parts.append(f"{_fmt(o['any_grade_pct'])}% of people")
    if o.get("grade3_pct") is not None:
        parts.append(f"{_fmt(o['grade3_pct'])}% severely (grade 3 or worse)")
    if not parts:
        return None
    arm = f" on {o['arm']}" if o.get("arm") else ""
    text = f"In {study.name}, {o['endpoint']} affected {' and '.join(parts)}{arm}"
    if o.get("comparator_any_grade_pct") is not None and study.comparator:
        text += f", against {_fmt(o['comparator_any_grade_pct'])}% with {study.comparator}"
    return text + "."


def _cites(*groups: Iterable[str], limit: int = 4) -> list[str]:
    """The first non-empty group's sources (the most specific ones), best first."""
    for g in groups:
        if g:
            return best_citations(list(g), limit)
    return []


# ---- the composer ------------------------------------------------------------------------------

class PlanComposer:
    """Gathers the facts of one intent's answer plan into a Composition."""

    def __init__(self, reads, inp: PlanInput):
        self.reads = reads
        self.inp = inp
        self.t = inp.timeout_s
        self.comp = Composition()
        self.comp.section_titles = SECTION_ORDER.get(inp.intent, ())
        self.onto = load_ontology()
        self._curated: CuratedSet | None = None

    @property
    def curated(self) -> CuratedSet:
        if self._curated is None:
            self._curated = read_curated(self.reads, self.t)
        return self._curated

    def name(self, cid: str) -> str:
        c = self.onto.concepts.get(cid)
        return c.name if c else self.curated.names.get(cid, cid.rsplit("/", 1)[-1].replace("-", " "))

    def add(self, section: str, text: str, citations: Iterable[str], terms: Iterable[str] = ()) -> None:
        self.comp.add(section, text, list(citations), list(terms))

    # -- focus --
    def focus(self) -> tuple[list[dict], list[EntityFacts]]:
        therapies, terms = focus_therapies(self.reads, _U(self.inp.entities), self.t)
        return therapies, terms

    def concepts(self, *labels: str) -> list[Any]:
        return [e for e in self.inp.entities if not labels or e.label in labels]

    # -- shared pieces --
    def definition(self, cid: str, section: str = S_WHAT) -> str | None:
        concept = self.onto.concepts.get(cid)
        if not concept or not concept.definition:
            return None
        if (concept.properties or {}).get("vocabulary"):
            # A name from a generated drug vocabulary: its stand-in definition is not for patients.
            documents = [d.id for d in typed_reads.mentioning_documents(self.reads, id=cid, limit=2, timeout_s=self.t)]
            if not documents:
                return None
            text = (f"Our reviewed sources do not describe {concept.name} yet: it is named in the literature this "
                    f"service has read, but what it does in MDS has not been checked here.")
            self.add(section, text, documents, [concept.name])
            return text
        citations = best_citations(concept.sources)
        if not citations:
            citations = [d.id for d in typed_reads.mentioning_documents(self.reads, id=cid, limit=1, timeout_s=self.t)]
        text = f"{concept.name[:1].upper()}{concept.name[1:]}: {concept.definition}"
        self.add(section, text, citations, [concept.name])
        return text if citations else None

    def term_notes(self, terms: list[EntityFacts], therapy_order: Sequence[str]) -> None:
        order = {t: i for i, t in enumerate(therapy_order)}
        for term in terms:
            docs = typed_reads.mentioning_documents(self.reads, id=term.id, limit=2, timeout_s=self.t)
            for rel in sorted(term.relations, key=lambda r: order.get(r["other_id"], 99)):
                if rel["type"] == "MAY_REFER_TO" and rel["outgoing"] and rel["note"]:
                    self.add(S_WHAT, f'"{term.name[:1].upper()}{term.name[1:]}" can mean {rel["other_name"]}. '
                                     f'{rel["note"]}', best_citations([*rel["citations"], *[d.id for d in docs]]),
                             [rel["other_name"], term.name])

    def uses(self, therapy: dict, section: str = S_WHAT) -> None:
        """"Immunosuppressive therapy uses horse antithymocyte globulin and cyclosporine." (INCLUDES_DRUG)"""
        facts = typed_reads.entity_facts(self.reads, id=therapy["id"], limit=60, timeout_s=self.t)
        drugs: dict[str, list[str]] = {}
        for rel in (facts.relations if facts else []):
            if rel["type"] == "INCLUDES_DRUG" and rel["outgoing"]:
                drugs.setdefault(rel["other_name"], []).extend(rel["citations"] or [])
        cited = {k: v for k, v in drugs.items() if best_citations(v)}
        if cited:
            name = therapy["name"]
            self.add(section, f"{name[:1].upper()}{name[1:]} {verb(name, 'uses', 'use')} {_join(list(cited))}.",
                     _cites(*cited.values()), [name, *cited])

    def treatment_tied_to(self, entities: Sequence[Any], section: str = S_FOR) -> None:
        """A marker or subtype that a curated recommendation depends on: what it means for treatment."""
        vocab = load_vocabulary()
        for e in entities[:2]:
            words = {e.name.lower(), e.id.rsplit("/", 1)[-1].replace("-", "").lower()}
            tied = []
            for rec in self.curated.recommendations:
                if not rec.positive:
                    continue
                for leaf in _leaves(rec.requires):
                    values = leaf.value if isinstance(leaf.value, list) else [leaf.value]
                    if any(str(v).lower().replace("-", "") in words for v in values):
                        tied.append(rec)
                        break
            tied.sort(key=lambda r: vocab.order("strengths").get(r.strength, 9))
            for rec in tied[:2]:
                self.add(section, f"It matters for treatment: {strength_phrase(self.name(rec.therapy), rec.strength)[:1].lower()}"
                                  f"{strength_phrase(self.name(rec.therapy), rec.strength)[1:]} {_group_of(rec)}.",
                         rec.citations, [e.name, self.name(rec.therapy)])

    def treatment_for_group(self, group: str, section: str) -> None:
        """What the lower- or higher-risk group means for treatment: the strongest curated options for it."""
        vocab = load_vocabulary()
        recs = [r for r in self.curated.recommendations if r.positive and group in _risk_groups([r])]
        recs.sort(key=lambda r: vocab.order("strengths").get(r.strength, 9))
        names = list(dict.fromkeys(self.name(r.therapy) for r in recs))[:4]
        if names:
            aim = ("improve blood counts and quality of life" if group == "lower"
                   else "slow the disease down or, for fit people with a donor, cure it with a transplant")
            self.add(section, f"In {group}-risk MDS treatment aims to {aim}; the options our sources rate highest "
                              f"include {_join(names)}.", _cites(*[r.citations for r in recs[:4]]), names)

    def questions_for(self, recs: Sequence[CuratedRecommendation], limit: int = 6) -> None:
        """Questions to bring to the doctor: the values the recommendations depend on."""
        asked: list[str] = []
        for rec in recs:
            for leaf in _leaves(rec.requires):
                q = _QUESTION_FOR.get(leaf.variable)
                if q and q not in asked and len(asked) < limit:
                    asked.append(q)
                    self.add(S_ASK, q, rec.citations)

    def recs_for(self, therapy_id: str) -> list[CuratedRecommendation]:
        fam = _family(self.curated, therapy_id)
        return [r for r in self.curated.recommendations if r.therapy in fam]

    def who_for(self, therapy_id: str, section: str = S_FOR, limit: int = 4) -> list[CuratedRecommendation]:
        vocab = load_vocabulary()
        recs = self.recs_for(therapy_id)
        positive = sorted((r for r in recs if r.positive), key=lambda r: vocab.order("strengths").get(r.strength, 9))
        for rec in positive[:limit]:
            name = self.name(rec.therapy)
            self.add(section, f"{strength_phrase(name, rec.strength)} {_group_of(rec)}.", rec.citations, [name])
            if rec.summary:
                self.add(section, _clean_summary(rec.summary), rec.citations, [name])
        for rec in [r for r in recs if not r.positive][:2]:
            name = self.name(rec.therapy)
            self.add(S_NOT_ADVISED, _clean_summary(rec.summary) or
                     f"{name} is not recommended for people with {rule_text(rec.requires, self.curated.names)}.",
                     rec.citations, [name])
        return positive

    def results(self, therapy_ids: Sequence[str], section: str = S_RESULTS, limit: int = 3,
                outcomes: bool = False) -> list[StudyRow]:
        ids = set()
        for t in therapy_ids:
            ids |= {t, *self.curated.families.members_of.get(t, ())}
        studies = _studies(self.reads, therapy_ids=sorted(ids), timeout_s=self.t)  # curated ones only
        # Positive trials of the asked therapy first, larger first.
        studies.sort(key=lambda s: (s.conclusion != "positive", -(s.n or 0)))
        for study in studies[:limit]:
            if study.summary:
                self.add(section, study.summary, _cites(study.citations), [study.name])
            if outcomes:
                for o in study.outcomes:
                    text = _outcome_sentence(study, o)
                    if text and o.get("primary"):
                        self.add(section, text, _cites(o["citations"], study.citations), [study.name])
        return studies

    def approvals(self, therapy_ids: Sequence[str], section: str = S_RESULTS) -> None:
        ids = set()
        for t in therapy_ids:
            ids |= {t, *self.curated.families.members_of.get(t, ())}
        for a in _approvals(self.reads, sorted(ids), self.t):
            self.add(section, f"The {a.agency} approved {a.drug_name} on {a.date} for {a.indication.rstrip('.')}.",
                     a.citations, [a.drug_name])

    def statements(self, ids: Sequence[str], kinds: Sequence[str], section: str, limit: int = 6,
                   by_relevance: bool = False) -> list[StatementRow]:
        rows = _statements(self.reads, ids, kinds, self.t)
        if by_relevance:
            words = _content_words(self.inp.question)
            rows = sorted(rows, key=lambda r: -len(words & _content_words(r.text)))
        for row in rows[:limit]:
            self.add(section, row.text, row.citations, [row.about_name])
        return rows

    def short(self, text: str, citations: Iterable[str], terms: Iterable[str] = ()) -> None:
        self.add(S_SHORT, text, citations, terms)

    # -- plans --
    def compose(self) -> Composition:
        therapies, terms = self.focus()
        method = getattr(self, f"plan_{self.inp.intent}", self.plan_definition)
        method(therapies, terms)
        if therapies:
            for t in therapies:
                self.comp.therapies[t["id"]] = _path_node(t)
            self._paths(therapies)
        self.comp.covered = bool(self.comp.facts)
        return self.comp

    def _paths(self, therapies: list[dict]) -> None:
        for t in therapies[:3]:
            rows = typed_reads.therapy_recommendations(self.reads, therapy_id=t["id"], disease_id=MDS_ID, limit=40,
                                                       timeout_s=self.t)
            self.comp.paths += recommendation_paths(rows)
        self.comp.paths.sort(key=lambda p: -p.score)

    def plan_definition(self, therapies, terms) -> None:
        self.term_notes(terms, [t["id"] for t in therapies])
        ids = [t["id"] for t in therapies] or [e.id for e in self.inp.entities if e.label != "Term"][:3] or [MDS_ID]
        first = None
        for cid in ids[:3]:
            text = self.definition(cid)
            first = first or text
        self.statements(ids[:3], ["general", "diagnosis", "scope"], S_WHAT, limit=5)
        if not therapies:
            self.statements([e.id for e in self.inp.entities if e.label == "RiskScheme"], ["prognosis"], S_WHAT, limit=2)
            self.treatment_tied_to([e for e in self.inp.entities if e.label in {"Biomarker", "Subtype"}])
        for t in therapies[:2]:
            self.uses(t)
            self.who_for(t["id"], limit=2)
        if first:
            self.short(first, self.comp.facts[0].citations if self.comp.facts else [])
        elif self.comp.facts:
            self.short(self.comp.facts[0].text, self.comp.facts[0].citations)

    def plan_mechanism(self, therapies, terms) -> None:
        ids = [t["id"] for t in therapies] or [e.id for e in self.inp.entities][:2]
        rows = self.statements(ids, ["mechanism"], S_HOW)
        if not rows:
            for cid in ids[:2]:
                self.definition(cid, S_HOW)
        for t in therapies[:1]:
            self.who_for(t["id"], limit=1)
        self._lead_from(S_HOW)

    def plan_efficacy(self, therapies, terms) -> None:
        self.term_notes(terms, [t["id"] for t in therapies])
        if not therapies:
            return self.plan_alternatives(therapies, terms)
        shorts: list[tuple[str, list[str]]] = []
        for t in therapies[:2]:
            self.uses(t)
            studies = self.results([t["id"]], limit=2)
            self.approvals([t["id"]])
            recs = [r for r in self.recs_for(t["id"]) if r.positive]
            not_advised = [r for r in self.recs_for(t["id"]) if not r.positive]
            self.who_for(t["id"], limit=2)
            self.questions_for(recs[:2], limit=4)
            name = t["name"]
            positive = [s for s in studies if s.conclusion == "positive"]
            negative = [s for s in studies if s.conclusion == "negative"]
            if positive and recs:
                groups = _join([_group_of(r) for r in recs[:2]], "or")
                first = positive[0].summary.split(". ")[0].rstrip(".")
                shorts.append(("yes", f"{name} {verb(name, 'helps', 'help')} some people with MDS ({groups}). {first}.",
                               _cites(positive[0].citations)))
            elif recs:
                shorts.append(("depends", f"{name} can help some people with MDS ({_group_of(recs[0])}).",
                               list(recs[0].citations)))
            elif negative or not_advised:
                why = (negative[0].summary.split(". ")[0].rstrip(".") + "." if negative else
                       _clean_summary(not_advised[0].summary) or not_advised[0].name)
                shorts.append(("no", f"{name} {verb(name, 'is', 'are')} not an established MDS treatment. {why}",
                               _cites(negative[0].citations) if negative else list(not_advised[0].citations)))
            if not studies and not recs:
                self.definition(t["id"], S_FOR)
        kinds = {k for k, _, _ in shorts}
        lead = {"yes": "Yes, for some people: ", "no": "No: ", "depends": "It depends on the person: "}
        for i, (kind, text, cites) in enumerate(shorts):
            if len(kinds) > 1:
                prefix = "It depends on which treatment is meant. " if i == 0 else ""
                self.short(prefix + text[:1].upper() + text[1:], cites)
            else:
                self.short((lead[kind] if i == 0 else "") + (text if i == 0 else text[:1].upper() + text[1:]), cites)

    def plan_candidate(self, therapies, terms) -> None:
        if not therapies:
            return self.plan_alternatives(therapies, terms)
        recs = []
        for t in therapies[:2]:
            recs += self.who_for(t["id"])
        self.questions_for(recs)
        names = _join([t["name"] for t in therapies[:2]])
        if recs:
            groups = _join([_group_of(r) for r in recs[:2]], "or")
            self.short(f"It depends on your test results: {names} {verb(names, 'is', 'are')} for {groups}. "
                       f"Give your values (risk score, blood counts, marrow findings) to check each condition.",
                       _cites(*[r.citations for r in recs[:2]]), [names])
            for rec in recs[:2]:
                self.add(S_FOR, f"In detail, {self.name(rec.therapy)} needs: {rule_text(rec.requires, self.curated.names)}.",
                         rec.citations, [names])
        else:
            not_advised = [r for t in therapies for r in self.recs_for(t["id"]) if not r.positive]
            if not_advised:
                self.short(f"Probably not outside a clinical trial: {_clean_summary(not_advised[0].summary)}",
                           not_advised[0].citations, [names])

    def plan_side_effects(self, therapies, terms) -> None:
        if not therapies:
            return
        lines = 0
        for t in therapies[:2]:
            studies = self.results([t["id"]], section=S_SIDE, limit=0)
            for study in studies:
                for o in study.outcomes:
                    text = _ae_sentence(study, o)
                    if text and lines < 8:
                        self.add(S_SIDE, text, _cites(o["citations"], study.citations), [t["name"], study.name])
                        lines += 1
            family = [t["id"], *self.curated.families.members_of.get(t["id"], ())]
            for row in _statements(self.reads, family, ["general"], self.t):
                if _SIDE_WORDS.search(row.text):
                    self.add(S_SIDE, row.text, row.citations, [t["name"]])
            facts = typed_reads.entity_facts(self.reads, id=t["id"], limit=60, timeout_s=self.t)
            effects: dict[str, list[str]] = {}
            for rel in (facts.relations if facts else []):
                if rel["type"] == "HAS_SIDE_EFFECT" and rel["outgoing"] and best_citations(rel["citations"] or []):
                    effects.setdefault(rel["other_name"], []).extend(rel["citations"] or [])
            if effects:
                self.add(S_SIDE, f"Side effects reported with {t['name']} include {_join(list(effects))}.",
                         _cites(*effects.values()), [t["name"], *effects])
        self._lead_from(S_SIDE, prefix=f"The main side effects of {_join([t['name'] for t in therapies[:2]])}: ")

    def plan_administration(self, therapies, terms) -> None:
        ids = []
        for t in therapies[:2]:
            ids += [t["id"], *self.curated.families.members_of.get(t["id"], ())]
        rows = self.statements(ids, ["administration"], S_GIVEN)
        if not rows:
            for t in therapies[:2]:
                self.definition(t["id"], S_GIVEN)
        self.add(S_ASK, "How often will I need to come to the clinic, and for how long before we know whether it works?",
                 [c for f in self.comp.facts[:1] for c in f.citations])
        self._lead_from(S_GIVEN)

    def plan_alternatives(self, therapies, terms) -> None:
        vocab = load_vocabulary()
        question = self.inp.question
        focus = {x for t in therapies for x in _family(self.curated, t["id"])}
        if _ORAL.search(question):
            rows = [r for r in _statements(self.reads, list(self.curated.names), ["administration"], self.t)
                    if _ORAL.search(r.text)]
            for row in rows[:4]:
                self.add(S_OPTIONS, row.text, row.citations, [row.about_name])
            if rows:
                self.short(f"Yes: some MDS treatments are taken by mouth, such as {_join(list(dict.fromkeys(r.about_name for r in rows[:3])))}; "
                           f"whether one fits depends on your risk group and test results.", _cites(rows[0].citations))
        topic_vars: set[str] = set()
        topic_therapies: tuple[str, ...] = ()
        for pattern, variables, extra in _CYTOPENIA_TOPICS:
            if pattern.search(question):
                topic_vars |= variables
                topic_therapies += extra
                break
        for tid in topic_therapies:
            self.statements([tid, *self.curated.families.members_of.get(tid, ())], ["general", "mechanism"], S_OPTIONS, limit=2)
        groups: dict[str, list[CuratedRecommendation]] = {}
        asked_groups = _risk_groups(self.recs_for(therapies[0]["id"])) if therapies else set()
        text = question.lower()
        if not asked_groups:
            if re.search(r"\b(very )?low(er)?[- ]risk", text):
                asked_groups = {"lower"}
            elif re.search(r"\bhigh(er)?[- ]risk", text):
                asked_groups = {"higher"}
        oral = bool(_ORAL.search(question))
        for rec in self.curated.recommendations:
            if not rec.positive or rec.therapy in focus or oral:
                continue
            rg = _risk_groups([rec])
            if asked_groups and not (rg & asked_groups):
                continue
            if topic_vars and not ({leaf.variable for leaf in _positive_leaves(rec.requires)} & topic_vars):
                continue
            groups.setdefault(rec.therapy, []).append(rec)
        ranked = sorted(groups.items(), key=lambda kv: min(vocab.order("strengths").get(r.strength, 9) for r in kv[1]))
        for therapy_id, recs in ranked[:10]:
            rec = sorted(recs, key=lambda r: vocab.order("strengths").get(r.strength, 9))[0]
            name = self.name(therapy_id)
            self.add(S_OPTIONS, f"{strength_phrase(name, rec.strength)} {_group_of(rec)}.", rec.citations, [name])
        names = _join([self.name(t) for t, _ in ranked[:6]])
        if ranked and not any(f.section == S_SHORT for f in self.comp.facts):
            self.short(f"Yes, there are other options, and which one fits depends on your risk group and test results: "
                       f"{names}.", _cites(*[r.citations for _, rs in ranked[:5] for r in rs[:1]]))

    def plan_next_after_failure(self, therapies, terms) -> None:
        vocab = load_vocabulary()
        failed = {x for t in therapies for x in _family(self.curated, t["id"])}
        failed_names = _join([t["name"] for t in therapies[:2]]) or "the first treatment"
        options: list[CuratedRecommendation] = []
        for rec in self.curated.recommendations:
            wanted = {str(v) for leaf in _leaves(rec.requires) if leaf.variable == "failed_therapies"
                      and leaf.operator in {"contains", "in"}
                      for v in (leaf.value if isinstance(leaf.value, list) else [leaf.value])}
            if wanted & failed and rec.therapy not in failed:
                (options if rec.positive else []).append(rec)
            if not rec.positive and wanted & failed:
                self.add(S_NOT_ADVISED, _clean_summary(rec.summary) or rec.name, rec.citations, [self.name(rec.therapy)])
        options.sort(key=lambda r: vocab.order("strengths").get(r.strength, 9))
        seen: set[str] = set()
        for rec in options:
            if rec.therapy in seen:
                continue
            seen.add(rec.therapy)
            name = self.name(rec.therapy)
            self.add(S_NEXT, f"{strength_phrase(name, rec.strength)} {_group_of(rec)}.", rec.citations, [name])
        if failed:
            self.add(S_NOT_ADVISED, f"Switching to another drug of the same class as {failed_names} is not usually "
                                    f"offered: our guideline logic does not offer a treatment again after it failed.",
                     [c for r in options[:1] for c in r.citations])
        names = _join([self.name(t) for t in list(dict.fromkeys(r.therapy for r in options))[:5]])
        if options:
            self.short(f"Yes, there are still options after {failed_names}: {names}. Which fits depends on your risk "
                       f"group and test results.", _cites(*[r.citations for r in options[:4]]), [failed_names])
        for rec in options[:3]:
            self.results([rec.therapy], section=S_NEXT, limit=1)

    def plan_risk_interpret(self, therapies, terms) -> None:
        values = self.inp.values
        scheme, score = (getattr(values, "scheme", None), getattr(values, "score", None)) if values else (None, None)
        categories = [c for c in self.onto.concepts.values() if c.label == "RiskCategory"
                      and (c.properties or {}).get("scheme")]
        scheme_id = {"IPSS-R": "MDSKG:scheme/ipss-r", "IPSS-M": "MDSKG:scheme/ipss-m",
                     "IPSS": "MDSKG:scheme/ipss"}.get(scheme or "", "MDSKG:scheme/ipss-r")
        if score is not None:
            for c in categories:
                p = c.properties
                if p.get("scheme") != scheme_id:
                    continue
                lo, hi = p.get("score_min"), p.get("score_max")
                if (lo is None or score > lo) and (hi is None or score <= hi):
                    group = p.get("group")
                    if scheme_id == "MDSKG:scheme/ipss-r":
                        group = "lower" if score <= 3.5 else "higher"
                    gtext = f", which counts as {group}-risk MDS for treatment choices" if group else ""
                    self.short(f"An {scheme or 'IPSS-R'} score of {_fmt(score)} is in the {c.name} category{gtext}.",
                               best_citations(c.sources))
                    self.add(S_MEANS, f"{c.name}: {c.definition}", best_citations(c.sources), [c.name])
                    break
        else:
            for e in self.inp.entities:
                if e.label == "RiskCategory":
                    self.definition(e.id, S_MEANS)
            self._lead_from(S_MEANS)
        self.add(S_MEANS, "The IPSS-R adds points for low hemoglobin, platelets and neutrophils, the share of blasts "
                          "in the marrow and the chromosome findings; a higher score means a higher risk.",
                 ["PMID:22740453"])
        group = None
        text = self.inp.question.lower()
        if score is not None and scheme_id == "MDSKG:scheme/ipss-r":
            group = "lower" if score <= 3.5 else "higher"
        elif re.search(r"\b(very )?high(er)?[- ]risk|\bint(ermediate)?[- ]?2\b|\bpoor\b", text):
            group = "higher"
        elif re.search(r"\b(very )?low(er)?[- ]risk|\bint(ermediate)?[- ]?1\b", text):
            group = "lower"
        if group:
            self.treatment_for_group(group, S_MEANS)
        ids = [e.id for e in self.inp.entities if e.label in {"RiskCategory", "RiskScheme", "Biomarker"}]
        self.statements(ids + [MDS_ID, scheme_id], ["prognosis"], S_OUTLOOK, limit=4)

    def plan_risk_compute(self, therapies, terms) -> None:
        from service.patient.assess import assess

        values = self.inp.values
        patient = getattr(values, "patient", None)
        if patient is None:
            return self.plan_risk_interpret(therapies, terms)
        try:
            a = assess(patient)
        except ValueError:
            return self.plan_risk_interpret(therapies, terms)
        r = a.ipssr
        cites = ["PMID:22740453"]
        if r.score is not None and r.category:
            group = "lower" if r.score <= 3.5 else "higher"
            self.short(f"From the values you gave, your IPSS-R score is {_fmt(r.score)}: {r.category.replace('_', ' ')} "
                       f"risk, which counts as {group}-risk MDS for treatment choices.", cites)
            parts = [f"{c.name.replace('_', ' ')} {_fmt(c.points)}" for c in r.components if c.points is not None]
            self.add(S_SCORE, f"Points: {'; '.join(parts)}.", cites)
        else:
            missing = _join([m.replace("_", " ").replace(" g dl", "").replace(" 10e9 l", "") for m in r.missing])
            rng = ""
            if r.score_min is not None and r.score_max is not None:
                rng = f" With what you gave, it lies between {_fmt(r.score_min)} and {_fmt(r.score_max)}"
                if r.category_min and r.category_max:
                    rng += f" ({r.category_min.replace('_', ' ')} to {r.category_max.replace('_', ' ')})"
                rng += "."
            self.short(f"Your IPSS-R cannot be worked out exactly yet: it also needs {missing}.{rng}", cites)
        for note in getattr(values, "assumptions", ())[:4]:
            self.add(S_SCORE, f"We read {note}.", cites)
        self.add(S_MEANS, "The IPSS-R adds points for low hemoglobin, platelets and neutrophils, the share of blasts "
                          "in the marrow and the chromosome findings; a score above 3.5 counts as higher risk.", cites)
        self.statements([MDS_ID, "MDSKG:scheme/ipss-r"], ["prognosis"], S_OUTLOOK, limit=2)

    def plan_prognosis(self, therapies, terms) -> None:
        asked = [e.id for e in self.inp.entities if e.label not in {"Term", "Study"}]
        rows = self.statements(asked, ["prognosis"], S_OUTLOOK, limit=4, by_relevance=True) if asked else []
        rows += self.statements([MDS_ID, "MDSKG:scheme/ipss-r", "MDSKG:scheme/ipss-m", "NCIT:C3171",
                                 "MDSKG:subtype/therapy-related-mds", "MDSKG:therapy/allo-hsct"], ["prognosis"],
                                S_OUTLOOK, by_relevance=True)
        for e in self.inp.entities:
            if e.label == "RiskCategory":
                self.definition(e.id, S_MEANS)
        if rows:
            words = _content_words(self.inp.question)
            best = max(rows, key=lambda r: len(words & _content_words(r.text)))
            specific = [r for r in rows if r.about_id in set(asked)]
            if len(words & _content_words(best.text)) >= 1 and best not in specific:
                lead = best
            else:
                lead = specific[0] if specific else next((r for r in rows if "depend" in r.text.lower()), rows[0])
            text = lead.text
            if "depend" in text.lower():
                self.short(f"It depends: {text[:1].lower()}{text[1:]}", lead.citations)
            else:
                self.short(text, lead.citations)

    def plan_trial_result(self, therapies, terms) -> None:
        study_ids = [e.id for e in self.inp.entities if e.label == "Study"]
        studies = _studies(self.reads, study_ids=study_ids, timeout_s=self.t) if study_ids else []
        if not studies and therapies:
            studies = self.results([t["id"] for t in therapies], limit=2, outcomes=True)
            if studies:
                self._lead_from(S_RESULTS)
            return
        for study in studies[:2]:
            self.add(S_RESULTS, study.summary, _cites(study.citations), [study.name])
            design = ", ".join(x for x in (study.design, f"phase {study.phase}" if study.phase else "",
                                           f"{study.n} people" if study.n else "") if x)
            if design:
                self.add(S_RESULTS, f"{study.name} was a {design} study of {study.population}.",
                         _cites(study.citations), [study.name])
            for o in study.outcomes:
                text = _outcome_sentence(study, o)
                if text:
                    self.add(S_RESULTS, text, _cites(o["citations"], study.citations), [study.name])
            for o in study.outcomes:
                text = _ae_sentence(study, o)
                if text:
                    self.add(S_SIDE, text, _cites(o["citations"], study.citations), [study.name])
        if studies:
            s = studies[0]
            verdict = {"positive": "It met its main goal", "negative": "It did not meet its main goal",
                       "inconclusive": "Its result was not conclusive"}.get(s.conclusion, "")
            if re.match(r"\s*(did|does|was|is|has)\b", self.inp.question.lower()) and s.conclusion in {"positive", "negative"}:
                verdict = ("Yes: " if s.conclusion == "positive" else "No: ") + verdict[:1].lower() + verdict[1:]
            self.short(f"{verdict}: {s.summary.split('. ')[0].rstrip('.')}.", _cites(s.citations), [s.name])

    def plan_comparison(self, therapies, terms) -> None:
        vocab = load_vocabulary()
        categories = [e for e in self.inp.entities if e.label in {"RiskCategory", "Disease", "Subtype"}]
        if not therapies and len(categories) >= 2:
            for e in categories[:2]:
                self.definition(e.id, S_COMPARE)
                self.statements([e.id], ["scope", "general"], S_COMPARE, limit=2)
            if all(e.label == "RiskCategory" for e in categories[:2]):
                self.add(S_COMPARE, "With the IPSS-R, a score of 3.5 or less counts as lower risk and a score above 3.5 "
                                    "as higher risk for treatment choices.", ["PMID:22740453"])
            if self.comp.facts:
                self.short(f"They differ: {self.comp.facts[0].text[:1].lower()}{self.comp.facts[0].text[1:]}",
                           self.comp.facts[0].citations)
            return
        ids = [t["id"] for t in therapies[:2]]
        if len(ids) < 2:
            # only another therapy can be the other side of a therapy comparison ("anemia" is not one);
            # with no therapy named, the two things compared are whatever the question names (IPSS-R, IPSS-M)
            ids += [e.id for e in self.inp.entities
                    if e.id not in ids and (not ids or e.label in ("Therapy", "Drug"))][: 2 - len(ids)]
        head_to_head = []
        for study in _studies(self.reads, therapy_ids=ids, timeout_s=self.t):
            if len({x for t in ids for x in _family(self.curated, t)} & set(study.therapy_ids)) >= 1 and \
                    all(any(x in set(study.therapy_ids) or x.rsplit("/", 1)[-1].replace("-", " ") in (study.comparator or "").lower()
                            for x in _family(self.curated, t)) for t in ids):
                head_to_head.append(study)
        for cid in ids:
            name = self.name(cid)
            recs = sorted((r for r in self.recs_for(cid) if r.positive),
                          key=lambda r: vocab.order("strengths").get(r.strength, 9))
            if recs:
                self.add(S_COMPARE, f"{strength_phrase(name, recs[0].strength)} {_group_of(recs[0])}.",
                         recs[0].citations, [name])
            elif not self.definition(cid, S_COMPARE):
                continue
            given = _statements(self.reads, [cid], ["administration"], self.t)
            if given:
                self.add(S_COMPARE, given[0].text, given[0].citations, [name])
        for study in head_to_head[:1]:
            self.add(S_RESULTS, study.summary, _cites(study.citations), [study.name])
        names = _join([self.name(c) for c in ids])
        if head_to_head:
            s = head_to_head[0]
            self.short(f"They were compared directly in {s.name}: {s.summary.split('. ')[0].rstrip('.')}.",
                       _cites(s.citations), [names])
        elif self.comp.facts:
            self.short(f"{names[:1].upper()}{names[1:]} are used for different situations; which fits depends on the "
                       f"risk group and test results.", self.comp.facts[0].citations, [names])
        if not head_to_head:
            self.results(ids, limit=2)

    def plan_treat_or_watch(self, therapies, terms) -> None:
        text = self.inp.question.lower()
        higher = bool(re.search(r"\bhigh(er)?[- ]risk|\bint(ermediate)?[- ]?2\b", text))
        rows = self.statements([MDS_ID, "MDSKG:therapy/watchful-waiting", "MDSKG:risk/lower-risk",
                                *[t["id"] for t in therapies]], ["watch_and_wait"], S_WATCH)
        recs = [r for r in self.curated.recommendations if r.therapy == "MDSKG:therapy/watchful-waiting" and r.positive]
        for rec in recs[:1]:
            self.add(S_WATCH, f"Watching without treatment fits people with {rule_text(rec.requires, self.curated.names)}.",
                     rec.citations, ["watchful waiting"])
        self.treatment_for_group("higher" if higher else "lower", S_OPTIONS)
        first = rows[0] if rows else None
        cites = list(first.citations if first else []) + [c for r in recs[:1] for c in r.citations]
        if higher and cites:
            self.short("No, usually not: higher-risk MDS is normally treated soon after diagnosis, and for fit people with a "
                       "donor a transplant is planned early; watch and wait is for lower-risk MDS without troublesome "
                       "symptoms.", cites)
        elif cites:
            self.short("It depends: many people with lower-risk MDS and no troublesome symptoms can be watched with "
                       "regular blood counts; treatment starts when anemia, bleeding, infections or the risk group "
                       "call for it, and higher-risk MDS is usually treated straight away.", cites)

    def plan_symptoms(self, therapies, terms) -> None:
        ids = [e.id for e in self.inp.entities if e.label in {"Disease", "Subtype"}] or [MDS_ID]
        rows = self.statements(ids + [MDS_ID], ["symptom"], S_SYMPTOMS)
        if rows:
            self._lead_from(S_SYMPTOMS)

    def plan_causes(self, therapies, terms) -> None:
        ids = [e.id for e in self.inp.entities if e.label in {"Disease", "Subtype"}] or [MDS_ID]
        # Therapy-related MDS is the one cause with its own subtype: its statements belong to "what causes MDS".
        rows = self.statements(ids + [MDS_ID, "MDSKG:subtype/therapy-related-mds"], ["cause", "risk_factor"], S_CAUSES,
                               limit=16, by_relevance=True)
        if rows:
            self._lead_from(S_CAUSES)

    def plan_off_topic(self, therapies, terms) -> None:
        others = [e for e in self.inp.entities if e.label == "Disease" and e.id not in {MDS_ID}]
        for e in others[:2]:
            rows = _statements(self.reads, [e.id], ["scope"], self.t)
            if rows:
                self.add(S_SCOPE, rows[0].text, rows[0].citations, [e.name])
            else:
                self.definition(e.id, S_SCOPE)
        mds = self.onto.concepts.get(MDS_ID)
        lead = (f"This question is about {_join([e.name for e in others[:2]])}, which is not MDS. " if others else
                "This question is not about MDS. ")
        if mds:
            self.short(lead + "Our sources cover myelodysplastic syndromes (MDS): what they are, risk scores, "
                       "treatments and their results.", best_citations(mds.sources))

    # -- helpers --
    def _lead_from(self, section: str, prefix: str = "") -> None:
        for f in self.comp.facts:
            if f.section == section:
                text = f.text
                if prefix:
                    text = prefix + text[:1].lower() + text[1:]
                self.short(text, f.citations, f.terms)
                return


@dataclass(frozen=True)
class _U:
    """The slice of an Understanding that focus_therapies reads."""

    entities: Sequence[Any]


def _path_node(t: dict):
    from mdskg.records import PathNode

    return PathNode(t["id"], t["label"], t["name"])


_SIDE_WORDS = re.compile(r"side effect|adverse|severe|grade 3|reaction|complication|risk of|kidney|liver|blood "
                         r"pressure|clot|infection|nausea|diarrh|fatigue|tired|rash|serum sickness|graft|neutropenia|"
                         r"thrombocytopenia|low (blood|platelet|white)", re.I)
_CYTOPENIA_TOPICS = (
    (re.compile(r"platelet|bleed|bruis", re.I), {"platelets_10e9_l", "bleeding", "platelet_transfusions"},
     ("MDSKG:therapy/tpo-ra", "MDSKG:therapy/platelet-transfusion")),
    (re.compile(r"neutrophil|infection|white (blood )?cell", re.I), {"anc_10e9_l", "recurrent_infections"},
     ("MDSKG:therapy/myeloid-growth-factors",)),
    (re.compile(r"anemi|anaemi|hemoglobin|haemoglobin|transfusion|tired", re.I),
     {"hemoglobin_g_dl", "transfusion_dependent", "transfusion_units_per_8wk", "anemia_symptoms"}, ()),
)
_ORAL = re.compile(r"\b(pill|tablet|capsule|oral|by mouth)", re.I)


_STOP = frozenset("what which when where does with that this have from about your mine into there their they them "
                  "will would could should been being were more most much many some than then also just only very "
                  "like people patients person someone make makes made mds".split())


_SAME_IDEA = {"cura": "cure", "cure": "cure", "live": "surv", "livi": "surv", "life": "surv", "surv": "surv",
              "leuk": "aml", "luke": "aml", "acut": "aml", "tran": "tran", "chem": "chem", "radi": "chem",
              "long": "surv", "expe": "surv", "odds": "chan", "chan": "chan", "risk": "risk", "like": "chan"}


def _content_words(text: str) -> set[str]:
    """Four-letter stems of the content words of a text (a few folded together: "curable" and "cure",
    "live" and "survival"), for ranking statements by relevance to a question."""
    out = set()
    for w in re.findall(r"[a-z]{4,}", text.lower()):
        if w in _STOP:
            continue
        stem = w[:4]
        out.add(_SAME_IDEA.get(stem, stem))
    return out


def _positive_leaves(node: Node) -> list[Leaf]:
    """Leaves a patient must meet (not those under none_of, which say what must be absent)."""
    if isinstance(node, Leaf):
        return [node]
    if node.kind == "none_of":
        return []
    return [x for item in node.items for x in _positive_leaves(item)]


def _leaves(node: Node) -> list[Leaf]:
    if isinstance(node, Leaf):
        return [node]
    return [x for item in node.items for x in _leaves(item)]


def _risk_groups(recs: Iterable[CuratedRecommendation]) -> set[str]:
    out: set[str] = set()
    for rec in recs:
        for leaf in _leaves(rec.requires):
            if leaf.variable == "risk_group" and leaf.operator == "==":
                out.add(str(leaf.value))
    return out


_QUESTION_FOR = {
    "marrow_cellularity": "Is my bone marrow hypocellular (less full of cells than usual)?",
    "marrow_blasts_pct": "What is my bone marrow blast percentage?",
    "pnh_clone": "Have I been tested for a PNH clone?",
    "stat3_t_cell_clone": "Have I been tested for a STAT3-mutant T-cell clone?",
    "serum_epo_mu_ml": "What is my serum EPO level?",
    "ring_sideroblasts_pct": "Do I have ring sideroblasts, and what percentage?",
    "mutated_genes": "Which gene mutations were found in my bone marrow?",
    "karyotype_findings": "What did my chromosome (karyotype) test show?",
    "transfusion_units_per_8wk": "How many red-cell transfusions do I need every 8 weeks?",
    "risk_group": "What is my risk category (IPSS-R or IPSS-M): is my MDS lower-risk or higher-risk?",
    "transplant_candidate": "Am I fit for a transplant, and is there a donor?",
    "esa_status": "Have I had an erythropoiesis-stimulating agent (EPO shots) before, and did it work?",
    "failed_therapies": "Which treatments have I had, and how well did they work?",
}


def compose_for_intent(reads, inp: PlanInput) -> Composition:
    return PlanComposer(reads, inp).compose()
