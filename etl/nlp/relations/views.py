"""What the rules read: `SentenceView` (a sentence with its ontology mentions, thresholds and
citation markers, offsets into Document.text) and `MentionView`, and the spaCy adapter that makes
them from a processed Doc (`spacy_sentences`, `DocEntities`).

The adapter is the only spaCy-aware code of the package: every rule family takes SentenceViews, so
the rules can be tested on hand-made views.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from etl.nlp.relations.cues import CLAUSE_SPLIT
from mdskg.records import Threshold


@dataclass(frozen=True)
class MentionView:
    """An ontology mention; offsets into Document.text. `end` includes a trailing '(ABBR)' of
    the same concept, so 'immunosuppressive therapy (IST)' is one mention."""

    concept_id: str
    label: str
    text: str
    start: int
    end: int
    negated: bool = False
    hedged: bool = False
    negation_cue: str | None = None


@dataclass(frozen=True)
class SentenceView:
    text: str
    start: int  # offsets of the sentence in Document.text
    end: int
    section: str | None = None
    section_kind: str | None = None
    citations: tuple[str, ...] = ()
    mentions: tuple[MentionView, ...] = ()
    thresholds: tuple[Threshold, ...] = ()  # offsets into Document.text
    context_therapies: tuple[str, ...] = ()  # therapy ids named by the enclosing heading/bold lead

    def rel(self, offset: int) -> int:
        return offset - self.start

    @functools.cached_property
    def clauses(self) -> tuple[tuple[int, int], ...]:
        """clause_bounds(text), once: the rules ask for it per clause and per mention (~5x a sentence)."""
        return clause_bounds(self.text)

    def between(self, a: MentionView, b: MentionView) -> str:
        """Text between the end of `a` and the start of `b` (empty when they overlap/reverse)."""
        return self.text[self.rel(a.end) : self.rel(b.start)] if a.end <= b.start else ""


def clause_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the clauses of a sentence, split at CLAUSE_SPLIT; empty ones left out."""
    bounds, position = [], 0
    for match in CLAUSE_SPLIT.finditer(text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(text)))
    return tuple((a, b) for a, b in bounds if b > a)


class DocEntities:
    """A Doc's entities, read once, by token range.

    `Span.ents` (spaCy 3.8) walks `doc.ents`, which builds a Span for every entity of the Doc
    from a scan of every token, on each call: asked per sentence, that is quadratic in the doc
    and was most of the adapter's time. `within(start, end)` returns the same entities."""

    def __init__(self, doc):
        self.ents = list(doc.ents)
        self.starts = [e.start for e in self.ents]

    def within(self, start: int, end: int) -> list:
        """`Span(doc, start, end).ents`: from the first entity starting at or after `start`, those
        ending by `end`, up to the first that does not (spaCy stops there too)."""
        return entities_within(self.ents, self.starts, start, end)


def entities_within(ents: Sequence, starts: Sequence[int], start: int, end: int) -> list:
    """The loop of `Span.ents` over `ents` (sorted by start; `starts` their token starts) with the
    leading entities skipped by binary search."""
    out = []
    for i in range(bisect_left(starts, start), len(ents)):
        if ents[i].end > end:
            break
        out.append(ents[i])
    return out


def spacy_sentences(doc, offset: int = 0, section: str | None = None, section_kind: str | None = None,
                    context_therapies: Sequence[str] = (), context_sentences: int = 2,
                    source_text: str | None = None, entities: DocEntities | None = None) -> list[SentenceView]:
    """SentenceViews of a processed Doc whose text starts at `offset` in Document.text.

    `source_text` is the original text when the Doc was made from a same-length normalised copy
    (see sentences.unwrap_lines): sentence and mention texts are taken from it, so evidence is
    always a verbatim slice of Document.text.

    `context_therapies` (therapy ids named by the section heading) are attached to the first
    `context_sentences` prose sentences; a bold lead line ('- **Immunosuppressive therapy**')
    sets them for the sentences that follow it in the same way.

    `entities`: the Doc's DocEntities when the caller has them already.
    """
    from etl.nlp.components import doc_text  # spaCy only here: the rules above do not need it

    views: list[SentenceView] = []
    heading_context = list(context_therapies)
    remaining = context_sentences if heading_context else 0
    original = doc_text(doc) if source_text is None else source_text
    ents = DocEntities(doc) if entities is None else entities
    for sent in doc.sents:
        text = original[sent.start_char : sent.end_char]
        if not text.strip():
            continue
        mentions = tuple(_mention_view(e, original, offset) for e in ents.within(sent.start, sent.end) if e.ent_id_)
        thresholds = tuple(
            replace(t, start=offset + t.start, end=offset + t.end) for t in sent._.thresholds
        )
        lead = _lead_therapies(text, mentions)
        if _LIST_ITEM.match(text) and lead is None:
            heading_context, remaining = [], 0  # a list of options: no sentence belongs to another
        if lead is not None:
            heading_context, remaining = lead, context_sentences
            views.append(SentenceView(text, offset + sent.start_char, offset + sent.end_char, section, section_kind,
                                      tuple(sent._.citations), mentions, thresholds))
            continue
        context = tuple(heading_context) if remaining > 0 else ()
        remaining -= 1
        views.append(SentenceView(text, offset + sent.start_char, offset + sent.end_char, section, section_kind,
                                  tuple(sent._.citations), mentions, thresholds, context))
    return views


def _mention_view(e, original: str, offset: int) -> MentionView:
    flags = e._  # each `e._` builds an Underscore object: one per entity, not one per flag
    return MentionView(e.ent_id_, e.label_, original[e.start_char : e.end_char], offset + e.start_char,
                       offset + e.end_char, bool(flags.negated), bool(flags.hedged), flags.negation_cue)


_LIST_ITEM = re.compile(r"\s*(?:[-*•+]|\d{1,3}[.)])\s")
_LEAD_MARK = re.compile(r"\s*(?:#{1,6}\s|(?:[-*•+]\s+)?(?:\*\*|__))")


def _lead_therapies(text: str, mentions: Sequence[MentionView]) -> list[str] | None:
    """A heading or bold lead line ('- **Immunosuppressive therapy**', '#### Lenalidomide') that
    is just a therapy name: the therapy becomes context for the next sentences."""
    if not _LEAD_MARK.match(text):
        return None
    stripped = re.sub(r"^[\s#>*_\-•]+|[\s*_:.]+$", "", text)
    if not stripped or len(stripped) > 60 or not mentions:
        return None
    therapy = [m for m in mentions if m.label == "Therapy"]
    if len(therapy) == 1 and len(therapy[0].text) >= len(stripped) - 2:
        return [therapy[0].concept_id]
    return None
