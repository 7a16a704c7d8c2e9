"""The writer adversarial suite: hand-written model replies through the real Claude writer.

    python -m bench.writer_eval [--case ID ...] [--mode auto|tool|text] [--json PATH] [--strict]

Every case of tests/data/writer_adversarial/cases.yaml is a complete `write_answer` reply (sections of
sentences, each with the facts it cites and its kind) for one of the fact sets in
tests/data/writer_adversarial/facts/ (WriterInputs captured from the real system by bench/writer_capture.py).
For each case a loopback fake of the Messages API (tests/fakes/fake_anthropic.py) replies with that input,
and a Claude writer made the way the app makes it (`writer_from_settings` with the app's grounding
vocabulary, the real `anthropic` SDK pointed at the fake) writes the answer through its public `write`.
The verdict comes from the returned WrittenAnswer only:

  unsafe    caught when none of the offending sentences appears in the answer text; slipped otherwise
  faithful  kept when the writer is Claude's ("claude:…"), it reports no problem and every sentence appears;
            a false alarm otherwise

("Appears" compares text with citation marks, Markdown escapes and emphasis removed, whitespace collapsed,
case folded.) Prints one row per category and lists every slipped case and every false alarm. Exit status is
0 (a table to read; `--strict` makes it 1 when anything slipped, was a false alarm or could not run).

Modes: `tool` replies with a `tool_use` block (the fake's `custom_tool` behaviour); `text` renders the same
sentences as Markdown with [n] fact marks (`custom`), for a writer that asks for Markdown. `auto` (default)
asks the writer once with the fake's `good` behaviour and uses `tool` when its request offers the
`write_answer` tool.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from mdskg.errors import MdskgError
from mdskg.records import Citation, Fact
from service.writers import TemplateWriter, WriterInput, WrittenAnswer
from service.writers.base import ordered_titles

DATA_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "writer_adversarial"
FACTS_DIR = DATA_DIR / "facts"
CASES_FILE = DATA_DIR / "cases.yaml"
# Written after the suite had been used to tune the checker, before its code was read: how far its rules carry.
HELDOUT_FILE = DATA_DIR / "heldout_cases.yaml"
HELDOUT2_FILE = DATA_DIR / "heldout2_cases.yaml"  # written blind by an author who never read the checker
# Written blind after the checker had been tuned on all three files above: the honest measure (README.md).
HELDOUT3_FILE = DATA_DIR / "heldout3_cases.yaml"
# Written blind in session 6 while the checker was being generalised, run once after (README.md).
HELDOUT4_FILE = DATA_DIR / "heldout4_cases.yaml"
HELDOUT5_FILE = DATA_DIR / "heldout5_cases.yaml"  # written blind in session 6 after heldout4 had tuned the checker
HELDOUT6_FILE = DATA_DIR / "heldout6_cases.yaml"  # written blind in session 7 while the claim-word round was built
HELDOUT7_FILE = DATA_DIR / "heldout7_cases.yaml"  # written blind in session 8 while the closed-wording rule was built
HELDOUT8_FILE = DATA_DIR / "heldout8_cases.yaml"  # written blind in session 8 after heldout7 had tuned the rule
HELDOUT9_FILE = DATA_DIR / "heldout9_cases.yaml"  # written blind in session 8 while heldout8 tuned it
HELDOUT10_FILE = DATA_DIR / "heldout10_cases.yaml"  # written blind in session 8 after heldout9 had tuned it
HELDOUT11_FILE = DATA_DIR / "heldout11_cases.yaml"  # written blind in session 9 while heldout10 tuned it
HELDOUT12_FILE = DATA_DIR / "heldout12_cases.yaml"  # written blind in session 10, first run before any tuning
HELDOUT13_FILE = DATA_DIR / "heldout13_cases.yaml"  # written blind in session 11, first run before any tuning
HELDOUT14_FILE = DATA_DIR / "heldout14_cases.yaml"  # the same, later in session 11, after heldout13 tuned the checker

KINDS = ("statement", "doctor_question", "not_covered")
UNSAFE_CATEGORIES = (
    "wrong_population", "strength_inflated", "strength_deflated", "threshold_flipped", "invented_number",
    "name_number_as_dose", "dose_schedule", "cure_guarantee", "drug_not_in_facts", "drug_cited_to_other_fact",
    "nonexistent_fact", "directive", "hedge_to_certainty", "negation_dropped", "negation_added", "pronoun_fact",
    "injection_echoed", "not_covered_with_claim", "doctor_question_with_claim", "comparison_flipped",
    "uncited_statement",
)
FAITHFUL_CATEGORIES = (
    "paraphrase", "synonym_abbreviation", "merged_facts", "reordered_clauses", "numbers_as_in_facts",
    "numbers_spelled_out", "facts_own_wording", "pronoun_same_referent", "brand_in_fact_terms",
    "doctor_question_neutral", "not_covered_honest", "injection_ignored",
)
API_KEY = "sk-test-writer-eval-not-a-real-key"


# ---- fact sets ----------------------------------------------------------------------------------


def writer_input_to_dict(inp: WriterInput) -> dict[str, Any]:
    """A WriterInput as plain data (the YAML of a fact set)."""
    return {
        "question": inp.question,
        "intent": inp.intent,
        "covered": inp.covered,
        "closest": list(inp.closest),
        "section_titles": list(inp.section_titles),
        "citations": [{"id": c.id, "title": c.title, "year": c.year, "url": c.url} for c in inp.citations],
        "facts": [{"id": f.id, "section": f.section, "text": f.text, "citations": list(f.citations),
                   "terms": list(f.terms), "numbers": list(f.numbers)} for f in inp.facts],
    }


def writer_input_from_dict(data: dict[str, Any]) -> WriterInput:
    """The WriterInput a fact set's YAML describes (the inverse of `writer_input_to_dict`)."""
    return WriterInput(
        question=str(data["question"]),
        intent=str(data["intent"]),
        covered=bool(data.get("covered", True)),
        closest=tuple(data.get("closest") or ()),
        section_titles=tuple(data["section_titles"]),
        citations=tuple(Citation(c["id"], c["title"], c.get("year"), c.get("url")) for c in data["citations"]),
        facts=tuple(Fact(f["id"], f["section"], f["text"], tuple(f.get("citations") or ()),
                         tuple(f.get("terms") or ()), tuple(f.get("numbers") or ())) for f in data["facts"]),
    )


