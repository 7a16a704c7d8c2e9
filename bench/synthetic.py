"""Synthetic inputs for the benchmark, built from the project's own corpus and ontology.

* `synthetic_documents(n, seed)` — a *generator* of Documents made of the corpus's own sentences
  (etl/corpus/*.md), recombined, with every ontology mention swapped for a surface form of another
  concept of the same label ("azacitidine" → "decitabine", "lower-risk MDS" → "higher-risk MDS").
  Nothing is held in memory beyond the sentence bank, so 100k documents stream in constant memory.
* `synthetic_graph(prefix, nodes, relationships, seed)` — GraphRows for the loader: nodes with the
  ontology's real labels, relationships with the real types of model.yaml between allowed label
  pairs, each with the provenance fields the loader expects (etl/rows.py `evidence_fields`).

Everything is seeded: the same arguments give the same output.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mdskg.records import Document, GraphRows, SourceType

DEFAULT_SEED = 20261126
EXTRACTOR = "rules@bench"


# ---- the sentence bank ----------------------------------------------------------------------

@dataclass(frozen=True)
class Template:
    """One corpus sentence with the character spans of its ontology mentions (and their labels)."""

    text: str
    slots: tuple[tuple[int, int, str], ...]  # (start, end, label), sorted, non-overlapping


@dataclass(frozen=True)
class SentenceBank:
    templates: tuple[Template, ...]
    forms_by_label: dict[str, tuple[str, ...]]
    words_by_label: dict[str, tuple[str, ...]]

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.templates)


@functools.lru_cache(maxsize=1)
def sentence_bank() -> SentenceBank:
    """Prose sentences of etl/corpus/*.md with their ontology mentions, found by the real pipeline."""
    from etl.extract import document_chunks
    from etl.nlp.pipeline import default_pipeline
    from etl.nlp.sentences import unwrap_lines
    from etl.readers.detect import read_documents
    from etl.run import CORPUS_DIR
    from ontology import load_ontology

    onto = load_ontology()
    nlp = default_pipeline()
    texts = []
    for document in read_documents([CORPUS_DIR]):
        if not isinstance(document, Document):
            continue
        for chunk in document_chunks(document):
            texts.append(unwrap_lines(document.text[chunk.start: chunk.end]))
    templates: list[Template] = []
    seen: set[str] = set()
    for doc in nlp.pipe(texts, batch_size=16):
        for sent in doc.sents:
            text = sent.text.strip()
            if (len(text.split()) < 5 or text.startswith(("#", "|", "-", "*", ">")) or "\n" in text
                    or not text[0].isalnum() or text in seen):
                continue
            seen.add(text)
            offset = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            slots = tuple((e.start_char - offset, e.end_char - offset, e.label_) for e in sent.ents
                          if e.ent_id_ and e.label_ != "Term" and e.start_char >= offset)
            templates.append(Template(text, slots))
    forms: dict[str, list[str]] = {}
    words: dict[str, set[str]] = {}
    for form in onto.surface_forms():
        if form.label == "Term" or form.kind == "lay_term" or len(form.text) < 3:
            continue
        forms.setdefault(form.label, []).append(form.text)
        for word in re.findall(r"[A-Za-z]{5,}", form.text):
            words.setdefault(form.label, set()).add(word.lower())
    return SentenceBank(templates=tuple(templates),
                        forms_by_label={k: tuple(sorted(set(v))) for k, v in sorted(forms.items())},
                        words_by_label={k: tuple(sorted(v)) for k, v in sorted(words.items())})


def swap_concepts(template: Template, rng: random.Random, bank: SentenceBank) -> str:
    """The template's text with each mention replaced by a random form of a same-label concept."""
    if not template.slots:
        return template.text
    parts, position = [], 0
    for start, end, label in template.slots:
        choices = bank.forms_by_label.get(label)
        if not choices or start < position:
            continue
        parts.append(template.text[position:start])
        parts.append(rng.choice(choices))
        position = end
    parts.append(template.text[position:])
    return "".join(parts)


def synthetic_documents(n: int, seed: int = DEFAULT_SEED, sentences: tuple[int, int] = (3, 8),
                        paragraph: int = 4) -> Iterator[Document]:
    """`n` Documents of `sentences` corpus-like sentences each, generated one at a time."""
    bank = sentence_bank()
    rng = random.Random(seed)
    templates = bank.templates
    for index in range(n):
        count = rng.randint(*sentences)
        chosen = [swap_concepts(rng.choice(templates), rng, bank) for _ in range(count)]
        paragraphs = [" ".join(chosen[i: i + paragraph]) for i in range(0, len(chosen), paragraph)]
        yield Document(id=f"MDSKG:bench/doc-{index}", title=f"Synthetic document {index}",
                       text="\n\n".join(paragraphs), source_type=SourceType.TEXT)


def synthetic_texts(n: int, seed: int = DEFAULT_SEED, **kwargs) -> Iterator[str]:
    return (d.text for d in synthetic_documents(n, seed, **kwargs))


# ---- synthetic graph ------------------------------------------------------------------------

# Share of synthetic nodes per label (roughly the shape of a literature graph: many sources,
# recommendations and criteria, fewer concepts).
LABEL_SHARES = {
    "Source": 0.30, "Recommendation": 0.12, "Criterion": 0.12, "Biomarker": 0.10, "Drug": 0.08, "Therapy": 0.06,
    "SideEffect": 0.06, "Subtype": 0.04, "PatientGroup": 0.04, "RiskCategory": 0.03, "Disease": 0.03,
    "RiskScheme": 0.01, "Term": 0.01,
}
# Share of relationship rows per type (MENTIONS and SUPPORTED_BY dominate, as in the ETL's output);
# types not listed share what is left equally.
TYPE_SHARES = {
    "MENTIONS": 0.30, "SUPPORTED_BY": 0.12, "FOR_POPULATION": 0.06, "RECOMMENDS": 0.06, "HAS_CRITERION": 0.06,
    "ABOUT": 0.05, "TREATS": 0.05, "HAS_SIDE_EFFECT": 0.05,
}
_SYLLABLES = ("ba", "ce", "di", "fo", "gu", "ha", "ki", "lo", "mu", "ne", "pa", "ri", "sa", "te", "vo", "xi", "za",
              "mab", "nib", "tor", "lin", "rax", "dex", "cyt", "gen", "ost", "ur", "el", "an", "is")


def pseudo_words(count: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _split(total: int, shares: dict[str, float]) -> dict[str, int]:
    counts = {k: max(1, int(total * v)) for k, v in shares.items()}
    largest = max(counts, key=counts.get)
    counts[largest] += total - sum(counts.values())
    return counts


def node_id(prefix: str, label: str, index: int) -> str:
    return f"MDSKG:bench/{prefix}/{label.lower()}-{index}"


def synthetic_graph(prefix: str, nodes: int, relationships: int, seed: int = DEFAULT_SEED,
                    real_word_share: float = 0.1) -> GraphRows:
    """GraphRows with `nodes` nodes and `relationships` relationship rows (one evidence each).

    Names are two pseudo-words and a number; `real_word_share` of them also carry a word of a
    real concept name of their label ("… anemia …"), so full-text searches meet realistic
    numbers of synthetic hits. A few (from, type, to) triples repeat with new evidence, as when
    two sources state the same fact; the loader merges them into one relationship.
    """
    from ontology import load_ontology

    onto = load_ontology()
    rng = random.Random(f"{seed}|{prefix}")
    bank = sentence_bank()
    vocabulary = pseudo_words(5000, rng)
    sentences = bank.sentences
    counts = _split(nodes, LABEL_SHARES)
    node_rows: dict[str, list[dict]] = {}
    sources: list[dict] = []
    for label, count in counts.items():
        real_words = bank.words_by_label.get(label) or bank.words_by_label.get("Therapy") or ("therapy",)
        rows = []
        for index in range(count):
            words = [rng.choice(vocabulary).capitalize(), rng.choice(vocabulary)]
            if rng.random() < real_word_share:
                words.insert(1, rng.choice(real_words))
            name = f"{' '.join(words)} {index}"
            row = {"id": node_id(prefix, label, index), "name": name}
            if label == "Source":
                row.update(title=name, kind="publication", year=1990 + index % 36)
                sources.append(row)
                continue
            if label == "Recommendation":
                row.update(strength=rng.choice(("recommended", "option", "may_be_considered", "not_recommended")))
            elif label == "Criterion":
                row.update(variable=rng.choice(("age", "marrow_blasts_pct", "serum_epo_mu_ml", "hemoglobin_g_dl")),
                           operator=rng.choice(("<", "<=", ">", ">=")), role=rng.choice(("required", "favours")))
            else:
                row.update(definition=rng.choice(sentences), search_text=name)
            rows.append(row)
        if rows:
            node_rows[label] = rows

    # Only relationship types whose end labels have nodes at this size (a small graph has no Study).
    types = [t for t in onto.relationship_types.values()
             if any(counts.get(a) and counts.get(b) for a, b in t.pairs)]
    rest = [t.name for t in types if t.name not in TYPE_SHARES]
    left = max(0.0, 1.0 - sum(TYPE_SHARES.values()))
    shares = {**TYPE_SHARES, **{name: left / len(rest) for name in rest}}
    type_counts = _split(relationships, shares)
    pairs = {t.name: sorted(t.pairs) for t in types}
    rel_rows: dict[str, list[dict]] = {}
    source_count = counts["Source"]
    serial = 0
    for rel_type, count in type_counts.items():
        rows = []
        options = [p for p in pairs[rel_type] if counts.get(p[0]) and counts.get(p[1])]
        for _ in range(count):
            from_label, to_label = rng.choice(options)
            from_index = rng.randrange(counts[from_label])
            to_index = rng.randrange(counts[to_label])
            if from_label == to_label and from_index == to_index:
                to_index = (to_index + 1) % counts[to_label]
            source = node_id(prefix, "Source", rng.randrange(source_count))
            start = rng.randrange(0, 50_000)
            sentence = rng.choice(sentences)
            key = hashlib.sha1(f"{prefix}|{serial}".encode()).hexdigest()[:16]
            serial += 1
            rows.append({
                "from_id": node_id(prefix, from_label, from_index), "to_id": node_id(prefix, to_label, to_index),
                "confidence": round(rng.uniform(0.5, 1.0), 3), "props": {},
                "source_id": source, "citations": [source], "sentence": sentence,
                "offset": f"{source}:{start}-{start + len(sentence)}", "extractor": EXTRACTOR, "evidence_key": key,
            })
        rel_rows[rel_type] = rows
    return GraphRows(nodes=node_rows, relationships=rel_rows, sources=sources)


def count_rows(rows: GraphRows) -> tuple[int, int]:
    nodes = sum(len(v) for v in rows.nodes.values()) + len(rows.sources)
    return nodes, sum(len(v) for v in rows.relationships.values())


def slice_rows(rows: GraphRows, relationships: int) -> GraphRows:
    """The first `relationships` rows (proportionally per type) with all nodes."""
    total = sum(len(v) for v in rows.relationships.values()) or 1
    return GraphRows(nodes=rows.nodes, sources=rows.sources,
                     relationships={t: v[: max(1, round(len(v) * relationships / total))]
                                    for t, v in rows.relationships.items()})
