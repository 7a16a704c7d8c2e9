"""Pure scoring of the QA evaluation (bench/qa_scoring.py) and the consistency of its data set
(tests/data/qa/). No Neo4j, no service."""

from __future__ import annotations

import collections

import pytest
import yaml

from bench import qa_scoring as qs

ALIASES = {
    "luspatercept": ["luspatercept", "Reblozyl", "luspatercept-aamt"],
    "transfusion independence": ["transfusion independence", "no longer needed transfusions", "transfusion-free"],
    "watch and wait": ["watchful waiting", "observation", "watch and wait", "monitor*"],
    "38%": ["38%"],
    "5%": ["5%"],
    "3.5": ["3.5"],
    "AML": ["AML", "acute myeloid leukemia"],
    "immune system": ["immunosuppress*", "T cell*"],
    "IPSS-R high": ["IPSS-R high", r"re:(?<!very )(?<!very-)\bhigh[\s-]+(?:risk|category|group)\b"],
    "not MDS": ["not MDS", "our sources cover MDS", "different disease"],
    "drug cures MDS": [r"re:\b(?:azacitidine|luspatercept)\b(?:(?!\b(?:but|only|transplant\w*)\b)[^.;]){0,40}?\b(?:cures?|curative)\b"],
    "cure": ["cure"],
    "MDS is not a cancer": ["MDS is not a cancer"],
    "dose in mg": [r"re:\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg)\b", "mg/kg"],
}


# ---- alias matching ---------------------------------------------------------------------------

def test_item_matches_itself_and_its_aliases_case_insensitively():
    assert qs.mentions("luspatercept", "LUSPATERCEPT helps anemia", ALIASES)
    assert qs.mentions("luspatercept", "Reblozyl is given every 3 weeks", ALIASES)
    assert qs.mentions("luspatercept", "luspatercept-aamt", ALIASES)
    assert not qs.mentions("luspatercept", "imetelstat is given monthly", ALIASES)


def test_item_without_alias_entry_matches_its_own_text():
    assert qs.mentions("ring sideroblasts", "MDS with ring sideroblasts", {})
    assert not qs.mentions("ring sideroblasts", "sideroblastic anemia", {})


def test_spaces_and_hyphens_are_interchangeable():
    assert qs.mentions("transfusion independence", "reached transfusion-independence for 8 weeks", ALIASES)
    assert qs.mentions("transfusion independence", "patients were transfusion  free", ALIASES)
    assert qs.mentions("watch and wait", "a watch-and-wait approach", ALIASES)


def test_unicode_dashes_and_spaces_are_normalised():
    assert qs.mentions("transfusion independence", "transfusion\u2013independence", ALIASES)
    assert qs.mentions("38%", "38\u00a0% of patients", ALIASES)


def test_word_boundaries_prevent_partial_words():
    assert not qs.mentions("AML", "Hamlet is a play", ALIASES)
    assert qs.mentions("AML", "progression to AML.", ALIASES)
    assert qs.mentions("AML", "AML-like disease", ALIASES)


def test_plural_of_alias_ending_in_a_letter_counts():
    assert qs.mentions("cure", "no cures are known", ALIASES)
    assert not qs.mentions("cure", "secure the line", ALIASES)


def test_trailing_star_is_a_prefix():
    assert qs.mentions("immune system", "immunosuppressive therapy", ALIASES)
    assert qs.mentions("immune system", "T cells attack the marrow", ALIASES)
    assert qs.mentions("watch and wait", "regular monitoring of counts", ALIASES)


def test_numbers_do_not_match_inside_other_numbers():
    assert qs.mentions("5%", "5% blasts", ALIASES)
    assert not qs.mentions("5%", "15% blasts", ALIASES)
    assert not qs.mentions("5%", "0.5% of cells", ALIASES)
    assert qs.mentions("3.5", "a score above 3.5 is higher risk", ALIASES)
    assert not qs.mentions("3.5", "a score of 13.5", ALIASES)
    assert not qs.mentions("3.5", "a score of 3.55", ALIASES)
    assert qs.mentions("3.5", "split at 3.5.", ALIASES)


