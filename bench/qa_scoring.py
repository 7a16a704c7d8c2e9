"""Pure scoring for the question-answering evaluation (bench/qa_eval.py): alias matching, must-mention
coverage, must-not violations, intent matching and the direct yes/no check. No database, no service.

The data lives in tests/data/qa/: `questions.yaml` (the labelled questions) and `aliases.yaml` (for each
must_mention / must_not item, the spellings that count). Matching rules, in short:

* case-insensitive, on the answer text after normalising dashes, quotes, non-breaking spaces and runs of
  whitespace;
* an item always counts as one of its own spellings;
* a space or hyphen inside a spelling matches any run of spaces/hyphens;
* word boundaries on both ends: "AML" is not found inside "HAMLET", "5%" not inside "15%" or "0.5%", "3.5"
  not inside "3.55"; a spelling that ends in a letter also matches its plural (s/es);
* a trailing "*" makes the spelling a prefix ("immunosuppress*" finds "immunosuppressive");
* "re:<pattern>" is a Python regular expression, used as is (case-insensitive);
* a percentage "N%" also matches "N %", "N percent" and "N per cent".

A must_not spelling found in the answer counts as a violation unless it is negated: a negation cue ("not",
"no", "never", "cannot", "unlike", "rather than", ...) in the same sentence within NEGATION_WINDOW characters
before the match, or inside the matched text itself (unless the spelling itself contains the cue, as in
"MDS is not a cancer").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

QA_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "qa"
QUESTIONS_PATH = QA_DIR / "questions.yaml"
ALIASES_PATH = QA_DIR / "aliases.yaml"

INTENTS = (
    "definition", "mechanism", "efficacy", "candidate", "side_effects", "alternatives", "next_after_failure",
    "risk_interpret", "risk_compute", "prognosis", "trial_result", "comparison", "treat_or_watch",
    "administration", "symptoms", "causes", "off_topic",
)
DIRECT_VALUES = ("yes", "no", "depends")

NEGATION_WINDOW = 60
NEGATION_CUES = re.compile(
    r"\b(?:not|no|never|none|neither|nor|cannot|can't|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|won't|"
    r"wouldn't|shouldn't|hasn't|haven't|without|unlike|rather than|instead of|false|myth|untrue|incorrect|"
    r"unproven|nothing)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;\n]")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")


# ---- text normalisation ---------------------------------------------------------------------

_TRANSLATE = {
    ord("\u2010"): "-", ord("\u2011"): "-", ord("\u2012"): "-", ord("\u2013"): "-", ord("\u2014"): "-",
    ord("\u2015"): "-", ord("\u2212"): "-", ord("\u00a0"): " ", ord("\u2009"): " ", ord("\u202f"): " ",
    ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"',
}


def normalize(text: str) -> str:
    """NFKC, unified dashes/quotes/spaces, single spaces; case is kept (patterns are case-insensitive)."""
    text = unicodedata.normalize("NFKC", text or "").translate(_TRANSLATE)
    return re.sub(r"[ \t\r\f\v]+", " ", text)


# ---- alias patterns -------------------------------------------------------------------------

def _literal_pattern(alias: str) -> str:
    prefix = alias.endswith("*")
    body = normalize(alias[:-1] if prefix else alias).strip()
    if not body:
        raise ValueError(f"empty alias {alias!r}")
    parts: list[str] = []
    for index, char in enumerate(body):
        if char in " -" and 0 < index < len(body) - 1:
            # runs of spaces/hyphens are interchangeable; collapse repeated separators
            if parts and parts[-1] == r"[\s\-]+":
                continue
            parts.append(r"[\s\-]+")
        else:
            parts.append(re.escape(char))
    core = "".join(parts)
    first, last = body[0], body[-1]
    if first.isdigit():
        lead = r"(?<![\w.,])"
    elif first.isalnum() or first == "_":
        lead = r"(?<!\w)"
    else:
        lead = ""
    if prefix:
        trail = ""
    elif last.isdigit():
        trail = r"(?![\d]|[.,]\d)"
    elif last.isalpha():
        trail = r"(?:s|es)?(?!\w)"
    else:
        trail = ""
    return lead + core + trail


def alias_variants(alias: str) -> list[str]:
    """The alias plus the automatic percentage spellings ("38%" -> "38 %", "38 percent", "38 per cent")."""
    match = _PERCENT.match(alias.strip())
    if not match:
        return [alias]
    number = match.group(1)
    return [alias, f"{number} %", f"{number} percent", f"{number} per cent"]


@lru_cache(maxsize=4096)
def compile_alias(alias: str) -> re.Pattern[str]:
    if alias.startswith("re:"):
        # the same compatibility folding as the answer text (e.g. the micro sign, superscript 2)
        source = unicodedata.normalize("NFKC", alias[3:]).translate(_TRANSLATE)
        return re.compile(source, re.IGNORECASE)
    return re.compile(_literal_pattern(alias), re.IGNORECASE)


def spellings(item: str, aliases: Mapping[str, Sequence[str]]) -> list[str]:
    """Every spelling that counts for `item`: the item itself first, then its aliases (deduplicated)."""
    out: list[str] = []
    for alias in [item, *aliases.get(item, ())]:
        for variant in alias_variants(str(alias)):
            if variant not in out:
                out.append(variant)
    return out


@dataclass(frozen=True)
class Hit:
    item: str
    alias: str
    start: int
    end: int
    snippet: str


def _snippet(text: str, start: int, end: int, width: int = 50) -> str:
    left, right = max(0, start - width), min(len(text), end + width)
    return ("…" if left else "") + text[left:right].replace("\n", " ") + ("…" if right < len(text) else "")


def find_item(item: str, text: str, aliases: Mapping[str, Sequence[str]]) -> Hit | None:
    """The first spelling of `item` found in `text` (None when none is)."""
    norm = normalize(text)
    for alias in spellings(item, aliases):
        match = compile_alias(alias).search(norm)
        if match:
            return Hit(item, alias, match.start(), match.end(), _snippet(norm, match.start(), match.end()))
    return None


def mentions(item: str, text: str, aliases: Mapping[str, Sequence[str]]) -> bool:
    return find_item(item, text, aliases) is not None


# ---- negation -------------------------------------------------------------------------------

def _alias_has_cue(alias: str) -> bool:
    return not alias.startswith("re:") and NEGATION_CUES.search(alias) is not None


def is_negated(text: str, start: int, end: int, alias: str = "", window: int = NEGATION_WINDOW) -> bool:
    """Whether the match text[start:end] is negated: a cue earlier in the same sentence (within `window`
    characters) or, unless the alias itself carries a cue, inside the match."""
    left = max(0, start - window)
    before = text[left:start]
    boundary = None
    for found in _SENTENCE_END.finditer(before):
        boundary = found
    if boundary is not None:
        before = before[boundary.end():]
    if NEGATION_CUES.search(before):
        return True
    if not _alias_has_cue(alias) and NEGATION_CUES.search(text[start:end]):
        return True
    return False


# ---- coverage and violations ----------------------------------------------------------------

@dataclass
class Coverage:
    hits: list[Hit] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.hits) + len(self.missed)

    @property
    def fraction(self) -> float | None:
        return len(self.hits) / self.total if self.total else None


def coverage(must_mention: Iterable[str], text: str, aliases: Mapping[str, Sequence[str]]) -> Coverage:
    result = Coverage()
    for item in must_mention:
        hit = find_item(item, text, aliases)
        if hit:
            result.hits.append(hit)
        else:
            result.missed.append(item)
    return result


@dataclass(frozen=True)
class Violation:
    item: str
    alias: str
    snippet: str


def violations(must_not: Iterable[str], text: str, aliases: Mapping[str, Sequence[str]],
               negation_aware: bool = True) -> list[Violation]:
    """One Violation per must_not item that the text states (its first non-negated occurrence)."""
    norm = normalize(text)
    found: list[Violation] = []
    for item in must_not:
        for alias in spellings(item, aliases):
            violation = None
            for match in compile_alias(alias).finditer(norm):
                if negation_aware and is_negated(norm, match.start(), match.end(), alias):
                    continue
                violation = Violation(item, alias, _snippet(norm, match.start(), match.end()))
                break
            if violation:
                found.append(violation)
                break
    return found


# ---- intents --------------------------------------------------------------------------------

def normalize_intent(name: str | None) -> str:
    return re.sub(r"[\s\-/]+", "_", (name or "").strip().lower())


def intent_matches(predicted: str | None, expected: str, mapping: Mapping[str, str]) -> tuple[bool, bool]:
    """(raw match, mapped match): raw compares the normalised names; mapped first translates the service's
    name through `mapping` (names the service may use for our labels)."""
    got = normalize_intent(predicted)
    want = normalize_intent(expected)
    raw = got == want
    mapped_name = normalize_intent(mapping.get(got, got))
    return raw, raw or mapped_name == want


# ---- direct yes/no --------------------------------------------------------------------------

_DIRECT_PATTERNS = {
    "yes": re.compile(r"^\W*(?:yes|yeah|in short,? yes|short answer:? yes)\b", re.IGNORECASE),
    "no": re.compile(r"^\W*(?:no|nope|in short,? no|short answer:? no)\b(?![\s-]+(?:longer|one|single|more|need))",
                     re.IGNORECASE),
    "depends": re.compile(r"^\W*(?:it depends|that depends|depends|possibly|maybe|sometimes|not always|"
                          r"for some|in some|it can|it may)\b", re.IGNORECASE),
}


def direct_answer(text: str) -> str | None:
    """yes | no | depends when the answer's first sentence opens with it, else None."""
    # The answer's first sentence under its first heading ("## In short"): headings are not sentences.
    body = "\n".join(line for line in (text or "").splitlines() if not line.lstrip().startswith("#"))
    norm = normalize(body).strip()
    first = re.split(r"(?<=[.!?])\s|\n", norm, maxsplit=1)[0] if norm else ""
    for value, pattern in _DIRECT_PATTERNS.items():
        if pattern.search(first):
            return value
    return None


