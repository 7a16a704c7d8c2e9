"""Recommendation cue binding: the cue tables and the rules that bind a cue to its therapies.

A recommendation needs an explicit recommendation or approval cue *bound* to its therapy: the
therapy is the whole subject of a subject cue ("<Therapy> is an option for …"), or the object right
after an object cue ("the FDA approved <Therapy> for …"). A `Binding` records the cue's strength,
its therapies and the ranges of the sentence where its population is named. Recommendations
(recommendations.py) and the bound TREATS relations (treats.py) are both read off these bindings,
so binding is a family of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from etl.nlp.literals import fold, may_match, required_words
from etl.nlp.relations.base import RuleBase
from etl.nlp.relations.cues import POPULATION_LABELS
from etl.nlp.relations.shared import _clauses, _is_therapy
from etl.nlp.relations.views import MentionView, SentenceView


def _cue(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


# A recommendation needs an explicit recommendation or approval cue bound to the therapy. Two
# kinds: a *subject* cue follows the therapy it is about ("<Therapy> is an option for …", "<Therapy>
# is not recommended for …"); an *object* cue precedes it ("the FDA approved <Therapy> for …",
# "<patients> may be treated with <Therapy>"). Polarity comes from the cue alone: a negation
# elsewhere in the sentence ("did not improve", "who are not eligible") says nothing about the
# therapy. Descriptive, mechanistic, side-effect, dose, trial-result and brand-name sentences have
# no such cue and give no recommendation.
SUBJECT_CUES: list[tuple[str, re.Pattern]] = [
    ("not_recommended", _cue(r"\b(?:is|are)\s+not\s+(?:generally\s+|routinely\s+)?recommended\b")),
    ("not_recommended", _cue(r"\b(?:should|must)\s+not\s+be\s+(?:used|given|offered|prescribed)\b")),
    ("not_recommended", _cue(r"\b(?:is|are)\s+not\s+(?:the\s+)?preferred\b")),
    ("not_recommended", _cue(r"\b(?:is|are)\s+contraindicated\b")),
    ("not_established", _cue(r"\b(?:is|are|remains?)\s+not\s+(?:an?\s+|the\s+)?(?:established|standard|proven|approved)"
                             r"\s+(?:treatments?|therapy|therapies|options?|standard\s+of\s+care)\b")),
    ("not_established", _cue(r"\b(?:is|are)\s+not\s+(?:the\s+)?standard\s+of\s+care\b")),
    ("not_established", _cue(r"\b(?:is|are)\s+not\s+approved\s+(?:for|in)\b")),
    ("recommended", _cue(r"\b(?:is|are)\s+(?:strongly\s+|generally\s+|also\s+|usually\s+)?recommended\b"
                         r"(?!\s+(?:starting\s+|initial\s+|maximum\s+)?dos)")),
    ("recommended", _cue(r"\b(?:is|are|remains?|has\s+been|have\s+been)\s+(?:the|a)\s+(?:standard\s+|preferred\s+)?"
                         r"(?:first|front)[\s-]line\s+(?:treatments?|therapy|therapies|options?)\b")),
    ("recommended", _cue(r"\b(?:is|are)\s+the\s+(?:standard\s+(?:treatment|therapy|of\s+care)"
                         r"|treatment\s+of\s+choice)\b")),
    ("recommended", _cue(r"\b(?:is|are|(?:has|have)\s+(?:traditionally\s+|long\s+)?been)\s+the\s+mainstay\b")),
    ("may_be_considered", _cue(r"\b(?:may|can|could|might|should)\s+(?:also\s+|still\s+)?be\s+considered\b")),
    ("may_be_considered", _cue(r"\b(?:is|are)\s+(?:the\s+)?suggested\b")),
    ("may_be_considered", _cue(r"\b(?:may|might)\s+be\s+an?\s+option\b")),
    ("option", _cue(r"\b(?:is|are|remains?)\s+(?:also\s+|still\s+)?(?:an?\s+|the\s+)?(?:established\s+|reasonable\s+|"
                    r"additional\s+|further\s+|treatment\s+|therapeutic\s+)?options?\b")),
    ("option", _cue(r"\b(?:is|are|was|were|(?:has|have)\s+been)\s+(?:also\s+|already\s+|now\s+)?approved"
                    r"(?:\s+in\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s+(?:for|to\s+treat)\b")),
    ("option", _cue(r"\b(?:is|are)\s+an?\s+alternative\s+to\b")),  # "… to <comparator> as first-line treatment"
    ("option", _cue(r"\b(?:is|are)\s+the\s+only\s+(?:potentially\s+)?curative\s+(?:treatment|therapy|option)\b")),
    ("option", _cue(r"\b(?:has|have)\s+been\s+shown\s+to\s+improve\s+(?:overall\s+)?survival\b")),
]
_ACTIVE_RECOMMEND = (r"\b(?:recommends?|recommended)\s+"
                     r"(?!that\b|as\b|for\b|to\b|in\b|by\b|early\b|dos|starting\b|initial\b)")
OBJECT_CUES: list[tuple[str, re.Pattern]] = [
    ("option", _cue(r"\b(?:FDA|EMA|European\s+Commission|Food\s+and\s+Drug\s+Administration(?:\s*\(FDA\))?)\s+"
                    r"(?:also\s+|has\s+|had\s+)?(?:approved|granted\s+(?:\w+\s+){0,2}approval\s+(?:to|for)"
                    r"|expanded\s+the\s+approval\s+of)\s+")),
    ("recommended", _cue(_ACTIVE_RECOMMEND)),  # "some panels recommend <Therapy> for …" (not the passive)
    ("option", _cue(r"\b(?:is|are)\s+(?:usually\s+|often\s+|commonly\s+|generally\s+)?treated\s+with\s+")),
    ("may_be_considered", _cue(r"\b(?:may|can|could|might)\s+(?:also\s+)?be\s+treated\s+with\s+")),
    ("recommended", _cue(r"\bshould\s+be\s+treated\s+with\s+")),
    ("may_be_considered", _cue(r"\b(?:should|may|can|could|might)\s+(?:also\s+|still\s+)?be\s+considered\s+for\s+")),
    ("may_be_considered", _cue(r"\bmay\s+(?:want\s+to\s+|wish\s+to\s+)?consider\s+(?:taking\s+part\s+in\s+|joining\s+"
                               r"|enrolling\s+in\s+|entering\s+)?")),
    ("option", _cue(r"\b(?:is|are)\s+(?:also\s+)?(?:good\s+|potential\s+)?candidates?\s+for\s+")),
    ("recommended", _cue(r"\bmainstay\s+of\s+(?:treatment|therapy|care|management)\b[^.;]{0,40}?\b(?:(?:has|have)\s+"
                         r"(?:traditionally\s+|long\s+)?been|is|are|remains?)\s+")),
    ("not_established", _cue(r"\bno\s+(?:\w+\s+){0,2}(?:trials?|studies|data|evidence)\s+(?:have|has)\s+(?:yet\s+)?"
                             r"(?:demonstrated|shown|proven|established)\s+(?:the\s+|a\s+|any\s+)?"
                             r"(?:clinical\s+|survival\s+)?"
                             r"benefit\s+(?:of|from|with)\s+")),
]
# Every cue with the words one of which each of its matches contains (etl/nlp/literals.py), in
# the order bindings() has always tried them: subject cues, then object cues.
_CUES: list[tuple[str, str, re.Pattern, tuple[str, ...] | None]] = (
    [("subject", strength, regex, required_words(regex)) for strength, regex in SUBJECT_CUES]
    + [("object", strength, regex, required_words(regex)) for strength, regex in OBJECT_CUES]
)


def cue_candidates(text: str) -> tuple[tuple[str, str, re.Pattern], ...]:
    """(kind, strength, regex) of the cues that can occur in `text`. Scanning a clause with all
    29 cue patterns was the extractor's largest cost; most sentences hold the words of a few."""
    folded = fold(text)
    return tuple((kind, strength, regex) for kind, strength, regex, words in _CUES if may_match(words, folded))