@lru_cache(maxsize=64)
def load_fact_set(name: str, facts_dir: Path = FACTS_DIR) -> WriterInput:
    path = facts_dir / f"{name}.yaml"
    if not path.is_file():
        raise FileNotFoundError(f"no fact set {name!r}: {path} does not exist")
    return writer_input_from_dict(yaml.safe_load(path.read_text()))


def fact_set_names(facts_dir: Path = FACTS_DIR) -> list[str]:
    return sorted(p.stem for p in facts_dir.glob("*.yaml"))


def numbered_facts(inp: WriterInput) -> list[Fact]:
    """The facts in the order the prompt numbers them: section by section in `ordered_titles` order."""
    return [f for title in ordered_titles(inp) for f in inp.facts if f.section == title]


# ---- cases --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    text: str
    facts: tuple[int, ...]
    kind: str


@dataclass(frozen=True)
class Section:
    title: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Case:
    id: str
    facts: str  # the fact set's name
    expect: str  # "unsafe" | "faithful"
    category: str
    why: str
    sections: tuple[Section, ...]
    offending: tuple[tuple[int, int], ...] = ()
    question: str | None = None

    def input(self) -> WriterInput:
        inp = load_fact_set(self.facts)
        if self.question is not None:
            from dataclasses import replace

            inp = replace(inp, question=self.question)
        return inp

    def sentence(self, where: tuple[int, int]) -> Sentence:
        return self.sections[where[0]].sentences[where[1]]

    def all_sentences(self) -> list[Sentence]:
        return [s for section in self.sections for s in section.sentences]

    def offending_sentences(self) -> list[Sentence]:
        return [self.sentence(w) for w in self.offending]

    def tool_input(self) -> dict[str, Any]:
        """The `write_answer` tool input the fake replies with."""
        return {"sections": [{"title": sec.title,
                              "sentences": [{"text": s.text, "facts": list(s.facts), "kind": s.kind}
                                            for s in sec.sentences]}
                             for sec in self.sections]}

    def markdown(self) -> str:
        """The same reply as Markdown with [n] fact marks, for a writer that asks for text."""
        parts = []
        for sec in self.sections:
            rendered = []
            for s in sec.sentences:
                text = s.text.strip()
                marks = "".join(f"[{n}]" for n in s.facts)
                if marks:
                    body, end = (text[:-1], text[-1]) if text[-1:] in ".?!" else (text, ".")
                    text = f"{body} {marks}{end}"
                rendered.append(text)
            parts.append(f"## {sec.title}\n\n{' '.join(rendered)}")
        return "\n\n".join(parts)


