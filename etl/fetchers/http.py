"""Polite HTTP GETs for the fetchers: a request-rate limit, retries with exponential back-off
on 429/5xx/connection errors (honouring Retry-After), and one clear `FetchError` at the end.

`sleep` and `clock` are parameters so tests run instantly and can check every wait.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from mdskg.errors import MdskgError

RETRYABLE_STATUS = {429, 500, 502, 503, 504}
USER_AGENT = "mdskg/0.1 (MDS knowledge-graph ETL)"


class FetchError(MdskgError, RuntimeError):
    """A download that could not be completed; the message says which URL and why."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_base: float = 1.0  # seconds before the 2nd attempt; doubles after each failure
    max_backoff: float = 60.0
    max_retry_after: float = 600.0  # a server asking for longer than this is treated as down
    timeout: float = 60.0

    def backoff(self, failed_attempts: int) -> float:
        return min(self.max_backoff, self.backoff_base * 2 ** (failed_attempts - 1))


class RateLimiter:
    """Keeps at least `min_interval` seconds between the starts of consecutive requests."""

    def __init__(self, min_interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._next_allowed: float | None = None

    def wait(self) -> None:
        now = self._clock()
        if self._next_allowed is not None and now < self._next_allowed:
            self._sleep(self._next_allowed - now)
            now = self._next_allowed  # do not trust a fake or coarse clock to have moved
        self._next_allowed = now + self.min_interval


class PoliteClient:
    """GET with rate limiting and retries; `validate` may reject a 200 body as malformed."""

    def __init__(self, session: requests.Session | None = None, *, min_interval: float,
                 retry: RetryPolicy = RetryPolicy(), sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.session = session or requests.Session()
        self._owns_session = session is None
        # Name ourselves unless the caller already did (requests' own default does not count).
        if self.session.headers.get("User-Agent", "").startswith("python-requests"):
            self.session.headers["User-Agent"] = USER_AGENT
        self.retry = retry
        self.sleep = sleep
        self.clock = clock
        self.limiter = RateLimiter(min_interval, clock=clock, sleep=sleep)

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def get(self, url: str, params: dict, validate: Callable[[requests.Response], None] | None = None
            ) -> requests.Response:
        reason = "no attempt made"
        for attempt in range(1, self.retry.max_attempts + 1):
            self.limiter.wait()
            retry_after = None
            try:
                response = self.session.get(url, params=params, timeout=self.retry.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code in RETRYABLE_STATUS:
                    reason = f"HTTP {response.status_code}"
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                elif response.status_code >= 400:
                    # 400/404 will not change on a retry: report at once.
                    raise FetchError(f"GET {response.url} failed: HTTP {response.status_code}: "
                                     f"{response.text[:300]}")
                else:
                    try:
                        if validate is not None:
                            validate(response)
                        return response
                    except ValueError as exc:
                        reason = f"malformed response body: {exc}"
            if attempt == self.retry.max_attempts:
                break
            if retry_after is not None and retry_after > self.retry.max_retry_after:
                reason += f" (Retry-After {retry_after:.0f}s is longer than we wait)"
                break
            self.sleep(max(self.retry.backoff(attempt), retry_after or 0.0))
        raise FetchError(f"GET {url} failed after {attempt} attempt(s): {reason}")


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def write_atomically(path: Path, data: bytes) -> Path:
    """Write via a temporary name so an interrupted download never leaves a half file that a
    reader would later report as malformed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    partial.write_bytes(data)
    partial.replace(path)
    return path
