"""Mention-level evaluation of the rule NER on general biomedical gold corpora.

    python -m bench.ner_eval [--limit N] [--json PATH]

* NCBI-disease test split (100 PubMed abstracts, 960 disease mentions; PubTator offsets):
  ../shared/data/ner/ncbi_disease/original/NCBItestset_corpus.txt
* BC5CDR test split (500 abstracts as 4,797 tokenised sentences, typed IOB tags):
  ../shared/data/ner/bc5cdr/iob_mtl/test.tsv — the sentence text is rebuilt by joining tokens
  with single spaces, so gold character offsets are exact for that text.
  (MDSKG_SHARED_DIR names another shared folder than ../shared.)

Two scores per corpus and type: *exact* (same character span) and *lenient* (a gold mention is
found when any prediction overlaps it; a prediction is right when it overlaps any gold mention).
Two configurations: the ontology ruler alone (what the ETL uses) and the ruler plus the generic
suffix/lexicon spotter `mdskg_generic_ner`. The ontology is MDS-specific and neither corpus has
an MDS abstract, so low recall is expected; the numbers are reported as they come out.

Label mapping: disease = Disease, Subtype, SideEffect, GENERIC_DISEASE, and Biomarker mentions
whose text is a disease word ('anemia', 'thrombocytopenia'); chemical = Drug, GENERIC_CHEMICAL.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MDSKG_SHARED_DIR", "").strip() or ROOT.parent / "shared").expanduser() / "data" / "ner"
NCBI_TEST = DATA / "ncbi_disease" / "original" / "NCBItestset_corpus.txt"
BC5CDR_TEST = DATA / "bc5cdr" / "iob_mtl" / "test.tsv"

DISEASE_LABELS = {"Disease", "Subtype", "SideEffect", "GENERIC_DISEASE"}
CHEMICAL_LABELS = {"Drug", "GENERIC_CHEMICAL"}
_DISEASE_WORD = re.compile(r"(?:emia|aemia|penia|cytosis|oma|itis|osis|pathy|plasia|syndrome|disease|failure)s?$",
                           re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    """One text with gold spans {(start, end, type)}."""

    id: str
    text: str
    gold: frozenset[tuple[int, int, str]]


# ---- corpora --------------------------------------------------------------------------------


def read_ncbi(path: Path = NCBI_TEST, limit: int | None = None) -> list[Example]:
    """PubTator: 'PMID|t|title', 'PMID|a|abstract', then 'PMID\\tstart\\tend\\tmention\\ttype\\tid'."""
    examples, title, abstract, gold, pmid = [], None, None, set(), None

    def flush():
        if pmid is not None and title is not None:
            text = title + " " + (abstract or "")
            examples.append(Example(pmid, text, frozenset(gold)))

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if "|t|" in line[:20]:
            flush()
            pmid, _, title = line.split("|", 2)
            title = title[2:] if title.startswith("t|") else title
            abstract, gold = None, set()
        elif "|a|" in line[:20]:
            abstract = line.split("|", 2)[2]
        else:
            parts = line.split("\t")
            if len(parts) >= 5:
                gold.add((int(parts[1]), int(parts[2]), "Disease"))
    flush()
    return examples[:limit] if limit else examples


def read_iob(path: Path = BC5CDR_TEST, limit: int | None = None) -> list[Example]:
    """token<TAB>tag lines, blank line between sentences; tags B-/I-Chemical, B-/I-Disease, O."""
    examples: list[Example] = []
    tokens: list[tuple[str, str]] = []

    def flush():
        if not tokens:
            return
        text, gold, position, current = "", set(), 0, None
        for token, tag in tokens:
            start = position
            text += token + " "
            position += len(token) + 1
            if tag.startswith("B-"):
                if current:
                    gold.add(current)
                current = (start, start + len(token), tag[2:])
            elif tag.startswith("I-") and current and current[2] == tag[2:]:
                current = (current[0], start + len(token), current[2])
            else:
                if current:
                    gold.add(current)
                current = None
        if current:
            gold.add(current)
        examples.append(Example(f"s{len(examples)}", text.rstrip(), frozenset(gold)))
        tokens.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            if limit and len(examples) >= limit:
                break
            continue
        parts = line.split("\t")
        if len(parts) >= 2:
            tokens.append((parts[0], parts[-1]))
    flush()
    return examples[:limit] if limit else examples


# ---- prediction and scoring -----------------------------------------------------------------


def predicted_spans(doc) -> set[tuple[int, int, str]]:
    spans = set()
    for ent in doc.ents:
        if ent.label_ in DISEASE_LABELS or (ent.label_ == "Biomarker" and _DISEASE_WORD.search(ent.text)):
            spans.add((ent.start_char, ent.end_char, "Disease"))
        elif ent.label_ in CHEMICAL_LABELS:
            spans.add((ent.start_char, ent.end_char, "Chemical"))
    return spans


def score(pairs: list[tuple[set, set]], entity_type: str) -> dict:
    """P/R/F1, exact and lenient, for one type over (gold, predicted) pairs of span sets."""
    tp = n_gold = n_pred = 0
    gold_found = pred_right = 0
    for gold, pred in pairs:
        g = {(s, e) for s, e, t in gold if t == entity_type}
        p = {(s, e) for s, e, t in pred if t == entity_type}
        n_gold += len(g)
        n_pred += len(p)
        tp += len(g & p)
        gold_found += sum(1 for gs, ge in g if any(ps < ge and gs < pe for ps, pe in p))
        pred_right += sum(1 for ps, pe in p if any(ps < ge and gs < pe for gs, ge in g))
    return {
        "gold": n_gold, "predicted": n_pred, "true_positives": tp,
        "exact": _prf(tp, n_pred, tp, n_gold),
        "lenient": _prf(pred_right, n_pred, gold_found, n_gold),
    }


def _prf(right: int, predicted: int, found: int, gold: int) -> dict:
    precision = right / predicted if predicted else 0.0
    recall = found / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def evaluate(nlp, examples: list[Example], types: list[str]) -> dict:
    pairs = [(set(ex.gold), predicted_spans(doc))
             for ex, doc in zip(examples, nlp.pipe((ex.text for ex in examples), batch_size=64), strict=True)]
    return {t: score(pairs, t) for t in types}


def run(limit: int | None = None) -> dict:
    from etl.nlp.pipeline import build_pipeline

    configs = {"ruler": build_pipeline(generic_ner=False), "ruler+generic": build_pipeline(generic_ner=True)}
    corpora = {
        "ncbi_disease": (read_ncbi(limit=limit), ["Disease"]),
        "bc5cdr": (read_iob(limit=limit * 10 if limit else None), ["Chemical", "Disease"]),
    }
    results: dict = {}
    for corpus, (examples, types) in corpora.items():
        results[corpus] = {"documents": len(examples)}
        for config, nlp in configs.items():
            started = time.perf_counter()
            scores = evaluate(nlp, examples, types)
            for entity_type, s in scores.items():
                results[corpus].setdefault(entity_type, {})[config] = s
            results[corpus].setdefault("seconds", {})[config] = round(time.perf_counter() - started, 2)
    return results


def table(results: dict) -> str:
    rows = [f"{'corpus':<13} {'type':<9} {'config':<14} {'gold':>5} {'pred':>5} "
            f"{'P':>6} {'R':>6} {'F1':>6} | {'P~':>6} {'R~':>6} {'F1~':>6}"]
    rows.append("-" * len(rows[0]))
    for corpus, data in results.items():
        for entity_type, configs in data.items():
            if entity_type in ("documents", "seconds"):
                continue
            for config, s in configs.items():
                e, le = s["exact"], s["lenient"]
                rows.append(f"{corpus:<13} {entity_type:<9} {config:<14} {s['gold']:>5} {s['predicted']:>5} "
                            f"{e['precision']:>6.3f} {e['recall']:>6.3f} {e['f1']:>6.3f} | "
                            f"{le['precision']:>6.3f} {le['recall']:>6.3f} {le['f1']:>6.3f}")
    rows.append("P/R/F1: exact span match; P~/R~/F1~: lenient (overlap) match.")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None,
                        help="first N NCBI abstracts and first 10*N BC5CDR sentences (about N abstracts)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    results = run(args.limit)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