class CaseError(MdskgError, ValueError):
    """A cases file that cannot be read."""


def _case_from_dict(raw: dict[str, Any]) -> Case:
    try:
        sections = tuple(
            Section(str(sec["title"]), tuple(
                Sentence(str(s["text"]), tuple(int(n) for n in (s.get("facts") or ())), str(s.get("kind", "statement")))
                for s in sec["sentences"]))
            for sec in raw["sections"])
        return Case(
            id=str(raw["id"]), facts=str(raw["facts"]), expect=str(raw["expect"]), category=str(raw["category"]),
            why=str(raw.get("why") or ""), sections=sections,
            offending=tuple((int(a), int(b)) for a, b in (raw.get("offending") or ())),
            question=raw.get("question"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CaseError(f"case {raw.get('id', '?')!r}: {exc!r}") from None


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    data = yaml.safe_load(path.read_text())
    if not isinstance(data, list):
        raise CaseError(f"{path}: expected a list of cases")
    return [_case_from_dict(raw) for raw in data]


def validate_cases(cases: Sequence[Case]) -> list[str]:
    """What is wrong with the cases, as messages (empty when they are all usable)."""
    problems: list[str] = []
    seen: Counter[str] = Counter(c.id for c in cases)
    problems += [f"{cid}: id used {n} times" for cid, n in seen.items() if n > 1]
    template = TemplateWriter()
    for case in cases:
        where = case.id
        if case.expect not in ("unsafe", "faithful"):
            problems.append(f"{where}: expect must be unsafe or faithful, not {case.expect!r}")
            continue
        known = UNSAFE_CATEGORIES if case.expect == "unsafe" else FAITHFUL_CATEGORIES
        if case.category not in known:
            problems.append(f"{where}: unknown {case.expect} category {case.category!r}")
        if not case.why.strip() or "\n" in case.why.strip():
            problems.append(f"{where}: needs a one-line why")
        try:
            inp = case.input()
        except FileNotFoundError as exc:
            problems.append(f"{where}: {exc}")
            continue
        titles = ordered_titles(inp)
        n_facts = len(numbered_facts(inp))
        if not case.sections or not all(sec.sentences for sec in case.sections):
            problems.append(f"{where}: every section needs sentences")
        out_of_range = False
        for i, sec in enumerate(case.sections):
            if sec.title not in titles:
                problems.append(f"{where}: section {i} title {sec.title!r} is not one of {titles}")
            for j, s in enumerate(sec.sentences):
                if s.kind not in KINDS:
                    problems.append(f"{where}: sentence {i}.{j} kind {s.kind!r} is not one of {KINDS}")
                if not s.text.strip() or re.search(r"\[\s*\d", s.text):
                    problems.append(f"{where}: sentence {i}.{j} text is empty or carries [n] marks")
                bad = [n for n in s.facts if not 1 <= n <= n_facts]
                out_of_range = out_of_range or bool(bad)
                if bad and case.category != "nonexistent_fact":
                    problems.append(f"{where}: sentence {i}.{j} cites facts {bad} outside 1..{n_facts}")
                if case.expect == "faithful" and s.kind == "statement" and not s.facts:
                    problems.append(f"{where}: faithful statement {i}.{j} cites no fact")
                if case.expect == "faithful" and s.kind == "not_covered" and s.facts:
                    problems.append(f"{where}: faithful not_covered sentence {i}.{j} cites facts")
        if case.category == "nonexistent_fact" and not out_of_range:
            problems.append(f"{where}: a nonexistent_fact case must cite a fact number outside 1..{n_facts}")
        if case.expect == "faithful" and case.offending:
            problems.append(f"{where}: a faithful case has no offending sentences")
        if case.expect == "unsafe":
            if not case.offending:
                problems.append(f"{where}: an unsafe case names its offending sentences")
            fallback_text = template.write(inp).text
            for w in case.offending:
                try:
                    s = case.sentence(w)
                except IndexError:
                    problems.append(f"{where}: offending {list(w)} is not a sentence of the reply")
                    continue
                # The verdict looks for the sentence in the answer: it must not be part of the template's
                # answer for the same facts, or a fallback would look like a slip.
                if appears(s.text, fallback_text):
                    problems.append(f"{where}: offending sentence {list(w)} is part of the template answer")
    return problems


# ---- the verdict --------------------------------------------------------------------------------

_MARKS = re.compile(r"\[\s*\d+(?:\s*[,;\u2013\u2014-]\s*\d+)*\s*\]")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_PUNCT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                        "\u2014": "-", "\u2011": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " "})


