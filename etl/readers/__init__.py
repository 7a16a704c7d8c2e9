"""Readers turn files on disk into `mdskg.records.Document`s, one generator per format."""

from etl.readers.ctgov import criteria_items, read_ctgov_json, read_ctgov_xml, split_eligibility
from etl.readers.detect import ReadResult, detect_format, read_documents
from etl.readers.errors import Skipped, UnreadableDocument
from etl.readers.pubmed import read_pubmed
from etl.readers.text import read_text_document

__all__ = [
    "ReadResult",
    "Skipped",
    "UnreadableDocument",
    "criteria_items",
    "detect_format",
    "read_ctgov_json",
    "read_ctgov_xml",
    "read_documents",
    "read_pubmed",
    "read_text_document",
    "split_eligibility",
]
