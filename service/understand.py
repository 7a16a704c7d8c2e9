"""Understanding a question without an LLM: which concepts it names, and what it asks.

Entity linking matches the question's word n-grams against every surface form in the
ontology (names, synonyms, abbreviations, lay words), first exactly, then with a bounded
edit similarity for misspellings ("imunotherapy", "lenalidamide"). The intent comes from
service.intents; values typed into the question from service.patient.question_values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ontology import load_ontology
from ontology.model import normalise_surface

# Short or common words that must not be fuzzy-matched to a concept.
_NO_FUZZY = {"what", "does", "work", "with", "that", "this", "have", "there", "about", "other", "after",
             "therapy", "treatment", "treatments", "options", "patient", "patients", "should", "would", "could",
             "which", "where", "their", "first", "blood", "count", "counts", "cancer", "tell", "mean", "means"}
_STOPWORDS = {"of", "the", "a", "an", "and", "or", "for", "to", "in", "on", "is", "are", "what", "my", "me", "i",
              "with", "does", "do", "it", "how", "can", "about", "after", "if", "be", "am"}
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9()+\-/.']*")
MAX_NGRAM = 6
FUZZY_MIN_LEN = 6
FUZZY_RATIO = 0.86


@dataclass(frozen=True)
class LinkedEntity:
    id: str
    label: str
    name: str
    matched: str  # the text of the question that matched
    surface: str  # the surface form it matched
    kind: str  # name | synonym | abbreviation | lay_term | brand_name
    score: float  # 1.0 exact, lower for fuzzy
    start: int
    end: int


@dataclass(frozen=True)
class Understanding:
    question: str
    intents: tuple[str, ...]
    entities: tuple[LinkedEntity, ...] = field(default_factory=tuple)
    values: object = None  # service.patient.question_values.QuestionValues, when values were typed in

    @property
    def intent(self) -> str:
        return self.intents[0] if self.intents else "definition"

    def by_label(self, *labels: str) -> list[LinkedEntity]:
        return [e for e in self.entities if e.label in labels]


@dataclass(frozen=True)
class _Form:
    key: str
    concept_id: str
    label: str
    name: str
    surface: str
    kind: str
    case_sensitive: bool


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[_Form]], dict[int, list[_Form]]]:
    onto = load_ontology()
    exact: dict[str, list[_Form]] = {}
    by_length: dict[int, list[_Form]] = {}
    for sf in onto.surface_forms():
        concept = onto.concepts[sf.concept_id]
        key = normalise_surface(sf.text)
        if not key:
            continue
        # Short upper-case abbreviations ("IST", "ATG") match only as written, not as words.
        case_sensitive = sf.kind == "abbreviation" and len(sf.text) <= 4 and sf.text.isupper()
        form = _Form(key, sf.concept_id, sf.label, concept.name, sf.text, sf.kind, case_sensitive)
        exact.setdefault(key, []).append(form)
        by_length.setdefault(len(key), []).append(form)
    # Named studies (curated evidence): "AZA-001", "MEDALIST", "COMMANDS", an NCT id.
    from ontology.evidence import load_evidence

    for study in load_evidence().studies:
        for text in dict.fromkeys([study.name, *study.aliases, *([study.nct] if study.nct else [])]):
            key = normalise_surface(text)
            if not key:
                continue
            # An all-capital trial name that is also an English word (SUPPORT, COMMANDS, ARCADE) links only
            # as written; "COMMANDS trial" and other aliases link in any case.
            shouting = text.isupper() and text.replace(" ", "").isalpha()
            form = _Form(key, study.id, "Study", study.name, text, "name", shouting)
            exact.setdefault(key, []).append(form)
            if len(key) >= 8:
                by_length.setdefault(len(key), []).append(form)
    return exact, by_length


def link_entities(question: str, max_entities: int = 12) -> tuple[LinkedEntity, ...]:
    exact, by_length = _index()
    tokens = [(m.group(0).rstrip(".,;:?!'"), m.start()) for m in _WORD.finditer(question)]
    tokens = [(t, s) for t, s in tokens if t]
    taken: list[tuple[int, int]] = []
    found: list[LinkedEntity] = []
    # Exact matches everywhere first (longest first), then fuzzy matches in what is left, so a
    # misspelling never wins over a correctly spelled name nearby.
    for fuzzy in (False, True):
        for n in range(min(MAX_NGRAM, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                start = tokens[i][1]
                last_text, last_start = tokens[i + n - 1]
                end = last_start + len(last_text)
                if any(start < e and s < end for s, e in taken):
                    continue
                span = question[start:end]
                key = normalise_surface(span)
                if not fuzzy:
                    forms = [f for f in exact.get(key, []) if not f.case_sensitive or f.surface == span]
                    score = 1.0
                else:
                    edge_words = {tokens[i][0].lower(), last_text.lower()}
                    if n > 3 or len(key) < FUZZY_MIN_LEN or key in _NO_FUZZY or edge_words & _STOPWORDS:
                        continue
                    forms, score = _fuzzy(key, by_length)
                if not forms:
                    continue
                taken.append((start, end))
                for form in _best_per_concept(forms):
                    found.append(LinkedEntity(form.concept_id, form.label, form.name, span, form.surface, form.kind,
                                              score, start, end))
    found.sort(key=lambda e: (e.start, -e.score))
    unique: dict[str, LinkedEntity] = {}
    for entity in found:
        unique.setdefault(entity.id, entity)
    return tuple(list(unique.values())[:max_entities])


def understand(question: str) -> Understanding:
    """Concepts linked in the question and its intent (service.intents), the leading one first."""
    from service.intents import classify

    entities = link_entities(question)
    values = question_values(question)
    fields = [f.field for f in getattr(values, "found", ())] if values is not None else []
    result = classify(question, [(e.id, e.label) for e in entities], _camel(fields),
                      stated_score=getattr(values, "score", None) is not None)
    intents = (result.intent, *[i for i in result.also if i != result.intent])
    return Understanding(question=question, intents=intents, entities=entities, values=values)


def question_values(question: str):
    """Patient values typed into the question (None when the parser is not available or finds none)."""
    try:
        from service.patient.question_values import extract_patient_values
    except ImportError:  # pragma: no cover - the parser ships with the package
        return None
    try:
        return extract_patient_values(question)
    except ValueError:
        return None


def _camel(fields) -> list[str]:
    out = []
    for name in fields:
        parts = str(name).split("_")
        out.append(parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:]))
    return out


def _fuzzy(key: str, by_length: dict[int, list[_Form]]) -> tuple[list[_Form], float]:
    best: list[_Form] = []
    best_ratio = 0.0
    for length in range(len(key) - 2, len(key) + 3):
        for form in by_length.get(length, ()):
            if form.case_sensitive or form.key[0] != key[0]:
                continue
            ratio = SequenceMatcher(None, key, form.key).ratio()
            if ratio > best_ratio + 1e-9:
                best, best_ratio = [form], ratio
            elif abs(ratio - best_ratio) <= 1e-9:
                best.append(form)
    if best_ratio >= FUZZY_RATIO:
        return best, round(best_ratio, 3)
    return [], 0.0


def _best_per_concept(forms: list[_Form]) -> list[_Form]:
    seen: dict[str, _Form] = {}
    for form in forms:
        seen.setdefault(form.concept_id, form)
    return list(seen.values())
