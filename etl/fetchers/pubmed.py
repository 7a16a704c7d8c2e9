"""Download PubMed records with NCBI E-utilities: esearch (with the history server) then
efetch in batches, as XML that `etl.readers.pubmed.read_pubmed` reads.

NCBI allows 3 requests/second without an API key and 10 with one, and asks every client to
send `tool` and `email` so they can contact it instead of blocking it.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import requests

from etl.fetchers.http import FetchError, PoliteClient, RetryPolicy, write_atomically

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
MAX_ESEARCH_RESULTS = 10_000  # esearch cannot page past the first 10,000 PubMed hits
DEFAULT_BATCH_SIZE = 200


def fetch_pubmed(
    query: str,
    max_results: int,
    api_key: str | None = None,
    base_url: str = EUTILS,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    tool: str = "mdskg",
    email: str | None = None,
    retry: RetryPolicy = RetryPolicy(),
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[bytes]:
    """Yield efetch XML (a PubmedArticleSet) for each batch of up to `batch_size` records."""
    if max_results <= 0:
        return
    base_url = base_url.rstrip("/")
    common = {"db": "pubmed", "tool": tool}
    if email:
        common["email"] = email
    if api_key:
        common["api_key"] = api_key
    client = PoliteClient(session, min_interval=1 / 10 if api_key else 1 / 3,
                          retry=retry, sleep=sleep, clock=clock)
    try:
        search = _esearch(client, base_url, common, query, min(max_results, MAX_ESEARCH_RESULTS))
        total = min(int(search.get("count", 0)), max_results, MAX_ESEARCH_RESULTS)
        ids = list(search.get("idlist") or [])
        history = search.get("webenv"), search.get("querykey")
        for retstart in range(0, total, batch_size):
            size = min(batch_size, total - retstart)
            params = {**common, "rettype": "abstract", "retmode": "xml"}
            if all(history):
                params.update(WebEnv=history[0], query_key=history[1], retstart=retstart, retmax=size)
            else:  # no history server: fall back to the ids esearch listed
                batch_ids = ids[retstart : retstart + size]
                if not batch_ids:
                    break
                params["id"] = ",".join(batch_ids)
            response = client.get(f"{base_url}/efetch.fcgi", params, validate=_check_pubmed_xml)
            yield response.content
    finally:
        client.close()


def download_pubmed(query: str, out_dir: str | Path, max_results: int, **options) -> list[Path]:
    """Run `fetch_pubmed` and write each batch as `pubmed-0001.xml`, `pubmed-0002.xml`, …"""
    out_dir = Path(out_dir)
    written = []
    for number, batch in enumerate(fetch_pubmed(query, max_results, **options), start=1):
        written.append(write_atomically(out_dir / f"pubmed-{number:04d}.xml", batch))
    return written


def _esearch(client: PoliteClient, base_url: str, common: dict, query: str, retmax: int) -> dict:
    params = {**common, "term": query, "retmax": retmax, "usehistory": "y", "retmode": "json"}
    response = client.get(f"{base_url}/esearch.fcgi", params, validate=_check_json)
    result = response.json().get("esearchresult") or {}
    if "ERROR" in result:
        raise FetchError(f"esearch rejected the query {query!r}: {result['ERROR']}")
    return result


def _check_json(response: requests.Response) -> None:
    try:
        response.json()
    except ValueError as exc:
        raise ValueError(f"not JSON: {exc}") from exc


def _check_pubmed_xml(response: requests.Response) -> None:
    # A truncated or error body would otherwise be saved and only fail later in the reader.
    try:
        root = ET.fromstring(response.content)
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from exc
    if root.tag != "PubmedArticleSet":
        error = root.findtext(".//ERROR") or f"root element <{root.tag}>"
        raise ValueError(f"efetch did not return a PubmedArticleSet: {error}")