# Words allowed between an object cue and its therapy ("approved oral …", "benefit of prophylactic use of …").
_OBJECT_LEAD = re.compile(r"(?:(?:the|a|an|oral|intravenous|subcutaneous|low[\s-]dose|high[\s-]dose|routine"
                          r"|prophylactic"
                          r"|preventive|preventative|allogeneic|standard|use\s+of|treatment\s+with)\s+)*$", re.I)
# A hedged source of a recommendation ("some consensus panels recommend …").
_HEDGED_RECOMMENDER = re.compile(r"\b(?:some|certain|several|a\s+few)\b", re.I)
# Introductory phrases before the subject ("After ESA failure, <Therapy> is …", "In Europe, …").
_INTRO = re.compile(r"^\s*(?:after|following|for|in|on|among|when|if|once|before|despite|as|with|under|since|by|at"
                    r"|during"
                    r"|until|given|unlike|outside|beyond|compared|because|although|though|while)\b", re.I)
_CONJUNCTION_START = re.compile(r"^\s*(?:and|but|so|yet|then|thus|therefore|hence)\s+", re.I)
# Where a cue's population phrase stops.
_REGION_STOP = re.compile(r"\b(?:before|because|since|unless|although|than)\b", re.I)

# The subject of a subject cue must be a bare therapy noun phrase. It is matched on a "shape" of
# the text in which each therapy mention is _T and each population mention _P.
_T, _P = "\ue000", "\ue001"
_MOD = (r"(?:(?:the|a|an|oral|intravenous|iv|subcutaneous|allogeneic|standard|low[\s-]dose|high[\s-]dose"
        r"|single[\s-]agent|injectable|all|both|these|such)\s+)*")
