"""Answer writers: the deterministic template writer (default) and Claude, held to the facts.

    writer = writer_from_settings(settings, vocabulary, deadline_s)  # once; writer.close() when done
    answer = writer.write(WriterInput(question, intent, facts, citations, titles, covered, closest))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .base import (
    DEFAULT_SECTION_TITLES,
    WriteEvent,
    Writer,
    WriterInput,
    WrittenAnswer,
    citation_marks,
    citation_numbers,
    render_text,
    stream_within,
    write_within,
)
from .claude import REQUEST_ID, SYSTEM_PROMPT, ClaudeWriter
from .grounding import GroundingReport, Vocabulary, VocabularyEntry, check_grounding
from .template import TemplateWriter

__all__ = [
    "DEFAULT_SECTION_TITLES",
    "REQUEST_ID",
    "SYSTEM_PROMPT",
    "ClaudeWriter",
    "GroundingReport",
    "TemplateWriter",
    "Vocabulary",
    "Writer",
    "WriterInput",
    "WriteEvent",
    "WrittenAnswer",
    "check_grounding",
    "citation_marks",
    "citation_numbers",
    "render_text",
    "stream_within",
    "write_within",
    "writer_from_settings",
]


def writer_from_settings(settings: Any, vocabulary: Vocabulary | Iterable[VocabularyEntry] = (),
                         deadline_s: float | None = None) -> Writer:
    """Claude when an API key is configured, else the template writer: the one writer factory.

    `settings` is an `mdskg.settings.Settings` (or anything with the same attributes):
    anthropic_api_key, anthropic_base_url, claude_model, llm_timeout_s, llm_max_retries,
    llm_max_tokens. `vocabulary` is the ontology's (surface form, concept id[, label]) pairs
    the grounding check needs. `llm_timeout_s` bounds a whole write (every attempt together);
    with `deadline_s` (a request's deadline) it is at most 80% of it, so the template can still
    finish the answer. Each `write(inp, deadline_s=…)` may shorten it further (the time a request
    has left). Call `close()` on a Claude writer when done.
    """
    api_key = getattr(settings, "anthropic_api_key", None)
    if not api_key:
        return TemplateWriter()
    timeout_s = settings.llm_timeout_s
    if deadline_s is not None:
        timeout_s = max(0.5, min(settings.llm_timeout_s, deadline_s * 0.8))
    return ClaudeWriter(
        api_key=api_key,
        model=settings.claude_model,
        base_url=getattr(settings, "anthropic_base_url", None) or None,
        timeout_s=timeout_s,
        max_retries=settings.llm_max_retries,
        max_tokens=settings.llm_max_tokens,
        vocabulary=vocabulary,
    )
