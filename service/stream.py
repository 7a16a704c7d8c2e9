"""POST /graphql/stream: an `ask` answer streamed as server-sent events, within one deadline.

The body is the same as for POST /graphql — `{"query", "variables", "operationName"}` — with one
restriction: the operation is a query whose only field is `ask(question: …)` without a patient
(anything else: 400 STREAM_UNSUPPORTED; send it to /graphql). The answer comes as
`text/event-stream` (docs/api.md, "Streaming answers"). POST /graphql whose `Accept` header
asks for `text/event-stream` first is answered the same way:

    event: start     data: {"requestId": "…", "deadlineS": 30}
    event: sentence  data: {"section": "…", "text": "… [1].", "kind": "statement", "source": "claude"}
    event: section   data: {"section": "…"}                     (a section is complete)
    event: answer    data: {"data": {"ask": {…}}}               (the same JSON /graphql answers)
    event: error     data: {"errors": [{"message", "extensions": {"code", "requestId"}}]}

Only sentences that passed the writer's check are sent ("source": "claude"), or the template's
wording for facts ("source": "template"). The last event is always `answer` or `error`, and comes
within the request deadline: when the writer runs out of time the template finishes the answer.
The final `answer` runs the request's own document, so it has exactly the fields asked for, with
the writer's answer pinned to the one just streamed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, g, request, stream_with_context
from graphql import (
    FieldNode,
    GraphQLError,
    OperationType,
    execute_sync,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_argument_values, get_variable_values

from mdskg.errors import MdskgError
from service import errors, http

log = logging.getLogger("mdskg.stream")

STREAM_UNSUPPORTED = "STREAM_UNSUPPORTED"


class StreamRefused(MdskgError):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def sse(event: str, data: Any) -> str:
    """One server-sent event; `data` as one line of JSON."""
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'), ensure_ascii=False)}\n\n"


def streamed_question(schema, body: Any, max_query_chars: int) -> tuple[Any, str, dict[str, Any], str | None]:
    """(document, question, variables, operation name) of a request the stream can answer."""
    data = http.request_body_object(body)
    query = data.get("query")
    if not isinstance(query, str) or not query.strip():
        raise StreamRefused(400, "BAD_REQUEST", "The request body must be a JSON object with a `query` string.")
    if len(query) > max_query_chars:
        raise StreamRefused(400, http.QUERY_TOO_LONG,
                            f"The query document is too long ({len(query)} characters; at most {max_query_chars}).")
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise StreamRefused(400, "BAD_REQUEST", "`variables` must be a JSON object.")
    try:
        document = parse(query)
        operation = http.select_operation(document, data.get("operationName"))
    except GraphQLError as exc:
        raise StreamRefused(400, (exc.extensions or {}).get("code", "GRAPHQL_PARSE_FAILED"), exc.message) from exc
    problems = validate(schema, document, specified_rules)
    if problems:
        raise StreamRefused(400, "GRAPHQL_VALIDATION_FAILED", problems[0].message)
    unsupported = ("POST /graphql/stream answers one query whose only field is `ask(question: …)`, without a "
                   "patient; send other operations to POST /graphql.")
    if operation is None or operation.operation != OperationType.QUERY:
        raise StreamRefused(400, STREAM_UNSUPPORTED, unsupported)
    fields = [s for s in operation.selection_set.selections
              if not (isinstance(s, FieldNode) and s.name.value == "__typename")]
    if len(fields) != 1 or not isinstance(fields[0], FieldNode) or fields[0].name.value != "ask":
        raise StreamRefused(400, STREAM_UNSUPPORTED, unsupported)
    if http.carries_patient(schema, document, variables):
        raise StreamRefused(400, STREAM_UNSUPPORTED, unsupported)
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
    if isinstance(coerced, list):
        raise StreamRefused(400, "BAD_USER_INPUT", coerced[0].message)
    args = get_argument_values(schema.query_type.fields["ask"], fields[0], coerced)
    question = args.get("question")
    if not isinstance(question, str):
        raise StreamRefused(400, "BAD_USER_INPUT", "`question` must be a string.")
    return document, question, variables, data.get("operationName")


def _wants_event_stream(accept: str | None) -> bool:
    types = [part.split(";")[0].strip().lower() for part in (accept or "").split(",") if part.strip()]
    return bool(types) and types[0] == "text/event-stream"


def register(app: Flask, schema, settings) -> None:
    """Adds POST /graphql/stream (and its CORS preflight) to the app."""

    @app.before_request
    def _negotiated_stream():
        """POST /graphql that accepts only `text/event-stream` is the same stream."""
        if (request.path == "/graphql" and request.method == "POST"
                and _wants_event_stream(request.headers.get("Accept"))):
            return graphql_stream()
        return None

    @app.route("/graphql/stream", methods=["POST"], endpoint="graphql_stream")
    def graphql_stream():
        from service.app import error_response

        try:
            body = request.get_json(force=True, silent=True)
            document, question, variables, operation_name = streamed_question(
                schema.graphql_schema, body, settings.max_query_chars)
        except http.RequestRefused as exc:
            return error_response(exc.status_code, exc.code, str(exc.reason))
        except StreamRefused as exc:
            return error_response(exc.status, exc.code, exc.message)
        request_id = g.get("request_id", "-")
        events = _events(schema.graphql_schema, document, question, variables, operation_name, settings, request_id)
        response = Response(stream_with_context(events), mimetype="text/event-stream")
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Accel-Buffering"] = "no"  # proxies: pass each event on at once
        return response

    @app.route("/graphql/stream", methods=["OPTIONS"], endpoint="graphql_stream_preflight")
    def _preflight():
        return Response(status=204)


def _events(schema, document, question: str, variables: dict[str, Any], operation_name: str | None, settings,
            request_id: str) -> Iterator[str]:
    from service.answer import prepare_answer
    from service.extensions import get_answer_graph, get_writer, request_sources
    from service.graphql_types import checked_text
    from service.schema import _question_patient
    from service.writers import REQUEST_ID, stream_within

    started = time.monotonic()
    deadline_s = float(settings.request_deadline_s)
    token = REQUEST_ID.set(request_id)
    try:
        yield sse("start", {"requestId": request_id, "deadlineS": deadline_s})
        sent = 0
        pin = contextlib.nullcontext()
        try:
            checked_question = checked_text("question", question)
            if _question_patient(checked_question) is None:
                prepared = prepare_answer(get_answer_graph(deadline_s), checked_question, settings,
                                          deadline_s=deadline_s, sources=request_sources())
                writer = get_writer()
                for event in stream_within(writer, prepared.writer_input, prepared.writer_time_left()):
                    if event.type == "sentence":
                        sent += 1
                        yield sse("sentence", {"section": event.section, "text": event.text, "kind": event.kind,
                                               "source": event.source})
                    elif event.type == "done" and event.answer is not None and hasattr(writer, "pinned"):
                        pin = writer.pinned(prepared.writer_input, event.answer)
                    elif event.type == "section":
                        payload: dict[str, Any] = {"section": event.section}
                        if event.text:
                            payload["text"] = event.text
                        yield sse("section", payload)
        except errors.UserFacingError:
            pass  # the final execution reports it in the one error shape
        except Exception as exc:  # noqa: BLE001 - the final execution answers or reports
            log.warning("stream [request %s]: writing phase failed (%s); answering without it", request_id,
                        type(exc).__name__)
        with pin:  # the final answer is the one just streamed
            result = execute_sync(schema, document, variable_values=variables, operation_name=operation_name,
                                  context_value={"request": request})
        payload = {"data": result.data}
        if result.errors:
            payload["errors"] = errors.format_errors(list(result.errors), request_id)
        log.info("stream [request %s]: %d sentences streamed, answer after %d ms", request_id, sent,
                 int((time.monotonic() - started) * 1000))
        yield sse("answer", payload)
    except Exception as exc:  # noqa: BLE001 - the stream ends with an error event, never a trace
        log.error("stream [request %s]: %s", request_id, type(exc).__name__)
        yield sse("error", {"errors": [{"message": f"Internal error (request id {request_id}).",
                                        "extensions": {"code": "INTERNAL_ERROR", "requestId": request_id}}]})
    finally:
        try:
            REQUEST_ID.reset(token)
        except ValueError:  # iterated in another context than it started in
            pass
