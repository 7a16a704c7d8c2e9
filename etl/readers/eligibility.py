"""Split a trial's eligibility criteria into inclusion/exclusion parts and single items.

Registry text is free-form: headings come as "Inclusion Criteria:", "INCLUSION CRITERIA",
"Key Inclusion Criteria:", "**Exclusion criteria**", "Criteria for exclusion:", "Exclusion:",
and items as "-", "*", "•", "1.", "a)" bullets or plain lines. Every span returned here is an
offset into the text given, so callers can place it inside a Document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(
    r"""
    ^[ \t]*(?:\#{1,6}[ \t]*)?[*_]{0,2}[ \t]*
    (?:(?:key|main|major|principal|general|other|additional|specific)[ \t]+)?
    (?:
        (?P<kind>inclusion|exclusion)(?P<criteria>[ \t]+criteri(?:a|on))?
      | criteria[ \t]+(?:for[ \t]+)?(?P<kind_after>inclusion|exclusion)(?P<criteria_after>)
    )
    (?:[ \t]+(?:for|of|in)[ \t]+[^\n:*_]{1,60}(?=[*_]{0,2}[ \t]*[:：])|[ \t]*\([^)\n]{0,60}\))?
    [ \t]*[*_]{0,2}[ \t]*(?P<mark>[:：\-–—.])?[ \t]*[*_]{0,2}[ \t]*
    (?P<inline>[^\n]*?)[ \t]*$
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)

# A bullet or enumerator at the start of a line: -, *, •, 1., 1), a., (a), ii)
_BULLET = re.compile(
    r"^[ \t]*(?:[-*•·◦▪‣–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\([ivxIVX]{1,4}\)|[ivx]{1,4}[.)])[ \t]+"
)


@dataclass(frozen=True)
class EligibilityPart:
    """One stretch of criteria: `kind` is inclusion, exclusion or eligibility (unlabelled)."""

    kind: str
    heading: str
    start: int  # content only: the heading line is not part of the span
    end: int


class CriterionItem(str):
    """One criterion; the string equals `text[start:end]` of the text it came from."""

    start: int
    end: int

    def __new__(cls, text: str, start: int, end: int) -> CriterionItem:
        item = super().__new__(cls, text[start:end])
        item.start = start
        item.end = end
        return item


def eligibility_parts(text: str) -> list[EligibilityPart]:
    """Labelled parts of the criteria text, in order; one `eligibility` part if no headings."""
    headings = list(_headings(text))
    if not headings:
        start, end = _trim(text, 0, len(text))
        return [EligibilityPart("eligibility", "Eligibility Criteria", start, end)] if start < end else []

    parts = []
    preamble = _trim(text, 0, headings[0][1])
    if preamble[0] < preamble[1]:
        parts.append(EligibilityPart("eligibility", "Eligibility Criteria", *preamble))
    for index, (kind, line_start, content_start, heading) in enumerate(headings):
        next_start = headings[index + 1][1] if index + 1 < len(headings) else len(text)
        start, end = _trim(text, content_start, next_start)
        parts.append(EligibilityPart(kind, heading, start, max(start, end)))
    return parts


def split_eligibility(text: str) -> tuple[str, str]:
    """(inclusion_text, exclusion_text) without their headings.

    Several inclusion (or exclusion) parts, e.g. for patients and for donors, are joined with a
    blank line. Criteria without any heading are all conditions to meet, so they are returned
    as the inclusion text.
    """
    parts = eligibility_parts(text)
    labelled = any(part.kind != "eligibility" for part in parts)
    inclusion, exclusion = [], []
    for part in parts:
        if labelled and part.kind == "eligibility":
            continue  # a preamble before the first heading belongs to neither list
        target = exclusion if part.kind == "exclusion" else inclusion
        target.append(text[part.start : part.end])
    return "\n\n".join(p for p in inclusion if p), "\n\n".join(p for p in exclusion if p)


def criteria_items(text: str) -> list[CriterionItem]:
    """One item per bullet or per unbulleted paragraph line; headings are not items.

    An unbulleted line directly under an item (no blank line between) continues that item,
    which is how hard-wrapped registry text reads.
    """
    items: list[CriterionItem] = []
    current: tuple[int, int] | None = None  # (start, end) of the item being built
    after_blank = True
    for line_start, line in _lines(text):
        if not line.strip():
            after_blank = True
            continue
        heading = _HEADING.fullmatch(line)
        if heading and _is_heading(heading):
            _flush(items, text, current)
            current = None
            if heading.group("inline"):  # "Exclusion criteria: prior HSCT" carries an item
                current = (line_start + heading.start("inline"), line_start + heading.end("inline"))
            after_blank = True
            continue
        bullet = _BULLET.match(line)
        content_offset = bullet.end() if bullet else len(line) - len(line.lstrip())
        content_start = line_start + content_offset
        content_end = line_start + len(line.rstrip())
        continues = current is not None and not bullet and not after_blank
        if continues and not text[current[0] : current[1]].endswith(":"):
            current = (current[0], content_end)
        else:
            _flush(items, text, current)
            current = (content_start, content_end)
        after_blank = False
    _flush(items, text, current)
    return items


def _flush(items: list[CriterionItem], text: str, span: tuple[int, int] | None) -> None:
    # A bullet with nothing after it (seen in real records) is not a criterion.
    if span is not None and span[0] < span[1] and text[span[0] : span[1]].strip(" -*•"):
        items.append(CriterionItem(text, *span))


def _headings(text: str):
    """(kind, line_start, content_start, heading_text) for each criteria heading line."""
    for match in _HEADING.finditer(text):
        if not _is_heading(match):
            continue
        kind = (match.group("kind") or match.group("kind_after")).lower()
        inline = match.group("inline")
        content_start = match.start("inline") if inline else min(match.end() + 1, len(text))
        heading = text[match.start() : match.start("inline") if inline else match.end()]
        yield kind, match.start(), content_start, heading.strip(" \t*_#:-–—.")


def _is_heading(match: re.Match) -> bool:
    has_word_criteria = match.group("criteria") is not None or match.group("criteria_after") is not None
    has_mark = match.group("mark") is not None
    if match.group("inline"):
        # "Inclusion criteria: age ≥ 18" is a heading with content; "Inclusion of women" is not.
        return match.group("mark") in (":", "：")
    return has_word_criteria or has_mark


def _lines(text: str):
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line.rstrip("\r\n")
        offset += len(line)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