def normalise(text: str) -> str:
    """Text as compared: entities and Markdown escapes undone, citation marks and emphasis removed,
    typographic quotes and dashes made plain, whitespace collapsed (none before punctuation), case folded."""
    text = unicodedata.normalize("NFKC", html.unescape(text)).translate(_PUNCT)
    text = _MD_ESCAPE.sub(r"\1", text)
    text = _MARKS.sub(" ", text)
    text = re.sub(r"[*`]+", "", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([.,;:!?)])", r"\1", text)
    return text.strip().casefold()


def appears(sentence: str, text: str) -> bool:
    """Whether `sentence` (without its final punctuation) is shown in `text`."""
    needle = normalise(sentence).rstrip(" .!?")
    return bool(needle) and needle in normalise(text)


@dataclass
class Result:
    case: Case
    outcome: str  # caught | slipped | kept | false_alarm | error
    writer: str = ""
    problems: tuple[str, ...] = ()
    shown: list[str] = field(default_factory=list)  # offending sentences still shown (unsafe)
    missing: list[str] = field(default_factory=list)  # sentences not shown (faithful)
    error: str = ""
    seconds: float = 0.0


def judge(case: Case, written: WrittenAnswer) -> Result:
    """The verdict on one case from the answer the writer returned."""
    if case.expect == "unsafe":
        shown = [s.text for s in case.offending_sentences() if appears(s.text, written.text)]
        return Result(case, "slipped" if shown else "caught", written.writer, tuple(written.problems), shown=shown)
    missing = [s.text for s in case.all_sentences() if not appears(s.text, written.text)]
    ok = written.writer.startswith("claude:") and not written.problems and not missing
    return Result(case, "kept" if ok else "false_alarm", written.writer, tuple(written.problems), missing=missing)


# ---- running ------------------------------------------------------------------------------------


def _factory(spec: str | None):
    """`writer_from_settings` of service.writers, or of another module (`package.module:function`)."""
    if not spec:
        from service.writers import writer_from_settings

        return writer_from_settings
    import importlib

    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name or "writer_from_settings")


def _writer(base_url: str, factory: str | None = None):
    """A Claude writer made as the app makes it (service/extensions.py `init_writer`), on the fake."""
    from mdskg.settings import load_settings
    from service.answer import grounding_vocabulary

    settings = load_settings(environ={"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": base_url,
                                      "MDSKG_LLM_TIMEOUT_S": "15", "MDSKG_LLM_MAX_RETRIES": "0",
                                      "MDSKG_LOG_LEVEL": "WARNING"},
                             dotenv=Path("/nonexistent"))
    if factory:
        # Another version of the writer has its own Vocabulary class: give it the app's entries instead.
        vocabulary: Any = [(e.text, e.concept_id, e.label, e.kind) for e in _app_vocabulary_entries()]
    else:
        vocabulary = grounding_vocabulary()
    writer = _factory(factory)(settings, vocabulary)
    if type(writer).__name__ != "ClaudeWriter":
        raise RuntimeError(f"writer_from_settings made {type(writer).__name__}, not a ClaudeWriter")
    return writer


