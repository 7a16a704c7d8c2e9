"""A fake NCBI E-utilities (esearch + efetch for db=pubmed) serving real PubMed records.

Records are built at test time from files in shared/data, never copied into the repo:
- the NCBI Disease test corpus (`PMID|t|title`, `PMID|a|abstract` lines): real PMIDs, titles
  and abstracts;
- the reference lists of the NCI PDQ summaries ("Ma X, Does M, … et al.: Title. Cancer 109 (8):
  1536-42, 2007." with a PubMed link): real PMIDs, titles, first authors, journal, volume,
  issue, pages and year, but no abstract.
Only what those files say goes into the XML; efetch elements with no source are left out.
"""

from __future__ import annotations

import json
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakes import SHARED_DATA, FakeServer, Reply

NCBI_DISEASE_TEST = SHARED_DATA / "ner" / "ncbi_disease" / "original" / "NCBItestset_corpus.txt"
PDQ_FOLDER = SHARED_DATA / "literature" / "pdq"
DOCTYPE = (
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)

_PDQ_REFERENCE = re.compile(
    r"^\d+\.\s+(?P<authors>[^:\n]+?):\s+(?P<title>.+?[.?!])\s+"
    r"(?P<journal>[A-Z][A-Za-z&'\- ]*?)\s+(?P<volume>\d+[A-Za-z]?)(?:\s+\((?P<issue>[^)]*)\))?:\s+"
    r"(?P<pages>[^,\s]+),\s+(?P<year>\d{4})[^.\n]*\.\s+"
    r"\[\[PUBMED Abstract\]\]\(\S*?list_uids=(?P<pmid>\d+)",
    re.MULTILINE,
)


@dataclass
class SourceArticle:
    pmid: str
    title: str
    abstract: str = ""
    authors: list[tuple[str, str]] = field(default_factory=list)  # (last name, initials)
    authors_complete: bool = True
    journal_abbrev: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    year: str = ""


def ncbi_disease_articles(path: Path = NCBI_DISEASE_TEST) -> list[SourceArticle]:
    """PMID, title and abstract of each document of the NCBI Disease corpus file."""
    articles: dict[str, SourceArticle] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("|", 2)
        if len(parts) == 3 and parts[1] in ("t", "a") and parts[0].isdigit():
            article = articles.setdefault(parts[0], SourceArticle(pmid=parts[0], title=""))
            if parts[1] == "t":
                article.title = parts[2].strip()
            else:
                article.abstract = parts[2].strip()
    return list(articles.values())


def pdq_reference_articles(folder: Path = PDQ_FOLDER) -> list[SourceArticle]:
    """Citation data of the PubMed-linked references in the PDQ summaries."""
    articles: dict[str, SourceArticle] = {}
    for path in sorted(folder.glob("*.md")):
        for match in _PDQ_REFERENCE.finditer(path.read_text(encoding="utf-8")):
            names = [n.strip() for n in match.group("authors").split(",")]
            complete = not any(n.lower() == "et al." for n in names)
            authors = [_split_name(n) for n in names if n and n.lower() != "et al."]
            articles.setdefault(match.group("pmid"), SourceArticle(
                pmid=match.group("pmid"),
                title=match.group("title"),
                authors=authors,
                authors_complete=complete,
                journal_abbrev=match.group("journal"),
                volume=match.group("volume"),
                issue=match.group("issue") or "",
                pages=match.group("pages"),
                year=match.group("year"),
            ))
    return list(articles.values())


def default_articles() -> list[SourceArticle]:
    merged: dict[str, SourceArticle] = {}
    for article in ncbi_disease_articles() + pdq_reference_articles():
        merged.setdefault(article.pmid, article)
    return list(merged.values())


def efetch_xml(articles: list[SourceArticle]) -> bytes:
    """A PubmedArticleSet in the efetch (rettype=abstract, retmode=xml) layout."""
    root = ET.Element("PubmedArticleSet")
    for article in articles:
        root.append(pubmed_article_element(article))
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" ?>\n{DOCTYPE}\n{body}\n'.encode()


