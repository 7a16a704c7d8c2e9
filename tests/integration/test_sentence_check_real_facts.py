"""No false alarms on the graph's own facts: every fact the service composes for the evaluation
questions, said word for word as a sentence citing only itself, passes the sentence check —
except where a fact itself uses dose or schedule wording (refused outright by design: the fact's
own wording then stands in for Claude's sentence, which is what the patient reads anyway)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from service.answer import grounding_vocabulary, prepare_answer
from service.writers.sentence_check import check_sentence, fact_profiles

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "qa" / "questions.yaml"
OUTRIGHT = {"dose", "directive"}
DUMP = open(os.environ["MDSKG_DUMP_FACTS"], "w") if os.environ.get("MDSKG_DUMP_FACTS") else None


def _questions() -> list[str]:
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    return [q["question"] for q in data["questions"]]


@pytest.mark.skipif(not QUESTIONS.exists(), reason="the QA evaluation set is not present")
def test_verbatim_facts_pass_their_own_check(loaded_graph, settings):
    vocabulary = grounding_vocabulary()
    checked, outright, alarms = 0, 0, []
    seen: set[str] = set()
    for question in _questions():
        prepared = prepare_answer(loaded_graph, question, settings, deadline_s=20.0)
        facts = prepared.writer_input.facts
        if not facts:
            continue
        profiles = fact_profiles(facts, vocabulary)
        for i, fact in enumerate(facts):
            if DUMP:
                DUMP.write(f"{question}\t{i}\t{fact.section}\t{fact.text}\n")
            if fact.text in seen:
                continue
            seen.add(fact.text)
            kind = "doctor_question" if fact.text.rstrip().endswith("?") else "statement"
            verdict = check_sentence(fact.text, kind, [profiles[i]], vocabulary, answer_facts=profiles)
            checked += 1
            if verdict.ok:
                continue
            if set(verdict.rules) <= OUTRIGHT:
                outright += 1
                continue
            alarms.append(f"{fact.text!r}: {verdict.problems}")
    print(f"\nverbatim facts checked: {checked}; refused outright (dose/directive wording): {outright}; "
          f"false alarms: {len(alarms)}")
    assert checked >= 100
    assert not alarms, "\n".join(alarms[:40])
