"""The one source resolver: a cited CURIE → its title, year and public URL.

Details come from the graph's Source nodes (corpus front matter, fetched records), else the
ontology's source list, else the identifier's public page (`ontology.source_url`). Ids are always
resolved in batch, one `sources_by_id` read for all of them:

* an answer resolves every source it cites, and those its paths walk through, inside its own read
  transaction (service/answer.py);
* the GraphQL `Citation` objects of one request (service/graphql_types.py) name their id only; the
  first field that needs a detail resolves every id the request has named so far in one read,
  through the answer read cache — so it is cached by graph version and never outlives a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from graph import reads as typed_reads
from graph.reads import ReadSource
from mdskg.records import Citation
from ontology import load_ontology, source_url


@dataclass(frozen=True)
class SourceDetails:
    id: str  # CURIE
    title: str | None  # None when neither the graph nor the ontology names it
    year: int | None
    url: str | None

    def citation(self) -> Citation:
        """As the answer record carries it (an untitled source is titled by its id)."""
        return Citation(id=self.id, title=self.title or self.id, year=self.year, url=self.url)


def read_sources(reads: ReadSource | None, ids: Iterable[str], timeout_s: float | None = None) -> dict[str, SourceDetails]:
    """Details of every id, in one read (`reads` None: from the ontology and the id alone)."""
    ids = list(dict.fromkeys(i for i in ids if i))
    rows = {r.id: r for r in typed_reads.sources_by_id(reads, ids=ids, timeout_s=timeout_s)} if reads and ids else {}
    sources = getattr(load_ontology(), "sources", {})
    out: dict[str, SourceDetails] = {}
    for curie in ids:
        row, info = rows.get(curie), sources.get(curie)
        title = (row.title if row and row.title and row.title != curie else None) or (info.title if info else None)
        year = (row.year if row else None) or (info.year if info else None)
        url = (row.url if row else None) or (info.url if info and info.url else None) or source_url(curie)
        out[curie] = SourceDetails(curie, title, int(year) if year else None, url)
    return out


class RequestSources:
    """The sources one request names: collected as Citation objects are made, resolved together
    the first time a detail is needed (one read for all of them), kept for the rest of the request."""

    def __init__(self, reads: Callable[[], ReadSource], timeout_s: float | None = None):
        self._reads = reads
        self._timeout_s = timeout_s
        self._pending: dict[str, None] = {}
        self._known: dict[str, SourceDetails] = {}

    def want(self, curie: str) -> None:
        if curie not in self._known:
            self._pending[curie] = None

    def add(self, details: Mapping[str, SourceDetails]) -> None:
        """Details already read (inside an answer's transaction)."""
        self._known.update(details)
        for curie in details:
            self._pending.pop(curie, None)

    def get(self, curie: str) -> SourceDetails:
        if curie not in self._known:
            self.want(curie)
            ids = list(self._pending)
            self._pending.clear()
            try:
                self._known.update(read_sources(self._reads(), ids, self._timeout_s))
            except Exception:  # noqa: BLE001 - details are a nicety; the id itself is the citation
                self._known.update(read_sources(None, ids))
        return self._known[curie]
