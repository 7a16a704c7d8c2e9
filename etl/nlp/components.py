"""spaCy pipeline components of the MDS pipeline, registered with `@Language.factory`.

Each component is a thin adapter: the logic lives in the pure modules beside it
(sentences, citations, thresholds, negation), which are tested without spaCy.

    mdskg_sentences          rule sentence boundaries (abbreviations, decimals, citation markers)
    mdskg_citations          doc._.citation_markers; span._.citations (CURIEs of bracket markers)
    mdskg_entity_ruler       ontology surface forms → doc.ents (label_ = node label, ent_id_ = concept id)
    mdskg_abbreviation_detector  scispaCy's abbreviation detector, skipped on docs without '('
                             (added under the name `abbreviation_detector`)
    mdskg_abbreviations      maps an abbreviation defined in the text to its long form's concept
                             (runs after scispaCy's `abbreviation_detector`)
    mdskg_thresholds         doc._.thresholds; span._.thresholds
    mdskg_negation           span._.negated, span._.hedged (+ the cue words) on every entity
    mdskg_generic_ner        optional suffix/lexicon disease and chemical spotter (evaluation and
                             the unmapped-terms report only; its spans never reach the graph)
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from etl.nlp.citations import citations_in, find_citation_markers
from etl.nlp.negation import entity_flags
from etl.nlp.sentences import split_sentences
from etl.nlp.thresholds import parse_thresholds

GENERIC_DISEASE = "GENERIC_DISEASE"
GENERIC_CHEMICAL = "GENERIC_CHEMICAL"


# ---- extension attributes -------------------------------------------------------------------


def _span_citations(span: Span) -> tuple[str, ...]:
    markers = span.doc._.citation_markers
    if markers is None:
        return citations_in(span.doc.text, span.start_char, span.end_char)
    seen: dict[str, None] = {}
    for marker in markers:
        if span.start_char <= marker.start < span.end_char:
            for curie in marker.curies:
                seen.setdefault(curie, None)
    return tuple(seen)


def _span_thresholds(span: Span) -> list:
    return [t for t in span.doc._.thresholds or [] if span.start_char <= t.start and t.end <= span.end_char]


def register_extensions() -> None:
    """Idempotent: safe to call from every factory."""
    for name, default in (("citation_markers", None), ("thresholds", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("citations"):
        Span.set_extension("citations", getter=_span_citations)
    if not Span.has_extension("thresholds"):
        Span.set_extension("thresholds", getter=_span_thresholds)
    for name, default in (("negated", False), ("hedged", False), ("negation_cue", None), ("hedge_cue", None)):
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()


# ---- the doc's text, built once -------------------------------------------------------------

# `Doc.text` is not stored: every call joins the text of every token in Python (~30 µs for 100
# tokens), and sentences, citations, thresholds, negation and the abbreviation gate all need it.
# A Doc's text never changes (the retokenizer keeps it), so it is cached per Doc object; the
# weak keys let each entry go with its Doc.
_DOC_TEXT: weakref.WeakKeyDictionary[Doc, str] = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per Doc."""
    text = _DOC_TEXT.get(doc)
    if text is None:
        text = _DOC_TEXT[doc] = doc.text
    return text


# ---- sentences ------------------------------------------------------------------------------


@Language.factory("mdskg_sentences")
def make_sentences(nlp: Language, name: str) -> RuleSentencizer:
    return RuleSentencizer()


