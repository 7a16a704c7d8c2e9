"""Does a written answer say only what its facts say?

`check_grounding(text, facts, vocabulary)` compares what a text names and quantifies with the
supplied facts:

(a) named concepts: every surface form of the vocabulary (the ontology's drugs, therapies,
    genes, tests, …) found in the text must belong to a concept some fact names in its
    `terms` or text; words that look like drug names (-mab, -nib, -stat, …) are flagged even
    when the vocabulary does not know them, unless a fact uses the word;
(b) numbers: every number in the text — digits, decimals, thousands, percentages, ranges,
    numbers with units, the spelled numbers one to ninety-nine — must occur among the facts'
    `numbers` or texts (with a unit the facts use, when the text gives one);
(c) citation marks like [3] must be within range (and, optionally, every sentence must carry one).

Headings are not checked (the writer validates them against the supplied titles); citation
marks and list numbering are not numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from mdskg.records import Fact

# ---- report ---------------------------------------------------------------------------------


@dataclass
class GroundingReport:
    ok: bool
    problems: list[str] = field(default_factory=list)


# ---- vocabulary -----------------------------------------------------------------------------

VocabularyEntry = tuple[str, str] | tuple[str, str, str] | tuple[str, str, str, str]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    concept_ids: frozenset[str]


class Vocabulary:
    """Surface forms of known concepts, compiled once for fast repeated matching.

    Entries are `(surface_form, concept_id)`, `(surface_form, concept_id, kind)` or
    `(surface_form, concept_id, kind, form)`, where kind is the node label ("Drug", "Therapy",
    "Biomarker", …) used to word problems and form the ontology's kind of surface form ("brand_name",
    "abbreviation", …): a brand in capitals (ATGAM) is known as a brand only from it. Acronym-like
    surface forms (no lower-case letters, e.g. "TP53", "ESA", "ALL") match case-sensitively so
    that "ALL" does not fire on "all"; the others match case-insensitively. All match on word
    boundaries.
    """

    def __init__(self, entries: Iterable[VocabularyEntry] = ()):
        self.concepts_by_surface: dict[str, set[str]] = {}
        self.surfaces_by_concept: dict[str, set[str]] = {}
        self.kind_by_concept: dict[str, str] = {}
        self.brand_surfaces: set[str] = set()  # casefolded surface forms the ontology calls brand names
        sensitive: set[str] = set()
        insensitive: set[str] = set()
        for entry in entries:
            surface, concept_id = str(entry[0]).strip(), str(entry[1])
            kind = str(entry[2]) if len(entry) > 2 and entry[2] else None
            if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
                continue
            self.concepts_by_surface.setdefault(_key(surface), set()).add(concept_id)
            self.surfaces_by_concept.setdefault(concept_id, set()).add(surface)
            if kind:
                self.kind_by_concept.setdefault(concept_id, kind)
            if len(entry) > 3 and entry[3] == "brand_name":
                self.brand_surfaces.add(_key(surface))
            if _is_acronym(surface):
                sensitive.add(surface)
            else:
                insensitive.add(surface)
        self._patterns = [p for p in (_alternation(sensitive, 0), _alternation(insensitive, re.IGNORECASE)) if p]

    def __len__(self) -> int:
        return len(self.concepts_by_surface)

    def find(self, text: str) -> list[Match]:
        """Non-overlapping mentions, longest first where mentions overlap, in text order."""
        found: list[Match] = []
        for pattern in self._patterns:
            for m in pattern.finditer(text):
                ids = self.concepts_by_surface.get(_key(m.group(0)))
                if ids:
                    found.append(Match(m.start(), m.end(), m.group(0), frozenset(ids)))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Match] = []
        for m in found:
            if kept and m.start < kept[-1].end:
                continue
            kept.append(m)
        return kept

    def kind(self, concept_ids: Iterable[str]) -> str | None:
        for concept_id in sorted(concept_ids):
            if concept_id in self.kind_by_concept:
                return self.kind_by_concept[concept_id]
        return None


def _key(surface: str) -> str:
    return re.sub(r"\s+", " ", surface).strip().casefold()


def _is_acronym(surface: str) -> bool:
    letters = [ch for ch in surface if ch.isalpha()]
    return len(letters) >= 1 and not any(ch.islower() for ch in letters) and sum(ch.isupper() for ch in letters) >= 2


def _alternation(surfaces: set[str], flags: int) -> re.Pattern[str] | None:
    if not surfaces:
        return None
    parts = []
    for surface in sorted(surfaces, key=lambda s: (-len(s), s)):
        parts.append(r"\s+".join(re.escape(piece) for piece in surface.split()))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", flags)


# ---- drug-name heuristics -------------------------------------------------------------------

DRUG_SUFFIXES: tuple[str, ...] = (
    "mab", "nib", "stat", "cept", "tide", "parin", "platin", "cycline", "tinib", "zumab",
    "ximab", "lisib", "ciclib", "mide", "abine", "citabine", "dronate",
    # more stems of international non-proprietary drug names
    "sertib", "clax", "parib", "zomib", "degib", "rafenib", "stim", "poetin", "rubicin", "mycin", "taxel",
    "tecan", "trexate", "mustine", "fosfamide", "imod", "lisib", "tuzumab", "limus", "sporin", "globulin",
)
# Ordinary English (and lab) words that happen to end like a drug name.
_NOT_DRUGS = frozenset(
    """
    except accept concept intercept precept percept
    peptide peptides nucleotide polypeptide oligonucleotide dinucleotide riptide eventide yuletide
    thermostat rheostat homeostat hemostat haemostat
    """.split()
)
_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z]+(?![\w])")


def _looks_like_drug(word: str) -> bool:
    lower = word.casefold()
    return len(lower) >= 7 and lower not in _NOT_DRUGS and lower.endswith(DRUG_SUFFIXES)


# ---- numbers --------------------------------------------------------------------------------

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
SPELLED_NUMBERS: dict[str, int] = {word: i for i, word in enumerate(_ONES) if i > 0}
SPELLED_NUMBERS.update(_TENS)
SPELLED_NUMBERS["hundred"] = 100

_UNIT_ALTERNATIVES = {
    "%": r"%|percent|per\s+cent|pct",
    "mU/mL": r"mU/mL|mIU/mL|U/L|IU/L",
    "g/dL": r"g/dL",
    "g/L": r"g/L",
    "10^9/L": r"×GPL",  # normalised from ×10⁹/L, x 10^9/L, 10^9/L, …
    "/uL": r"/µL|/uL|/mm3|/mm³|cells/µL|cells/uL",
    "mg/m2": r"mg/m2|mg/m²|mg/m\^2",
    "mg/kg": r"mg/kg",
    "mg": r"mg|milligrams?",
    "mcg": r"mcg|µg|micrograms?",
    "g": r"g|grams?",
    "mL": r"mL|millilit(?:re|er)s?",
    "years": r"years?|yrs?|year-old",
    "months": r"months?|mos?",
    "weeks": r"weeks?|wks?",
    "days": r"days?",
    "hours": r"hours?|hrs?",
    "units": r"units?",
    "cycles": r"cycles?",
    "doses": r"doses?",
    "times": r"times|fold|x(?![\w])",
}
_UNIT_OF: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^(?:{alt})$", re.IGNORECASE), unit) for unit, alt in _UNIT_ALTERNATIVES.items()
]
_UNIT = "|".join(f"(?:{alt})" for alt in _UNIT_ALTERNATIVES.values())
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_BELOW_HUNDRED = (
    r"(?:" + "|".join(_TENS) + r")(?:[\s-](?:" + "|".join(_ONES[1:10]) + r"))?"
    r"|" + "|".join(sorted(_ONES[1:], key=len, reverse=True))
)
# "two hundred and twenty-nine" is one number (229), not 200 and 29
_SPELLED = (
    r"(?:" + "|".join(_ONES[1:10]) + r")\s+hundred(?:(?:\s+and)?[\s-]+(?:" + _BELOW_HUNDRED + r")\b)?"
    r"|" + _BELOW_HUNDRED + r"|hundred"
)
# A hyphen after a number joins it to a unit ("5-year") or to a name ("5-azacytidine").
_HYPHEN_UNIT = r"years?|months?|weeks?|days?|hours?|fold|times|cycles?|units?"
_NUMBER = re.compile(
    rf"(?<![\w.,])(?P<num>{_DIGITS})"
    rf"(?:(?:\s*|-)(?P<unit>{_UNIT})(?!\w)|'?s(?!\w)|(?!\.?\w|,\d)(?!-(?!(?:{_HYPHEN_UNIT})\b)[A-Za-z]))"
    rf"|\b(?P<word>{_SPELLED})\b(?:(?:\s+|-)(?P<wunit>{_UNIT})(?!\w))?",
    re.IGNORECASE,
)
# "one" as a pronoun or determiner rather than a count.
_ONE_NOT_A_NUMBER_BEFORE = re.compile(r"(?:\b(?:no|the|any|each|every|which|this|that|only|someone|anyone|such a)\s+)$", re.IGNORECASE)
_ONE_NOT_A_NUMBER_AFTER = re.compile(r"^(?:\s+(?:of|another|or\s+another|who|that|side\s+effect|way|option|kind|type|thing|reason|"
                                     r"problem|risk|sign|symptom|choice|more|day|time)\b|'s)", re.IGNORECASE)

_TEN_TO_NINE = re.compile(
    r"(?:[×xX*]\s*)?10\s*(?:\^\s*\(?9\)?|⁹|\*\*\s*9|\(9\)|[eE]9)\s*(?:/|per\s+)\s*(?:L|l|lit(?:re|er))(?!\w)"
)
_CITATION_MARK = re.compile(r"\[\s*(\d+(?:\s*[,;–—-]\s*\d+)*)\s*\]")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*$", re.MULTILINE)
_LIST_NUMBER = re.compile(r"^(\s*)\d{1,2}[.)]\s+", re.MULTILINE)
_CYTOGENETICS = re.compile(
    r"(?<!\w)(?:del|inv|t|i|der|add|dup|idic|ins)\([\dXYpq;.,\s]+\)(?:\([\dpq;.,\s]+\))?", re.IGNORECASE
)


@dataclass(frozen=True)
class NumberMention:
    value: str  # normalised: "60", "0.5", "1000"
    unit: str | None  # normalised unit or None
    text: str  # as written (after normalising 10⁹/L)
    start: int = 0  # offsets in the text as checked (headings and marks removed)
    end: int = 0


_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|and)\s*$", re.IGNORECASE)


def normalise_value(raw: str) -> str | None:
    raw = raw.strip().replace(",", "")
    try:
        d = Decimal(raw)
    except InvalidOperation:
        return None
    d = d.normalize()
    return format(d, "f")


def _unit_name(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = re.sub(r"\s+", " ", raw.strip())
    for pattern, unit in _UNIT_OF:
        if pattern.match(raw):
            return unit
    return raw


def _spelled_value(word: str) -> int | None:
    parts = [p for p in re.split(r"[\s-]+", word.strip().casefold()) if p != "and"]
    total = 0
    for part in parts:
        if part not in SPELLED_NUMBERS:
            return None
        if part == "hundred" and total:
            total *= 100
        else:
            total += SPELLED_NUMBERS[part]
    return total


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def strip_for_checking(text: str) -> str:
    """The text without headings, citation marks and list numbering; 10⁹/L spelled one way."""
    text = _HEADING.sub("", text)
    text = _CITATION_MARK.sub(" ", text)
    text = _LIST_NUMBER.sub(r"\1", text)
    text = _TEN_TO_NINE.sub(" ×GPL", text)
    return text


def extract_numbers(text: str, vocabulary: Vocabulary | None = None) -> list[NumberMention]:
    """Numbers a text states, skipping those inside concept names (TP53, del(5q), IPSS-R)."""
    text = strip_for_checking(text)
    spans = [(m.start(), m.end()) for m in _CYTOGENETICS.finditer(text)]
    if vocabulary is not None:
        spans += [(m.start, m.end) for m in vocabulary.find(text)]
    text = _blank(text, spans)
    found: list[NumberMention] = []
    for m in _NUMBER.finditer(text):
        if m.group("num") is not None:
            value = normalise_value(m.group("num"))
            unit = _unit_name(m.group("unit"))
        else:
            word = m.group("word")
            if word.casefold() == "one" and (
                _ONE_NOT_A_NUMBER_BEFORE.search(text[: m.start()]) or _ONE_NOT_A_NUMBER_AFTER.match(text[m.end("word"):])
            ):
                continue
            number = _spelled_value(word)
            value = None if number is None else str(number)
            unit = _unit_name(m.group("wunit"))
        if value is not None:
            shown = re.sub(r"\s+", " ", m.group(0)).replace("×GPL", "×10⁹/L")
            found.append(NumberMention(value=value, unit=unit, text=shown, start=m.start(), end=m.end()))
    # In a range ("5-10%", "5 to 10 days") the first number takes the unit of the second.
    for i in range(len(found) - 1, 0, -1):
        first, second = found[i - 1], found[i]
        if first.unit is None and second.unit is not None and _RANGE_JOIN.match(text[first.end : second.start]):
            found[i - 1] = NumberMention(first.value, second.unit, first.text, first.start, first.end)
    return found


# ---- sentences ------------------------------------------------------------------------------

_ABBREVIATIONS = ("e.g.", "i.e.", "vs.", "etc.", "dr.", "approx.", "no.", "fig.", "al.")


def split_sentences(text: str) -> list[str]:
    """Sentences of body text; a citation mark right after a full stop stays with its sentence."""
    sentences: list[str] = []
    for line in _blocks(text):
        start = 0
        for m in re.finditer(r"[.!?](?:\s*\[[\d\s,;–—-]+\])*(?=\s+\S|\s*$)", line):
            end = m.end()
            candidate = line[start:end].strip()
            lower = candidate.casefold()
            nxt = line[end:].lstrip()[:1]
            if lower.endswith(_ABBREVIATIONS) or (nxt and nxt.islower()):
                continue
            if candidate:
                sentences.append(candidate)
            start = end
        rest = line[start:].strip()
        if rest:
            sentences.append(rest)
    return sentences


_LIST_ITEM = re.compile(r"^\s*(?:[-*•+]|\d{1,2}[.)])\s+")


def _blocks(text: str) -> list[str]:
    """Paragraphs and list items, each on one line (wrapped lines joined); no headings."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for line in text.splitlines():
        if not line.strip() or _HEADING.match(line):
            flush()
            continue
        if _LIST_ITEM.match(line):
            flush()
            line = _LIST_ITEM.sub("", line)
        current.append(line.strip())
    flush()
    return blocks


