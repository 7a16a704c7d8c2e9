"""Rule sentence boundaries for guideline prose, Markdown and registry criteria.

Pure function `split_sentences(text) -> [(start, end)]`. Why rules and not a model: the texts
are clean, edited prose whose hard cases are known — abbreviations ("e.g.", "et al.", "vs.",
"Dr."), decimals ("2.5 mg"), and citation markers at sentence ends ("… MDS [PMID:9401087]." or
"… MDS.[18]"), which must stay with the sentence they support. Markdown structure (headings,
bullets, table rows, blank lines) always ends a sentence; a single newline inside a paragraph
(hard-wrapped text) does not.
"""

from __future__ import annotations

import re

from etl.nlp.citations import MARKER_RUN

ABBREVIATIONS = {
    "e.g", "i.e", "et al", "al", "vs", "v", "dr", "drs", "fig", "figs", "approx", "no", "nos", "inc", "st", "mr",
    "mrs", "ms", "prof", "cf", "ca", "resp", "incl", "jr", "sr", "ph.d", "u.s", "eq", "ref", "refs", "vol", "pp",
    "p", "spp", "sp", "corp", "co", "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "min", "max", "mo", "mos", "wk", "wks", "yr", "yrs", "est", "dept", "univ", "viz", "etc.,",
    "ed", "eds", "suppl", "med", "hosp", "natl", "int", "j", "proc", "am", "engl",
}
# Hard breaks: blank line, or a line that starts a Markdown block (heading, bullet, table row).
_HARD_BREAK = re.compile(
    r"\n[ \t]*\n\s*|\n(?=[ \t]*(?:#{1,6}\s|[-*•·+]\s|\d{1,3}[.)]\s|\|))|(?<=:)[ \t]*\n(?=\s*\S)"
)
_LINE_OF_ITS_OWN = re.compile(r"[ \t]*(?:#{1,6}(?:\s|$)|\|)")
# Sentence-final punctuation, optional closing quotes/brackets.
_FINAL = re.compile(r"[.!?](?:[\"'”’)\]]+)?")
# What may start the next sentence.
_NEXT_START = re.compile(r"[\"'“‘(\[]?[A-Z0-9]|[\"'“‘]?[*_]{1,2}[A-Z]")


_NEWLINE_IN_PROSE = re.compile(r"(?<=[^\s])[ \t]*\n(?=[ \t]*[^\s#|*•+\-\d>])")
_BLOCK_LINE = re.compile(r"[ \t]*(?:#{1,6}(?:\s|$)|\|)")


def unwrap_lines(text: str) -> str:
    """Hard-wrapped prose with each in-paragraph newline made a space (same length, so offsets
    do not move). spaCy splits tokens on spaces only; a newline inside 'supportive\ncare' would
    otherwise stop the ruler from matching the name. Newlines that end a heading, a table row or
    a line ending in ':' stay: they end a sentence."""

    def keep_or_join(match: re.Match) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start : match.start()]
        if _BLOCK_LINE.match(line) or line.rstrip().endswith(":"):
            return match.group()
        return match.group().replace("\n", " ")

    return _NEWLINE_IN_PROSE.sub(keep_or_join, text)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Non-empty sentence spans (start, end) covering the text's sentences, whitespace trimmed."""
    spans = []
    for block_start, block_end in _blocks(text):
        for start, end in _sentences_in_block(text, block_start, block_end):
            start, end = _trim(text, start, end)
            if start < end:
                spans.append((start, end))
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    blocks, position = [], 0
    for match in _HARD_BREAK.finditer(text):
        blocks.append((position, match.start()))
        position = match.end()
    blocks.append((position, len(text)))
    return blocks


def _sentences_in_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Heading lines and table rows are sentences of their own; the other lines form prose."""
    sentences: list[tuple[int, int]] = []
    prose_start = None
    for line in re.finditer(r"[^\n]*(?:\n|$)", text[start:end]):
        if not line.group():
            continue
        line_start, line_end = start + line.start(), start + line.end()
        if _LINE_OF_ITS_OWN.match(line.group()):
            if prose_start is not None:
                sentences += _prose_sentences(text, prose_start, line_start)
                prose_start = None
            sentences.append((line_start, line_end))
        elif prose_start is None:
            prose_start = line_start
    if prose_start is not None:
        sentences += _prose_sentences(text, prose_start, end)
    return sentences


def _prose_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    sentences, sentence_start = [], start
    for match in _FINAL.finditer(text, start, end):
        boundary = _boundary_after(text, match, end)
        if boundary is not None:
            sentences.append((sentence_start, boundary))
            sentence_start = boundary
    sentences.append((sentence_start, end))
    return sentences


def _boundary_after(text: str, match: re.Match, block_end: int) -> int | None:
    """Where the next sentence starts if this punctuation ends a sentence, else None."""
    if match.group()[0] == "." and _is_abbreviation_or_number(text, match.start()):
        return None
    position = match.end()
    markers = MARKER_RUN.match(text, position, block_end)
    if markers:
        position = markers.end()
    gap = re.compile(r"\s+").match(text, position, block_end)
    if gap is None:
        return None  # "2.5", "e.g.x", "U.S.A": no space, no boundary
    following = text[gap.end() : gap.end() + 4]
    if not _NEXT_START.match(following):
        return None  # "… approx. 3 …" handled above; lower-case next word: not a new sentence
    return position


def _is_abbreviation_or_number(text: str, dot: int) -> bool:
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[max(0, dot - 12) : dot])
    if word is None:
        return False
    token = word.group(1).lower().rstrip(".")
    if token in ABBREVIATIONS:
        return True
    before = text[max(0, dot - 7) : dot].lower()
    if before.endswith("et al"):
        return True
    # A single capital initial ("J. Smith") — but not a one-letter word ending a sentence ("vitamin D.").
    if len(word.group(1)) == 1 and word.group(1).isupper():
        previous = text[max(0, dot - 3) : dot - 1]
        return previous.endswith((" ", "\n")) and text[dot + 1 : dot + 3].strip()[:1].isupper() and \
            bool(re.search(r"\b[A-Z][a-z]+,?\s+[A-Z]$", text[max(0, dot - 30) : dot]))
    return False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
