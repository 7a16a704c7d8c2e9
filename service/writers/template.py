"""The deterministic default writer: facts, grouped by section, as plain-language paragraphs.

Everything it writes is a fact's own text (re-punctuated and lightly joined), so its answers
are grounded by construction. Each sentence ends with the citation marks of its sources,
numbered by position in `WriterInput.citations`.
"""

from __future__ import annotations

import re

from mdskg.records import AnswerSection, Fact, GroundingSummary

from .base import (
    CLOSEST_PREFIX,
    NOT_COVERED_SENTENCE,
    NOT_COVERED_TITLE,
    WriterInput,
    WrittenAnswer,
    citation_marks,
    citation_numbers,
    ordered_titles,
    render_text,
)

# Facts this short, three or more in a section, read better as a bullet list.
_BULLET_MAX_WORDS = 12
_BULLET_MIN_ITEMS = 3
# Two short facts from the same sources may be joined into one sentence with ", and".
_JOIN_MAX_WORDS = 16
_JOINABLE_FIRST_WORDS = frozenset(
    "it its this these they their those that most some many people patients "
    "treatment treatments the".split()
)
_SENTENCES_PER_PARAGRAPH = 3


class TemplateWriter:
    """Writes an answer from facts alone, deterministically."""

    name = "template"

    def write(self, inp: WriterInput) -> WrittenAnswer:
        if not inp.covered or not inp.facts:
            sections = (not_covered_section(inp.closest),)
        else:
            sections = tuple(self._sections(inp))
            if not sections:  # facts with no text at all
                sections = (not_covered_section(inp.closest),)
        covered = inp.covered and bool(inp.facts)
        return WrittenAnswer(
            sections=sections,
            text=render_text(sections),
            writer=self.name,
            grounded=True,
            problems=(),
            grounding=GroundingSummary(
                method="template",
                badge=("Written from our sources’ own wording, each sentence with its sources (no AI writer)."
                       if covered else "Our sources do not cover this question; nothing was made up to answer it."),
            ),
        )

    def _sections(self, inp: WriterInput):
        by_section: dict[str, list[Fact]] = {}
        for fact in inp.facts:
            by_section.setdefault(fact.section, []).append(fact)
        said: set[str] = set()  # a statement is made once per answer, in its first section
        for title in ordered_titles(inp):
            facts = by_section.get(title)
            if not facts:
                continue
            items = [(text, numbers) for text, numbers in _dedupe(facts, inp)
                     if text.rstrip(".!?").casefold() not in said]
            said |= {text.rstrip(".!?").casefold() for text, _ in items}
            if not items:
                continue
            body = _body(title, items)
            if body:
                yield AnswerSection(title=title, body=body)


def not_covered_section(closest: tuple[str, ...] = ()) -> AnswerSection:
    """The honest answer when our sources do not cover a question: no guess, only pointers."""
    topics = [t.strip() for t in closest if t and t.strip()]
    lines = [NOT_COVERED_SENTENCE]
    if topics:
        lines.append(f"{CLOSEST_PREFIX} {', '.join(topics)}.")
    else:
        lines.append("We did not find a closely related topic in our sources either.")
    lines.append("Your doctor or care team is the best person to ask about it.")
    return AnswerSection(title=NOT_COVERED_TITLE, body="\n\n".join(lines))


def fact_sentence(fact: Fact) -> str:
    """A fact as the template says it, without citation marks."""
    return _clean(fact.text)


def format_sentences(items: list[tuple[str, tuple[int, ...], str]]) -> str:
    """(text, citation numbers, kind) as a section body: statements in paragraphs of up to three
    sentences, then questions for the doctor as a "- " list; each with its citation marks."""
    statements = [_sentence(text, numbers) for text, numbers, kind in items if kind != "doctor_question"]
    questions = [_sentence(text, numbers) for text, numbers, kind in items if kind == "doctor_question"]
    parts = [" ".join(statements[k : k + _SENTENCES_PER_PARAGRAPH])
             for k in range(0, len(statements), _SENTENCES_PER_PARAGRAPH)]
    if questions:
        parts.append("\n".join(f"- {q}" for q in questions))
    return "\n\n".join(parts)


# ---- helpers --------------------------------------------------------------------------------


def _dedupe(facts: list[Fact], inp: WriterInput) -> list[tuple[str, tuple[int, ...]]]:
    """(clean text, citation numbers) per distinct statement, in order; repeats merge sources."""
    items: list[tuple[str, tuple[int, ...]]] = []
    index: dict[str, int] = {}
    for fact in facts:
        text = _clean(fact.text)
        if not text:
            continue
        numbers = citation_numbers(fact, inp.citations)
        key = text.rstrip(".!?").casefold()
        if key in index:
            i = index[key]
            merged = tuple(sorted(set(items[i][1]) | set(numbers)))
            items[i] = (items[i][0], merged)
        else:
            index[key] = len(items)
            items.append((text, numbers))
    return items


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    text = re.sub(r"^[-*•]\s+", "", text)  # a fact written as a bullet
    if not text:
        return ""
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():
        text = text[0].upper() + text[1:]
    return text


def _words(text: str) -> int:
    return len(text.split())


def _is_question(text: str) -> bool:
    return text.rstrip().endswith("?")


def _sentence(text: str, numbers: tuple[int, ...]) -> str:
    """`Text [1][2].` — marks before the full stop; after a question or exclamation mark."""
    marks = citation_marks(numbers)
    text = text.rstrip()
    if text.endswith(("?", "!")):
        return f"{text} {marks}".rstrip()
    text = text.rstrip(".;:, ")
    return f"{text} {marks}." if marks else f"{text}."


def _joined(first: str, second: str, numbers: tuple[int, ...]) -> str | None:
    """Two short statements from the same sources as one sentence, or None when it reads badly."""
    if _is_question(first) or _is_question(second):
        return None
    if _words(first) > _JOIN_MAX_WORDS or _words(second) > _JOIN_MAX_WORDS:
        return None
    head = second.split(" ", 1)[0]
    if head.casefold() not in _JOINABLE_FIRST_WORDS:
        return None
    second = second[0].lower() + second[1:]
    return _sentence(f"{first.rstrip('.;:, ')}, and {second}", numbers)


def _body(title: str, items: list[tuple[str, tuple[int, ...]]]) -> str:
    texts = [text for text, _ in items]
    as_list = title.casefold().startswith("questions") or all(_is_question(t) for t in texts)
    if not as_list and len(items) >= _BULLET_MIN_ITEMS:
        as_list = all(_words(t) <= _BULLET_MAX_WORDS for t in texts)
    if as_list:
        return "\n".join(f"- {_sentence(text, numbers)}" for text, numbers in items)

    sentences: list[str] = []
    i = 0
    while i < len(items):
        text, numbers = items[i]
        if i + 1 < len(items) and items[i + 1][1] == numbers:
            joined = _joined(text, items[i + 1][0], numbers)
            if joined:
                sentences.append(joined)
                i += 2
                continue
        sentences.append(_sentence(text, numbers))
        i += 1
    paragraphs = [
        " ".join(sentences[k : k + _SENTENCES_PER_PARAGRAPH])
        for k in range(0, len(sentences), _SENTENCES_PER_PARAGRAPH)
    ]
    # Keep a lone trailing sentence with the paragraph before it.
    if len(paragraphs) > 1 and len(sentences) % _SENTENCES_PER_PARAGRAPH == 1:
        last = paragraphs.pop()
        paragraphs[-1] = f"{paragraphs[-1]} {last}"
    return "\n\n".join(paragraphs)