_PAREN = r"(?:\s*\([^()]{1,40}\))?"
_TAIL = (r"(?:\s+(?:tablets?|capsules?|injections?|infusions?|therapy|treatment|agents?|drugs?|alone|monotherapy"
         r"|regimens?))*")
_HEAD = _MOD + _T + _PAREN + _TAIL + _PAREN
_LISTED = _MOD + _T + _PAREN
_NP = re.compile(
    r"^\s*(?:(?:and|but|so|yet|then|thus|therefore|hence)\s+)?" + _HEAD
    + r"(?:\s*,?\s*(?:and|or|and/or)\s+" + _HEAD + r")*"
    + r"(?:\s*,?\s*(?:such\s+as|including|e\.g\.,?|like)\s+" + _LISTED + r"(?:\s*,?\s*(?:and|or)\s+" + _LISTED
    + r")*\s*,?)?"
    + r"(?:\s*,?\s*(?:with|using)\s+" + _LISTED + r"(?:\s*,?\s*(?:with\s+or\s+without|and|or|and/or|plus)\s+" + _LISTED
    + r")*\s*,?)?"
    + r"(?:\s+(?:in|for)\s+(?:patients\s+with\s+)?" + _P + r")?\s*$",
    re.I,
)
_NP_KEYWORD = re.compile(r"\b(?:such\s+as|including|e\.g\.|like|with|using)\b", re.I)


@dataclass(frozen=True)
class Binding:
    """A recommendation cue bound to the therapies it is about; `region` holds the sentence-
    relative ranges where its population is named."""

    strength: str
    kind: str  # subject | object
    cue_start: int
    cue_end: int
    subjects: tuple[MentionView, ...]
    region: tuple[tuple[int, int], ...]
    clause: tuple[int, int]


def _region_end(sv: SentenceView, start: int, end: int) -> int:
    stop = _REGION_STOP.search(sv.text, start, end)
    return stop.start() if stop else end


