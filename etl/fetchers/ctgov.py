"""Download studies from the ClinicalTrials.gov API v2 (`/studies`, paged by nextPageToken)
and save one JSON file per study, which `etl.readers.ctgov.read_ctgov_json` reads.

ClinicalTrials.gov asks clients to stay near 50 requests a minute, hence the 1.2 s spacing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import requests

from etl.fetchers.http import FetchError, PoliteClient, RetryPolicy, write_atomically

CTGOV_V2 = "https://clinicaltrials.gov/api/v2"
MAX_PAGE_SIZE = 1000  # the API's own limit
DEFAULT_MIN_INTERVAL = 1.2


def fetch_trials(
    condition: str,
    max_results: int,
    base_url: str = CTGOV_V2,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    *,
    page_size: int = 100,
    extra_params: dict | None = None,
    min_interval: float = DEFAULT_MIN_INTERVAL,
    retry: RetryPolicy = RetryPolicy(),
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[dict]:
    """Yield up to `max_results` study objects matching `condition` (the `query.cond` search).

    `extra_params` adds API filters, e.g. `{"filter.overallStatus": "RECRUITING"}`.
    """
    if max_results <= 0:
        return
    client = PoliteClient(session, min_interval=min_interval, retry=retry, sleep=sleep, clock=clock)
    params = {
        "query.cond": condition,
        "pageSize": min(page_size, max_results, MAX_PAGE_SIZE),
        "format": "json",
        **(extra_params or {}),
    }
    url = f"{base_url.rstrip('/')}/studies"
    yielded = 0
    try:
        while True:
            page = client.get(url, params, validate=_check_page).json()
            for study in page["studies"]:
                yield study
                yielded += 1
                if yielded >= max_results:
                    return
            token = page.get("nextPageToken")
            if not token:
                return
            params = {**params, "pageToken": token}
    finally:
        client.close()


def download_trials(condition: str, out_dir: str | Path, max_results: int, **options) -> list[Path]:
    """Run `fetch_trials` and write each study as `<NCT id>.json`."""
    out_dir = Path(out_dir)
    written = []
    for study in fetch_trials(condition, max_results, **options):
        nct_id = ((study.get("protocolSection") or {}).get("identificationModule") or {}).get("nctId")
        if not nct_id:
            raise FetchError("a study in the API response has no protocolSection.identificationModule.nctId")
        data = json.dumps(study, ensure_ascii=False, indent=1).encode("utf-8")
        written.append(write_atomically(out_dir / f"{nct_id}.json", data))
    return written


def _check_page(response: requests.Response) -> None:
    try:
        page = response.json()
    except ValueError as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    if not isinstance(page, dict) or not isinstance(page.get("studies"), list):
        raise ValueError("JSON without a 'studies' list")
