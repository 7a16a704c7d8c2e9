"""Answer writers: the deterministic template writer (default) and Claude, held to the facts.

    writer = writer_from_settings(settings, vocabulary, deadline_s)  # once; writer.close() when done
    answer = writer.write(WriterInput(question, intent, facts, citations, titles, covered, closest))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .base import (
    DEFAULT_SECTION_TITLES,
    Writer,
    WriterInput,
    WrittenAnswer,
    citation_marks,
    citation_numbers,
    render_text,
)
from .claude import SYSTEM_PROMPT, ClaudeWriter
from .grounding import GroundingReport, Vocabulary, VocabularyEntry, check_grounding
from .template import TemplateWriter

__all__ = [
    "DEFAULT_SECTION_TITLES",
    "SYSTEM_PROMPT",
    "ClaudeWriter",
    "GroundingReport",
    "TemplateWriter",
    "Vocabulary",
    "Writer",
    "WriterInput",
    "WrittenAnswer",
    "check_grounding",
    "citation_marks",
    "citation_numbers",
    "render_text",
    "writer_from_settings",
]


def writer_from_settings(settings: Any, vocabulary: Vocabulary | Iterable[VocabularyEntry] = (),
                         deadline_s: float | None = None) -> Writer:
    """Claude when an API key is configured, else the template writer: the one writer factory.

    `settings` is an `mdskg.settings.Settings` (or anything with the same attributes):
    anthropic_api_key, anthropic_base_url, claude_model, llm_timeout_s, llm_max_retries,
    llm_max_tokens. `vocabulary` is the ontology's (surface form, concept id[, label]) pairs
    the grounding check needs. With `deadline_s` (a request's deadline), each attempt gets its
    share of it: the SDK retries timeouts too, so all attempts together finish within 80% of the
    deadline and the template answer can still be sent. Call `close()` on a Claude writer when done.
    """
    api_key = getattr(settings, "anthropic_api_key", None)
    if not api_key:
        return TemplateWriter()
    timeout_s = settings.llm_timeout_s
    if deadline_s is not None:
        budget = deadline_s * 0.8 / (settings.llm_max_retries + 1)
        timeout_s = max(0.5, min(settings.llm_timeout_s, budget))
    return ClaudeWriter(
        api_key=api_key,
        model=settings.claude_model,
        base_url=getattr(settings, "anthropic_base_url", None) or None,
        timeout_s=timeout_s,
        max_retries=settings.llm_max_retries,
        max_tokens=settings.llm_max_tokens,
        vocabulary=vocabulary,
    )