def citation_mark_numbers(text: str) -> list[int]:
    """Every source number cited by marks like [3], [1, 2] or [1-3]."""
    numbers: list[int] = []
    for m in _CITATION_MARK.finditer(text):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            bounds = re.split(r"\s*[–—-]\s*", part)
            if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
                lo, hi = int(bounds[0]), int(bounds[1])
                numbers.extend(range(lo, hi + 1) if 0 <= hi - lo <= 50 else (lo, hi))
            elif part.isdigit():
                numbers.append(int(part))
    return numbers


# ---- the check ------------------------------------------------------------------------------


def _kind_phrase(kind: str | None) -> str:
    if not kind:
        return "a concept"
    table = {"drug": "a drug", "therapy": "a therapy", "gene": "a gene", "test": "a test",
             "biomarker": "a gene or test", "sideeffect": "a side effect"}
    key = kind.replace(" ", "").replace("_", "").casefold()
    if key in table:
        return table[key]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind).lower()
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def check_grounding(
    text: str,
    facts: Sequence[Fact],
    vocabulary: Vocabulary | Iterable[VocabularyEntry] = (),
    *,
    n_citations: int | None = None,
    require_citations: bool = False,
    ignore_kinds: Iterable[str] = (),
) -> GroundingReport:
    """Check `text` against `facts`; see the module docstring.

    n_citations: highest valid citation number (default: the number of distinct sources the
    facts cite). require_citations: also flag statements (of four words or more, not questions)
    that carry no citation mark.
    """
    vocab = vocabulary if isinstance(vocabulary, Vocabulary) else Vocabulary(vocabulary)
    ignore = {k.casefold() for k in ignore_kinds}
    problems: list[str] = []

    def problem(message: str) -> None:
        if message not in problems:
            problems.append(message)

    fact_texts = [f.text or "" for f in facts]
    fact_terms = [t for f in facts for t in f.terms if t]
    fact_corpus = "\n".join(fact_texts + fact_terms)
    fact_corpus_key = _key(fact_corpus)

    # (a) named concepts
    allowed_ids: set[str] = set()
    for term in fact_terms:
        allowed_ids |= vocab.concepts_by_surface.get(_key(term), set())
    for m in vocab.find(fact_corpus):
        allowed_ids |= m.concept_ids
    fact_words = {w.casefold() for w in _WORD.findall(fact_corpus)}

    body = _HEADING.sub("", text)
    mentions = vocab.find(body)
    for m in mentions:
        if m.concept_ids & allowed_ids:
            continue
        if re.search(r"(?<!\w)" + re.escape(_key(m.text)) + r"(?!\w)", fact_corpus_key):
            continue
        kind = vocab.kind(m.concept_ids)
        if kind and kind.casefold() in ignore:
            continue
        problem(f"names {_kind_phrase(kind)} not in the facts: {m.text}")
    masked = _blank(body, [(m.start, m.end) for m in mentions])
    for word in _WORD.findall(masked):
        if _looks_like_drug(word) and word.casefold() not in fact_words:
            problem(f"names a drug not in the facts: {word}")

    # (b) numbers
    fact_units: dict[str, set[str | None]] = {}
    for f in facts:
        for source in (*f.numbers, f.text or ""):
            for n in extract_numbers(source, vocab):
                fact_units.setdefault(n.value, set()).add(n.unit)
    for n in extract_numbers(text, vocab):
        units = fact_units.get(n.value)
        if units is None:
            problem(f"states a number not in the facts: {n.text}")
        elif n.unit is not None and n.unit not in units and None not in units:
            problem(f"states a number with a unit the facts do not use: {n.text}")

    # (c) citation marks
    if n_citations is None:
        n_citations = len({c for f in facts for c in f.citations})
    for number in citation_mark_numbers(body):
        if not 1 <= number <= n_citations:
            problem(f"cites a source number that does not exist: [{number}]")
    if require_citations:
        for sentence in split_sentences(body):
            if _CITATION_MARK.search(sentence) or sentence.rstrip().endswith("?"):
                continue
            if len(_CITATION_MARK.sub(" ", sentence).split()) < 4:
                continue
            short = sentence if len(sentence) <= 80 else sentence[:77] + "…"
            problem(f"a sentence cites no source: {short!r}")

    return GroundingReport(ok=not problems, problems=problems)