def test_percentages_match_spelled_out_variants():
    for text in ("38% of patients", "38 % of patients", "38 percent of patients", "38 per cent"):
        assert qs.mentions("38%", text, ALIASES), text
    assert not qs.mentions("38%", "138% of baseline", ALIASES)
    assert not qs.mentions("38%", "38 patients", ALIASES)


def test_regex_aliases():
    assert qs.mentions("IPSS-R high", "This places you in the high-risk category.", ALIASES)
    assert qs.mentions("IPSS-R high", "IPSS-R high (score 5.5)", ALIASES)
    assert not qs.mentions("IPSS-R high", "This places you in the very high risk category.", ALIASES)
    assert not qs.mentions("IPSS-R high", "higher-risk disease", ALIASES)


def test_find_item_reports_alias_and_snippet():
    hit = qs.find_item("luspatercept", "Many patients on Reblozyl improved.", ALIASES)
    assert hit is not None and hit.alias == "Reblozyl" and "Reblozyl" in hit.snippet


# ---- coverage ---------------------------------------------------------------------------------

def test_coverage_counts_hits_and_misses():
    text = "Luspatercept (Reblozyl) led to transfusion independence in 38% of patients in MEDALIST."
    cov = qs.coverage(["luspatercept", "transfusion independence", "38%", "13%"], text, ALIASES)
    assert [h.item for h in cov.hits] == ["luspatercept", "transfusion independence", "38%"]
    assert cov.missed == ["13%"]
    assert cov.total == 4 and cov.fraction == pytest.approx(0.75)


def test_coverage_of_empty_list_is_undefined():
    assert qs.coverage([], "anything", ALIASES).fraction is None


def test_coverage_of_empty_answer_is_zero():
    assert qs.coverage(["luspatercept"], "", ALIASES).fraction == 0


# ---- violations -------------------------------------------------------------------------------

def test_violation_found_and_reported():
    found = qs.violations(["drug cures MDS"], "Azacitidine cures MDS in most people.", ALIASES)
    assert len(found) == 1 and found[0].item == "drug cures MDS" and "cures" in found[0].snippet


def test_negated_statement_is_not_a_violation():
    for text in ("Azacitidine does not cure MDS.", "Luspatercept is not curative.",
                 "No, luspatercept cannot cure the disease.", "It is not true that azacitidine cures MDS."):
        assert qs.violations(["drug cures MDS"], text, ALIASES) == [], text


def test_negation_does_not_cross_sentences():
    text = "This is not a transfusion. Luspatercept cures MDS."
    assert len(qs.violations(["drug cures MDS"], text, ALIASES)) == 1


def test_negation_aware_can_be_switched_off():
    assert len(qs.violations(["drug cures MDS"], "Azacitidine does not cure MDS.", ALIASES,
                             negation_aware=False)) == 1


def test_contrast_with_transplant_is_not_a_violation():
    text = "Azacitidine helps, but only a transplant is curative."
    assert qs.violations(["drug cures MDS"], text, ALIASES) == []


def test_alias_that_carries_its_own_negation_still_counts():
    assert len(qs.violations(["MDS is not a cancer"], "Honestly, MDS is not a cancer.", ALIASES)) == 1
    assert qs.violations(["MDS is not a cancer"], "MDS is a cancer of the marrow.", ALIASES) == []


def test_dose_pattern():
    assert len(qs.violations(["dose in mg"], "Take 10 mg a day on days 1-21.", ALIASES)) == 1
    assert len(qs.violations(["dose in mg"], "Given at 1.0 mg/kg every 3 weeks.", ALIASES)) == 1
    assert len(qs.violations(["dose in mg"], "75 µg weekly", ALIASES)) == 1
    assert qs.violations(["dose in mg"], "An injection under the skin every 3 weeks; Hb 9 g/dL.", ALIASES) == []


def test_one_violation_per_item():
    text = "Azacitidine cures MDS. Luspatercept cures MDS too."
    assert len(qs.violations(["drug cures MDS"], text, ALIASES)) == 1


# ---- intents and direct answers ----------------------------------------------------------------

