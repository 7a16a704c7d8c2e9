"""Extraction speed: the MDS NLP pipeline and the rule extractor against a bare PhraseMatcher.

Figures (all on the same synthetic text, bench/synthetic.py):

* words/second of `build_pipeline()` via `nlp.pipe`, of `RuleExtractor.extract` per document,
  and of a bare `PhraseMatcher(attr="LOWER")` on `spacy.blank("en")` holding every ontology
  surface form — the floor any dictionary NER pays (tokenising + matching). The ratios say how
  much of that speed the full pipeline keeps (target >= 60%).
* documents/second and RSS at start/middle/end while 10k and 100k generated documents stream
  through `nlp.pipe(generator, batch_size=64)` (n_process=1): flat RSS means nothing accumulates.
  The 100k stream has a time budget; when it runs out the figure says how far it got and the
  projected full time, instead of pretending.
* where the pipeline's time goes (per component, and pyinstrument's hottest frames).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bench.common import Report, RssSampler, Stopwatch, log, rss_mb
from bench.synthetic import DEFAULT_SEED, synthetic_documents

SECTION = "extraction"
BATCH_SIZE = 64
SENTENCES = (2, 6)  # sentences per synthetic document (abstract-sized snippets, ~110 words)


def _words(text: str) -> int:
    return len(text.split())


def phrase_matcher():
    """spaCy's bare PhraseMatcher on a blank English pipeline with every ontology surface form."""
    import spacy
    from spacy.matcher import PhraseMatcher

    from ontology import load_ontology

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    forms = sorted({f.text for f in load_ontology().surface_forms() if f.text.strip()})
    matcher.add("ONTOLOGY", list(nlp.tokenizer.pipe(forms)))
    return nlp, matcher, len(forms)


def _time_phrase_matcher(nlp, matcher, texts: list[str]) -> tuple[float, int]:
    found = 0
    with Stopwatch() as sw:
        for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
            found += len(matcher(doc))
    return sw.seconds, found


def _time_pipeline(nlp, texts: list[str]) -> tuple[float, int]:
    found = 0
    with Stopwatch() as sw:
        for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
            found += len(doc.ents)
    return sw.seconds, found


def _time_extractor(extractor, documents: list) -> tuple[float, int]:
    found = 0
    with Stopwatch() as sw:
        for document in documents:
            extraction = extractor.extract(document)
            found += len(extraction.mentions) + len(extraction.relations) + len(extraction.recommendations)
    return sw.seconds, found


def component_seconds(nlp, texts: list[str]) -> dict[str, float]:
    """Seconds per pipeline component over `texts` (the tokenizer under 'tokenizer')."""
    docs = [nlp.make_doc(t) for t in texts[:]]
    with Stopwatch() as sw:
        [nlp.make_doc(t) for t in texts]
    out = {"tokenizer": sw.seconds}
    for name, component in nlp.pipeline:
        with Stopwatch() as sw:
            docs = [component(doc) for doc in docs]
        out[name] = sw.seconds
    return out


