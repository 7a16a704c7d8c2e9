"""Fetchers download source records for users with internet access (PubMed, ClinicalTrials.gov)."""

from etl.fetchers.ctgov import CTGOV_V2, download_trials, fetch_trials
from etl.fetchers.http import FetchError, RetryPolicy
from etl.fetchers.pubmed import EUTILS, download_pubmed, fetch_pubmed

__all__ = [
    "CTGOV_V2",
    "EUTILS",
    "FetchError",
    "RetryPolicy",
    "download_pubmed",
    "download_trials",
    "fetch_pubmed",
    "fetch_trials",
]
