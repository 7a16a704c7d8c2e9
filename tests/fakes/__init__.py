"""Loopback fakes of the public APIs the fetchers call, for tests without internet.

Each fake is a threaded HTTP server on 127.0.0.1 with an ephemeral port, usable as a context
manager (`with FakeEutils() as server: server.url`). It records every request it receives and
can be told to fail the next requests (429 with Retry-After, 503, a truncated body).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.shared_data import SHARED

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = SHARED / "data"  # may be absent: tests that read it use tests.shared_data.requires_shared


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]  # last value of each query parameter
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Failure:
    status: int | None  # None: answer 200 but with the real body cut in half
    retry_after: str | None = None


class FakeServer:
    """Base class: subclasses implement `route(method, path, params) -> Reply`."""

    def __init__(self):
        self.requests: list[RecordedRequest] = []
        self._failures: deque[_Failure] = deque()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeServer:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        # A short poll interval keeps stop() (and so every test's teardown) quick.
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def root_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # ---- failure injection -------------------------------------------------------------------

    def fail_next(self, count: int = 1, status: int = 503, retry_after: str | int | None = None) -> None:
        """The next `count` requests get `status` (with a Retry-After header if given)."""
        with self._lock:
            for _ in range(count):
                self._failures.append(_Failure(status, None if retry_after is None else str(retry_after)))

    def malformed_next(self, count: int = 1) -> None:
        """The next `count` requests get HTTP 200 with the real body truncated half-way."""
        with self._lock:
            for _ in range(count):
                self._failures.append(_Failure(None))

    def requests_to(self, path_suffix: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith(path_suffix)]

    # ---- request handling --------------------------------------------------------------------

    def route(self, method: str, path: str, params: dict[str, str]) -> Reply:
        raise NotImplementedError

    def _respond(self, method: str, raw_path: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(raw_path)
        params = {key: values[-1] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
        with self._lock:
            self.requests.append(RecordedRequest(method, parts.path, params, headers, time.monotonic()))
            failure = self._failures.popleft() if self._failures else None
        if failure is not None and failure.status is not None:
            extra = {"Retry-After": failure.retry_after} if failure.retry_after is not None else {}
            return Reply(failure.status, b'{"error": "injected failure"}', headers=extra)
        reply = self.route(method, parts.path, params)
        if failure is not None:  # malformed: a body cut off mid-stream
            return Reply(reply.status, reply.body[: max(1, len(reply.body) // 2)], reply.content_type)
        return reply


def _handler_for(fake: FakeServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            reply = fake._respond("GET", self.path, dict(self.headers.items()))
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format, *args):  # keep test output clean
            pass

    return Handler