def test_intent_raw_and_mapped():
    mapping = {"how_it_works": "mechanism", "out_of_scope": "off_topic"}
    assert qs.intent_matches("mechanism", "mechanism", mapping) == (True, True)
    assert qs.intent_matches("How it works", "mechanism", mapping) == (False, True)
    assert qs.intent_matches("side-effects", "side_effects", mapping) == (True, True)
    assert qs.intent_matches("out-of-scope", "off_topic", mapping) == (False, True)
    assert qs.intent_matches("efficacy", "mechanism", mapping) == (False, False)
    assert qs.intent_matches(None, "mechanism", mapping) == (False, False)


def test_direct_answer():
    assert qs.direct_answer("Yes. Azacitidine prolonged survival in AZA-001.") == "yes"
    assert qs.direct_answer("No, MDS is not contagious.") == "no"
    assert qs.direct_answer("No longer needing transfusions is the goal.") is None
    assert qs.direct_answer("It depends on your risk group.") == "depends"
    assert qs.direct_answer("Luspatercept is a fusion protein.") is None
    assert qs.direct_answer("") is None


def test_mean_skips_missing():
    assert qs.mean([1.0, None, 3.0]) == 2.0
    assert qs.mean([None]) is None


# ---- the data set -------------------------------------------------------------------------------

def _mapping_without_duplicates(loader, node, deep=False):
    keys = [str(loader.construct_object(key, deep=deep)) for key, _ in node.value]
    duplicates = [key for key, count in collections.Counter(keys).items() if count > 1]
    assert not duplicates, f"duplicate YAML keys: {duplicates}"
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


class _StrictLoader(yaml.SafeLoader):
    pass


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


@pytest.fixture(scope="module")
def data():
    for path in (qs.QUESTIONS_PATH, qs.ALIASES_PATH):
        with open(path, encoding="utf-8") as handle:
            yaml.load(handle, Loader=_StrictLoader)
    return qs.load_questions(), qs.load_aliases()


def test_data_set_is_consistent(data):
    questions, aliases = data
    assert qs.validate(questions, aliases) == []


def test_data_set_size_and_spread(data):
    questions, _ = data
    counts = collections.Counter(q["intent"] for q in questions)
    assert set(counts) == set(qs.INTENTS)
    for intent in qs.INTENTS:
        assert counts[intent] >= (22 if intent == "off_topic" else 7), intent
    assert sum(n for intent, n in counts.items() if intent != "off_topic") >= 125


def test_trial_questions_name_distinct_trials_with_sources(data):
    questions, _ = data
    trials = [q for q in questions if q["intent"] == "trial_result"]
    assert len(trials) >= 12
    assert all(q["sources"] for q in trials)
    known = ("aza-001", "medalist", "commands", "imerge", "mds-004", "mds-003", "verona", "bmt ctn 1102", "telesto",
             "ascertain", "stimulus-mds1", "enhance", "eortc 06011", "panther", "eqol-mds")
    named = {name for name in known for q in trials if name in q["question"].lower()}
    assert len(named) >= 12, named


def test_every_alias_of_the_data_set_compiles_and_items_match_themselves(data):
    _, aliases = data
    for item, spellings in aliases.items():
        for alias in spellings:
            qs.compile_alias(alias)
        if not item.startswith("re:") and not any(a.startswith("re:") for a in spellings):
            assert qs.mentions(item, f"… {item} …", aliases), item


def test_risk_compute_questions_name_one_category(data):
    questions, _ = data
    categories = {"IPSS-R very low", "IPSS-R low", "IPSS-R intermediate", "IPSS-R high", "IPSS-R very high"}
    for q in (q for q in questions if q["intent"] == "risk_compute"):
        assert len(categories & set(q["must_mention"])) == 1, q["id"]


def test_category_patterns_of_the_data_set(data):
    _, aliases = data
    assert qs.mentions("IPSS-R very high", "Your IPSS-R category is very high.", aliases)
    assert qs.mentions("IPSS-R intermediate", "That is the intermediate category (3-4.5).", aliases)
    assert not qs.mentions("IPSS-R intermediate", "IPSS intermediate-1 means lower risk", aliases)
    assert qs.mentions("IPSS-R low", "This is a low-risk category.", aliases)
    assert not qs.mentions("IPSS-R low", "This is a very low risk category.", aliases)
    assert qs.mentions("not MDS", "Aplastic anemia is a different disease; our sources cover MDS.", aliases)


