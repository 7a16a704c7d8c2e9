"""What every answer writer takes and returns.

A writer turns the facts the graph stage selected into patient-facing prose. Writers may only
say what the facts say: the template writer does so by construction, the Claude writer is
checked by `service.writers.grounding` and falls back to the template on any failure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from mdskg.records import AnswerSection, Citation, Fact, GroundingSummary

# The patient-facing order of answer sections.
DEFAULT_SECTION_TITLES: tuple[str, ...] = (
    "What it is",
    "How it applies to MDS",
    "Does it work, and for whom",
    "What it involves",
    "Questions to ask your doctor",
    "Other approaches",
    "The bottom line",
)

NOT_COVERED_TITLE = "The bottom line"
NOT_COVERED_SENTENCE = "Our sources do not cover this question."
CLOSEST_PREFIX = "The closest topics we do cover:"


@dataclass(frozen=True)
class WriterInput:
    question: str
    intent: str
    facts: tuple[Fact, ...]
    citations: tuple[Citation, ...]
    section_titles: tuple[str, ...] = DEFAULT_SECTION_TITLES
    covered: bool = True
    closest: tuple[str, ...] = ()


@dataclass(frozen=True)
class WrittenAnswer:
    sections: tuple[AnswerSection, ...]
    text: str
    writer: str  # "template" | "claude:<model>" | "claude:<model> (partial fallback: <reason>)"
    #              | "template (claude fallback: <reason>)"
    grounded: bool
    problems: tuple[str, ...] = ()
    grounding: GroundingSummary | None = None  # what was checked, and what the fallback wrote


@dataclass(frozen=True)
class WriteEvent:
    """One step of a streamed write: a checked "sentence" (section, text with citation marks,
    kind, source "claude" | "template"), a finished "section" (with its body when replayed from
    a finished answer), or "done" with the whole answer."""

    type: str  # "sentence" | "section" | "done"
    section: str = ""
    text: str = ""
    kind: str = ""
    source: str = ""
    answer: WrittenAnswer | None = None


@runtime_checkable
class Writer(Protocol):
    def write(self, inp: WriterInput) -> WrittenAnswer: ...


def write_within(writer: Writer, inp: WriterInput, deadline_s: float | None) -> WrittenAnswer:
    """`writer.write(inp)`, giving the writer the time it has when it can use it."""
    if deadline_s is not None and getattr(writer, "supports_deadline", False):
        return writer.write(inp, deadline_s=deadline_s)  # type: ignore[call-arg]
    return writer.write(inp)


def stream_within(writer: Writer, inp: WriterInput, deadline_s: float | None) -> Iterator[WriteEvent]:
    """The writer's stream of events when it streams; else its answer as section events + done."""
    stream = getattr(writer, "stream", None)
    if stream is not None:
        yield from stream(inp, deadline_s=deadline_s)
        return
    answer = write_within(writer, inp, deadline_s)
    for section in answer.sections:
        yield WriteEvent("section", section=section.title, text=section.body, source="answer")
    yield WriteEvent("done", answer=answer)


def citation_numbers(fact: Fact, citations: Iterable[Citation]) -> tuple[int, ...]:
    """1-based positions in `citations` of the sources `fact` cites, in order, without repeats."""
    position = {}
    for i, citation in enumerate(citations, start=1):
        position.setdefault(citation.id, i)
    numbers: list[int] = []
    for curie in fact.citations:
        n = position.get(curie)
        if n is not None and n not in numbers:
            numbers.append(n)
    return tuple(sorted(numbers))


def citation_marks(numbers: Iterable[int]) -> str:
    """`[1][3]` for (1, 3); empty for no numbers."""
    return "".join(f"[{n}]" for n in numbers)


def render_text(sections: Iterable[AnswerSection]) -> str:
    """Sections as Markdown: `## Title`, a blank line, the body."""
    return "\n\n".join(f"## {s.title}\n\n{s.body.strip()}" for s in sections if s.body.strip())


def ordered_titles(inp: WriterInput) -> list[str]:
    """Section titles in the order to write them: the given order, then any other fact sections."""
    titles = list(dict.fromkeys(inp.section_titles or DEFAULT_SECTION_TITLES))
    for fact in inp.facts:
        if fact.section not in titles:
            titles.append(fact.section)
    return titles