# ---- loading and validation -----------------------------------------------------------------

def load_yaml(path: Path) -> Any:
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_questions(path: Path = QUESTIONS_PATH) -> list[dict[str, Any]]:
    data = load_yaml(path) or {}
    questions = data.get("questions") or []
    for question in questions:
        question.setdefault("must_mention", [])
        question.setdefault("must_not", [])
        direct = question.get("direct")
        if isinstance(direct, bool):  # unquoted yes/no in YAML 1.1
            direct = "yes" if direct else "no"
        question["direct"] = direct
        question.setdefault("sources", [])
    return questions


def load_aliases(path: Path = ALIASES_PATH) -> dict[str, list[str]]:
    data = load_yaml(path) or {}
    return {str(key): [str(alias) for alias in (value or [])] for key, value in (data.get("aliases") or {}).items()}


def validate(questions: Sequence[Mapping[str, Any]], aliases: Mapping[str, Sequence[str]]) -> list[str]:
    """Problems with the data set (empty list when it is consistent)."""
    problems: list[str] = []
    seen: set[str] = set()
    for question in questions:
        qid = str(question.get("id"))
        if qid in seen:
            problems.append(f"{qid}: duplicate id")
        seen.add(qid)
        if not str(question.get("question") or "").strip():
            problems.append(f"{qid}: empty question")
        if question.get("intent") not in INTENTS:
            problems.append(f"{qid}: unknown intent {question.get('intent')!r}")
        if question.get("direct") not in (None, *DIRECT_VALUES):
            problems.append(f"{qid}: direct must be yes/no/depends/null, got {question.get('direct')!r}")
        if not question.get("must_mention"):
            problems.append(f"{qid}: no must_mention item")
        for key in ("must_mention", "must_not"):
            for item in question.get(key) or []:
                if item not in aliases:
                    problems.append(f"{qid}: {key} item {item!r} has no entry in aliases.yaml")
    for item, values in aliases.items():
        for alias in [item, *values]:
            try:
                compile_alias(str(alias))
            except (re.error, ValueError) as exc:
                problems.append(f"alias {alias!r} of {item!r} does not compile: {exc}")
    return problems


# ---- small statistics -----------------------------------------------------------------------

def mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return sum(kept) / len(kept) if kept else None
