"""Bracketed citation markers: `[PMID:9401087]`, `[clinicaltrials:NCT02631070]`,
`[MDSKG:source/slug]`, `[PMID: 1; PMID: 2]`, `[NCT00071799]`, and the numbered references the
PDQ summaries use (`[18]`, `[9-11]`, `[Level of evidence A1]`).

Pure functions. Numbered markers carry no CURIE (their reference list is elsewhere); they are
still markers, so the sentencizer keeps them with their sentence and the ruler ignores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PREFIXES = {
    "pmid": "PMID", "pubmed": "PMID", "pmcid": "PMCID", "doi": "DOI", "clinicaltrials": "clinicaltrials",
    "nct": "clinicaltrials", "mdskg": "MDSKG", "isbn": "ISBN", "url": "URL",
}
_CURIE = r"(?:(?:PMID|PubMed|PMCID|DOI|clinicaltrials|MDSKG|ISBN|URL)\s*:\s*[^\[\]\s,;]+|NCT\d{8})"
CURIE_MARKER = re.compile(
    rf"\[\s*(?P<body>{_CURIE}(?:\s*[,;]\s*{_CURIE})*)\s*\]", re.IGNORECASE
)
NUMBERED_MARKER = re.compile(
    r"\[\s*(?:\d{1,3}(?:\s*[,–\-]\s*\d{1,3})*|Level\s+of\s+evidence\s*:?\s*[A-Z0-9iv]+)\s*\]", re.IGNORECASE
)
_CURIE_ITEM = re.compile(_CURIE, re.IGNORECASE)


@dataclass(frozen=True)
class CitationMarker:
    start: int
    end: int
    curies: tuple[str, ...]  # empty for numbered markers
    raw: str


def normalise_curie(raw: str) -> str:
    """'PMID: 123' → 'PMID:123'; 'NCT01234567' → 'clinicaltrials:NCT01234567'; 'doi:' → 'DOI:'."""
    raw = raw.strip()
    if re.fullmatch(r"NCT\d{8}", raw, re.IGNORECASE):
        return f"clinicaltrials:{raw.upper()}"
    prefix, _, local = raw.partition(":")
    prefix = _PREFIXES.get(prefix.strip().lower(), prefix.strip())
    local = local.strip()
    if prefix == "clinicaltrials":
        local = local.upper()
    return f"{prefix}:{local}"


def find_citation_markers(text: str, start: int = 0, end: int | None = None) -> list[CitationMarker]:
    """Markers in text[start:end], with offsets into `text`, in reading order."""
    end = len(text) if end is None else end
    markers = []
    for match in CURIE_MARKER.finditer(text, start, end):
        curies = tuple(dict.fromkeys(normalise_curie(m.group()) for m in _CURIE_ITEM.finditer(match.group("body"))))
        markers.append(CitationMarker(match.start(), match.end(), curies, match.group()))
    for match in NUMBERED_MARKER.finditer(text, start, end):
        if not any(m.start <= match.start() < m.end for m in markers):
            markers.append(CitationMarker(match.start(), match.end(), (), match.group()))
    return sorted(markers, key=lambda m: m.start)


def citations_in(text: str, start: int = 0, end: int | None = None) -> tuple[str, ...]:
    """The distinct CURIEs cited in text[start:end], in order of first appearance."""
    seen: dict[str, None] = {}
    for marker in find_citation_markers(text, start, end):
        for curie in marker.curies:
            seen.setdefault(curie, None)
    return tuple(seen)


# A run of markers, possibly with spaces between them: `[PMID:1] [PMID:2]`, `[18][Level of evidence C3]`.
MARKER_RUN = re.compile(
    rf"(?:\s*(?:{CURIE_MARKER.pattern}|{NUMBERED_MARKER.pattern}))+".replace("(?P<body>", "(?:"),
    re.IGNORECASE,
)
