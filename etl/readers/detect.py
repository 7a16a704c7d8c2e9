"""Pick the reader for a file by looking at its content, and read many files robustly.

`read_documents` never stops on a bad file unless asked to: each problem becomes a `Skipped`
item naming the file and the reason (for XML/JSON the parser's own message), and reading goes
on with the next file.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from etl.readers.ctgov import read_ctgov_json, read_ctgov_xml
from etl.readers.errors import Skipped, UnreadableDocument
from etl.readers.pubmed import PUBMED_ROOTS, read_pubmed
from etl.readers.text import read_text_document
from mdskg.records import Document

ReadResult = Document | Skipped

SNIFF_BYTES = 64 * 1024
MARKDOWN_SUFFIXES = {".md", ".markdown"}
PLAIN_TEXT_SUFFIXES = {".txt", ".text", ""}
# Files that describe a data folder (where it came from, its licence) rather than documents.
PROVENANCE_NAMES = re.compile(r"^(SOURCE|README|LICEN[CS]E|NOTICE|COPYING)([._-].*)?$", re.IGNORECASE)
PROVENANCE_REASON = "provenance file (source, readme or licence), not a document"

_XML_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_XML_PROLOG = re.compile(r"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL)
_MARKDOWN_HINT = re.compile(r"^(?:#{1,6}[ \t]+\S|---[ \t]*$)", re.MULTILINE)

READERS = {
    "pubmed_xml": read_pubmed,
    "ctgov_xml": read_ctgov_xml,
    "ctgov_json": read_ctgov_json,
    "markdown": lambda path: read_text_document(path, markdown=True),
    "text": lambda path: read_text_document(path, markdown=False),
}


def detect_format(path: str | Path) -> str:
    """'pubmed_xml' | 'ctgov_xml' | 'ctgov_json' | 'markdown' | 'text', decided by content.

    Raises `UnreadableDocument` for empty, binary or undecodable files and unknown formats.
    """
    path = Path(path)
    head = _sniff_text(path)
    start = head.lstrip()
    if start.startswith("<"):
        return _xml_format(path, head)
    if start.startswith(("{", "[")):
        return _json_format(path, head)
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES or start.startswith("---"):
        return "markdown"
    if suffix in PLAIN_TEXT_SUFFIXES:
        return "markdown" if _MARKDOWN_HINT.search(head) else "text"
    raise UnreadableDocument(path, f"unknown format: text with a '{suffix}' extension is not a known document type")


def read_documents(paths: str | Path | Iterable[str | Path], strict: bool = False) -> Iterator[ReadResult]:
    """Yield every Document in the given files and folders, and a `Skipped` for each problem.

    Folders are walked recursively in sorted order, skipping hidden files and folders and
    provenance files (SOURCE.md, README, LICENSE…), which are reported as Skipped but are not
    problems. With `strict=True` the first problem raises `UnreadableDocument` instead.
    """
    for path in _expand(paths):
        if isinstance(path, Skipped):
            if strict and path.reason != PROVENANCE_REASON:
                raise UnreadableDocument(path.path, path.reason)
            yield path
            continue
        try:
            reader = READERS[detect_format(path)]
            yield from _read_guarded(reader, path)
        except UnreadableDocument as problem:
            if strict:
                raise
            yield Skipped(str(path), problem.reason)


def _read_guarded(reader, path: Path) -> Iterator[Document]:
    """Run a reader, turning parser errors into UnreadableDocument with the parser's message."""
    count = 0
    try:
        for document in reader(path):
            count += 1
            yield document
    except UnreadableDocument:
        raise
    except ET.ParseError as exc:
        raise UnreadableDocument(path, _after(count, f"malformed XML: {exc}")) from exc
    except json.JSONDecodeError as exc:
        raise UnreadableDocument(path, f"malformed JSON: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(path, _after(count, f"not UTF-8 text: {exc}")) from exc
    except OSError as exc:
        raise UnreadableDocument(path, f"cannot read: {exc}") from exc


def _after(count: int, reason: str) -> str:
    # A streamed file may break after good articles; say so, since those were already yielded.
    return f"{reason} (after {count} documents)" if count else reason


def _expand(paths) -> Iterator[Path | Skipped]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield path
        else:
            yield Skipped(str(path), "no such file or folder")


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif PROVENANCE_NAMES.match(entry.name):
            yield Skipped(str(entry), PROVENANCE_REASON)
        elif entry.is_file():
            yield entry


def _sniff_text(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise UnreadableDocument(path, f"cannot read: {exc}") from exc
    if not head.strip():
        raise UnreadableDocument(path, "empty file")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableDocument(path, "UTF-16 text is not supported; save the file as UTF-8")
    if b"\x00" in head:
        raise UnreadableDocument(path, "binary file (contains NUL bytes)")
    if head.startswith(b"%PDF-"):
        raise UnreadableDocument(path, "PDF is not supported; convert it to text or Markdown first")
    # An incremental decoder tolerates a multi-byte character cut at the end of the sniffed block.
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        return decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(path, f"binary or non-UTF-8 file: {exc}") from exc


def _xml_format(path: Path, head: str) -> str:
    body = head[_XML_PROLOG.match(head).end() :]
    root = _XML_ROOT.match(body)
    if root is None:
        raise UnreadableDocument(path, f"malformed XML: {_xml_error(head)}")
    tag = root.group(1)
    if tag in PUBMED_ROOTS:
        return "pubmed_xml"
    if tag == "clinical_study":
        return "ctgov_xml"
    raise UnreadableDocument(path, f"unknown format: XML with root element <{tag}>")


def _json_format(path: Path, head: str) -> str:
    if '"protocolSection"' in head or re.search(r'"studies"\s*:', head):
        return "ctgov_json"
    try:
        json.loads(head)
    except json.JSONDecodeError as exc:
        if len(head) < SNIFF_BYTES:  # the whole file was read, so the parser's message is final
            raise UnreadableDocument(path, f"malformed JSON: {exc}") from exc
    raise UnreadableDocument(path, "unknown format: JSON that is not a ClinicalTrials.gov v2 study or page")


def _xml_error(head: str) -> str:
    try:
        ET.fromstring(head)
    except ET.ParseError as exc:
        return str(exc)
    return "no root element"