class RuleSentencizer:
    """Sets every token's sentence start from `split_sentences(doc.text)`; whitespace tokens
    between sentences stay with the sentence before them.

    The flags are computed on arrays and written with one `Doc.from_array`: setting
    `token.is_sent_start` token by token costs O(n) per token (the setter checks
    `doc.has_annotation("DEP")`, which scans the doc), O(n²) per doc."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = [start for start, _ in split_sentences(doc_text(doc))]
        tokens = doc.to_array([IDX, IS_SPACE])
        flags = sentence_start_flags(tokens[:, 0], tokens[:, 1], starts)
        doc.from_array([SENT_START], flags.astype(np.int64).view(np.uint64))
        return doc


def sentence_start_flags(token_starts: Sequence[int], token_is_space: Sequence[bool],
                         sentence_starts: Sequence[int]) -> np.ndarray:
    """SENT_START values (1 = starts a sentence, -1 = does not) of tokens beginning at the
    character offsets `token_starts`: a non-space token starts a sentence when a sentence starts
    at its first character; the doc's first token and its first non-space token always do;
    other whitespace tokens never do (they stay with the sentence before them)."""
    idx = np.asarray(token_starts, dtype=np.int64)
    space = np.asarray(token_is_space).astype(bool)
    flags = np.where(np.isin(idx, np.asarray(sentence_starts, dtype=np.int64)) & ~space, 1, -1).astype(np.int64)
    if len(flags):
        non_space = np.flatnonzero(~space)
        if len(non_space):
            flags[non_space[0]] = 1
        flags[0] = 1
    return flags


# ---- citations ------------------------------------------------------------------------------


@Language.factory("mdskg_citations")
def make_citations(nlp: Language, name: str) -> CitationMarkers:
    register_extensions()
    return CitationMarkers()


class CitationMarkers:
    def __call__(self, doc: Doc) -> Doc:
        doc._.citation_markers = find_citation_markers(doc_text(doc))
        return doc


def _doc_markers(doc: Doc) -> list:
    markers = doc._.citation_markers
    if markers is None:
        markers = find_citation_markers(doc_text(doc))
        doc._.citation_markers = markers
    return markers


def _in_marker(doc: Doc, start_char: int, end_char: int) -> bool:
    return overlaps_any(_doc_markers(doc), start_char, end_char)


def overlaps_any(markers: Sequence, start_char: int, end_char: int) -> bool:
    """Whether [start_char, end_char) overlaps any marker's [start, end)."""
    return any(m.start < end_char and start_char < m.end for m in markers)


# ---- entity ruler ---------------------------------------------------------------------------

# Spelling variants expanded inside patterns (British/American, noun forms).
_TOKEN_VARIANTS: dict[str, tuple[str, ...]] = {
    "transplant": ("transplantation", "transplants"),
    "transplantation": ("transplant", "transplants"),
    "anemia": ("anaemia",), "anaemia": ("anemia",),
    "leukemia": ("leukaemia",), "leukaemia": ("leukemia",),
    "hemoglobin": ("haemoglobin",), "tumor": ("tumour",),
    "cyclosporine": ("ciclosporin", "cyclosporin"),
    "hematopoietic": ("haematopoietic",), "hypomethylating": ("demethylating",),
}
# Kinds of surface forms in order of trust: a name beats a synonym … when two concepts claim a span.
_KIND_RANK = {"name": 0, "synonym": 1, "brand_name": 2, "abbreviation": 3, "lay_term": 4, "derived": 5}
_LABEL_RANK = {"Drug": 0, "Therapy": 1, "Subtype": 2, "PatientGroup": 3, "RiskCategory": 4, "Biomarker": 5,
               "Disease": 6, "RiskScheme": 7, "SideEffect": 8, "Term": 9}


@dataclass(frozen=True)
class PatternInfo:
    concept_id: str
    label: str
    kind: str
    ambiguous: bool
    text: str

    @property
    def rank(self) -> tuple:
        return (self.ambiguous, self.label == "Term", _KIND_RANK.get(self.kind, 9), _LABEL_RANK.get(self.label, 9))


