"""The made-up abstracts of bench/outcome_probes.py go through the real PubMed reader, sections and all."""

from __future__ import annotations

from bench.outcome_probes import abstract_sections, probe_article, probe_documents


def test_a_structured_abstract_keeps_its_labelled_sections():
    text = "BACKGROUND: Why we looked.\nMETHODS: Who was treated\nand how.\nRESULTS: What came out.\n"
    assert abstract_sections(text) == [("BACKGROUND", "Why we looked."), ("METHODS", "Who was treated and how."),
                                       ("RESULTS", "What came out.")]


def test_an_unstructured_abstract_is_one_paragraph_and_inline_capitals_are_not_labels():
    text = "Fifty patients were given drug X.\nThe ORR: 30% by IWG 2006."
    assert abstract_sections(text) == [(None, "Fifty patients were given drug X. The ORR: 30% by IWG 2006.")]


def test_text_before_the_first_label_is_kept():
    assert abstract_sections("An opening line.\nRESULTS: A result.") == [(None, "An opening line."),
                                                                         ("RESULTS", "A result.")]


def test_the_probe_becomes_a_pubmed_document_with_its_made_up_id():
    entry = {"pmid": "SYN-900", "title": "A made-up study", "text": "RESULTS: Ten of 40 responded (25%)."}
    assert probe_article(entry).findtext("MedlineCitation/PMID") == "SYN-900"
    (document,) = probe_documents([entry])
    assert document.id == "PMID:SYN-900"
    assert "Ten of 40 responded (25%)." in document.text
    assert [s.title for s in document.sections] == ["Title", "RESULTS"]


# ---- the probe files themselves ------------------------------------------------------------------

import re  # noqa: E402 - kept with the file checks it serves
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402

from bench.outcome_probes import PROBES_DIR  # noqa: E402

GOLD_README = Path(__file__).resolve().parents[1] / "data" / "real_gold" / "README.md"
PROBE_FILES = sorted(PROBES_DIR.glob("*.yaml"))
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                 "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
                 "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def _closed_list(after: str) -> set[str]:
    """The backticked names of a closed list in the real-gold README, from its heading to the next blank line."""
    text = GOLD_README.read_text(encoding="utf-8")
    block = text[text.index(after):].split("\n\n", 1)[0]
    return set(re.findall(r"`([a-z0-9_]+)`", block))


def _numbers_in(text: str) -> set[float]:
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text.replace("\u00b7", "."))
    found = {float(m) for m in re.findall(r"\d*\.?\d+", text)}
    for word in re.findall(r"[a-z]+(?:-[a-z]+)?", text.lower()):
        parts = [_WORD_NUMBERS.get(p) for p in word.split("-")]
        if all(p is not None for p in parts):
            found.add(float(sum(p for p in parts if p is not None)))
    if "10(-4)" in text:
        found.add(0.0001)
    if re.search(r"P\s*=\s*0\.000\b", text):
        found.add(0.001)
    return found


def _label_numbers(value) -> list[float]:
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, list):
        return [n for v in value for n in _label_numbers(v)]
    return [float(s) for s in re.findall(r"\d*\.?\d+", str(value))]


@pytest.mark.parametrize("path", PROBE_FILES, ids=[p.name for p in PROBE_FILES])
def test_probe_abstracts_are_well_formed_and_every_labelled_number_is_printed(path):
    endpoints = _closed_list("Closed endpoint list")
    assert {"overall_response_rate", "pk_auc_ratio"} <= endpoints  # the README's list was found
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = []
    assert len({e["id"] for e in entries}) == len(entries)
    for e in entries:
        if not re.fullmatch(r"SYN\d*-\d{3}", str(e["id"])):
            problems.append(f"{e['id']}: a made-up id is SYN-nnn, never a real-looking PMID")
        if e.get("conclusion") not in {"positive", "negative", "inconclusive"}:
            problems.append(f"{e['id']}: conclusion {e.get('conclusion')!r}")
        printed = _numbers_in(e["text"])
        for o in e.get("outcomes") or []:
            if o["endpoint"] not in endpoints:
                problems.append(f"{e['id']}: endpoint {o['endpoint']} is not in the closed list")
            for key in ("value", "comparator_value", "n", "hr", "ci", "value_ci", "p"):
                missing = [n for n in _label_numbers(o.get(key)) if o.get(key) != "NS" and n not in printed]
                if missing:
                    problems.append(f"{e['id']} {o['endpoint']}.{key}: {missing} not in the text")
        for r in e.get("relations") or []:
            if r.get("direction") not in {"positive", "negative", "none"}:
                problems.append(f"{e['id']}: relation direction {r.get('direction')!r}")
    assert not problems, "\n".join(problems)
