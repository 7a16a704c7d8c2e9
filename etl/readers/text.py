"""Read Markdown or plain text, with optional YAML front matter between `---` lines.

The Document's text is the body with Markdown link targets removed (`[label](url)` → `label`),
and every section offset is computed on that cleaned text, so offsets and text always agree.
PubMed ids found in link targets are kept in `metadata["reference_pmids"]` before the URLs go.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from etl.readers.errors import UnreadableDocument
from mdskg.records import Document, Section, SourceType

# Publishers whose documents are clinical practice guidance rather than plain text.
GUIDELINE_SOURCES = {"pdq", "nci pdq", "nccn", "esmo", "eln", "european leukemianet", "nice", "asco", "ash", "eha"}
# Words that mark guidance when they appear in a title, url or tag (kept short: no common words).
GUIDELINE_MARKERS = {"pdq", "nccn", "esmo"}
REFERENCE_HEADINGS = re.compile(r"^(references?|bibliography|citations|literature cited)$", re.IGNORECASE)

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_IMAGE = re.compile(r"!\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_PMID_IN_URL = re.compile(
    r"(?:list_uids=|pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})", re.IGNORECASE
)
_ATX_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.MULTILINE)


def read_text_document(path: str | Path, markdown: bool | None = None) -> Iterator[Document]:
    """Yield the one Document of a Markdown (`markdown=True`) or plain text file.

    With `markdown=None` the extension decides (.md/.markdown are Markdown).
    """
    path = Path(path)
    raw = path.read_text(encoding="utf-8-sig")
    if markdown is None:
        markdown = path.suffix.lower() in (".md", ".markdown")
    yield text_to_document(raw, path, markdown)


def text_to_document(raw: str, path: str | Path, markdown: bool = True) -> Document:
    path = Path(path)
    front_matter, body = split_front_matter(raw, path)
    reference_pmids: list[str] = []
    if markdown:
        body, reference_pmids = strip_link_urls(body)
    text = body.strip("\n")
    if not text.strip():
        raise UnreadableDocument(path, "no text after the front matter")

    sections = markdown_sections(text) if markdown else ()
    title = _title(front_matter, text, sections, path, markdown)
    metadata = dict(front_matter)
    metadata["format"] = "markdown" if markdown else "text"
    if reference_pmids:
        metadata["reference_pmids"] = reference_pmids
    doc_id = str(front_matter.get("id") or f"MDSKG:doc/{slugify(path.stem)}")
    return Document(
        id=doc_id,
        title=title,
        text=text,
        source_type=_source_type(front_matter),
        sections=tuple(sections),
        metadata=metadata,
        path=str(path),
    )


def split_front_matter(raw: str, path: str | Path | None = None) -> tuple[dict, str]:
    """(front matter mapping, body); a file without front matter gives ({}, raw)."""
    match = _FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise UnreadableDocument(path, f"malformed YAML front matter: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise UnreadableDocument(path, "front matter is not a mapping of keys to values")
    return _json_safe(data), raw[match.end() :]


def strip_link_urls(markdown: str) -> tuple[str, list[str]]:
    """Drop images `![alt](src)` and replace links `[label](url "title")` by `label`.

    Images go entirely: they are not prose, and in the PDQ pages their alt text repeats
    the caption printed under them.
    Returns the cleaned text and the PubMed ids seen in link targets (in order, no repeats).
    Citation markers such as `[[1](#cit/section_1.1)]` become `[1]`.
    """
    pmids: list[str] = []

    def keep_label(match: re.Match) -> str:
        for pmid in _PMID_IN_URL.findall(match.group(2)):
            if pmid not in pmids:
                pmids.append(pmid)
        return match.group(1)

    without_images = _IMAGE.sub("", markdown)
    return _LINK.sub(keep_label, without_images), pmids


def markdown_sections(text: str) -> list[Section]:
    """One flat section per ATX heading, from the heading line to the next heading.

    Flat, not nested, so `Document.section_at` finds the innermost heading. Headings inside
    fenced code blocks are ignored; text before the first heading is an untitled section.
    """
    fenced = _fenced_ranges(text)
    starts: list[tuple[int, str]] = []
    for match in _ATX_HEADING.finditer(text):
        if any(a <= match.start() < b for a, b in fenced):
            continue
        title = match.group(2).strip()
        if title:  # a bare "##" (the NCI drug page has some) starts nothing
            starts.append((match.start(), title))
    sections: list[Section] = []
    if starts and text[: starts[0][0]].strip():
        sections.append(Section(title="", start=0, end=_rstrip_end(text, 0, starts[0][0])))
    for index, (start, title) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        kind = "references" if REFERENCE_HEADINGS.match(title) else "body"
        sections.append(Section(title=title, start=start, end=_rstrip_end(text, start, end), kind=kind))
    return sections


def slugify(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug or "untitled"


def _title(front_matter: dict, text: str, sections, path: Path, markdown: bool) -> str:
    if front_matter.get("title"):
        return " ".join(str(front_matter["title"]).split())
    if markdown:
        for section in sections:
            if section.title:
                return section.title
    first_line = text.strip().splitlines()[0].strip()
    return first_line if len(first_line) <= 200 else path.stem


def _source_type(front_matter: dict) -> SourceType:
    declared = {str(front_matter.get(key, "")).strip().lower() for key in ("type", "source_type", "sourceType")}
    if "guideline" in declared:
        return SourceType.GUIDELINE
    publishers = {str(front_matter.get(key, "")).strip().lower() for key in ("source", "publisher", "organization")}
    if publishers & GUIDELINE_SOURCES:
        return SourceType.GUIDELINE
    tags = front_matter.get("tags") or []
    words = {str(t).strip().lower() for t in (tags if isinstance(tags, list) else [tags])}
    for key in ("title", "url"):
        words |= set(re.findall(r"[a-z]+", str(front_matter.get(key, "")).lower()))
    if words & GUIDELINE_MARKERS:
        return SourceType.GUIDELINE
    return SourceType.TEXT


def _json_safe(value):
    """YAML turns unquoted dates into date objects; metadata must stay JSON-serialisable."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _fenced_ranges(text: str) -> list[tuple[int, int]]:
    marks = [m.start() for m in _FENCE.finditer(text)]
    ranges = []
    for opening, closing in zip(marks[::2], marks[1::2] + [len(text)] * (len(marks) % 2), strict=True):
        ranges.append((opening, closing))
    return ranges


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
