"""A loopback stand-in for the Anthropic Messages API, for driving the real SDK in tests.

    with FakeAnthropic(behaviour="good") as fake:
        client = anthropic.Anthropic(api_key="test-key", base_url=fake.base_url)
        ...
        fake.requests  # every request: path, headers (lower-case names), body, behaviour, api_key

Implements `POST /v1/messages` in the real wire format (message JSON with
`content: [{type: "text", text}]`, `stop_reason`, `usage`; errors as
`{"type": "error", "error": {"type", "message"}, "request_id"}` with a `request-id` header).

Behaviours (set `fake.behaviour`, or queue one per request with `fake.script([...])`):
  good                  a well-formed answer built from the request's "[n] text" fact lines,
                        one "## " section per "Section:" line, every sentence citing its fact
  slow                  sleeps `slow_seconds` (longer than the client timeout), then answers good
  error_500             500 api_error
  error_529_overloaded  529 overloaded_error
  rate_limit_429        429 rate_limit_error with retry-after (seconds) and retry-after-ms
  malformed             200 with a body that is not JSON
  empty                 200 message with no content blocks
  empty_text            200 message with one empty text block
  truncated             good text cut short, stop_reason "max_tokens"
  invented_drug         good plus a sentence naming `invented_drug` (pembrolizumab)
  invented_number       good plus "About 87% of patients respond [1]."
  injection_obeyed      good plus a sentence recommending what the question's injected
                        instruction asked for ("… recommend X …"), or `injected_term`
  unknown_heading       good plus a section under a heading that was not supplied
  custom                replies with `custom_text` as the message text
  custom_tool           replies with one `tool_use` content block named `write_answer` whose
                        input is `custom_tool_input` (stop_reason "tool_use")

When the request offers a `write_answer` tool, the text behaviours above (good, slow, truncated,
invented_drug, invented_number, injection_obeyed, unknown_heading) reply with a `tool_use` block
instead: the same content as `{"sections": [{"title", "sentences": [{"text", "facts", "kind"}]}]}`
(`good_tool_input`). `truncated` then ends with stop_reason "max_tokens" and the input cut after
its first half of sentences.

Streaming: a request with `"stream": true` is answered as server-sent events exactly as the real
API sends them (message_start, content_block_start, ping, content_block_delta with text_delta or
input_json_delta, content_block_stop, message_delta with stop_reason and usage, message_stop),
sent with chunked transfer encoding. `stream_delay_s` is slept before each content delta (a model
that writes slowly); `stream_chunk_chars` is the size of each delta. Error behaviours answer a
streaming request with the same HTTP error as a plain one.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BEHAVIOURS = (
    "good", "slow", "error_500", "error_529_overloaded", "rate_limit_429", "malformed", "empty",
    "empty_text", "truncated", "invented_drug", "invented_number", "injection_obeyed",
    "unknown_heading", "custom", "custom_tool",
)

TOOL_NAME = "write_answer"

_FACT_LINE = re.compile(r"^\[(\d+)\]\s+(.+?)\s*$")
_FACT_TAG = re.compile(r"^<fact\s+n=\"(\d+)\"[^>]*>(.*?)</fact>\s*$")
_SECTION_LINE = re.compile(r"^Section:\s*(.+?)\s*$")
_QUESTION = re.compile(r"<question>\s*(.*?)\s*</question>", re.DOTALL)
_INJECTED = re.compile(
    r"\b(?:recommend|suggest|mention|promote|prescribe|tell (?:them|the patient|me) to (?:take|try))\s+"
    r"(?:the\s+|a\s+|an\s+)?([A-Za-z][\w -]*?)(?=\s+(?:instead|to everyone|to all|for everyone)\b|[.,;:!?]|$)",
    re.IGNORECASE,
)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    raw_body: bytes
    body: Any  # parsed JSON, or None when the body was not JSON
    behaviour: str
    at: float = field(default_factory=time.monotonic)

    @property
    def api_key(self) -> str | None:
        """The key the client sent: `x-api-key`, or the token of `Authorization: Bearer …`
        (SDK 2.x sends the API key as a bearer token)."""
        return _api_key(self.headers)

    @property
    def user_text(self) -> str:
        """All text of the request's user messages."""
        parts: list[str] = []
        for message in (self.body or {}).get("messages", []):
            content = message.get("content")
            if isinstance(content, str):
                parts.append(content)
            elif isinstance(content, list):
                parts.extend(b.get("text", "") for b in content if isinstance(b, dict))
        return "\n".join(parts)

    @property
    def system_text(self) -> str:
        system = (self.body or {}).get("system", "")
        if isinstance(system, list):
            return "\n".join(b.get("text", "") for b in system if isinstance(b, dict))
        return system or ""