class BindingRules(RuleBase):
    """Recommendation cues bound to their therapies (mixed into RelationRules)."""

    def bindings(self, sv: SentenceView, mentions: list[MentionView], failed: Sequence[str],
                 components: set[str]) -> list[Binding]:
        """Recommendation cues bound to their therapies, clause by clause; a cue that binds to no
        therapy (the subject is a trial, a combination, a brand name …) is dropped."""
        out: list[Binding] = []
        candidates = cue_candidates(sv.text)
        for clause in _clauses(sv):
            a, b = clause
            found = [(kind, strength, m) for kind, strength, regex in candidates for m in regex.finditer(sv.text, a, b)]
            found.sort(key=lambda f: (f[2].start(), f[0] != "subject"))
            taken: list[tuple[int, int]] = []
            for kind, strength, cue in found:
                if any(cue.start() < e and s < cue.end() for s, e in taken):
                    continue
                if kind == "subject":
                    binding = self._bind_subject(sv, mentions, clause, strength, cue, failed, components)
                else:
                    binding = self._bind_object(sv, mentions, clause, strength, cue, failed)
                if binding is not None:
                    out.append(binding)
                    taken.append((cue.start(), cue.end()))
        return out

    def _bind_subject(self, sv, mentions, clause, strength, cue, failed, components) -> Binding | None:
        """'<Therapy> is an option for …': the therapy is the whole subject noun phrase, possibly
        after an introductory phrase ('After ESA failure, …'). A subject that is anything else (a
        trial, 'adding X to Y', 'the approval of X', a mechanism) binds nothing."""
        a, b = clause
        starts = [a] + [i + 1 for i in range(a, cue.start()) if sv.text[i] == ","]
        for start in starts:
            introduced = _INTRO.match(sv.text[a:start]) or _CONJUNCTION_START.match(sv.text[start : cue.start()])
            if start > a and not introduced:
                continue
            heads = self._noun_phrase_therapies(sv, mentions, start, cue.start(), components)
            if not heads:
                continue
            heads = [m for m in heads if m.concept_id not in failed]
            if not heads:
                return None
            region = [(a, start)] if start > a else []
            region.append((cue.end(), _region_end(sv, cue.end(), b)))
            return Binding(strength, "subject", cue.start(), cue.end(), tuple(heads), tuple(region), clause)
        return None

    def _noun_phrase_therapies(self, sv, mentions, start: int, end: int, components: set[str]) -> list[MentionView]:
        """The head therapies when sv.text[start:end] is a bare therapy noun phrase ('Oral azacitidine
        tablets (Onureg)', 'Azacitidine and decitabine', 'TPO-RAs such as romiplostim', 'IST with
        horse ATG, with or without cyclosporine'), else []. Examples ('such as …') and components
        ('with <drug of the therapy>') are not heads; 'X with/plus Y' of two therapies is a
        combination and binds nothing."""
        if any(sv.rel(m.start) < boundary < sv.rel(m.end) for m in mentions for boundary in (start, end)):
            return []
        inside = [m for m in mentions if start <= sv.rel(m.start) and sv.rel(m.end) <= end]
        pieces, therapies, position = [], [], start
        for m in inside:
            pieces.append(sv.text[position : sv.rel(m.start)])
            if _is_therapy(m):
                pieces.append(_T)
                therapies.append(m)
            elif m.label in POPULATION_LABELS:
                pieces.append(_P)
            else:
                return []  # a marker, side effect or scheme in the subject: not a bare therapy phrase
            position = sv.rel(m.end)
        pieces.append(sv.text[position:end])
        shape = "".join(pieces)
        if not therapies or not _NP.match(shape):
            return []
        slots = [i for i, ch in enumerate(shape) if ch == _T]
        keywords = [(k.start(), k.group().lower()) for k in _NP_KEYWORD.finditer(shape) if k.start() > slots[0]]
        heads = []
        for slot, mention in zip(slots, therapies, strict=False):  # more therapies than slots: the rest unslotted
            before = [word for pos, word in keywords if pos < slot]
            if not before:
                heads.append(mention)
            elif before[-1] in ("with", "using") and mention.concept_id not in components and mention.label != "Term":
                return []  # "X with Y" where Y is not a component of X: a combination
        unique: dict[str, MentionView] = {}
        for m in heads:
            unique.setdefault(m.concept_id, m)
        return list(unique.values())

    def _bind_object(self, sv, mentions, clause, strength, cue, failed) -> Binding | None:
        """'the FDA approved <Therapy> for …', '<patients> may be treated with <Therapy>', 'some
        panels recommend <Therapy> for …': the therapy right after the cue."""
        a, b = clause
        if cue.re.pattern == _ACTIVE_RECOMMEND and re.search(r"\b(?:is|are|was|were|be|been|being|not)\s+(?:\w+\s+)?$",
                                                             sv.text[a : cue.start()], re.I):
            return None  # the passive "is recommended …" is a subject cue
        after = [m for m in mentions if cue.end() <= sv.rel(m.start) < b]
        if not after or not _is_therapy(after[0]) or after[0].concept_id in failed:
            return None
        first = last = after[0]
        if not _OBJECT_LEAD.fullmatch(sv.text[cue.end() : sv.rel(first.start)]):
            return None
        objects = [first]
        for m in after[1:]:
            gap = sv.between(last, m)
            if not _is_therapy(m):
                break
            if m.concept_id == last.concept_id and re.fullmatch(r"\s*\(\s*", gap):
                last = m  # "decitabine-cedazuridine (Inqovi)"
            elif re.fullmatch(r"\s*\)?\s*,?\s*(?:and|or|and/or|,)\s*(?:the\s+)?", gap, re.I):
                objects.append(m)
                last = m
            elif re.fullmatch(r"\s*\)?\s*,?\s*(?:with|plus|\+|combined\s+with|in\s+combination\s+with|together\s+with"
                              r"|added\s+to)\s*(?:the\s+|an?\s+)?", gap, re.I):
                return None  # a combination
            else:
                break
        if strength == "recommended" and cue.re.pattern == _ACTIVE_RECOMMEND and \
                _HEDGED_RECOMMENDER.search(sv.text[a : cue.start()]):
            strength = "may_be_considered"  # "some consensus panels recommend …"
        region = ((a, sv.rel(first.start)), (sv.rel(last.end), _region_end(sv, sv.rel(last.end), b)))
        return Binding(strength, "object", cue.start(), cue.end(), tuple(objects), region, clause)