def is_case_sensitive(text: str, kind: str, max_len: int = 5) -> bool:
    """Short abbreviations and all-capital acronyms match only as written ('MDS', 'IST', 'ATG',
    'ESA', 'RA'), since their lower-case forms are ordinary words or other things ('ra', 'ist')."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    compact = re.sub(r"[\s\-]", "", text)
    upper_share = sum(c.isupper() for c in letters) / len(letters)
    if kind == "abbreviation" and (len(compact) <= max_len or upper_share >= 0.5):
        return True
    return upper_share == 1.0 and len(compact) <= 8


def _plural_forms(word: str) -> list[str]:
    if not word.isalpha() or len(word) < 3:
        return []
    if word.isupper():
        return [word + "s"]  # "ESAs", "HMAs"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return [word[:-1] + "ies"]
    if word.endswith(("s", "x", "ch", "sh")):
        return [word + "es"] if not word.endswith("s") else []
    return [word + "s"]


def token_pattern(words: list[str], case_sensitive: bool) -> list[dict]:
    """A Matcher pattern for a tokenised surface form.

    Case-insensitive forms match on LOWER; the last word also matches its plural (or singular);
    a hyphen may or may not join any two words ("transfusion dependent" = "transfusion-dependent",
    "erythropoiesis stimulating agents" = "erythropoiesis-stimulating agents").
    """
    attr = "ORTH" if case_sensitive else "LOWER"
    words = [w for i, w in enumerate(words) if not (w in _HYPHENS and 0 < i < len(words) - 1)]
    pattern: list[dict] = []
    for index, word in enumerate(words):
        if index:
            pattern.append({"ORTH": {"IN": list(_HYPHENS)}, "OP": "?"})
        value = word if case_sensitive else word.lower()
        options = [value, *_TOKEN_VARIANTS.get(value, ())]
        if index == len(words) - 1:
            options += [p for o in list(options) for p in _number_forms(o)]
        options = list(dict.fromkeys(options))
        pattern.append({attr: value} if len(options) == 1 else {attr: {"IN": options}})
    return pattern


_HYPHENS = ("-", "‐", "‑", "–")


def _number_forms(word: str) -> list[str]:
    """Plural of a singular last word; singular of a plural one ('agents' → 'agent')."""
    forms = _plural_forms(word)
    if word.isalpha() and len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        forms.append(word[:-3] + "y" if word.endswith("ies") else word[:-1])
    return forms


# Population names written with another head noun: "higher-risk MDS" → "higher-risk patients".
_POPULATION_HEADS = ("patients", "disease")


def derived_forms(forms: Iterable) -> list:
    """Extra surface forms derived from the ontology's own: a RiskCategory or PatientGroup form
    ending in 'MDS' is also matched with 'patients' as its head ('lower-risk patients')."""
    out = []
    for form in forms:
        if form.label in ("RiskCategory", "PatientGroup") and form.text.endswith(" MDS") and \
                form.kind in ("name", "synonym"):
            stem = form.text[: -len(" MDS")]
            for head in _POPULATION_HEADS:
                out.append(_DerivedForm(f"{stem} {head}", form.concept_id, form.label, "derived", form.ambiguous))
    return out


@dataclass(frozen=True)
class _DerivedForm:
    text: str
    concept_id: str
    label: str
    kind: str
    ambiguous: bool = False


@Language.factory("mdskg_entity_ruler", default_config={"case_sensitive_max_len": 5, "min_length": 2})
def make_entity_ruler(nlp: Language, name: str, case_sensitive_max_len: int, min_length: int) -> OntologyRuler:
    register_extensions()
    return OntologyRuler(nlp, name, case_sensitive_max_len, min_length)


class OntologyRuler:
    """Matches every ontology surface form; the longest match wins, ties go to the most trusted
    form (see PatternInfo.rank). Matches inside citation markers are dropped.

    Matching uses two PhraseMatchers (LOWER for case-insensitive forms, ORTH for short
    abbreviations), fed with the spelling variants of each form (`surface_variants`): a
    token Matcher with one pattern per form is ~20x slower at this size. `patterns()` gives the
    same forms as token patterns (`token_pattern`) in spaCy EntityRuler format.
    """

    def __init__(self, nlp: Language, name: str = "mdskg_entity_ruler", case_sensitive_max_len: int = 5,
                 min_length: int = 2):
        self.nlp = nlp
        self.name = name
        self.case_sensitive_max_len = case_sensitive_max_len
        self.min_length = min_length
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.infos: dict[int, PatternInfo] = {}
        self.ranks: dict[int, tuple] = {}  # PatternInfo.rank per match id, computed once
        self.forms: list[tuple[PatternInfo, bool]] = []
        self.pattern_count = 0

    def add_forms(self, forms: Iterable) -> int:
        """Add SurfaceForm-like objects (text, concept_id, label, kind, ambiguous). Returns phrases added."""
        grouped: dict[tuple[str, bool], set[str]] = {}
        forms = list(forms)
        for form in forms + derived_forms(forms):
            text = (form.text or "").strip()
            if len(text) < self.min_length:
                continue
            info = PatternInfo(form.concept_id, form.label, form.kind, bool(getattr(form, "ambiguous", False)), text)
            sensitive = is_case_sensitive(text, form.kind, self.case_sensitive_max_len)
            key = f"{info.concept_id}|{info.kind}|{int(info.ambiguous)}|{info.label}"
            match_key = self.nlp.vocab.strings.add(key)
            self.infos[match_key] = info
            self.ranks[match_key] = info.rank
            self.forms.append((info, sensitive))
            variants = grouped.setdefault((key, sensitive), set())
            variants.update(surface_variants(text, sensitive))
        added = 0
        for (key, sensitive), variants in grouped.items():
            docs = list(self.nlp.tokenizer.pipe(sorted(variants)))
            (self.exact_matcher if sensitive else self.lower_matcher).add(key, docs)
            added += len(docs)
        self.pattern_count += added
        return added

    def patterns(self) -> list[dict]:
        """The forms as spaCy EntityRuler token patterns ({label, pattern, id})."""
        return [
            {"label": info.label, "id": info.concept_id,
             "pattern": token_pattern([t.text for t in self.nlp.make_doc(info.text)], sensitive)}
            for info, sensitive in self.forms
        ]

    def __call__(self, doc: Doc) -> Doc:
        matches = list(self.lower_matcher(doc)) + list(self.exact_matcher(doc))
        # Character offsets only matter when the doc has citation markers to keep matches out of;
        # token offsets come from one array instead of a Span per match.
        markers = _doc_markers(doc) if matches else []
        if markers:
            offsets = doc.to_array([IDX, LENGTH])
            starts, ends = offsets[:, 0].tolist(), (offsets[:, 0] + offsets[:, 1]).tolist()
        best: dict[tuple[int, int], tuple[tuple, PatternInfo]] = {}
        ranks = self.ranks
        for match_id, start, end in matches:
            if markers and overlaps_any(markers, starts[start], ends[end - 1]):
                continue
            rank = ranks[match_id]
            current = best.get((start, end))
            if current is None or rank < current[0]:
                best[(start, end)] = (rank, self.infos[match_id])
        spans = [Span(doc, s, e, label=i.label, span_id=i.concept_id) for (s, e), (_, i) in best.items()]
        doc.ents = filter_spans(spans)
        return doc


_JOINED_HYPHEN = re.compile(r"(?<=\w)[-‐‑–](?=\w)")
_WORD_RE = re.compile(r"[A-Za-z]+")


def surface_variants(text: str, case_sensitive: bool = False) -> set[str]:
    """Spellings of one surface form that should match it: hyphen or space between words
    ('transfusion-dependent' / 'transfusion dependent'), en dash for hyphen, plural or singular
    of the last word, British/American spellings of single words."""
    variants = {text}
    if _JOINED_HYPHEN.search(text):
        variants.add(_JOINED_HYPHEN.sub(" ", text))
        variants.add(_JOINED_HYPHEN.sub("–", text))
    words = text.split(" ")
    if 2 <= len(words) <= 4 and all(w.isalpha() for w in words):
        # every hyphen/space combination: "iron-chelating agents", "iron chelating-agents" …
        for mask in range(1, 2 ** (len(words) - 1)):
            joined = words[0]
            for index, word in enumerate(words[1:]):
                joined += ("-" if mask >> index & 1 else " ") + word
            variants.add(joined)
    for variant in list(variants):
        head, _, last = variant.rpartition(" ") if " " in variant else ("", "", variant)
        stem_match = re.search(r"([A-Za-z]+)$", last)
        if stem_match:
            word = stem_match.group(1)
            for form in _number_forms(word if case_sensitive else word.lower()):
                replaced = last[: stem_match.start()] + form
                variants.add(f"{head} {replaced}" if head else replaced)
    if not case_sensitive:
        for variant in list(variants):
            for word in set(_WORD_RE.findall(variant.lower())):
                for alternative in _TOKEN_VARIANTS.get(word, ()):
                    variants.add(re.sub(rf"(?i)\b{word}\b", alternative, variant))
    return variants


# ---- abbreviations --------------------------------------------------------------------------


@Language.factory("mdskg_abbreviation_detector")
def make_abbreviation_detector(nlp: Language, name: str) -> AbbreviationDetectorGate:
    from scispacy.abbreviation import AbbreviationDetector

    return AbbreviationDetectorGate(AbbreviationDetector(nlp, name))


class AbbreviationDetectorGate:
    """scispaCy's `AbbreviationDetector`, not run on a doc that has no '(' in its text.

    Every definition it finds sits in parentheses (its Matcher needs a '(' token), and its
    global matcher only holds patterns added for the current doc (and removed by the same call)
    plus the never-matching one of build_pipeline (its NUL token cannot occur without a NUL
    character): without '(' it would set nothing. Its two Matcher passes build a Token
    object per token in Python, which is most of its cost. Other attributes pass through."""

    def __init__(self, detector):
        self.detector = detector

    def __getattr__(self, name: str):
        return getattr(self.detector, name)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        if "(" not in text and "\x00" not in text and len(self.detector.global_matcher) <= 1:
            return doc
        doc = self.detector(doc)
        doc._.abbreviations.sort(key=abbreviation_order)
        return doc


def abbreviation_order(short: Span) -> tuple[int, int, int, int]:
    """scispaCy gathers each long form's short forms in a set of Spans, whose hash includes the
    Doc's memory address: the list came out in a different order on every run, and the linker
    below could then give an abbreviation a different concept. Text order makes it repeatable."""
    long_form = short._.long_form
    long_start, long_end = (long_form.start, long_form.end) if isinstance(long_form, Span) else (-1, -1)
    return short.start, short.end, long_start, long_end


@Language.factory("mdskg_abbreviations")
def make_abbreviation_linker(nlp: Language, name: str) -> AbbreviationLinker:
    return AbbreviationLinker()


class AbbreviationLinker:
    """'horse antithymocyte globulin (ATG)' → every 'ATG' in this doc gets the long form's concept.

    Needs scispaCy's `abbreviation_detector` earlier in the pipeline (doc._.abbreviations)."""

    def __call__(self, doc: Doc) -> Doc:
        if not Doc.has_extension("abbreviations") or not doc._.abbreviations:
            return doc
        ents = list(doc.ents)
        changed = False
        for short in doc._.abbreviations:
            long_form = short._.long_form
            if long_form is None or isinstance(long_form, str):
                continue
            concept = self._concept_of(ents, long_form)
            if concept is None:
                continue
            label, concept_id, qualified = concept
            covering = [e for e in ents if e.start <= short.start and short.end <= e.end]
            if any(e.end - e.start > short.end - short.start for e in covering):
                continue  # the abbreviation is part of a longer name ("rabbit ATG"): leave it
            if covering and covering[0].ent_id_ == concept_id:
                continue
            if qualified and not qualifier_may_spread(covering[0].label_ if covering else None,
                                                      short.start - long_form.end):
                continue  # "higher-risk myelodysplastic syndromes (MDS)": a later "MDS" is MDS
            ents = [e for e in ents if e.end <= short.start or short.end <= e.start]
            ents.append(Span(doc, short.start, short.end, label=label, span_id=concept_id))
            changed = True
        if changed:
            doc.ents = filter_spans(ents)
        return doc

    @staticmethod
    def _concept_of(ents: list[Span], long_form: Span) -> tuple[str, str, bool] | None:
        """The entity that best covers the long form (most shared tokens; the longer on ties):
        (label, concept id, whether the entity reaches outside the long form, i.e. carries words
        such as 'higher-risk' that the abbreviation does not stand for)."""
        best, best_key = None, None
        for ent in ents:
            shared = min(ent.end, long_form.end) - max(ent.start, long_form.start)
            if shared <= 0:
                continue
            key = (shared, ent.end - ent.start)
            if best_key is None or key > best_key:
                best, best_key = ent, key
        if best is None or best_key[0] * 2 < (long_form.end - long_form.start):
            return None  # the entity covers less than half of the long form: not its meaning
        return best.label_, best.ent_id_, best.start < long_form.start or best.end > long_form.end


def qualifier_may_spread(own_label: str | None, distance: int) -> bool:
    """Whether an abbreviation whose long form sits inside a longer, qualified entity ('higher-risk
    [myelodysplastic syndromes] (MDS)') may take that entity's concept. At its definition, right
    after the long form (`distance` = tokens between them, 1 for the '('), yes: 'higher-risk
    myelodysplastic syndromes (MDS)' is one mention. Elsewhere only when the abbreviation has no
    concept of its own, or only an ambiguous Term ('horse antithymocyte globulin (ATG)': a later
    'ATG' is the horse ATG the text means); a bare 'MDS' keeps its own concept, the disease."""
    return 0 <= distance <= 1 or own_label in (None, "Term")


# ---- thresholds -----------------------------------------------------------------------------


@Language.factory("mdskg_thresholds")
def make_thresholds(nlp: Language, name: str) -> ThresholdParser:
    register_extensions()
    return ThresholdParser()


class ThresholdParser:
    def __call__(self, doc: Doc) -> Doc:
        doc._.thresholds = parse_thresholds(doc_text(doc))
        return doc


# ---- negation -------------------------------------------------------------------------------


@Language.factory("mdskg_negation")
def make_negation(nlp: Language, name: str) -> NegationFlags:
    register_extensions()
    return NegationFlags()


class NegationFlags:
    """Negation/hedging flags per entity, computed within the entity's sentence (`Span.sent`:
    the sentence its first token is in)."""

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        if not ents:
            return doc
        if "sent" in doc.user_span_hooks or "sents" in doc.user_hooks:
            bounds = [(e.sent.start, e.sent.end) for e in ents]  # custom sentences: ask spaCy
        elif doc.has_annotation("SENT_START"):
            # Span.sent per entity scans tokens (and the whole doc for has_annotation) each time;
            # one SENT_START array and a binary search give the same sentence for every entity.
            bounds = entity_sentences(doc.to_array(SENT_START), [e.start for e in ents])
        else:
            bounds = [(0, len(doc))] * len(ents)
        by_sentence: dict[int, list[Span]] = {}
        sentences: dict[int, tuple[int, int]] = {}
        for ent, (start, end) in zip(ents, bounds, strict=True):
            by_sentence.setdefault(start, []).append(ent)
            sentences[start] = (start, end)
        text = doc_text(doc)
        for key, group in by_sentence.items():
            start, end = sentences[key]
            last = doc[end - 1]
            sent_start_char, sent_end_char = doc[start].idx, last.idx + len(last)
            spans = [(e.start_char - sent_start_char, e.end_char - sent_start_char) for e in group]
            for ent, flags in zip(group, entity_flags(text[sent_start_char:sent_end_char], spans), strict=True):
                ent._.negated = flags.negated
                ent._.hedged = flags.hedged
                ent._.negation_cue = flags.negation_cue
                ent._.hedge_cue = flags.hedge_cue
        return doc


def entity_sentences(sent_starts: Sequence[int], ent_starts: Sequence[int]) -> list[tuple[int, int]]:
    """(start, end) token range of the sentence each entity's first token is in, as `Span.sent`
    finds it: back to the nearest token whose SENT_START is 1 (or the doc's start), forward to
    the next one after the entity's first token (or the doc's end)."""
    flags = np.asarray(sent_starts).astype(np.int64)
    length = len(flags)
    boundaries = np.flatnonzero(flags == 1)
    positions = np.searchsorted(boundaries, np.asarray(ent_starts, dtype=np.int64), side="right")
    out = []
    for position in positions.tolist():
        start = int(boundaries[position - 1]) if position > 0 else 0
        end = int(boundaries[position]) if position < len(boundaries) else length
        out.append((start, end))
    return out


# ---- generic disease / chemical spotter (evaluation and unmapped terms only) ---------------

_DISEASE_SUFFIX = re.compile(
    r"(?:a?emias?|omas?|itis|oses|osis|pathy|pathies|plasias?|penias?|cytosis|algias?|urias?|trophy|ectasias?"
    r"|megaly|plegias?|paresis|rrhea|rrhoea|rrhage|sclerosis|emesis|toxicity|toxicities|opathy|edema|oedema"
    r"|infarction|ischemia|ischaemia|arrhythmias?|fibrillation|tachycardia|bradycardia|hypertension"
    r"|hypotension|seizures?|epilepsy|dementia|anaemia|cancers?|tumou?rs?|carcinomas?|lymphomas?"
    r"|leuka?emias?|syndromes?|deficienc(?:y|ies)|diseases?|disorders?|dysfunction|dystrophy|injury"
    r"|injuries|failure|infections?|neuropathy|insufficiency|psychosis|palsy|ataxia|aneurysms?|thrombosis"
    r"|embolism|hemorrhage|haemorrhage|stroke|pain|fever|nausea|vomiting|delirium|depression|mania"
    r"|hepatitis|nephrotoxicity|cardiotoxicity|hepatotoxicity|ototoxicity|neurotoxicity)$",
    re.IGNORECASE,
)
_DISEASE_HEADS = re.compile(
    r"^(?:syndromes?|deficienc(?:y|ies)|diseases?|disorders?|cancers?|tumou?rs?|carcinomas?|failure"
    r"|injury|infections?|dysfunction|dystrophy|insufficiency|toxicity|palsy|defects?|anomal(?:y|ies))$",
    re.IGNORECASE,
)
_CHEMICAL_SUFFIX = re.compile(
    r"(?:mab|nib|tinib|zumab|ximab|umab|parin|platin|taxel|rubicin|mycin|micin|cycline|oxacin|floxacin"
    r"|azole|conazole|statin|sartan|pril|olol|dipine|vir|navir|tidine|prazole|setron|triptan|caine|barbital"
    r"|azepam|zolam|oxetine|triptyline|pramine|peridol|apine|idone|sone|olone|asone|amide|azide|amine"
    r"|idine|azine|phylline|profen|fenac|coxib|dronate|fibrate|gliptin|glitazone|formin|lukast|ine|ol|ide"
    r"|ate|one|ium|in)$",
    re.IGNORECASE,
)
_STOP = {
    "medicine", "examine", "routine", "line", "fine", "urine", "vaccine", "machine", "online", "define",
    "determine", "baseline", "guideline", "decline", "combine", "outline", "discipline", "alkaline", "mine",
    "nine", "pine", "wine", "engine", "spine", "saline", "margin", "protein", "within", "begin", "origin",
    "control", "protocol", "school", "pool", "tool", "cool", "wide", "side", "provide", "decide", "inside",
    "outside", "guide", "ride", "beside", "hide", "slide", "pride", "bride", "tide", "include", "evaluate",
    "indicate", "rate", "date", "late", "state", "estimate", "moderate", "adequate", "appropriate",
    "separate", "approximate", "accurate", "immediate", "ultimate", "one", "done", "none", "alone", "gone",
    "bone", "tone", "zone", "phone", "someone", "anyone", "everyone", "stone", "clone", "premium", "medium",
    "stadium", "podium", "forum", "plasma", "diagnosis", "prognosis", "thesis", "basis", "analysis",
    "hypothesis", "emphasis", "synthesis", "axis", "crisis", "dose", "doses", "these", "those", "disease",
    "diseases", "disorder", "disorders", "syndrome", "syndromes", "cancer", "cancers", "failure", "injury",
    "infection", "pain", "fever", "stroke", "tumor", "tumors", "tumour", "tumours", "toxicity", "role",
    "whole", "sole", "pole", "hole", "rule", "schedule", "module", "capsule", "molecule", "article", "vehicle",
    "particle", "people", "example", "sample", "simple", "single", "multiple", "couple", "title", "while",
    "profile", "mobile", "female", "male", "scale", "sale", "tale", "oral", "total", "several",
    "general", "clinical", "medical", "potential", "initial", "trial", "trials", "arterial", "renal",
    "normal", "animal", "interval", "natural", "neural", "central", "dental", "mental", "spinal", "facial",
    "national", "additional", "original", "fatal", "vital", "hospital", "patients", "patient", "ratio",
    "insulin", "vitamin", "again", "certain", "main", "chain", "brain", "domain", "obtain", "contain",
    "remain", "maintain", "explain", "plain", "gain", "skin", "twin", "thin", "latin", "in", "ol", "ide", "ine", "ate", "ium", "data", "cohort", "examination", "determination", "combination",
    "administration", "information", "concentration", "population", "evaluation", "genotype", "phenotype",
    "feature", "features", "picture", "structure", "procedure", "measure", "pressure", "exposure",
    "literature", "nature", "mixture", "culture", "future", "figure", "nucleotide",
    "peptide", "oxide", "dioxide", "site", "sites", "quite", "despite", "white", "write", "favorite",
    "composite", "opposite", "suite", "elite", "kite", "bite", "polymorphism", "mechanism", "metabolism",
    "organism", "cytoplasm", "neoplasm", "doctrine", "domestic", "therapeutic",
}


@Language.factory("mdskg_generic_ner", default_config={"chemicals": True, "diseases": True})
def make_generic_ner(nlp: Language, name: str, chemicals: bool, diseases: bool) -> GenericNer:
    return GenericNer(chemicals, diseases)


class GenericNer:
    """Adds GENERIC_DISEASE / GENERIC_CHEMICAL spans where the ontology ruler found nothing.

    Disease: a word with a disease suffix (-emia, -oma, -itis, -osis, -pathy …) or a disease head
    noun ('syndrome', 'deficiency', 'cancer', 'disease'), extended left over its modifiers.
    Chemical: a word with a drug/chemical suffix (-mab, -nib, -ine, -ol, -ide …), not a stop word.
    Heuristics without a model: expect modest precision. Never used to build the graph.
    """

    def __init__(self, chemicals: bool = True, diseases: bool = True):
        self.chemicals = chemicals
        self.diseases = diseases

    def __call__(self, doc: Doc) -> Doc:
        taken = set()
        for ent in doc.ents:
            taken.update(range(ent.start, ent.end))
        new: list[Span] = []
        for token in doc:
            if token.i in taken or not token.is_alpha or len(token.text) < 4:
                continue
            lower = token.lower_
            if self.diseases and (_DISEASE_SUFFIX.search(lower) or _DISEASE_HEADS.match(lower)) and \
                    lower not in {"basis", "analysis", "thesis", "emphasis", "synthesis", "axis", "crisis",
                                  "diagnosis", "prognosis", "hypothesis", "protein", "pain"}:
                start = _extend_left(doc, token.i, taken)
                if _DISEASE_HEADS.match(lower) and start == token.i:
                    continue  # a bare "disease"/"syndrome" names nothing
                new.append(Span(doc, start, token.i + 1, label=GENERIC_DISEASE))
            elif self.chemicals and _CHEMICAL_SUFFIX.search(lower) and lower not in _STOP and \
                    len(lower) >= 6 and not token.is_stop:
                new.append(Span(doc, token.i, token.i + 1, label=GENERIC_CHEMICAL))
        if new:
            doc.ents = filter_spans(list(doc.ents) + [s for s in new if not (set(range(s.start, s.end)) & taken)])
        return doc


_MODIFIER_STOP = {"the", "a", "an", "of", "and", "or", "with", "in", "to", "for", "by", "on", "at", "from", "as",
                  "is", "are", "was", "were", "be", "been", "that", "this", "these", "those", "which", "who",
                  "patients", "patient", "cases", "case", "risk", "severe", "mild", "other", "no", "not",
                  "its", "their", "his", "her", "all", "some", "any", "each", "both", "induced", "associated",
                  "related", "due", "after", "before", "during", "than", "more", "less", "most", "such"}


def _extend_left(doc: Doc, index: int, taken: set[int], max_words: int = 3) -> int:
    """Take up to `max_words` modifiers before a disease head ('acute renal failure', 'Wilson disease')."""
    start = index
    while start > 0 and index - start < max_words:
        prev = doc[start - 1]
        if prev.i in taken or not (prev.is_alpha or "-" in prev.text) or prev.lower_ in _MODIFIER_STOP \
                or prev.is_punct:
            break
        if not (prev.text[0].isupper() or re.search(r"(?:al|ic|ous|ive|ary|ar|ile|oid|ed|tic|ing)$", prev.lower_)
                or _DISEASE_SUFFIX.search(prev.lower_)):
            break
        start -= 1
    return start
