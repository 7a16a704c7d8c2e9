"""Fetchers against loopback fakes of E-utilities and the ClinicalTrials.gov API v2.

Waits go through a fake clock, so rate limits and back-off are checked exactly and instantly.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from etl.fetchers import (
    FetchError,
    RetryPolicy,
    download_pubmed,
    download_trials,
    fetch_pubmed,
    fetch_trials,
)
from etl.fetchers.http import parse_retry_after
from etl.readers import Skipped, detect_format, read_documents, read_pubmed
from mdskg.records import Document
from tests.fakes.fake_ctgov import API_V2_EXAMPLES, FakeCtgov
from tests.fakes.fake_eutils import NCBI_DISEASE_TEST, PDQ_FOLDER, FakeEutils
from tests.shared_data import skip_without_shared


class FakeClock:
    """`sleep` records the wait and moves `now` forward; nothing really waits."""

    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def eutils():
    skip_without_shared(NCBI_DISEASE_TEST, PDQ_FOLDER)  # the fake serves real records built from these
    with FakeEutils() as server:
        yield server


@pytest.fixture
def ctgov():
    skip_without_shared(API_V2_EXAMPLES)  # the fake serves these real study records
    with FakeCtgov() as server:
        yield server


@pytest.fixture
def clock():
    return FakeClock()


def pubmed(server, clock, query="*", max_results=25, **options):
    return list(fetch_pubmed(query, max_results, base_url=server.url, sleep=clock.sleep, clock=clock, **options))


def parsed(batches: list[bytes]) -> list[Document]:
    return [doc for batch in batches for doc in read_pubmed(io.BytesIO(batch))]


# ---- PubMed ---------------------------------------------------------------------------------


def test_fetch_pubmed_uses_history_and_batches(eutils, clock):
    batches = pubmed(eutils, clock, max_results=25, batch_size=10, email="dev@example.org")
    documents = parsed(batches)
    assert [len(list(read_pubmed(io.BytesIO(b)))) for b in batches] == [10, 10, 5]
    assert len({d.id for d in documents}) == 25
    search, *fetches = eutils.requests
    assert search.path == "/entrez/eutils/esearch.fcgi"
    assert search.params == {"db": "pubmed", "term": "*", "retmax": "25", "usehistory": "y",
                             "retmode": "json", "tool": "mdskg", "email": "dev@example.org"}
    assert [(f.params["retstart"], f.params["retmax"]) for f in fetches] == [("0", "10"), ("10", "10"), ("20", "5")]
    for fetch in fetches:
        assert fetch.path == "/entrez/eutils/efetch.fcgi"
        assert fetch.params["rettype"] == "abstract" and fetch.params["retmode"] == "xml"
        assert fetch.params["query_key"] == "1" and fetch.params["WebEnv"].startswith("MCID_")
        assert "api_key" not in fetch.params


def test_fetch_pubmed_query_reaches_matching_real_records(eutils, clock):
    documents = parsed(pubmed(eutils, clock, query="myelodysplastic[tiab]", max_results=500))
    assert documents, "the PDQ references include MDS papers"
    assert all("myelodysplastic" in d.text.lower() for d in documents)
    assert len(documents) == len(eutils.search("myelodysplastic"))


def test_rate_limit_without_key_is_three_per_second(eutils, clock):
    pubmed(eutils, clock, max_results=30, batch_size=10)
    assert len(eutils.requests) == 4
    assert clock.sleeps == [round(1 / 3, 6)] * 3


def test_api_key_is_sent_and_allows_ten_per_second(eutils, clock):
    pubmed(eutils, clock, max_results=30, batch_size=10, api_key="secret-key")
    assert all(r.params["api_key"] == "secret-key" for r in eutils.requests)
    assert clock.sleeps == [0.1] * 3


def test_retries_after_429_honour_retry_after(eutils, clock):
    eutils.fail_next(2, status=429, retry_after=7)
    documents = parsed(pubmed(eutils, clock, max_results=5))
    assert len(documents) == 5
    assert clock.sleeps[:2] == [7.0, 7.0]  # Retry-After beats the 1 s and 2 s back-off
    assert [r.path.rsplit("/", 1)[-1] for r in eutils.requests] == ["esearch.fcgi"] * 3 + ["efetch.fcgi"]


def test_retries_after_503_back_off_exponentially(eutils, clock):
    eutils.fail_next(3, status=503)
    assert len(parsed(pubmed(eutils, clock, max_results=5))) == 5
    assert clock.sleeps[:3] == [1.0, 2.0, 4.0]


def test_fetch_error_after_the_last_retry(eutils, clock):
    eutils.fail_next(10, status=503)
    with pytest.raises(FetchError, match=r"after 3 attempt\(s\): HTTP 503"):
        pubmed(eutils, clock, retry=RetryPolicy(max_attempts=3))
    assert len(eutils.requests) == 3


def test_retry_after_longer_than_we_wait_fails_at_once(eutils, clock):
    eutils.fail_next(1, status=429, retry_after=3600)
    with pytest.raises(FetchError, match="Retry-After 3600s"):
        pubmed(eutils, clock)
    assert len(eutils.requests) == 1


def test_malformed_efetch_body_is_retried(eutils, clock):
    batches = fetch_pubmed("*", 5, base_url=eutils.url, sleep=clock.sleep, clock=clock)
    original_route = eutils.route

    def truncate_first_efetch(method, path, params):
        reply = original_route(method, path, params)
        if path.endswith("efetch.fcgi") and len(eutils.requests_to("efetch.fcgi")) == 1:
            return type(reply)(reply.status, reply.body[: len(reply.body) // 2], reply.content_type)
        return reply

    eutils.route = truncate_first_efetch
    assert len(parsed(list(batches))) == 5
    assert len(eutils.requests_to("efetch.fcgi")) == 2
    assert clock.sleeps == [round(1 / 3, 6), 1.0]  # rate limit before efetch, back-off before its retry


def test_truncated_bodies_until_the_end_raise_fetch_error(eutils, clock):
    eutils.malformed_next(5)
    with pytest.raises(FetchError, match="malformed response body: not JSON"):
        pubmed(eutils, clock, retry=RetryPolicy(max_attempts=5))


def test_expired_history_is_reported(eutils, clock):
    batches = fetch_pubmed("*", 20, base_url=eutils.url, sleep=clock.sleep, clock=clock, batch_size=10,
                           retry=RetryPolicy(max_attempts=2))
    next(batches)
    eutils._history.clear()  # the history server forgot the WebEnv between two batches
    with pytest.raises(FetchError, match="Unable to obtain query #1"):
        next(batches)


def test_esearch_error_is_reported(clock):
    class RejectingEutils(FakeEutils):
        def _esearch(self, params):
            from tests.fakes import Reply
            return Reply(200, json.dumps({"esearchresult": {"ERROR": "Invalid query"}}).encode())

    with RejectingEutils(articles=[]) as server, pytest.raises(FetchError, match="Invalid query"):
        pubmed(server, clock)


def test_client_errors_are_not_retried(eutils, clock):
    with pytest.raises(FetchError, match="HTTP 404"):
        list(fetch_pubmed("*", 5, base_url=eutils.root_url, sleep=clock.sleep, clock=clock))
    assert len(eutils.requests) == 1


def test_connection_errors_are_retried_then_reported(clock):
    closed = FakeEutils(articles=[]).start()
    url = closed.url
    closed.stop()  # nothing listens on that port any more
    with pytest.raises(FetchError, match=r"after 3 attempt\(s\): ConnectionError"):
        list(fetch_pubmed("*", 5, base_url=url, sleep=clock.sleep, clock=clock, retry=RetryPolicy(max_attempts=3)))
    assert clock.sleeps == [1.0, 2.0]


def test_download_pubmed_writes_files_the_reader_reads(eutils, clock, tmp_path):
    paths = download_pubmed("*", tmp_path / "pubmed", 12, base_url=eutils.url, sleep=clock.sleep,
                            clock=clock, batch_size=5)
    assert [p.name for p in paths] == ["pubmed-0001.xml", "pubmed-0002.xml", "pubmed-0003.xml"]
    assert all(detect_format(p) == "pubmed_xml" for p in paths)
    results = list(read_documents(tmp_path / "pubmed", strict=True))
    assert len(results) == 12 and all(isinstance(r, Document) for r in results)
    assert not list((tmp_path / "pubmed").glob(".*"))  # no partial files left behind


def test_parse_retry_after_accepts_seconds_and_http_dates():
    now = dt.datetime(2015, 10, 21, 7, 28, 0, tzinfo=dt.UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=now) == 30.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


# ---- ClinicalTrials.gov ---------------------------------------------------------------------


def trials(server, clock, condition="myelodysplastic syndromes", max_results=10, **options):
    return list(fetch_trials(condition, max_results, base_url=server.url, sleep=clock.sleep, clock=clock, **options))


def nct_ids(studies):
    return [s["protocolSection"]["identificationModule"]["nctId"] for s in studies]


def test_fetch_trials_follows_next_page_tokens(ctgov, clock):
    studies = trials(ctgov, clock, page_size=1)
    assert nct_ids(studies) == ["NCT02210780", "NCT04207047"]
    first, second = ctgov.requests
    assert first.path == second.path == "/api/v2/studies"
    assert first.params == {"query.cond": "myelodysplastic syndromes", "pageSize": "1", "format": "json"}
    assert "pageToken" in second.params and second.params["query.cond"] == "myelodysplastic syndromes"
    assert clock.sleeps == [1.2]  # ClinicalTrials.gov asks for about 50 requests a minute


def test_fetch_trials_stops_at_max_results(ctgov, clock):
    assert nct_ids(trials(ctgov, clock, max_results=1)) == ["NCT02210780"]
    assert len(ctgov.requests) == 1 and ctgov.requests[0].params["pageSize"] == "1"


def test_fetch_trials_retries_429_and_503(ctgov, clock):
    ctgov.fail_next(1, status=429, retry_after=3)
    ctgov.fail_next(1, status=503)
    assert len(trials(ctgov, clock)) == 2
    assert clock.sleeps[:2] == [3.0, 2.0]


def test_fetch_trials_malformed_page_is_retried(ctgov, clock):
    ctgov.malformed_next(1)
    assert len(trials(ctgov, clock)) == 2
    assert len(ctgov.requests) == 2


def test_fetch_trials_gives_up_with_fetch_error(ctgov, clock):
    ctgov.fail_next(4, status=502)
    with pytest.raises(FetchError, match=r"after 4 attempt\(s\): HTTP 502"):
        trials(ctgov, clock, retry=RetryPolicy(max_attempts=4))


def test_download_trials_writes_one_json_per_study(ctgov, clock, tmp_path):
    paths = download_trials("myelodysplastic syndromes", tmp_path, 10, base_url=ctgov.url,
                            sleep=clock.sleep, clock=clock, page_size=1)
    assert [p.name for p in paths] == ["NCT02210780.json", "NCT04207047.json"]
    results = list(read_documents(tmp_path))
    assert not [r for r in results if isinstance(r, Skipped)]
    assert [r.id for r in results] == ["clinicaltrials:NCT02210780", "clinicaltrials:NCT04207047"]
    assert results[0].metadata["min_age_years"] == 18.0