def test_group_claims_of_the_data_set(data):
    _, aliases = data
    assert qs.violations(["lower-risk group"], "Your score puts you in the lower-risk group.", aliases)
    assert not qs.violations(["lower-risk group"], "Your score is not lower-risk; it is higher-risk.", aliases)
    assert not qs.violations(["lower-risk group"], "Lower-risk MDS is defined as IPSS low or int-1.", aliases)


# ---- the eval's plumbing, with a fake GraphQL client (no Neo4j, no service) ---------------------

class _FakeResponse:
    def __init__(self, status: int, body: dict):
        self.status_code, self._body = status, body

    def get_json(self, silent: bool = False):
        return self._body

    def get_data(self, as_text: bool = False):
        return str(self._body)


class _FakeClient:
    def __init__(self, answers: dict):
        self.answers = answers

    def post(self, path: str, json: dict):
        assert path == "/graphql" and "ask(question: $q)" in json["query"]
        answer = self.answers.get(json["variables"]["q"])
        if answer is None:
            return _FakeResponse(200, {"errors": [{"message": "boom"}], "data": None})
        return _FakeResponse(200, {"data": {"ask": answer}})


def test_eval_scores_summarizes_and_prints_with_a_fake_client():
    pytest.importorskip("textstat")
    from bench import qa_eval

    questions = [
        {"id": "T1", "question": "how well does reblozyl work?", "intent": "efficacy",
         "must_mention": ["luspatercept", "38%"], "must_not": ["drug cures MDS"], "direct": None, "sources": []},
        {"id": "T2", "question": "is mds contagious?", "intent": "causes",
         "must_mention": ["not contagious"], "must_not": [], "direct": "no", "sources": []},
        {"id": "T3", "question": "weather?", "intent": "off_topic",
         "must_mention": ["not MDS"], "must_not": [], "direct": None, "sources": []},
    ]
    aliases = {**ALIASES, "not contagious": ["not contagious", "cannot catch"]}
    client = _FakeClient({
        "how well does reblozyl work?": {"intent": "how_it_works", "covered": True, "sections": [], "citations": [],
                                         "facts": [], "text": "Luspatercept gave transfusion independence to 38% "
                                                             "of patients. Luspatercept cures MDS in some people."},
        "is mds contagious?": {"intent": "causes", "covered": True, "sections": [], "citations": [], "facts": [],
                               "text": "No. MDS is not contagious: you cannot catch it from anyone."},
    })
    rows = []
    for q in questions:
        answer, error, seconds = qa_eval.ask(client, q["question"])
        rows.append(qa_eval.score_question(q, answer, error, seconds, aliases, "text"))
    assert rows[0]["coverage"] == 1.0 and len(rows[0]["violations"]) == 1 and rows[0]["intent_mapped"] is False
    assert rows[1]["intent_raw"] and rows[1]["direct_got"] == "no" and rows[1]["fk_grade"] is not None
    assert rows[2]["error"] and rows[2]["coverage"] == 0
    summary = qa_eval.summarize(rows)
    assert summary["questions"] == 3 and summary["errors"] == 1 and summary["violations"] == 1
    assert summary["by_intent"]["efficacy"]["coverage_micro"] == 1.0
    assert summary["direct_agree"] == 1
    printed = qa_eval.table(summary, rows)
    assert "overall must-mention coverage" in printed and "T1 [efficacy] 'drug cures MDS'" in printed
    assert "latency per question" in printed and "mean Flesch-Kincaid grade" in printed


def test_intent_map_targets_our_labels():
    from bench import qa_eval

    assert set(qa_eval.INTENT_MAP.values()) <= set(qs.INTENTS)


def test_direct_answer_skips_markdown_headings():
    from bench.qa_scoring import direct_answer

    assert direct_answer("## In short\n\nNo: venetoclax is not an established MDS treatment [1].") == "no"
    assert direct_answer("## In short\n\nYes, for some people: luspatercept helps [1].") == "yes"
    assert direct_answer("## In short\n\nIt depends on the person [1].") == "depends"