def pubmed_article_element(article: SourceArticle) -> ET.Element:
    record = ET.Element("PubmedArticle")
    citation = ET.SubElement(record, "MedlineCitation")
    ET.SubElement(citation, "PMID", Version="1").text = article.pmid
    art = ET.SubElement(citation, "Article")
    if article.journal_abbrev or article.year:
        journal = ET.SubElement(art, "Journal")
        issue = ET.SubElement(journal, "JournalIssue")
        if article.volume:
            ET.SubElement(issue, "Volume").text = article.volume
        if article.issue:
            ET.SubElement(issue, "Issue").text = article.issue
        if article.year:
            ET.SubElement(ET.SubElement(issue, "PubDate"), "Year").text = article.year
        if article.journal_abbrev:
            ET.SubElement(journal, "ISOAbbreviation").text = article.journal_abbrev
    ET.SubElement(art, "ArticleTitle").text = article.title
    if article.pages:
        ET.SubElement(ET.SubElement(art, "Pagination"), "MedlinePgn").text = article.pages
    if article.abstract:
        ET.SubElement(ET.SubElement(art, "Abstract"), "AbstractText").text = article.abstract
    if article.authors:
        author_list = ET.SubElement(art, "AuthorList", CompleteYN="Y" if article.authors_complete else "N")
        for last, initials in article.authors:
            author = ET.SubElement(author_list, "Author", ValidYN="Y")
            ET.SubElement(author, "LastName").text = last
            if initials:
                ET.SubElement(author, "Initials").text = initials
    if article.journal_abbrev:
        ET.SubElement(ET.SubElement(citation, "MedlineJournalInfo"), "MedlineTA").text = article.journal_abbrev
    pubmed_data = ET.SubElement(record, "PubmedData")
    ET.SubElement(ET.SubElement(pubmed_data, "ArticleIdList"), "ArticleId", IdType="pubmed").text = article.pmid
    return record


class FakeEutils(FakeServer):
    """`/entrez/eutils/esearch.fcgi` (JSON, usehistory) and `/entrez/eutils/efetch.fcgi` (XML).

    esearch matches every word of the term (field tags like [tiab] and AND are ignored)
    against title and abstract; `*` or an empty term matches everything.
    """

    def __init__(self, articles: list[SourceArticle] | None = None):
        super().__init__()
        self.articles = articles if articles is not None else default_articles()
        self._by_pmid = {a.pmid: a for a in self.articles}
        self._history: dict[str, list[str]] = {}

    @property
    def url(self) -> str:
        return f"{self.root_url}/entrez/eutils"

    def search(self, term: str) -> list[str]:
        words = [w for w in re.findall(r"[\w-]+", re.sub(r"\[[^\]]*\]", " ", term.lower()))
                 if w not in ("and", "or")]
        return [a.pmid for a in self.articles
                if all(w in f"{a.title} {a.abstract}".lower() for w in words)]

    def route(self, method: str, path: str, params: dict[str, str]) -> Reply:
        if path == "/entrez/eutils/esearch.fcgi":
            return self._esearch(params)
        if path == "/entrez/eutils/efetch.fcgi":
            return self._efetch(params)
        return Reply(404, b"not found", "text/plain")

    def _esearch(self, params: dict[str, str]) -> Reply:
        if params.get("db") != "pubmed":
            return Reply(400, b'{"error": "this fake only knows db=pubmed"}')
        pmids = self.search(params.get("term", ""))
        retstart, retmax = int(params.get("retstart", 0)), int(params.get("retmax", 20))
        result = {
            "count": str(len(pmids)),
            "retmax": str(len(pmids[retstart : retstart + retmax])),
            "retstart": str(retstart),
            "idlist": pmids[retstart : retstart + retmax],
            "translationset": [],
            "querytranslation": params.get("term", ""),
        }
        if params.get("usehistory") == "y":
            webenv = f"MCID_{secrets.token_hex(12)}"
            self._history[webenv] = pmids
            result.update(webenv=webenv, querykey="1")
        body = {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}
        return Reply(200, json.dumps(body).encode())

    def _efetch(self, params: dict[str, str]) -> Reply:
        if params.get("retmode") != "xml":
            return Reply(400, b"this fake serves retmode=xml only", "text/plain")
        if "id" in params:
            pmids = [p for p in params["id"].split(",") if p in self._by_pmid]
        elif params.get("WebEnv") in self._history and params.get("query_key") == "1":
            retstart, retmax = int(params.get("retstart", 0)), int(params.get("retmax", 20))
            pmids = self._history[params["WebEnv"]][retstart : retstart + retmax]
        else:
            error = b"<eFetchResult>\n\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>\n"
            return Reply(200, error, "text/xml")
        return Reply(200, efetch_xml([self._by_pmid[p] for p in pmids]), "text/xml")


def _split_name(name: str) -> tuple[str, str]:
    """'Della Porta MG' → ('Della Porta', 'MG'): the initials are the last word."""
    last, _, initials = name.rpartition(" ")
    return (last, initials) if last and initials.isupper() else (name, "")
