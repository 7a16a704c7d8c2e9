"""Read PubMed/MEDLINE XML as returned by E-utilities efetch (rettype=abstract, retmode=xml).

Files can hold tens of thousands of articles, so they are streamed with `iterparse` and each
finished <PubmedArticle> is cleared (and dropped from the root) before the next one is read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from etl.readers.builder import TextBuilder
from etl.readers.errors import UnreadableDocument
from mdskg.records import Document, SourceType
from ontology import source_url

MAX_AUTHORS = 5  # enough to cite "First A, Second B, … et al."; the full count is kept too
PUBMED_ROOTS = {"PubmedArticleSet", "PubmedArticle"}


def read_pubmed(source: str | Path | IO[bytes]) -> Iterator[Document]:
    """Yield one Document per <PubmedArticle> in an efetch file (or a bare <PubmedArticle>).

    Raises `xml.etree.ElementTree.ParseError` where the XML breaks (after yielding the
    articles before it) and `UnreadableDocument` when the root is not PubMed XML.
    """
    path = str(source) if isinstance(source, (str, Path)) else getattr(source, "name", None)
    root: ET.Element | None = None
    for event, elem in ET.iterparse(source, events=("start", "end")):
        if event == "start":
            if root is None:
                root = elem
                if root.tag not in PUBMED_ROOTS:
                    raise UnreadableDocument(path, _not_pubmed_reason(root.tag))
            continue
        if elem.tag in ("PubmedArticle", "PubmedBookArticle"):
            if elem.tag == "PubmedArticle":
                yield article_to_document(elem, path)
            # Why: without this, the root keeps every parsed article and memory grows with the file.
            elem.clear()
            if root is not elem:
                root.clear()
    if root is None:
        raise UnreadableDocument(path, "no XML element found")


def article_to_document(article_elem: ET.Element, path: str | None = None) -> Document:
    """Turn one <PubmedArticle> element into a Document."""
    citation = article_elem.find("MedlineCitation")
    if citation is None or not (citation.findtext("PMID") or "").strip():
        raise UnreadableDocument(path, "PubmedArticle without MedlineCitation/PMID")
    pmid = citation.findtext("PMID").strip()
    article = citation.find("Article")
    if article is None:
        article = ET.Element("Article")

    title = _flat_text(article.find("ArticleTitle")) or _flat_text(article.find("VernacularTitle"))
    builder = TextBuilder()
    builder.add(title, title="Title", kind="title")  # an article title names a study; it gives no advice
    for label, paragraph in _abstract_paragraphs(article):
        builder.add(paragraph, title=label or "Abstract", kind="abstract")

    return Document(
        id=f"PMID:{pmid}",
        title=title,
        text=builder.text,
        source_type=SourceType.PUBMED,
        sections=tuple(builder.sections),
        metadata=_metadata(pmid, citation, article, article_elem.find("PubmedData")),
        path=path,
    )


def _abstract_paragraphs(article: ET.Element) -> list[tuple[str | None, str]]:
    """(label, text) for each <AbstractText>; labels are those of structured abstracts."""
    paragraphs = []
    for node in article.findall("Abstract/AbstractText"):
        text = _flat_text(node)
        if text:
            paragraphs.append((node.get("Label"), text))
    return paragraphs


def _metadata(pmid: str, citation: ET.Element, article: ET.Element, pubmed_data) -> dict:
    journal = article.find("Journal")
    if journal is None:
        journal = ET.Element("Journal")
    issue = journal.find("JournalIssue")
    if issue is None:
        issue = ET.Element("JournalIssue")
    authors = [_author_name(a) for a in article.findall("AuthorList/Author")]
    authors = [a for a in authors if a]
    metadata = {
        "pmid": pmid,
        "url": source_url(f"PMID:{pmid}"),
        "journal": (
            _flat_text(journal.find("Title"))
            or _flat_text(journal.find("ISOAbbreviation"))
            or (citation.findtext("MedlineJournalInfo/MedlineTA") or "").strip()
        ),
        "journal_abbrev": _flat_text(journal.find("ISOAbbreviation"))
        or (citation.findtext("MedlineJournalInfo/MedlineTA") or "").strip(),
        "volume": _flat_text(issue.find("Volume")),
        "issue": _flat_text(issue.find("Issue")),
        "pages": _flat_text(article.find("Pagination/MedlinePgn")),
        "year": _publication_year(issue, article),
        "authors": authors[:MAX_AUTHORS],
        "author_count": len(authors),
        "doi": _doi(article, pubmed_data),
        "pmcid": _article_id(pubmed_data, "pmc"),
        "language": (article.findtext("Language") or "").strip(),
        "mesh_terms": [_flat_text(d) for d in citation.findall("MeshHeadingList/MeshHeading/DescriptorName")],
        "mesh_ids": [d.get("UI") for d in citation.findall("MeshHeadingList/MeshHeading/DescriptorName") if d.get("UI")],
        "publication_types": [_flat_text(p) for p in article.findall("PublicationTypeList/PublicationType")],
        "keywords": [_flat_text(k) for k in citation.findall("KeywordList/Keyword") if _flat_text(k)],
        "format": "pubmed_xml",
    }
    # Empty strings say nothing; None keeps "absent" distinct from a real value.
    return {key: (value if value != "" else None) for key, value in metadata.items()}


def _publication_year(issue: ET.Element, article: ET.Element) -> int | None:
    candidates = [
        issue.findtext("PubDate/Year"),
        issue.findtext("PubDate/MedlineDate"),  # e.g. "1998 Dec-1999 Jan"
        article.findtext("ArticleDate/Year"),
    ]
    for candidate in candidates:
        match = re.search(r"\b(1[89]\d\d|2\d\d\d)\b", candidate or "")
        if match:
            return int(match.group(1))
    return None


def _author_name(author: ET.Element) -> str:
    collective = _flat_text(author.find("CollectiveName"))
    if collective:
        return collective
    last = _flat_text(author.find("LastName"))
    initials = _flat_text(author.find("Initials")) or _flat_text(author.find("ForeName"))
    return " ".join(part for part in (last, initials) if part)


def _doi(article: ET.Element, pubmed_data) -> str | None:
    for node in article.findall("ELocationID"):
        if node.get("EIdType") == "doi" and _flat_text(node):
            return _flat_text(node)
    return _article_id(pubmed_data, "doi")


def _article_id(pubmed_data, id_type: str) -> str | None:
    if pubmed_data is None:
        return None
    # Only the article's own ids: ReferenceList also holds ArticleIdList elements.
    for node in pubmed_data.findall("ArticleIdList/ArticleId"):
        if node.get("IdType") == id_type and _flat_text(node):
            return _flat_text(node)
    return None


def _flat_text(node: ET.Element | None) -> str:
    """All text inside a node (inline <i>, <sup>… included) with whitespace runs collapsed."""
    if node is None:
        return ""
    return " ".join("".join(node.itertext()).split())


def _not_pubmed_reason(tag: str) -> str:
    if tag == "eFetchResult":
        return "efetch returned an error document (<eFetchResult>), not articles"
    return f"not PubMed XML: root element <{tag}>"
