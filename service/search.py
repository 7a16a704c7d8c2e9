"""Full-text search over names and synonyms, tolerant of typos (Lucene fuzzy terms)."""

from __future__ import annotations

import re

from graph import reads as typed_reads
from graph.reads import ReadSource, SearchHit

_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')
_TERM = re.compile(r"[\w()+\-/.]+", re.UNICODE)
_STOP = {"what", "is", "are", "the", "a", "an", "and", "or", "of", "for", "to", "in", "on", "does", "do", "it",
         "i", "my", "me", "can", "how", "with", "about", "this", "that", "be", "should", "am", "work"}
MAX_TERMS = 12


def lucene_query(text: str) -> str | None:
    """Escaped terms, each exact (boosted) or fuzzy, so "imunotherapy" finds "immunotherapy"."""
    terms = [t for t in (m.group(0).strip(".").lower() for m in _TERM.finditer(text or "")) if t and t not in _STOP]
    parts = []
    for term in terms[:MAX_TERMS]:
        escaped = _LUCENE_SPECIAL.sub(r"\\\1", term)
        if not escaped:
            continue
        fuzzy = "~1" if len(term) <= 5 else "~2"
        parts.append(f"{escaped}^2 OR {escaped}{fuzzy}" if len(term) >= 4 else escaped)
    return " OR ".join(f"({p})" for p in parts) or None


def search_entities(graph: ReadSource, text: str, first: int = 10, timeout_s: float | None = None) -> list[SearchHit]:
    query = lucene_query(text)
    if not query:
        return []
    first = max(1, min(int(first), 100))
    return typed_reads.search_entities(graph, lucene=query, first=first, timeout_s=timeout_s)
