"""The question-answering table: every question of tests/data/qa/questions.yaml asked over GraphQL `ask`
against a real Neo4j loaded with the ontology and the bundled corpus, scored against expectations written
from the public sources (not from the service's answers).

    python -m bench.qa_eval [--json PATH] [--limit N] [--intent NAME] [--scope text|all]

Starts its own Neo4j (bench home, free ports), loads the ontology concepts and the corpus
(`run_etl([CORPUS_DIR], ..., force=True)`), serves the app in process through Flask's test client and
prints: must-mention coverage by intent and overall, must-not violations (listed), intent accuracy (raw and
through INTENT_MAP), the direct yes/no check, mean Flesch-Kincaid grade of the answers and latency.
Always exits 0 once the run completes: it is a measurement, not a gate.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench import qa_scoring as qs

# Names the service may give an intent -> our label (tests/data/qa/questions.yaml). Our own labels map to
# themselves implicitly; keys are compared after lower-casing and turning spaces/hyphens into "_".
INTENT_MAP: dict[str, str] = {
    # definition
    "what_is": "definition", "define": "definition", "overview": "definition", "explain": "definition",
    "general": "definition", "about": "definition", "disease_info": "definition",
    # mechanism
    "how_it_works": "mechanism", "mechanism_of_action": "mechanism", "moa": "mechanism", "how_does_it_work": "mechanism",
    # efficacy
    "does_it_work": "efficacy", "effectiveness": "efficacy", "response": "efficacy", "response_rate": "efficacy",
    "outcomes": "efficacy", "benefit": "efficacy",
    # candidate
    "eligibility": "candidate", "eligible": "candidate", "am_i_a_candidate": "candidate", "suitability": "candidate",
    "patient_fit": "candidate", "treatment_plan": "candidate", "recommendation": "candidate",
    # side effects
    "side_effect": "side_effects", "adverse_effects": "side_effects", "adverse_events": "side_effects",
    "toxicity": "side_effects", "safety": "side_effects", "risks": "side_effects",
    # alternatives
    "options": "alternatives", "treatment_options": "alternatives", "other_options": "alternatives",
    "alternative": "alternatives", "therapy_options": "alternatives", "treatments": "alternatives",
    # next after failure
    "after_failure": "next_after_failure", "relapsed_refractory": "next_after_failure", "second_line": "next_after_failure",
    "next_line": "next_after_failure", "failure": "next_after_failure", "next_steps": "next_after_failure",
    "what_next": "next_after_failure",
    # risk scores
    "risk": "risk_interpret", "risk_score": "risk_interpret", "interpret_score": "risk_interpret",
    "score_interpretation": "risk_interpret", "risk_interpretation": "risk_interpret", "ipss": "risk_interpret",
    "risk_calculation": "risk_compute", "compute_risk": "risk_compute", "calculate": "risk_compute",
    "score": "risk_compute", "ipss_r": "risk_compute", "score_compute": "risk_compute", "risk_calc": "risk_compute",
    # prognosis
    "outlook": "prognosis", "survival": "prognosis", "life_expectancy": "prognosis", "progression": "prognosis",
    # trials
    "trial": "trial_result", "trials": "trial_result", "trial_results": "trial_result", "study_result": "trial_result",
    "study": "trial_result", "clinical_trial": "trial_result", "evidence": "trial_result",
    # comparison
    "compare": "comparison", "versus": "comparison", "vs": "comparison", "difference": "comparison",
    # treat or watch
    "watch_and_wait": "treat_or_watch", "when_to_treat": "treat_or_watch", "timing": "treat_or_watch",
    "watchful_waiting": "treat_or_watch", "treatment_timing": "treat_or_watch", "observation": "treat_or_watch",
    # administration
    "how_given": "administration", "dosing": "administration", "schedule": "administration", "route": "administration",
    "how_to_take": "administration", "administration_schedule": "administration",
    # symptoms / causes
    "symptom": "symptoms", "signs": "symptoms", "signs_and_symptoms": "symptoms",
    "cause": "causes", "risk_factors": "causes", "etiology": "causes", "aetiology": "causes",
    # off topic
    "out_of_scope": "off_topic", "other_disease": "off_topic", "not_mds": "off_topic", "unrelated": "off_topic",
    "uncovered": "off_topic", "unknown": "off_topic", "none": "off_topic", "other": "off_topic",
    "not_covered": "off_topic", "offtopic": "off_topic",
}
INTENT_MAP = {qs.normalize_intent(key): value for key, value in INTENT_MAP.items()}

ASK = """
query Ask($q: String!) {
  ask(question: $q) {
    intent covered text
    sections { title body }
    citations { id }
    facts { id }
  }
}"""


# ---- asking ---------------------------------------------------------------------------------

def ask(client, question: str) -> tuple[dict[str, Any] | None, str | None, float]:
    """(answer, error, seconds) for one question through the Flask test client."""
    started = time.perf_counter()
    try:
        response = client.post("/graphql", json={"query": ASK, "variables": {"q": question}})
        seconds = time.perf_counter() - started
        body = response.get_json(silent=True) or {}
    except Exception as exc:  # noqa: BLE001 - one failing question must not stop the table
        return None, f"{type(exc).__name__}: {exc}", time.perf_counter() - started
    if response.status_code != 200 or body.get("errors") or not (body.get("data") or {}).get("ask"):
        detail = body.get("errors") or response.get_data(as_text=True)[:300]
        return (body.get("data") or {}).get("ask"), f"HTTP {response.status_code}: {detail}", seconds
    return body["data"]["ask"], None, seconds


def answer_text(answer: dict[str, Any] | None, scope: str) -> str:
    if not answer:
        return ""
    text = answer.get("text") or ""
    if scope == "all":
        parts = [text] + [f"{s.get('title') or ''}\n{s.get('body') or ''}" for s in answer.get("sections") or []]
        text = "\n".join(parts)
    return text


def fk_grade(text: str) -> float | None:
    import textstat

    if len(text.split()) < 5:
        return None
    return float(textstat.flesch_kincaid_grade(text))


# ---- scoring --------------------------------------------------------------------------------

def score_question(question: dict[str, Any], answer: dict[str, Any] | None, error: str | None, seconds: float,
                   aliases: dict[str, list[str]], scope: str) -> dict[str, Any]:
    text = answer_text(answer, scope)
    cov = qs.coverage(question["must_mention"], text, aliases)
    bad = qs.violations(question["must_not"], text, aliases)
    bad_raw = qs.violations(question["must_not"], text, aliases, negation_aware=False)
    predicted = (answer or {}).get("intent")
    raw, mapped = qs.intent_matches(predicted, question["intent"], INTENT_MAP)
    direct_got = qs.direct_answer(text) if question.get("direct") else None
    return {
        "id": question["id"], "intent": question["intent"], "question": question["question"],
        "predicted_intent": predicted, "intent_raw": raw, "intent_mapped": mapped,
        "covered": (answer or {}).get("covered"),
        "coverage": cov.fraction, "hits": [{"item": h.item, "alias": h.alias} for h in cov.hits],
        "missed": cov.missed, "n_items": cov.total,
        "violations": [{"item": v.item, "alias": v.alias, "snippet": v.snippet} for v in bad],
        "violations_ignoring_negation": len(bad_raw),
        "direct_expected": question.get("direct"), "direct_got": direct_got,
        "fk_grade": fk_grade(text) if text else None,
        "ms": seconds * 1000, "error": error, "text": text,
    }


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    from bench.common import percentile

    by_intent: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["intent"]].append(row)
    for intent in [i for i in qs.INTENTS if i in groups] + sorted(set(groups) - set(qs.INTENTS)):
        group = groups[intent]
        items = sum(r["n_items"] for r in group)
        hits = sum(len(r["hits"]) for r in group)
        by_intent[intent] = {
            "n": len(group), "items": items, "hits": hits,
            "coverage_micro": hits / items if items else None,
            "coverage_macro": qs.mean(r["coverage"] for r in group),
            "intent_raw": sum(r["intent_raw"] for r in group) / len(group),
            "intent_mapped": sum(r["intent_mapped"] for r in group) / len(group),
            "violations": sum(len(r["violations"]) for r in group),
            "errors": sum(1 for r in group if r["error"]),
            "fk_grade": qs.mean(r["fk_grade"] for r in group),
        }
    items = sum(r["n_items"] for r in rows)
    hits = sum(len(r["hits"]) for r in rows)
    direct_rows = [r for r in rows if r["direct_expected"]]
    off = [r for r in rows if r["intent"] == "off_topic"]
    ms = [r["ms"] for r in rows]
    predicted = defaultdict(int)
    for r in rows:
        predicted[str(r["predicted_intent"])] += 1
    return {
        "questions": len(rows),
        "errors": sum(1 for r in rows if r["error"]),
        "coverage_micro": hits / items if items else None,
        "coverage_macro": qs.mean(r["coverage"] for r in rows),
        "items": items, "hits": hits,
        "violations": sum(len(r["violations"]) for r in rows),
        "violations_ignoring_negation": sum(r["violations_ignoring_negation"] for r in rows),
        "questions_with_violation": sum(1 for r in rows if r["violations"]),
        "intent_raw": sum(r["intent_raw"] for r in rows) / len(rows) if rows else None,
        "intent_mapped": sum(r["intent_mapped"] for r in rows) / len(rows) if rows else None,
        "direct_n": len(direct_rows),
        "direct_agree": sum(1 for r in direct_rows if r["direct_got"] == r["direct_expected"]),
        "direct_stated": sum(1 for r in direct_rows if r["direct_got"]),
        "off_topic_not_covered": sum(1 for r in off if r["covered"] is False),
        "off_topic_n": len(off),
        "fk_grade_mean": qs.mean(r["fk_grade"] for r in rows),
        "latency_p50_ms": percentile(ms, 50) if ms else None,
        "latency_p95_ms": percentile(ms, 95) if ms else None,
        "latency_max_ms": max(ms) if ms else None,
        "predicted_intents": dict(sorted(predicted.items(), key=lambda kv: -kv[1])),
        "by_intent": by_intent,
    }


# ---- printing -------------------------------------------------------------------------------

def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:5.1f}%"


def _num(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def table(summary: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    lines = []
    header = f"{'intent':<20} {'n':>4} {'items':>6} {'coverage':>9} {'per-q':>7} {'intent raw':>10} {'mapped':>7} " \
             f"{'viol':>5} {'err':>4} {'FK':>5}"
    lines.append(header)
    lines.append("-" * len(header))
    for intent, s in summary["by_intent"].items():
        lines.append(f"{intent:<20} {s['n']:>4} {s['items']:>6} {_pct(s['coverage_micro']):>9} "
                     f"{_pct(s['coverage_macro']):>7} {_pct(s['intent_raw']):>10} {_pct(s['intent_mapped']):>7} "
                     f"{s['violations']:>5} {s['errors']:>4} {_num(s['fk_grade']):>5}")
    lines.append("-" * len(header))
    lines.append(f"{'all':<20} {summary['questions']:>4} {summary['items']:>6} {_pct(summary['coverage_micro']):>9} "
                 f"{_pct(summary['coverage_macro']):>7} {_pct(summary['intent_raw']):>10} "
                 f"{_pct(summary['intent_mapped']):>7} {summary['violations']:>5} {summary['errors']:>4} "
                 f"{_num(summary['fk_grade_mean']):>5}")
    lines.append("")
    lines.append(f"overall must-mention coverage: {_pct(summary['coverage_micro'])} of items "
                 f"({summary['hits']}/{summary['items']}); mean per question {_pct(summary['coverage_macro'])}")
    lines.append(f"must-not violations: {summary['violations']} in {summary['questions_with_violation']} questions "
                 f"({summary['violations_ignoring_negation']} if negated mentions counted too)")
    for row in rows:
        for v in row["violations"]:
            lines.append(f"  {row['id']} [{row['intent']}] {v['item']!r} via {v['alias'][:40]!r}: {v['snippet']}")
    lines.append(f"intent accuracy: raw {_pct(summary['intent_raw'])}, through INTENT_MAP "
                 f"{_pct(summary['intent_mapped'])}; service intents seen: "
                 + ", ".join(f"{k}={v}" for k, v in list(summary["predicted_intents"].items())[:12]))
    lines.append(f"direct yes/no/depends: {summary['direct_agree']}/{summary['direct_n']} agree, "
                 f"{summary['direct_stated']}/{summary['direct_n']} open with a direct answer")
    lines.append(f"off-topic answered covered=false: {summary['off_topic_not_covered']}/{summary['off_topic_n']}")
    lines.append(f"mean Flesch-Kincaid grade: {_num(summary['fk_grade_mean'])}")
    lines.append(f"latency per question: median {_num(summary['latency_p50_ms'], 0)} ms, "
                 f"p95 {_num(summary['latency_p95_ms'], 0)} ms, max {_num(summary['latency_max_ms'], 0)} ms")
    if summary["errors"]:
        lines.append(f"errors: {summary['errors']}")
        for row in rows:
            if row["error"]:
                lines.append(f"  {row['id']}: {str(row['error'])[:200]}")
    return "\n".join(lines)


# ---- main -----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write per-question results and the summary as JSON")
    parser.add_argument("--limit", type=int, help="ask only the first N questions")
    parser.add_argument("--intent", action="append", help="only questions with this labelled intent (repeatable)")
    parser.add_argument("--scope", choices=("text", "all"), default="text",
                        help="score the answer `text` (default) or text plus section bodies")
    args = parser.parse_args(argv)

    questions = qs.load_questions()
    aliases = qs.load_aliases()
    for problem in qs.validate(questions, aliases):
        print(f"warning: {problem}", file=sys.stderr)
    if args.intent:
        questions = [q for q in questions if q["intent"] in set(args.intent)]
    if args.limit is not None:
        questions = questions[: max(0, args.limit)]

    from bench.common import BenchServer
    from etl.run import CORPUS_DIR, load_ontology_concepts, run_etl
    from graph.db import Graph
    from graph.schema import init_schema
    from service.app import create_app

    rows: list[dict[str, Any]] = []
    with BenchServer(log=lambda m: print(m, file=sys.stderr)) as server:
        graph = Graph.connect(server.settings)
        try:
            init_schema(graph)
            load_ontology_concepts(graph)
            print("loading the bundled corpus (run_etl)...", file=sys.stderr)
            run_etl([CORPUS_DIR], graph, server.settings, force=True)
            app = create_app({"SETTINGS": server.settings.with_overrides(response_cache_entries=0), "GRAPH": graph,
                              "TESTING": True})
            client = app.test_client()
            ask(client, "What is MDS?")  # warm-up (first-request setup is not a question's latency)
            for index, question in enumerate(questions, 1):
                answer, error, seconds = ask(client, question["question"])
                rows.append(score_question(question, answer, error, seconds, aliases, args.scope))
                if index % 25 == 0:
                    print(f"  {index}/{len(questions)} asked", file=sys.stderr)
        finally:
            graph.close()

    summary = summarize(rows)
    print(table(summary, rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "questions": rows}, indent=2, ensure_ascii=False),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