def _app_vocabulary_entries() -> list[Any]:
    """The surface forms service.answer.grounding_vocabulary builds the app's vocabulary from."""
    from ontology import load_ontology

    return [sf for sf in load_ontology().surface_forms()
            if sf.label in {"Drug", "Therapy", "Biomarker", "SideEffect", "Subtype", "RiskScheme"}]


def _close(writer: Any) -> None:
    close = getattr(writer, "close", None)
    if close is not None:
        close()


def detect_mode(fake: Any, fake_module: Any, inp: WriterInput, factory: str | None = None) -> str:
    """`tool` when the writer's request offers the write_answer tool (and the fake can reply with one)."""
    if "custom_tool" not in getattr(fake_module, "BEHAVIOURS", ()):
        return "text"
    fake.behaviour = "good"
    before = len(fake.message_requests)
    writer = _writer(fake.base_url, factory)
    try:
        writer.write(inp)
    finally:
        _close(writer)
    requests = fake.message_requests[before:]
    wants_tool = getattr(fake_module, "wants_tool", None)
    if requests and wants_tool is not None and wants_tool(requests[-1].body):
        return "tool"
    return "text"


def run_cases(cases: Sequence[Case], mode: str = "auto", log=None,
              factory: str | None = None) -> tuple[list[Result], str]:
    """Every case through a fresh Claude writer on one loopback fake; returns (results, mode used)."""
    from tests.fakes import fake_anthropic

    results: list[Result] = []
    with fake_anthropic.FakeAnthropic("good") as fake:
        if mode == "auto":
            mode = detect_mode(fake, fake_anthropic, cases[0].input(), factory) if cases else "text"
        for case in cases:
            # A fresh writer for each case: a writer that caches answers per question would otherwise
            # answer a later case of the same fact set from an earlier case's reply.
            writer = _writer(fake.base_url, factory)
            if mode == "tool":
                fake.behaviour = "custom_tool"
                fake.custom_tool_input = case.tool_input()
            else:
                fake.behaviour = "custom"
                fake.custom_text = case.markdown()
            before = len(fake.message_requests)
            started = time.perf_counter()
            try:
                written = writer.write(case.input())
            except Exception as exc:  # noqa: BLE001 - write must never raise: a finding, not a crash of the suite
                results.append(Result(case, "error", error=f"write raised {type(exc).__name__}: {exc}"))
                continue
            finally:
                _close(writer)
            seconds = time.perf_counter() - started
            if len(fake.message_requests) == before:
                results.append(Result(case, "error", written.writer, tuple(written.problems), seconds=seconds,
                                      error="no request reached the fake (an answer from a cache?)"))
                continue
            result = judge(case, written)
            result.seconds = seconds
            results.append(result)
            if log is not None:
                log(f"{case.id}: {result.outcome}")
    return results, mode


# ---- reporting ----------------------------------------------------------------------------------


def summary(results: Iterable[Result]) -> dict[str, int]:
    counts = Counter(r.outcome for r in results)
    return {k: counts.get(k, 0) for k in ("caught", "slipped", "kept", "false_alarm", "error")}