def hotspots(nlp, texts: list[str], top: int = 8) -> list[dict[str, Any]]:
    """pyinstrument's hottest frames of our own code (file:line) while the pipeline runs."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    profiler.stop()
    return top_frames(profiler, top, own_code=("etl/", "service/", "graph/"))


def top_frames(profiler, top: int, own_code: tuple[str, ...]) -> list[dict[str, Any]]:
    """Time per function of our own code (file:line), largest first: each sample is charged to
    the nearest frame of our code above it, so library time counts for the caller that asked."""
    session = profiler.last_session
    root = session.root_frame() if session else None
    if root is None:
        return []
    totals: dict[tuple[str, str], float] = {}

    def ours(frame) -> bool:
        path = frame.file_path or ""
        return any(f"/{part}" in path for part in own_code) and "/site-packages/" not in path

    def visit(frame, owner) -> None:
        if ours(frame):
            owner = (frame.function or "?", f"{frame.file_path_short or frame.file_path}:{frame.line_no}")
        own_time = frame.time - sum(child.time for child in frame.children)
        if owner is not None and own_time > 0:
            totals[owner] = totals.get(owner, 0.0) + own_time
        for child in frame.children:
            visit(child, owner)

    visit(root, None)
    total = root.time or 1.0
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:top]
    return [{"function": fn, "where": where, "seconds": round(sec, 3), "share": round(sec / total, 3)}
            for (fn, where), sec in ranked]


class _Counting:
    """Wraps a text generator: counts texts and words as nlp.pipe pulls them."""

    def __init__(self, texts: Iterable[str]):
        self.texts = iter(texts)
        self.count = 0
        self.words = 0

    def __iter__(self) -> Iterator[str]:
        for text in self.texts:
            self.count += 1
            self.words += _words(text)
            yield text


def stream(nlp, n: int, budget_s: float, views: tuple[int, ...], seed: int = DEFAULT_SEED) -> dict[str, dict[str, Any]]:
    """Stream up to `n` generated documents through nlp.pipe in one pass, within `budget_s`.

    Returns one result per view size (e.g. 10k and 100k): documents/s over the first `size`
    documents, RSS at 0, size/2 and size documents (or at half and end of what the budget allowed).
    """
    source = _Counting(d.text for d in synthetic_documents(n, seed, sentences=SENTENCES))
    marks = sorted({m for size in views for m in (max(1, size // 2), size)})
    at: dict[int, tuple[float, float, int, int]] = {}  # docs -> (seconds, rss, words pulled, entities)
    start_rss = rss_mb()
    curve: list[tuple[int, float]] = []
    done = entities = 0
    stopped_early = False
    curve_step = max(1, n // 50)
    check_step = max(1, min(500, n // 20))
    with RssSampler() as sampler, Stopwatch() as sw:
        for doc in nlp.pipe(source, batch_size=BATCH_SIZE):
            done += 1
            entities += len(doc.ents)
            if done in marks:
                at[done] = (time.perf_counter() - sw.start, rss_mb(), source.words, entities)
            if done % curve_step == 0:
                curve.append((done, round(rss_mb(), 1)))
            if done % check_step == 0 and done < n and time.perf_counter() - sw.start > budget_s:
                stopped_early = True
                break
    end_rss = rss_mb()
    out: dict[str, dict[str, Any]] = {}
    for size in views:
        complete = done >= size
        last = size if complete else done
        seconds, rss_last, words, ents = at.get(last, (sw.seconds, end_rss, source.words, entities))
        middle = max(1, last // 2)
        rss_middle = at[middle][1] if middle in at else min(curve, key=lambda c: abs(c[0] - middle), default=(0, end_rss))[1]
        docs_per_s = last / seconds if seconds else float("nan")
        out[str(size)] = {
            "documents_requested": size, "documents_done": last, "complete": complete,
            "seconds": seconds, "docs_per_s": docs_per_s, "words": words, "words_per_s": words / seconds,
            "entities": ents, "budget_s": budget_s,
            "rss_mb": {"start": round(start_rss, 1), "middle": round(rss_middle, 1), "end": round(rss_last, 1)},
            "rss_growth_mb": round(rss_last - start_rss, 1), "peak_rss_mb": round(sampler.peak_mb, 1),
            "projected_full_seconds": size / docs_per_s if docs_per_s else None,
            "rss_curve": [c for c in curve if c[0] <= last],
        }
    out[str(max(views))]["stopped_by_budget"] = stopped_early
    return out


def run(report: Report, smoke: bool = False, stream_sizes: tuple[int, ...] = (10_000, 100_000),
        stream_budget_s: float | Callable[[], float] = 240.0, sample_docs: int = 600, repeats: int = 3) -> dict:
    """`stream_budget_s` may be a function called when the stream starts (the run's remaining budget)."""
    from etl.extract import RuleExtractor
    from etl.nlp.pipeline import build_pipeline

    if smoke:
        stream_sizes, stream_budget_s, sample_docs, repeats = (40, 80), 20.0, 20, 1
    details: dict[str, Any] = {"batch_size": BATCH_SIZE, "n_process": 1, "sentences_per_doc": SENTENCES}
    log("extraction: building pipelines and the synthetic sample")
    with RssSampler() as build_rss:
        nlp = build_pipeline()
        blank, matcher, forms = phrase_matcher()
        extractor = RuleExtractor(nlp=nlp)
        documents = list(synthetic_documents(sample_docs, DEFAULT_SEED + 1, sentences=SENTENCES))
    texts = [d.text for d in documents]
    words = sum(_words(t) for t in texts)
    details.update(sample_documents=len(documents), sample_words=words, surface_forms=forms,
                   pipeline=list(nlp.pipe_names))

    # warm up every path once (lazy init, caches), then best of `repeats`, interleaved
    _time_phrase_matcher(blank, matcher, texts[:20])
    _time_pipeline(nlp, texts[:20])
    _time_extractor(extractor, documents[:5])
    best = {"phrase_matcher": float("inf"), "pipeline": float("inf"), "extractor": float("inf")}
    found: dict[str, int] = {}
    log(f"extraction: {len(documents)} documents, {words:,} words, best of {repeats}")
    with RssSampler() as sample_rss:
        for _ in range(repeats):
            for name, fn, arg in (("phrase_matcher", lambda t: _time_phrase_matcher(blank, matcher, t), texts),
                                  ("pipeline", lambda t: _time_pipeline(nlp, t), texts),
                                  ("extractor", lambda d: _time_extractor(extractor, d), documents)):
                seconds, count = fn(arg)
                best[name] = min(best[name], seconds)
                found[name] = count
    wps = {name: words / seconds for name, seconds in best.items()}
    details.update(words_per_s=wps, found=found, seconds=best)
    details["pipeline_ratio"] = wps["pipeline"] / wps["phrase_matcher"]
    details["extractor_ratio"] = wps["extractor"] / wps["phrase_matcher"]
    details["docs_per_s"] = {"pipeline": len(texts) / best["pipeline"], "extractor": len(documents) / best["extractor"]}

    report.add(SECTION, "PhraseMatcher (blank en, all surface forms)", wps["phrase_matcher"], "words/s")
    report.add(SECTION, "NLP pipeline build_pipeline() via nlp.pipe", wps["pipeline"], "words/s")
    report.add(SECTION, "RuleExtractor.extract (pipeline + relation rules)", wps["extractor"], "words/s")
    report.add(SECTION, "pipeline speed / PhraseMatcher speed", round(100 * details["pipeline_ratio"], 1), "%",
               ">= 60%", lambda v: v >= 60)
    report.add(SECTION, "RuleExtractor speed / PhraseMatcher speed", round(100 * details["extractor_ratio"], 1), "%",
               ">= 60%", lambda v: v >= 60)
    report.add(SECTION, "documents/s, pipeline (sample)", details["docs_per_s"]["pipeline"], "docs/s")
    report.add(SECTION, "documents/s, RuleExtractor (sample)", details["docs_per_s"]["extractor"], "docs/s")

    log("extraction: where the pipeline's time goes")
    details["component_seconds"] = component_seconds(nlp, texts[: min(len(texts), 300)])
    details["hotspots"] = hotspots(nlp, texts[: min(len(texts), 200)])

    budget = stream_budget_s() if callable(stream_budget_s) else stream_budget_s
    n = max(stream_sizes)
    log(f"extraction: streaming up to {n:,} generated documents in one pass (budget {budget:.0f}s; "
        f"figures at {', '.join(f'{v:,}' for v in stream_sizes)})")
    details["streams"] = stream(nlp, n, budget, tuple(stream_sizes))
    for size in stream_sizes:
        result = details["streams"][str(size)]
        label = f"{size // 1000}k" if size >= 1000 else str(size)
        note = "" if result["complete"] else (
            f"time budget {budget:.0f}s: {result['documents_done']:,} of {size:,} done, "
            f"whole stream ~{result['projected_full_seconds']:.0f}s")
        report.add(SECTION, f"stream {label} docs: documents/s", result["docs_per_s"], "docs/s", note=note)
        report.add(SECTION, f"stream {label} docs: words/s", result["words_per_s"], "words/s")
        rss = result["rss_mb"]
        report.add(SECTION, f"stream {label} docs: RSS start/middle/end",
                   f"{rss['start']:.0f}/{rss['middle']:.0f}/{rss['end']:.0f}", "MB",
                   "flat (end - start < 50 MB)", lambda _v, r=result: r["rss_growth_mb"] < 50,
                   note="" if result["complete"] else f"at 0/{result['documents_done'] // 2:,}/{result['documents_done']:,} docs")
    details["peak_rss_mb"] = round(max(build_rss.peak_mb, sample_rss.peak_mb,
                                       *(s["peak_rss_mb"] for s in details["streams"].values())), 1)
    report.add(SECTION, "peak RSS of the extraction process", details["peak_rss_mb"], "MB")
    return details
