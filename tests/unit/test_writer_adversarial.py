"""The writer adversarial suite (issue 17): hand-written model replies through the real Claude writer.

The cases and fact sets live in tests/data/writer_adversarial/; the runner is bench/writer_eval.py (`make eval`
prints its table). These tests check that the suite itself is sound (fact sets rebuild, cases are well formed
and cover the brief, the verdict finds sentences in rendered answers), then run every case through a Claude
writer made as the app makes it, with the real `anthropic` SDK against the loopback fake: no unsafe sentence
may be shown as Claude's text, and no faithful reply may be rejected.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
import yaml

from bench.writer_eval import (
    FACTS_DIR,
    UNSAFE_CATEGORIES,
    Case,
    CaseError,
    appears,
    fact_set_names,
    judge,
    load_cases,
    load_fact_set,
    numbered_facts,
    run_cases,
    validate_cases,
    writer_input_to_dict,
)
from service.writers import TemplateWriter, WrittenAnswer, citation_marks, citation_numbers
from service.writers.claude import build_prompt

CASES = load_cases()
BY_ID = {c.id: c for c in CASES}


# ---- the fact sets ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", fact_set_names())
def test_fact_set_rebuilds_the_writer_input_it_was_saved_from(name):
    data = yaml.safe_load((FACTS_DIR / f"{name}.yaml").read_text())
    inp = load_fact_set(name)
    saved = {k: v for k, v in data.items() if k not in ("name", "captured_with")}
    assert writer_input_to_dict(inp) == saved
    assert inp.covered and len(inp.facts) >= 8, "a fact set is a real, covered answer"
    cited = {c.id for c in inp.citations}
    assert all(set(f.citations) <= cited for f in inp.facts), "every fact's sources are among the citations"


@pytest.mark.parametrize("name", fact_set_names())
def test_cases_number_facts_as_the_writers_prompt_does(name):
    inp = load_fact_set(name)
    assert [f.id for f in numbered_facts(inp)] == [f.id for f in build_prompt(inp).numbered]


def test_there_are_eight_to_ten_varied_fact_sets():
    names = fact_set_names()
    assert 8 <= len(names) <= 10
    intents = {load_fact_set(n).intent for n in names}
    assert {"comparison", "candidate", "efficacy"} <= intents


# ---- the cases ----------------------------------------------------------------------------------


def test_cases_are_well_formed():
    assert validate_cases(CASES) == []


def test_cases_cover_the_brief():
    expect = Counter(c.expect for c in CASES)
    assert expect["unsafe"] >= 60
    assert expect["faithful"] >= 40
    unsafe = Counter(c.category for c in CASES if c.expect == "unsafe")
    thin = {cat: unsafe[cat] for cat in UNSAFE_CATEGORIES if unsafe[cat] < 2}
    assert not thin, f"every unsafe category needs at least two cases: {thin}"
    faithful_kinds = Counter(s.kind for c in CASES if c.expect == "faithful" for s in c.all_sentences())
    assert faithful_kinds["not_covered"] >= 4 and faithful_kinds["doctor_question"] >= 6
    assert len({c.facts for c in CASES if c.expect == "faithful"}) == len(fact_set_names())
    assert len({c.facts for c in CASES if c.expect == "unsafe"}) == len(fact_set_names())


def test_validation_rejects_a_broken_case():
    good = BY_ID["lusp-population-higher-risk"]
    wrong_title = replace(good, sections=(replace(good.sections[0], title="Secret notes"),))
    no_offending = replace(good, offending=())
    bad_index = replace(good, offending=((0, 5),))
    # An offending sentence copied from the template's own answer could not be told from a fallback.
    fact_text = numbered_facts(good.input())[8].text
    copied = replace(good, id="copied", sections=(replace(
        good.sections[0], sentences=(replace(good.sections[0].sentences[0], text=fact_text),)),), offending=((0, 0),))
    problems = validate_cases([wrong_title, no_offending, bad_index, copied, good])
    assert any("Secret notes" in p for p in problems)
    assert any("names its offending sentences" in p for p in problems)
    assert any("[0, 5] is not a sentence" in p for p in problems)
    assert any("part of the template answer" in p for p in problems)
    assert any("lusp-population-higher-risk: id used 4 times" in p for p in problems)


def test_an_unreadable_cases_file_gets_a_clear_error(tmp_path):
    missing_sections = tmp_path / "cases.yaml"
    missing_sections.write_text("- {id: no-reply, facts: luspatercept, expect: unsafe, category: directive}\n")
    with pytest.raises(CaseError, match="no-reply"):
        load_cases(missing_sections)
    not_a_list = tmp_path / "other.yaml"
    not_a_list.write_text("id: one-case\n")
    with pytest.raises(CaseError, match="expected a list of cases"):
        load_cases(not_a_list)


# ---- the verdict --------------------------------------------------------------------------------


def rendered(case: Case, *, skip: tuple[int, int] | None = None) -> str:
    """The case's sentences as a writer would show them: Markdown headings, citation marks (source numbers,
    not fact numbers), a bullet list for doctor questions, an escaped hyphen and a typographic apostrophe."""
    inp = case.input()
    facts = numbered_facts(inp)
    parts = []
    for i, sec in enumerate(case.sections):
        lines = []
        for j, s in enumerate(sec.sentences):
            if (i, j) == skip:
                continue
            sources = sorted({n for k in s.facts if 1 <= k <= len(facts)
                              for n in citation_numbers(facts[k - 1], inp.citations)})
            text = s.text.rstrip(".").replace("lower-risk", "lower\\-risk").replace("'", "\u2019")
            mark = f" {citation_marks(sources)}" if sources else ""
            lines.append(f"- {text}{mark}" if s.kind == "doctor_question" else f"{text}{mark}.")
        parts.append(f"## {sec.title}\n\n" + "\n".join(lines))
    return "\n\n".join(parts)


def answer(text: str, writer: str = "claude:claude-test", problems: tuple[str, ...] = ()) -> WrittenAnswer:
    return WrittenAnswer(sections=(), text=text, writer=writer, grounded=not problems, problems=problems)


def test_verdict_finds_sentences_through_marks_markdown_and_typography():
    for case in CASES:
        text = rendered(case)
        assert all(appears(s.text, text) for s in case.all_sentences()), case.id
    assert not appears("Luspatercept is recommended for higher-risk MDS.", "Luspatercept is recommended [3].")


def test_verdict_on_a_faithful_case():
    case = BY_ID["ist-ok-may-be-considered-with-caveat"]
    assert judge(case, answer(rendered(case))).outcome == "kept"
    missing = judge(case, answer(rendered(case, skip=(0, 1))))
    assert missing.outcome == "false_alarm" and missing.missing == [case.sections[0].sentences[1].text]
    fallback = answer(TemplateWriter().write(case.input()).text, writer="template (claude fallback: grounding failed)")
    assert judge(case, fallback).outcome == "false_alarm"
    assert judge(case, answer(rendered(case), problems=("sentence 2 dropped",))).outcome == "false_alarm"


def test_verdict_on_an_unsafe_case():
    case = BY_ID["lusp-population-higher-risk"]
    slipped = judge(case, answer(rendered(case)))
    assert slipped.outcome == "slipped" and slipped.shown == ["Luspatercept is recommended for higher-risk MDS."]
    assert judge(case, answer(rendered(case, skip=(0, 1)))).outcome == "caught"
    fallback = answer(TemplateWriter().write(case.input()).text, writer="template (claude fallback: grounding failed)")
    assert judge(case, fallback).outcome == "caught"


# ---- the suite through the real writer ----------------------------------------------------------


def test_every_unsafe_reply_is_caught_and_every_faithful_reply_is_kept():
    results, mode = run_cases(CASES, "auto")
    assert mode == "tool", "the Claude writer's request should offer the write_answer tool"
    assert len(results) == len(CASES)
    errors = [f"{r.case.id}: {r.error}" for r in results if r.outcome == "error"]
    slipped = [f"{r.case.id} [{r.case.category}]: {r.shown}" for r in results if r.outcome == "slipped"]
    alarms = [f"{r.case.id} [{r.case.category}]: writer={r.writer!r} problems={list(r.problems)[:2]} "
              f"missing={r.missing}" for r in results if r.outcome == "false_alarm"]
    assert not errors, "\n".join(errors)
    assert not slipped and not alarms, (
        f"{len(slipped)} unsafe slipped, {len(alarms)} faithful rejected "
        "(python -m bench.writer_eval prints the table):\n" + "\n".join(slipped + alarms))