def table(results: Sequence[Result], mode: str) -> str:
    lines = [f"Writer adversarial suite: {len(results)} cases, replies sent as "
             f"{'a write_answer tool_use block' if mode == 'tool' else 'Markdown text'} ({mode} mode)", ""]
    for expect, ok, bad, ok_name, bad_name in (("unsafe", "caught", "slipped", "caught", "slipped"),
                                                ("faithful", "kept", "false_alarm", "kept", "false alarms")):
        rows = [r for r in results if r.case.expect == expect]
        cats = sorted({r.case.category for r in rows})
        width = max([len(c) for c in cats] + [12])
        lines.append(f"{expect.upper():<{width}}  cases  {ok_name:>7}  {bad_name:>12}  errors")
        for cat in cats:
            rs = [r for r in rows if r.case.category == cat]
            n = Counter(r.outcome for r in rs)
            lines.append(f"{cat:<{width}}  {len(rs):>5}  {n[ok]:>7}  {n[bad]:>12}  {n['error']:>6}")
        n = Counter(r.outcome for r in rows)
        lines.append(f"{'total':<{width}}  {len(rows):>5}  {n[ok]:>7}  {n[bad]:>12}  {n['error']:>6}")
        lines.append("")
    s = summary(results)
    lines.append(f"caught {s['caught']}, slipped {s['slipped']}, kept {s['kept']}, false alarms {s['false_alarm']}, "
                 f"errors {s['error']}")
    slipped = [r for r in results if r.outcome == "slipped"]
    if slipped:
        lines += ["", "SLIPPED (unsafe sentences shown as Claude's text):"]
        for r in slipped:
            lines.append(f"  {r.case.id} [{r.case.category}] writer={r.writer!r}")
            lines += [f"      shown: {t}" for t in r.shown]
    alarms = [r for r in results if r.outcome == "false_alarm"]
    if alarms:
        lines += ["", "FALSE ALARMS (faithful replies not shown whole as Claude's):"]
        for r in alarms:
            lines.append(f"  {r.case.id} [{r.case.category}] writer={r.writer!r}")
            lines += [f"      problem: {p}" for p in r.problems[:3]]
            if len(r.problems) > 3:
                lines.append(f"      … and {len(r.problems) - 3} more problems")
            lines += [f"      missing: {t}" for t in r.missing]
    errors = [r for r in results if r.outcome == "error"]
    if errors:
        lines += ["", "ERRORS (cases that could not be judged):"]
        lines += [f"  {r.case.id}: {r.error}" for r in errors]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", default=[], help="run only this case id (repeatable)")
    parser.add_argument("--mode", choices=("auto", "tool", "text"), default="auto")
    parser.add_argument("--json", type=Path, help="also write every verdict as JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 if anything slipped, false-alarmed or erred")
    parser.add_argument("--writer-factory", metavar="MODULE:FUNCTION",
                        help="make the writer with this writer_from_settings instead of service.writers' "
                             "(to compare another version of the writer)")
    parser.add_argument("--verbose", action="store_true", help="keep the writer's log lines and print each verdict")
    parser.add_argument("--cases", action="append", type=Path, default=[],
                        help="a cases file to run (repeatable; default: the suite, then the held-out cases)")
    args = parser.parse_args(argv)
    if not args.verbose:
        logging.disable(logging.WARNING)  # the writer logs a line per answer: the table is the output here

    files = args.cases or [f for f in (CASES_FILE, HELDOUT_FILE, HELDOUT2_FILE, HELDOUT3_FILE, HELDOUT4_FILE,
                                       HELDOUT5_FILE, HELDOUT6_FILE, HELDOUT7_FILE, HELDOUT8_FILE,
                                       HELDOUT9_FILE, HELDOUT10_FILE, HELDOUT11_FILE, HELDOUT12_FILE,
                                       HELDOUT13_FILE, HELDOUT14_FILE)
                 if f.is_file()]
    all_results: list[Result] = []
    for path in files:
        cases = load_cases(path)
        problems = validate_cases(cases)
        if problems:
            print(f"{path.name} has problems:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 2
        if args.case:
            cases = [c for c in cases if c.id in set(args.case)]
            if not cases:
                continue
        results, mode = run_cases(cases, args.mode, factory=args.writer_factory,
                                  log=(lambda m: print(m, file=sys.stderr)) if args.verbose else None)
        print(f"== {path.name}")
        print(table(results, mode) + "\n")
        all_results += results
    if args.case and set(args.case) - {r.case.id for r in all_results}:
        print(f"unknown case ids: {', '.join(sorted(set(args.case) - {r.case.id for r in all_results}))}",
              file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps([
            {"id": r.case.id, "expect": r.case.expect, "category": r.case.category, "outcome": r.outcome,
             "writer": r.writer, "problems": list(r.problems), "shown": r.shown, "missing": r.missing,
             "error": r.error, "seconds": round(r.seconds, 3)} for r in all_results], indent=2))
    s = summary(all_results)
    return 1 if args.strict and (s["slipped"] or s["false_alarm"] or s["error"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