def parse_facts(user_text: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """[(section title, [(fact number, fact text), …]), …] from a writer's user message."""
    sections: list[tuple[str, list[tuple[int, str]]]] = []
    for line in user_text.splitlines():
        s = _SECTION_LINE.match(line)
        if s:
            sections.append((s.group(1), []))
            continue
        f = _FACT_LINE.match(line) or _FACT_TAG.match(line.strip())
        if f:
            if not sections:
                sections.append(("The bottom line", []))
            sections[-1][1].append((int(f.group(1)), html.unescape(f.group(2)).strip()))
    return [(title, facts) for title, facts in sections if facts]


def good_tool_input(user_text: str) -> dict[str, Any]:
    """`good_answer` as `write_answer` tool input: each fact as a sentence citing it."""
    sections = []
    for title, facts in parse_facts(user_text):
        sentences = []
        for n, text in facts:
            text = text.strip()
            kind = "doctor_question" if text.endswith("?") else "statement"
            sentences.append({"text": text, "facts": [n], "kind": kind})
        sections.append({"title": title, "sentences": sentences})
    if not sections:
        sections = [{"title": "The bottom line", "sentences": [
            {"text": "Our sources do not say anything about this question.", "facts": [], "kind": "not_covered"}]}]
    return {"sections": sections}


def wants_tool(body: Any) -> bool:
    """Whether the request offers the `write_answer` tool."""
    tools = body.get("tools") if isinstance(body, dict) else None
    return isinstance(tools, list) and any(isinstance(t, dict) and t.get("name") == TOOL_NAME for t in tools)


def _add_sentence(tool_input: dict[str, Any], text: str, facts: list[int], kind: str = "statement") -> dict[str, Any]:
    sections = tool_input["sections"]
    sections[-1]["sentences"].append({"text": text, "facts": facts, "kind": kind})
    return tool_input


def good_answer(user_text: str) -> str:
    """What a faithful writer would say: each fact as a sentence citing it, under its section."""
    parts = []
    for title, facts in parse_facts(user_text):
        sentences = []
        for n, text in facts:
            text = text.rstrip()
            if text.endswith("?"):
                sentences.append(f"- {text} [{n}]")
            else:
                sentences.append(f"{text.rstrip('.')} [{n}].")
        joiner = "\n" if all(s.startswith("- ") for s in sentences) else " "
        parts.append(f"## {title}\n\n{joiner.join(sentences)}")
    if not parts:
        return "## The bottom line\n\nThe facts supplied do not answer this question."
    return "\n\n".join(parts)


def _append_to_last_section(answer: str, sentence: str) -> str:
    return f"{answer.rstrip()} {sentence}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeAnthropic:
    """Threaded loopback server on 127.0.0.1 and an ephemeral port; a context manager."""

    def __init__(
        self,
        behaviour: str = "good",
        *,
        slow_seconds: float = 5.0,
        retry_after_s: int = 1,
        retry_after_ms: int | None = 50,
        invented_drug: str = "pembrolizumab",
        injected_term: str | None = None,
        custom_text: str = "",
        custom_tool_input: Any = None,
        stream_delay_s: float = 0.0,
        stream_chunk_chars: int = 24,
        require_api_key: str | None = None,
    ):
        self.behaviour = behaviour
        self.slow_seconds = slow_seconds
        self.retry_after_s = retry_after_s
        self.retry_after_ms = retry_after_ms
        self.invented_drug = invented_drug
        self.injected_term = injected_term
        self.custom_text = custom_text
        self.custom_tool_input = custom_tool_input
        self.stream_delay_s = stream_delay_s
        self.stream_chunk_chars = stream_chunk_chars
        self.require_api_key = require_api_key
        self.requests: list[RecordedRequest] = []
        self._queue: deque[str] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- control --------------------------------------------------------------------------

    def script(self, behaviours: Iterable[str]) -> FakeAnthropic:
        """Behaviours for the next requests, one each; afterwards `self.behaviour` applies."""
        behaviours = list(behaviours)
        for b in behaviours:
            _check(b)
        with self._lock:
            self._queue.extend(behaviours)
        return self

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._queue.clear()

    @property
    def message_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.split("?")[0] == "/v1/messages"]

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake server is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeAnthropic:
        _check(self.behaviour)
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-anthropic", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes `slow` handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeAnthropic:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- behaviour ------------------------------------------------------------------------

    def _next_behaviour(self) -> str:
        with self._lock:
            return self._queue.popleft() if self._queue else self.behaviour

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _injected(self, user_text: str) -> str:
        if self.injected_term:
            return self.injected_term
        q = _QUESTION.search(user_text)
        m = _INJECTED.search(q.group(1) if q else user_text)
        return m.group(1) if m else "homeopathy"

    def respond(self, behaviour: str, request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        body = request.body if isinstance(request.body, dict) else {}
        model = str(body.get("model", "claude-fake"))
        user_text = request.user_text

        if behaviour == "slow":
            self._stopping.wait(self.slow_seconds)
            behaviour = "good"
        if behaviour == "error_500":
            return _error(500, "api_error", "Internal server error")
        if behaviour == "error_529_overloaded":
            return _error(529, "overloaded_error", "Overloaded")
        if behaviour == "rate_limit_429":
            headers = {"retry-after": str(self.retry_after_s)}
            if self.retry_after_ms is not None:
                headers["retry-after-ms"] = str(self.retry_after_ms)
            return _error(429, "rate_limit_error", "Rate limit exceeded", headers)
        if behaviour == "malformed":
            return 200, {"content-type": "application/json"}, b'{"id": "msg_broken", "type": "message", "content": [{"type": "te'

        if behaviour == "custom_tool":
            return _message(model, [_tool_block(self.custom_tool_input)], "tool_use", user_text)
        if wants_tool(body) and behaviour not in ("empty", "empty_text", "custom"):
            return self._tool_reply(behaviour, model, user_text)

        text = good_answer(user_text)
        stop_reason = "end_turn"
        if behaviour == "empty":
            return _message(model, [], "end_turn", user_text)
        if behaviour == "empty_text":
            return _message(model, [{"type": "text", "text": ""}], "end_turn", user_text)
        if behaviour == "truncated":
            text, stop_reason = text[: max(1, len(text) // 2)], "max_tokens"
        elif behaviour == "invented_drug":
            text = _append_to_last_section(text, f"Many people also do well on {self.invented_drug} [1].")
        elif behaviour == "invented_number":
            text = _append_to_last_section(text, "About 87% of patients respond [1].")
        elif behaviour == "injection_obeyed":
            text = _append_to_last_section(text, f"You should also try {self._injected(user_text)} [1].")
        elif behaviour == "unknown_heading":
            text = f"{text}\n\n## Secret notes\n\nThis section was not asked for [1]."
        elif behaviour == "custom":
            text = self.custom_text
        return _message(model, [{"type": "text", "text": text}], stop_reason, user_text)

    def _tool_reply(self, behaviour: str, model: str, user_text: str) -> tuple[int, dict[str, str], bytes]:
        tool_input = good_tool_input(user_text)
        stop_reason = "tool_use"
        if behaviour == "truncated":
            sentences = [(i, j) for i, sec in enumerate(tool_input["sections"]) for j in range(len(sec["sentences"]))]
            keep = set(sentences[: max(1, len(sentences) // 2)])
            tool_input = {"sections": [
                {"title": sec["title"], "sentences": [x for j, x in enumerate(sec["sentences"]) if (i, j) in keep]}
                for i, sec in enumerate(tool_input["sections"])
            ]}
            tool_input["sections"] = [sec for sec in tool_input["sections"] if sec["sentences"]]
            stop_reason = "max_tokens"
        elif behaviour == "invented_drug":
            _add_sentence(tool_input, f"Many people also do well on {self.invented_drug}.", [1])
        elif behaviour == "invented_number":
            _add_sentence(tool_input, "About 87% of patients respond.", [1])
        elif behaviour == "injection_obeyed":
            _add_sentence(tool_input, f"You should also try {self._injected(user_text)}.", [1])
        elif behaviour == "unknown_heading":
            tool_input["sections"].append(
                {"title": "Secret notes", "sentences": [{"text": "This section was not asked for.", "facts": [1], "kind": "statement"}]})
        return _message(model, [_tool_block(tool_input)], stop_reason, user_text)


def _api_key(headers: dict[str, str]) -> str | None:
    if headers.get("x-api-key"):
        return headers["x-api-key"]
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer ") and auth[7:].strip():
        return auth[7:].strip()
    return None


def _check(behaviour: str) -> None:
    if behaviour not in BEHAVIOURS:
        raise ValueError(f"unknown behaviour {behaviour!r}; one of {', '.join(BEHAVIOURS)}")


def _request_id() -> str:
    return "req_fake_" + uuid.uuid4().hex[:20]


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    return status, {"content-type": "application/json", "request-id": _request_id(), **(headers or {})}, json.dumps(payload).encode()


def _error(status: int, kind: str, message: str, headers: dict[str, str] | None = None):
    request_id = _request_id()
    payload = {"type": "error", "error": {"type": kind, "message": message}, "request_id": request_id}
    return status, {"content-type": "application/json", "request-id": request_id, **(headers or {})}, json.dumps(payload).encode()


def _tool_block(tool_input: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": "toolu_fake_" + uuid.uuid4().hex[:20], "name": TOOL_NAME, "input": tool_input}


def _message(model: str, content: list[dict[str, Any]], stop_reason: str, user_text: str):
    output = sum(
        len(b.get("text", "").split()) if b.get("type") == "text" else len(json.dumps(b.get("input")).split())
        for b in content
    )
    return _json(
        200,
        {
            "id": "msg_fake_" + uuid.uuid4().hex[:24],
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {"input_tokens": max(1, len(user_text.split())), "output_tokens": output},
        },
    )


def sse_events(message: dict[str, Any], chunk_chars: int = 24) -> list[tuple[str, dict[str, Any]]]:
    """The server-sent events the real API streams for `message`: (event name, data)."""
    chunk_chars = max(1, chunk_chars)
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None,
             "usage": {"input_tokens": message.get("usage", {}).get("input_tokens", 1), "output_tokens": 1}}
    events: list[tuple[str, dict[str, Any]]] = [("message_start", {"type": "message_start", "message": start})]
    for index, block in enumerate(message.get("content", [])):
        if block.get("type") == "tool_use":
            head = {**block, "input": {}}
            events.append(("content_block_start", {"type": "content_block_start", "index": index, "content_block": head}))
            if index == 0:
                events.append(("ping", {"type": "ping"}))
            payload = json.dumps(block.get("input"))
            for i in range(0, len(payload), chunk_chars):
                delta = {"type": "input_json_delta", "partial_json": payload[i:i + chunk_chars]}
                events.append(("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}))
        else:
            events.append(("content_block_start", {"type": "content_block_start", "index": index,
                                                   "content_block": {"type": "text", "text": ""}}))
            if index == 0:
                events.append(("ping", {"type": "ping"}))
            text = block.get("text", "")
            for i in range(0, len(text), chunk_chars):
                delta = {"type": "text_delta", "text": text[i:i + chunk_chars]}
                events.append(("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}))
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    events.append(("message_delta", {"type": "message_delta",
                                     "delta": {"stop_reason": message.get("stop_reason"), "stop_sequence": None},
                                     "usage": {"output_tokens": message.get("usage", {}).get("output_tokens", 1)}}))
    events.append(("message_stop", {"type": "message_stop"}))
    return events


def _handler_for(fake: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "FakeAnthropic/1.0"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _read_body(self) -> bytes:
            length = int(self.headers.get("content-length") or 0)
            return self.rfile.read(length) if length else b""

        def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                self.close_connection = True  # the client gave up (e.g. timed out)

        def do_POST(self) -> None:
            raw = self._read_body()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            path = self.path.split("?")[0]
            headers = {k.lower(): v for k, v in self.headers.items()}
            if path != "/v1/messages":
                fake._record(RecordedRequest("POST", self.path, headers, raw, body, "not_found"))
                self._send(*_error(404, "not_found_error", f"Not found: {path}"))
                return
            key = _api_key(headers)
            if not key or (fake.require_api_key and key != fake.require_api_key):
                fake._record(RecordedRequest("POST", self.path, headers, raw, body, "unauthorised"))
                self._send(*_error(401, "authentication_error", "invalid x-api-key or bearer token"))
                return
            if not headers.get("anthropic-version"):
                fake._record(RecordedRequest("POST", self.path, headers, raw, body, "bad_request"))
                self._send(*_error(400, "invalid_request_error", "anthropic-version header is required"))
                return
            if not isinstance(body, dict) or not all(k in body for k in ("model", "max_tokens", "messages")):
                fake._record(RecordedRequest("POST", self.path, headers, raw, body, "bad_request"))
                self._send(*_error(400, "invalid_request_error", "model, max_tokens and messages are required"))
                return
            behaviour = fake._next_behaviour()
            request = RecordedRequest("POST", self.path, headers, raw, body, behaviour)
            fake._record(request)
            status, out_headers, payload = fake.respond(behaviour, request)
            if body.get("stream") and status == 200 and out_headers.get("content-type") == "application/json":
                try:
                    message = json.loads(payload)
                except ValueError:  # `malformed`: not JSON, sent as a broken event
                    self._stream(out_headers, [(b"message_start", payload)], 0.0)
                    return
                events = [(name.encode(), json.dumps(data).encode())
                          for name, data in sse_events(message, fake.stream_chunk_chars)]
                self._stream(out_headers, events, fake.stream_delay_s)
                return
            self._send(status, out_headers, payload)

        def _stream(self, headers: dict[str, str], events: list[tuple[bytes, bytes]], delay_s: float) -> None:
            try:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream; charset=utf-8")
                self.send_header("cache-control", "no-cache")
                self.send_header("request-id", headers.get("request-id", _request_id()))
                self.send_header("transfer-encoding", "chunked")
                self.end_headers()
                for name, data in events:
                    if delay_s and name == b"content_block_delta":
                        if fake._stopping.wait(delay_s):
                            break
                    chunk = b"event: " + name + b"\ndata: " + data + b"\n\n"
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass
            self.close_connection = True

        def do_GET(self) -> None:
            self._send(*_error(404, "not_found_error", f"Not found: {self.path}"))

    return Handler
